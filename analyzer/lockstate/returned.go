package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Values built by a local constructor keep the arguments it stores
// (FP163, FP14 seen from the caller): with
//
//	func newEncoder(c *Conn) *encoder {
//		c.mu.Lock() // released by encoder.end
//		return &encoder{conn: c}
//	}
//	func (e *encoder) end() { e.conn.mu.Unlock() }
//
// the caller's enc := newEncoder(c); defer enc.end() releases c.mu:
// enc.conn is c. A lock effect on a key rooted at a local variable
// assigned once, from a call of a function of the package whose every
// non-nil return is a composite literal (or a local variable defined by
// one and not assigned again) setting a field to one parameter, which the
// function does not assign, through that field is an effect on the
// argument's key. The field must be assigned nowhere in the package (only
// set by composite literals).

// returnedField is the field a constructor's result sets to a parameter.
type returnedField struct {
	path  string // ".conn"
	param int    // index into the parameters, the receiver first
}

// handedVars are, per package, the local variables assigned exactly once,
// from a call (nil: assigned otherwise or more than once), with the index
// of the result they hold; assignedFields the struct fields assigned
// somewhere in the package.
type handedVars struct {
	defs           map[types.Object]varDef
	assignedFields map[*types.Var]bool
	ctors          map[ctorKey][]returnedField
}

type varDef struct {
	call   *ast.CallExpr // nil: not a single assignment from a call
	result int
}

type ctorKey struct {
	fn     *types.Func
	result int
}

// throughReturned rewrites k (a key of the caller, from a callee's lock
// effect) from a field of a constructor's result to the argument the
// constructor stored there (enc.conn.mu: c.mu).
func (a *analysis_) throughReturned(k ls.Key) ls.Key {
	v, ok := k.Root.(*types.Var)
	if !ok || v.IsField() || ls.IsPackageLevel(v) || !strings.HasPrefix(k.Path, ".") {
		return k
	}
	if a.handed == nil {
		a.handed = a.scanHanded()
	}
	d := a.handed.defs[v]
	if d.call == nil {
		return k
	}
	fn := ls.Callee(a.pass.TypesInfo, d.call)
	if fn == nil || a.local[fn.Origin()] == nil || d.call.Ellipsis.IsValid() {
		return k
	}
	for _, f := range a.ctorFields(fn.Origin(), d.result) {
		if k.Path != f.path && !strings.HasPrefix(k.Path, f.path+".") {
			continue
		}
		args := ls.CallArgs(a.pass.TypesInfo, d.call)
		if f.param >= len(args) {
			return k
		}
		if f.param == 0 && fn.Type().(*types.Signature).Recv() != nil {
			if sel, ok := ast.Unparen(d.call.Fun).(*ast.SelectorExpr); ok {
				if s, ok := a.pass.TypesInfo.Selections[sel]; ok && len(s.Index()) > 1 {
					return k // a promoted method: the receiver is a field of the argument
				}
			}
		}
		base, ok := ls.PathOf(a.pass.TypesInfo, args[f.param])
		if !ok || base.Root == v {
			return k
		}
		return ls.Key{Root: base.Root, Path: base.Path + k.Path[len(f.path):]}
	}
	return k
}

// scanHanded collects the single assignments from calls of the package's
// local variables and the fields its code assigns.
func (a *analysis_) scanHanded() *handedVars {
	info := a.pass.TypesInfo
	h := &handedVars{defs: map[types.Object]varDef{}, assignedFields: map[*types.Var]bool{}, ctors: map[ctorKey][]returnedField{}}
	seen := map[types.Object]bool{}
	def := func(id *ast.Ident, call *ast.CallExpr, result int) {
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		v, ok := obj.(*types.Var)
		if !ok || v.IsField() || ls.IsPackageLevel(v) {
			return
		}
		if seen[v] {
			h.defs[v] = varDef{} // assigned again
			return
		}
		seen[v] = true
		h.defs[v] = varDef{call: call, result: result}
	}
	lhs := func(e ast.Expr, call *ast.CallExpr, result int) {
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			if e.Name != "_" {
				def(e, call, result)
			}
		case *ast.SelectorExpr:
			if s, ok := info.Selections[e]; ok && s.Kind() == types.FieldVal {
				if f, ok := s.Obj().(*types.Var); ok {
					h.assignedFields[f.Origin()] = true
				}
			}
		}
	}
	for _, file := range a.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				var call *ast.CallExpr
				if len(n.Rhs) == 1 {
					call, _ = ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
				}
				for i, l := range n.Lhs {
					switch {
					case n.Tok != token.DEFINE && n.Tok != token.ASSIGN:
						lhs(l, nil, 0) // x += y
					case len(n.Rhs) == len(n.Lhs):
						c, _ := ast.Unparen(n.Rhs[i]).(*ast.CallExpr)
						lhs(l, c, 0)
					case len(n.Rhs) == 1:
						lhs(l, call, i)
					default:
						lhs(l, nil, 0)
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					var c *ast.CallExpr
					switch {
					case len(n.Values) == len(n.Names):
						c, _ = ast.Unparen(n.Values[i]).(*ast.CallExpr)
						def(id, c, 0)
					case len(n.Values) == 1:
						c, _ = ast.Unparen(n.Values[0]).(*ast.CallExpr)
						def(id, c, i)
					default:
						def(id, nil, 0)
					}
				}
			case *ast.IncDecStmt:
				lhs(n.X, nil, 0)
			case *ast.RangeStmt:
				if n.Key != nil {
					lhs(n.Key, nil, 0)
				}
				if n.Value != nil {
					lhs(n.Value, nil, 0)
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					lhs(n.X, nil, 0) // &v: may be assigned through the pointer
				}
			}
			return true
		})
	}
	return h
}

