package lockflow

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Locks taken only under a bool parameter (FP91): a function that locks
// only "if lockAndLoad" does not lock when a caller passes the constant
// false. A LockSite's If records such a necessary condition: 0 for none,
// i+1 when the lock is taken only if parameter i (receiver first) is true,
// -(i+1) only if it is false.

// condOf returns the If of a lock operation or call at pos in fi: the
// innermost enclosing if statement of fi's own body (not of a function
// literal) whose then branch the position is in and whose condition is,
// or has as a conjunct, a bool parameter p or !p, or whose else branch it
// is in and whose condition is p or !p alone. The parameter must never be
// assigned or have its address taken in fi.
func (c *checker) condOf(fi *ls.FuncInfo, pos token.Pos) int {
	if fi == nil || fi.Decl == nil || fi.Decl.Body == nil {
		return 0
	}
	path := enclosing(fi.Decl.Body, pos)
	for i, n := range path {
		if _, ok := n.(*ast.FuncLit); ok {
			return 0
		}
		ifs, ok := n.(*ast.IfStmt)
		if !ok || i == 0 {
			continue
		}
		child := path[i-1]
		switch child {
		case ifs.Body:
			for _, cj := range conjuncts(ifs.Cond) {
				if cond := c.paramTest(fi, cj); cond != 0 {
					return cond
				}
			}
		case ifs.Else:
			if cond := c.paramTest(fi, ifs.Cond); cond != 0 {
				return -cond
			}
		}
	}
	return 0
}

// paramTest returns i+1 if e is the bool parameter i of fi, -(i+1) if it
// is its negation, 0 otherwise (or if the parameter is ever assigned).
func (c *checker) paramTest(fi *ls.FuncInfo, e ast.Expr) int {
	sign := 1
	e = ast.Unparen(e)
	for {
		u, ok := e.(*ast.UnaryExpr)
		if !ok || u.Op != token.NOT {
			break
		}
		sign, e = -sign, ast.Unparen(u.X)
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return 0
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || !isBool(v.Type()) {
		return 0
	}
	for i, p := range fi.Params {
		if p == v {
			if c.paramAssigned(fi, v) {
				return 0
			}
			return sign * (i + 1)
		}
	}
	return 0
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// paramAssigned reports whether v is assigned or has its address taken in
// fi's body (function literals included).
func (c *checker) paramAssigned(fi *ls.FuncInfo, v *types.Var) bool {
	n, other := ls.Assignments(c.pass.TypesInfo, fi.Decl.Body, v)
	return n > 0 || other
}

// argCond evaluates a callee's LockSite condition at a call: false if the
// argument for the parameter is a constant that makes the callee skip the
// lock (ok false), else the condition the lock still depends on in the
// caller fi (a parameter of fi passed as is, or negated), or 0.
func (c *checker) argCond(fi *ls.FuncInfo, call *ast.CallExpr, cond int) (int, bool) {
	if cond == 0 {
		return 0, true
	}
	i, want := cond-1, true
	if cond < 0 {
		i, want = -cond-1, false
	}
	args := ls.CallArgs(c.pass.TypesInfo, call)
	if i >= len(args) || call.Ellipsis.IsValid() && i >= len(args)-1 {
		return 0, true
	}
	if tv, ok := c.pass.TypesInfo.Types[args[i]]; ok && tv.Value != nil && tv.Value.Kind() == constant.Bool {
		return 0, constant.BoolVal(tv.Value) == want
	}
	if fi == nil {
		return 0, true
	}
	if p := c.paramTest(fi, args[i]); p != 0 {
		if !want {
			p = -p
		}
		return p, true
	}
	return 0, true
}
