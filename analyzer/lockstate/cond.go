package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// condLocker returns the path, from the struct holding the sync.Cond
// field cond, of the mutex every assignment of the field builds the Cond
// on: f.cond = sync.NewCond(&f.mu) gives ".mu" (the same value's mutex).
// A field also set any other way (a composite literal, another value's
// mutex, a Cond from elsewhere) has none. Computed for the package on
// first use: only locks of a Cond's L need it.
func (a *analysis_) condLocker(cond *types.Var) (string, bool) {
	if a.condMu == nil {
		a.condMu = a.scanConds()
	}
	mu, ok := a.condMu[cond]
	return mu, ok && mu != ""
}

func (a *analysis_) scanConds() map[*types.Var]string {
	info := a.pass.TypesInfo
	out := map[*types.Var]string{}
	condField := func(e ast.Expr) *types.Var {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		s, ok := info.Selections[sel]
		if !ok || s.Kind() != types.FieldVal {
			return nil
		}
		v := s.Obj().(*types.Var)
		if v.Pkg() != a.pass.Pkg || !isCondPtr(v.Type()) {
			return nil
		}
		return v
	}
	set := func(f *types.Var, mu string) {
		if old, seen := out[f]; seen && old != mu {
			mu = ""
		}
		out[f] = mu
	}
	for _, file := range a.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					f := condField(lhs)
					if f == nil {
						continue
					}
					mu := ""
					if len(n.Rhs) == len(n.Lhs) {
						mu = a.newCondOn(ast.Unparen(lhs).(*ast.SelectorExpr).X, n.Rhs[i])
					}
					set(f, mu)
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok && v.IsField() && v.Pkg() == a.pass.Pkg && isCondPtr(v.Type()) {
						set(v, "") // a literal cannot name its own mutex
					}
				}
			}
			return true
		})
	}
	return out
}

// newCondOn returns ".mu" if rhs is sync.NewCond(&x.mu) where x is the
// same variable path as base (the value whose Cond field is assigned) and
// mu a mutex field of it, or "".
func (a *analysis_) newCondOn(base, rhs ast.Expr) string {
	info := a.pass.TypesInfo
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return ""
	}
	fn := ls.Callee(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" || fn.Name() != "NewCond" {
		return ""
	}
	addr, ok := ast.Unparen(call.Args[0]).(*ast.UnaryExpr)
	if !ok || addr.Op != token.AND {
		return ""
	}
	sel, ok := ast.Unparen(addr.X).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if s, ok := info.Selections[sel]; !ok || s.Kind() != types.FieldVal || !ls.IsMutexType(s.Obj().Type()) {
		return ""
	}
	want, ok1 := ls.PathOf(info, base)
	got, ok2 := ls.PathOf(info, sel.X)
	if !ok1 || !ok2 || want != got {
		return ""
	}
	return "." + sel.Sel.Name
}

// isCondPtr reports whether t is *sync.Cond.
func isCondPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "Cond"
}