// ctorFields returns the fields that every non-nil return of fn sets, in
// its result'th result, to one of its parameters.
func (a *analysis_) ctorFields(fn *types.Func, result int) []returnedField {
	key := ctorKey{fn, result}
	if fs, ok := a.handed.ctors[key]; ok {
		return fs
	}
	a.handed.ctors[key] = nil // recursion
	fs := a.computeCtorFields(fn, result)
	a.handed.ctors[key] = fs
	return fs
}

func (a *analysis_) computeCtorFields(fn *types.Func, result int) []returnedField {
	info := a.pass.TypesInfo
	fi := a.local[fn]
	if fi == nil || fi.Decl.Body == nil {
		return nil
	}
	sig := fn.Type().(*types.Signature)
	if result >= sig.Results().Len() {
		return nil
	}
	paramIdx := map[types.Object]int{}
	for i, p := range fi.Params {
		if _, assigned := a.handed.defs[p]; p != nil && !assigned {
			paramIdx[p] = i
		}
	}
	// fields of a composite literal of a named struct type of this package
	// set to a parameter
	litFields := func(e ast.Expr) (map[string]int, bool) {
		e = ast.Unparen(e)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = ast.Unparen(u.X)
		}
		lit, ok := e.(*ast.CompositeLit)
		if !ok {
			return nil, false
		}
		named, ok := types.Unalias(info.TypeOf(lit)).(*types.Named)
		if !ok || named.Obj().Pkg() != a.pass.Pkg {
			return nil, false
		}
		st, ok := named.Underlying().(*types.Struct)
		if !ok {
			return nil, false
		}
		out := map[string]int{}
		for i, elt := range lit.Elts {
			var f *types.Var
			val := elt
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				id, ok := kv.Key.(*ast.Ident)
				if !ok {
					continue
				}
				f, _ = info.Uses[id].(*types.Var)
				val = kv.Value
			} else if i < st.NumFields() {
				f = st.Field(i)
			}
			if f == nil || a.handed.assignedFields[f.Origin()] {
				continue
			}
			if id, ok := ast.Unparen(val).(*ast.Ident); ok {
				if p, ok := paramIdx[info.Uses[id]]; ok {
					out["."+f.Name()] = p
				}
			}
		}
		return out, true
	}
	var common map[string]int
	ok, some := true, false
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != sig.Results().Len() {
				ok = false // a bare return or a call returning a tuple
				return false
			}
			r := ast.Unparen(n.Results[result])
			if id, isID := r.(*ast.Ident); isID {
				if _, isNil := info.Uses[id].(*types.Nil); isNil {
					return false // nothing is handed
				}
				// a local variable defined by a literal, not assigned again
				r = a.definingLit(fi, info.Uses[id])
				if r == nil {
					ok = false
					return false
				}
			}
			fs, isLit := litFields(r)
			if !isLit {
				ok = false
				return false
			}
			if !some {
				common, some = fs, true
				return false
			}
			for f, p := range common {
				if q, found := fs[f]; !found || q != p {
					delete(common, f)
				}
			}
			return false
		}
		return true
	})
	if !ok || !some {
		return nil
	}
	var out []returnedField
	for f, p := range common {
		out = append(out, returnedField{path: f, param: p})
	}
	return out
}

// definingLit returns the composite literal (or its address) that defines
// the local variable obj of fi, when nothing else assigns it.
func (a *analysis_) definingLit(fi *ls.FuncInfo, obj types.Object) ast.Expr {
	v, ok := obj.(*types.Var)
	if !ok || v.IsField() || ls.IsPackageLevel(v) {
		return nil
	}
	if d, seen := a.handed.defs[v]; !seen || d.call != nil {
		return nil // a call, or assigned more than once ({} as well)
	}
	info := a.pass.TypesInfo
	var lit ast.Expr
	count := 0
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id, isID := ast.Unparen(l).(*ast.Ident)
				if !isID || (info.Defs[id] != obj && info.Uses[id] != obj) {
					continue
				}
				count++
				if len(n.Rhs) == len(n.Lhs) {
					lit = n.Rhs[i]
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if info.Defs[id] == obj {
					count++
					if len(n.Values) == len(n.Names) {
						lit = n.Values[i]
					}
				}
			}
		}
		return true
	})
	if count != 1 || lit == nil {
		return nil
	}
	return lit
}
