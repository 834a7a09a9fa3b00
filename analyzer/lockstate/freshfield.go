package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// freshArg reports whether arg, an argument of call rooted at a value the
// caller allocated (k.Root is one of its Locals) through the field path k,
// hands the callee part of that allocation or another value the caller
// allocated: the address of a struct field of it, reached through struct
// fields only, not through a pointer (&c.baseCache, or c.base as the
// receiver of a method), or a pointer field that the caller set, once, to
// a value it allocated (c.router after c.router = newRouter()). Unlike a
// local handed over whole, the value must not have been shared before the
// call (see sharedBefore): a constructor that has started goroutines on it
// is no longer assembling it alone.
func freshArg(info *types.Info, fi *ls.FuncInfo, call *ast.CallExpr, arg ast.Expr, k ls.Key, recv bool) bool {
	e := ast.Unparen(arg)
	if fi.FreshPtrs[k] {
		if _, ok := e.(*ast.SelectorExpr); !ok || !inAllocation(info, fi, e) {
			return false
		}
		return !sharedBefore(info, fi, call, k)
	}
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	} else if !recv {
		return false
	}
	if _, ok := e.(*ast.SelectorExpr); !ok {
		return false
	}
	t := info.TypeOf(e)
	if t == nil {
		return false
	}
	if _, ok := t.Underlying().(*types.Struct); !ok {
		return false
	}
	return inAllocation(info, fi, e) && !sharedBefore(info, fi, call, k)
}

// inAllocation reports whether e is a chain of field selections from a
// local of fi holding a value it allocated that dereferences no pointer
// but the local itself: the field is part of the allocation.
func inAllocation(info *types.Info, fi *ls.FuncInfo, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.FieldVal {
		return false
	}
	t := s.Recv()
	if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
		obj := info.Uses[id]
		if obj == nil || !fi.Locals[obj] {
			return false
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem() // the local points to the allocation
		}
	} else if !inAllocation(info, fi, sel.X) {
		return false
	}
	for _, i := range s.Index() {
		st, ok := t.Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return false // through a pointer: another allocation
		}
		t = st.Field(i).Type()
	}
	return true
}

// sharedBefore reports whether the caller may have shared the value rooted
// at k.Root (or, for a pointer field set to a fresh value, that value)
// before call, or in a loop around it: a use of the variable in a go
// statement or a function literal, or the value handed on — the variable
// itself, the address of a field of it, a struct field of it as a
// method's receiver, or the expression k denotes — as an argument or
// receiver of another call, assigned, put in a composite literal, sent or
// returned. Reading and writing its fields is not sharing it.
func sharedBefore(info *types.Info, fi *ls.FuncInfo, call *ast.CallExpr, k ls.Key) bool {
	body := fi.Decl.Body
	if body == nil {
		return true
	}
	var loops []ast.Node // the loops around the call
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || n.Pos() > call.Pos() {
			return false
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Pos() <= call.Pos() && call.End() <= n.End() {
				loops = append(loops, n)
			}
		}
		return true
	})
	// before reports whether a use at id may run before the call
	before := func(id *ast.Ident) bool {
		if call.Pos() <= id.Pos() && id.End() <= call.End() {
			return false // the call itself
		}
		if id.Pos() < call.Pos() {
			return true
		}
		for _, l := range loops {
			if l.Pos() <= id.Pos() && id.End() <= l.End() {
				return true
			}
		}
		return false
	}
	shared := false
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if shared {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok || info.Uses[id] != k.Root || !before(id) {
			return true
		}
		for _, p := range stack {
			switch p.(type) {
			case *ast.GoStmt, *ast.FuncLit:
				shared = true // a goroutine or a closure sees the value
				return false
			}
		}
		shared = handedOn(info, stack, k)
		return !shared
	})
	return shared
}

// handedOn reports whether the use of a variable at the top of stack hands
// on its value, the address of a field of it, or the value at path k.
func handedOn(info *types.Info, stack []ast.Node, k ls.Key) bool {
	i := len(stack) - 1
	e := stack[i].(ast.Expr)
	exposed := true // the variable itself
	// climb the field selections (and parentheses) of the variable
climb:
	for i > 0 {
		switch p := stack[i-1].(type) {
		case *ast.ParenExpr:
			e, i = p, i-1
			continue
		case *ast.SelectorExpr:
			if p.X != e {
				break climb
			}
			s, ok := info.Selections[p]
			if !ok {
				break climb
			}
			if s.Kind() == types.MethodVal {
				// a method called on the variable, on the value at k, or
				// on a struct field of it (through its address); not on
				// the value of another field
				if exposed {
					return true
				}
				if t := info.TypeOf(e); t != nil {
					_, isStruct := t.Underlying().(*types.Struct)
					return isStruct && !ls.IsMutexType(t) // locking it shares nothing
				}
				return false
			}
			e, i = p, i-1
			kk, ok := ls.PathOf(info, p)
			exposed = ok && kk == k
			continue
		case *ast.UnaryExpr:
			if p.Op == token.AND && p.X == e {
				return true // &v, &v.f...
			}
		case *ast.StarExpr:
			if p.X == e {
				e, i = p, i-1
				continue
			}
		}
		break climb
	}
	if !exposed || i == 0 {
		return false
	}
	switch p := stack[i-1].(type) {
	case *ast.CallExpr:
		for _, a := range p.Args {
			if a == e {
				return true
			}
		}
	case *ast.AssignStmt:
		for _, r := range p.Rhs {
			if r == e {
				return true
			}
		}
	case *ast.ValueSpec:
		for _, r := range p.Values {
			if r == e {
				return true
			}
		}
	case *ast.CompositeLit, *ast.SendStmt, *ast.ReturnStmt:
		if s, ok := p.(*ast.SendStmt); ok && s.Chan == e {
			return false
		}
		return true
	case *ast.KeyValueExpr:
		return p.Value == e
	}
	return false
}

// freshLiteral reports whether arg is the address of a composite literal
// built in the call (s.fillHost(row, &HostInfo{...})): a value no one
// else holds, which the callee assembles as a constructor would (FP168).
func freshLiteral(arg ast.Expr) bool {
	u, ok := ast.Unparen(arg).(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return false
	}
	_, ok = ast.Unparen(u.X).(*ast.CompositeLit)
	return ok
}
