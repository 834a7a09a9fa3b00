package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Pointer parameters used only through dereferences (FuncInfo.ParamDerefs):
// a caller passing &x.f to such a parameter hands the field over to code
// that touches it only with the locks held at every dereference
// (nbio's c.setDeadline(&c.rTimer, ...), which locks c.mux before its
// first *timer).

// derefUse accumulates the uses of one pointer parameter during a walk.
type derefUse struct {
	held    []ls.RelLock
	seen    bool // used at least once
	writes  bool
	escaped bool // used other than through a dereference
}

// pointerParams returns the pointer-typed parameters of a function, the
// receiver excluded, with their indexes into Params (nil if none).
func pointerParams(fi *ls.FuncInfo) map[*types.Var]int {
	var out map[*types.Var]int
	for i, p := range fi.Params {
		if p == nil || p.Name() == "" || p.Name() == "_" || (i == 0 && fi.Decl.Recv != nil) {
			continue
		}
		if _, ok := p.Type().Underlying().(*types.Pointer); !ok {
			continue
		}
		if out == nil {
			out = map[*types.Var]int{}
		}
		out[p] = i
	}
	return out
}

// paramUse records a use of the pointer parameter i (the identifier id)
// with the locks held there.
func (v *visitor) paramUse(i int, id *ast.Ident, stack []ast.Node, st ls.State, ctx *ls.Context) {
	if v.derefs == nil {
		v.derefs = map[int]*derefUse{}
	}
	d := v.derefs[i]
	if d == nil {
		d = &derefUse{}
		v.derefs[i] = d
	}
	if d.escaped {
		return
	}
	kind, ok := derefKind(v.a.pass.TypesInfo, id, stack)
	if !ok || ctx.Parent != nil {
		d.escaped = true // not a dereference, or in a function literal
		return
	}
	var held []ls.RelLock
	for _, h := range st.Must() {
		if r, ok := ls.ToRel(v.fi.Params, h.Key, h.Mode); ok {
			held = append(held, r)
		}
	}
	if !d.seen {
		d.held, d.seen = held, true
	} else {
		d.held = intersectRel(d.held, held)
	}
	if kind == ls.Write {
		d.writes = true
	}
}

// derefKind reports whether the parameter identifier id (its ancestors in
// stack) is dereferenced there, *p, p.f or a call of p.m(), and whether
// that reads or writes the pointee. Any other use, a dereference whose
// address is taken again (&p.f) or one in a go or defer statement (run
// later) is not one.
func derefKind(info *types.Info, id *ast.Ident, stack []ast.Node) (ls.AccessKind, bool) {
	for _, n := range stack {
		switch n.(type) {
		case *ast.GoStmt, *ast.DeferStmt:
			return 0, false
		}
	}
	var child ast.Node = id
	j := len(stack) - 1
	for j >= 0 {
		if p, ok := stack[j].(*ast.ParenExpr); ok {
			child = p
			j--
			continue
		}
		break
	}
	if j < 0 {
		return 0, false
	}
	var deref ast.Expr // the dereferencing expression
	switch p := stack[j].(type) {
	case *ast.StarExpr:
		deref = p
	case *ast.SelectorExpr:
		if p.X != child {
			return 0, false
		}
		s, ok := info.Selections[p]
		if !ok {
			return 0, false
		}
		switch s.Kind() {
		case types.FieldVal:
			deref = p
		case types.MethodVal:
			// p.m(...): called at once (not a method value)
			if j == 0 {
				return 0, false
			}
			call, ok := stack[j-1].(*ast.CallExpr)
			if !ok || call.Fun != p {
				return 0, false
			}
			kind, _, _ := ls.ClassifyAccess(info, id, stack)
			return kind, true
		default:
			return 0, false
		}
	default:
		return 0, false
	}
	// the dereference's own address taken again (&p.f, &*p) escapes
	for k := j - 1; k >= 0; k-- {
		if _, ok := stack[k].(*ast.ParenExpr); ok {
			continue
		}
		if u, ok := stack[k].(*ast.UnaryExpr); ok && u.Op == token.AND {
			return 0, false
		}
		break
	}
	kind, _, _ := ls.ClassifyAccess(info, deref, stack[:j])
	return kind, true
}

// intersectRel keeps the locks of a also in b, with the weaker mode.
func intersectRel(a, b []ls.RelLock) []ls.RelLock {
	var out []ls.RelLock
	for _, r := range a {
		for _, s := range b {
			if r.Param == s.Param && r.Pkg == s.Pkg && r.Var == s.Var && r.Path == s.Path {
				r.Mode = min(r.Mode, s.Mode)
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// paramDerefs returns what the walk saw of the pointer parameters used
// only through dereferences (nil if none).
func (v *visitor) paramDerefs() map[int]*ls.ParamDeref {
	var out map[int]*ls.ParamDeref
	for i, d := range v.derefs {
		if d.escaped || !d.seen {
			continue
		}
		if out == nil {
			out = map[int]*ls.ParamDeref{}
		}
		out[i] = &ls.ParamDeref{Held: d.held, Writes: d.writes}
	}
	return out
}
