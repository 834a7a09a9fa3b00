package unguarded

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/astutil"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Whoever drops the last reference of a reference-counted value owns it
// (x/net/trace's eventLog, reset before it goes back to a free list):
//
//	func (el *eventLog) unref() {
//		if atomic.AddInt32(&el.refs, -1) == 0 {
//			freeEventLog(el)           // el.reset(); freeEventLogs <- el
//		}
//	}
//
// An access made on a value in the branch where an atomic decrement of
// one of its fields reached zero, or in helpers whose every call site is
// such a point (the value passed on), is not reported, as long as it comes
// before the value is handed on again in the function making it: sent on
// a channel, assigned, passed to another call or captured by a goroutine.

// released reports whether a is made on a value whose last reference was
// dropped, before it is handed on.
func (p *publications) released(a *ls.Access) bool {
	if !a.HasBase || a.Ctx == nil || a.Ctx.Parent != nil || a.Func.Decl.Body == nil {
		return false
	}
	return p.releasedAt(a.Func, a.Base, a.Pos(), 0)
}

func (p *publications) releasedAt(fi *ls.FuncInfo, v ls.Key, pos token.Pos, depth int) bool {
	if fi.Decl.Body == nil || p.handedOnBefore(fi, v, pos) {
		return false
	}
	if p.lastRefBranch(fi, v, pos) {
		return true
	}
	return depth < 4 && p.atCallSites(fi, v, func(c *ls.FuncInfo, ck ls.Key, at token.Pos) bool {
		return p.releasedAt(c, ck, at, depth+1)
	})
}

// lastRefBranch reports whether pos is in the body of an if whose
// condition says an atomic decrement of a field of v reached zero
// (atomic.AddInt32(&v.refs, -1) == 0, v.refs.Add(-1) <= 0).
func (p *publications) lastRefBranch(fi *ls.FuncInfo, v ls.Key, pos token.Pos) bool {
	path, _ := astutil.PathEnclosingInterval(fi.File, pos, pos)
	for i := 1; i < len(path); i++ {
		switch n := path[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.IfStmt:
			if path[i-1] == n.Body && p.droppedToZero(n.Cond, v) {
				return true
			}
		}
	}
	return false
}

func (p *publications) droppedToZero(cond ast.Expr, v ls.Key) bool {
	info := p.pass.TypesInfo
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.EQL && b.Op != token.LEQ {
		return false
	}
	if tv, ok := info.Types[b.Y]; !ok || tv.Value == nil || tv.Value.Kind() != constant.Int || constant.Sign(tv.Value) != 0 {
		return false
	}
	call, ok := ast.Unparen(b.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	x, delta, ok := atomicCall(info, call, "Add")
	if !ok {
		return false
	}
	tv, ok := info.Types[delta]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Int {
		return false
	}
	if !decrement(tv) {
		return false
	}
	k, ok := ls.PathOf(info, x)
	return ok && fieldOf(k, v) != nil
}

// decrement reports whether the constant delta of an atomic add is
// negative, or all ones for an unsigned type (^uint32(0)).
func decrement(tv types.TypeAndValue) bool {
	if constant.Sign(tv.Value) < 0 {
		return true
	}
	b, ok := tv.Type.Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsUnsigned == 0 {
		return false
	}
	var bits uint
	switch b.Kind() {
	case types.Uint32:
		bits = 32
	case types.Uint64, types.Uintptr:
		bits = 64
	default:
		return false
	}
	all := constant.Shift(constant.MakeInt64(1), token.SHL, bits)
	return constant.Compare(constant.BinaryOp(tv.Value, token.ADD, constant.MakeInt64(1)), token.EQL, all)
}

// handedOnBefore reports whether fi, before pos, hands on the value v:
// sends it, assigns it, passes it to a call (other than as the receiver),
// puts it in a composite literal, or starts a goroutine.
func (p *publications) handedOnBefore(fi *ls.FuncInfo, v ls.Key, pos token.Pos) bool {
	info := p.pass.TypesInfo
	is := func(e ast.Expr) bool {
		if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = u.X
		}
		switch ast.Unparen(e).(type) {
		case *ast.Ident, *ast.SelectorExpr, *ast.StarExpr:
		default:
			return false
		}
		k, ok := ls.PathOf(info, e)
		return ok && k == v
	}
	found := false
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() >= pos {
			return false
		}
		if n.End() > pos {
			return true // encloses pos: look at what precedes it inside
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			found = true
		case *ast.SendStmt:
			found = is(n.Value)
		case *ast.AssignStmt:
			for _, r := range n.Rhs {
				found = found || is(r)
			}
		case *ast.CallExpr:
			for _, arg := range n.Args {
				found = found || is(arg)
			}
		case *ast.CompositeLit:
			for _, el := range n.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					el = kv.Value
				}
				found = found || is(el)
			}
		case *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}
