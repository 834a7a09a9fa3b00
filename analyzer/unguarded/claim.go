package unguarded

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/analyzer/lockstate"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// A close claimed under the lock makes the claimer the owner of what every
// other critical section fences off (lesismal/nbio's Conn: Write sets
// closed in the critical section that tested it false, unlocks, and
// releases writeList without the lock):
//
//	func (c *Conn) Write(b []byte) error {
//		c.mu.Lock()
//		if c.closed { c.mu.Unlock(); return errClosed }   // the fence
//		if err := c.write(b); err != nil {
//			c.closed = true                            // the claim
//			c.mu.Unlock()
//			c.closeNow()                               // no lock: c.writeList = nil
//			return err
//		}
//		...
//	}
//
// closed is never set back to false, and only one critical section can
// find it false and set it: one caller claims the close. Every other
// critical section touching writeList returns first when closed is set,
// so once the claimer unlocks, no holder of the lock touches writeList
// again, and what the holders did before happened before the claim.

// closeClaims judges unlocked accesses in functions called only by such
// claimers (or under the lock, after a fence).
type closeClaims struct {
	pass  *analysis.Pass
	res   *lockstate.Result
	byObj map[*types.Var][]*ls.Access
	byPos map[token.Pos][]*ls.Access
	sites map[*ls.FuncInfo][]*lockstate.CallEvent
	ops   map[*ls.FuncInfo][]*lockstate.OpEvent
	memo  map[claimKey]bool
}

type claimKey struct {
	fn  *ls.FuncInfo
	obj *types.Var
}

func newCloseClaims(pass *analysis.Pass, res *lockstate.Result) *closeClaims {
	cl := &closeClaims{pass: pass, res: res, byObj: map[*types.Var][]*ls.Access{}, byPos: map[token.Pos][]*ls.Access{}, sites: map[*ls.FuncInfo][]*lockstate.CallEvent{}, ops: map[*ls.FuncInfo][]*lockstate.OpEvent{}, memo: map[claimKey]bool{}}
	for _, a := range res.Accesses {
		cl.byObj[a.Obj] = append(cl.byObj[a.Obj], a)
		cl.byPos[a.Pos()] = append(cl.byPos[a.Pos()], a)
	}
	for _, op := range res.Ops {
		cl.ops[op.Func] = append(cl.ops[op.Func], op)
	}
	byObj := map[*types.Func]*ls.FuncInfo{}
	for _, fi := range res.Funcs {
		byObj[fi.Obj] = fi
	}
	for _, ce := range res.Calls {
		if ce.Func.Test {
			continue
		}
		fn := ls.Callee(pass.TypesInfo, ce.Call)
		if fn == nil {
			continue
		}
		if fi := byObj[fn.Origin()]; fi != nil {
			cl.sites[fi] = append(cl.sites[fi], ce)
		}
	}
	return cl
}

// claimed reports whether a, an access without its guard (a sibling mutex
// field L of the base) in the body of an unexported function F through
// one of F's parameters, which F never reassigns, is made while a close
// claimed under L keeps every other holder of L away from the field:
//
//   - F takes no lock of L, and its callers are all known calls (no go or
//     defer statement, no function value); at each, either L is held and
//     the call is fenced (below), or the call follows, in the same
//     statement list, a write x.flag = true of a bool field of the same
//     value, made with L held exclusively, at a point that is fenced: the
//     claim;
//   - flag's every write after construction stores the constant true with
//     L held exclusively, and its address is never taken: once set, it
//     stays set, and only one fenced critical section can set it;
//   - every access of the field outside F that holds L is fenced; those
//     holding no mutex are reported on their own.
//
// A point of a function is fenced when a statement before it, in a block
// enclosing it (not across a go or defer statement, nor a function literal
// other than a closure only called in place), is `if x.flag { ...; return }`,
// or when it is in the body of `if !x.flag { ... }`, the test reading flag
// with L held and the function taking no lock of the same field after the
// test; or, when the function takes no lock of L itself (its callers
// hold it), when every call of it is fenced (x being a parameter, mapped
// to the call's argument, a variable the caller never reassigns). The
// holder passed the test of flag in the critical section in which it
// touches the field: it ran before the claim, or returned.
func (cl *closeClaims) claimed(a *ls.Access, g *guards.Guard) bool {
	if g.Fact != nil || g.Mutex.Sibling == "" || !a.HasBase || a.Base.Path != "" || a.Obj.Exported() {
		return false
	}
	if a.Ctx == nil || a.Ctx.Parent != nil || a.Ctx.Kind != ls.CtxNormal {
		return false
	}
	k := claimKey{a.Func, a.Obj}
	if v, ok := cl.memo[k]; ok {
		return v
	}
	v := cl.judge(a.Func, a.Base.Root, a.Obj, g.Mutex.Sibling)
	cl.memo[k] = v
	return v
}

func (cl *closeClaims) judge(f *ls.FuncInfo, root types.Object, field *types.Var, sib string) bool {
	idx := paramIndex(f, root)
	if idx < 0 || f.Obj.Exported() || !cl.res.ClosedCallers[f] || f.Test || f.NotConcurrent != "" || !cl.fixed(f, root) {
		return false
	}
	if cl.acquiresAfter(f, sib, token.NoPos) {
		return false
	}
	sites := cl.sites[f]
	if len(sites) == 0 || len(sites) != len(cl.res.Callers[f]) {
		return false // a call in a go or defer statement, or through sort/heap
	}
	var flag *types.Var
	var heldSites []*lockstate.CallEvent
	var heldRoots []types.Object
	for _, ce := range sites {
		if ce.Ctx == nil || ce.Ctx.Parent != nil || ce.Ctx.Kind != ls.CtxNormal {
			return false
		}
		r := cl.argRoot(ce, idx)
		if r == nil {
			return false
		}
		if h, ok := ce.Before.Lookup(ls.Key{Root: r, Path: sib}); ok {
			if !h.Must || h.Mode != ls.Exclusive {
				return false
			}
			heldSites, heldRoots = append(heldSites, ce), append(heldRoots, r)
			continue
		}
		w := cl.claimWrite(ce, r, sib)
		if w == nil || (flag != nil && w.Obj != flag) {
			return false
		}
		flag = w.Obj
	}
	if flag == nil || !cl.monotone(flag, sib) {
		return false
	}
	for _, ce := range sites {
		if r := cl.argRoot(ce, idx); r != nil {
			if _, held := ce.Before.Lookup(ls.Key{Root: r, Path: sib}); !held {
				if w := cl.claimWrite(ce, r, sib); !cl.fenced(ce.Func, w.Pos(), r, sib, flag, 0) {
					return false
				}
			}
		}
	}
	for i, ce := range heldSites {
		if !cl.fenced(ce.Func, ce.Call.Pos(), heldRoots[i], sib, flag, 0) {
			return false
		}
	}
	for _, b := range cl.byObj[field] {
		if b.Func == f || b.Func.Test || b.Local || b.Func.Construction() {
			continue
		}
		if !b.HasBase || b.Base.Path != "" {
			return false
		}
		lk := b.Base.Child(sib)
		h, ok := b.Held.Lookup(lk)
		if !ok {
			if b.Func.HeldByType(lk, b.Ctx) || b.Func.NotConcurrent != "" {
				return false // under a lock the analysis cannot place
			}
			continue // holds no L: reported (or ordered) on its own
		}
		if !h.Must || b.Ctx.Inside(ls.CtxGoroutine) || b.Ctx.Inside(ls.CtxUnknown) {
			return false
		}
		if !cl.fenced(b.Func, b.Pos(), b.Base.Root, sib, flag, 0) {
			return false
		}
	}
	return true
}

// paramIndex is the index of root among fi's parameters (receiver first).
func paramIndex(fi *ls.FuncInfo, root types.Object) int {
	for i, p := range fi.Params {
		if p != nil && types.Object(p) == root {
			return i
		}
	}
	return -1
}

// fixed reports whether the variable v is never changed in fi's body
// after its definition (a parameter: never assigned).
func (cl *closeClaims) fixed(fi *ls.FuncInfo, v types.Object) bool {
	if fi.Decl.Body == nil {
		return false
	}
	n, other := ls.Assignments(cl.pass.TypesInfo, fi.Decl.Body, v)
	want := 1
	if paramIndex(fi, v) >= 0 {
		want = 0
	}
	return n == want && !other
}

// argRoot returns the variable passed at ce for parameter idx of the
// callee (receiver first), when it is a plain identifier of a variable the
// caller never reassigns.
func (cl *closeClaims) argRoot(ce *lockstate.CallEvent, idx int) types.Object {
	call := ce.Call
	var arg ast.Expr
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && isMethodCall(cl.pass.TypesInfo, sel) {
		if idx == 0 {
			arg = sel.X
		} else if idx-1 < len(call.Args) {
			arg = call.Args[idx-1]
		}
	} else if idx < len(call.Args) {
		arg = call.Args[idx]
	}
	id, ok := ast.Unparen(arg).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := cl.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || !cl.fixed(ce.Func, v) {
		return nil
	}
	return v
}

func isMethodCall(info *types.Info, sel *ast.SelectorExpr) bool {
	s, ok := info.Selections[sel]
	return ok && s.Kind() == types.MethodVal
}

// acquiresAfter reports whether fi takes a lock of the mutex field sib (on
// any value, directly or through a callee; deferred operations aside,
// which run at the exit) after pos (anywhere, for NoPos).
func (cl *closeClaims) acquiresAfter(fi *ls.FuncInfo, sib string, pos token.Pos) bool {
	for _, op := range cl.ops[fi] {
		if op.Op.IsAcquire() && !op.Deferred && op.Key.Path != "" && op.Key.Path == sib && op.Pos > pos {
			return true
		}
	}
	return false
}

// claimWrite returns the write `r.flag = true` made, with L held
// exclusively, by a statement before the one making the call ce in the
// same statement list, flag being an unexported bool field.
func (cl *closeClaims) claimWrite(ce *lockstate.CallEvent, r types.Object, sib string) *ls.Access {
	path, _ := astutil.PathEnclosingInterval(ce.Func.File, ce.Call.Pos(), ce.Call.End())
	for i := 0; i+1 < len(path); i++ {
		switch path[i].(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return nil
		}
		list, ok := ls.StmtList(path[i+1])
		if !ok {
			continue
		}
		for _, s := range list {
			if s == path[i] {
				break
			}
			if w := cl.setTrue(s, r, sib); w != nil {
				return w
			}
		}
		return nil
	}
	return nil
}

// setTrue returns the access of s when s is `r.flag = true`, made with L
// (r's sibling sib) held exclusively, flag an unexported bool field.
func (cl *closeClaims) setTrue(s ast.Stmt, r types.Object, sib string) *ls.Access {
	as, ok := s.(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !trueConst(cl.pass.TypesInfo, as.Rhs[0]) {
		return nil
	}
	sel, ok := ast.Unparen(as.Lhs[0]).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if id, ok := ast.Unparen(sel.X).(*ast.Ident); !ok || cl.pass.TypesInfo.Uses[id] != r {
		return nil
	}
	for _, w := range cl.byPos[sel.Pos()] {
		if w.Kind != ls.Write || w.Expr != ast.Expr(sel) || w.Obj.Exported() || !isBool(w.Obj.Type()) {
			continue
		}
		if h, ok := w.Held.Lookup(ls.Key{Root: r, Path: sib}); ok && h.Must && h.Mode == ls.Exclusive {
			return w
		}
	}
	return nil
}

func trueConst(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && info.Uses[id] == types.Universe.Lookup("true")
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// monotone reports whether every write of flag after construction stores
// the constant true with the mutex field sib of the same value held
// exclusively, and flag's address is never taken.
func (cl *closeClaims) monotone(flag *types.Var, sib string) bool {
	for _, w := range cl.byObj[flag] {
		path, _ := astutil.PathEnclosingInterval(w.Func.File, w.Expr.Pos(), w.Expr.End())
		if len(path) > 1 {
			if u, ok := path[1].(*ast.UnaryExpr); ok && u.Op == token.AND {
				return false
			}
		}
		if w.Kind != ls.Write || w.Local || w.Func.Construction() {
			continue
		}
		if !w.HasBase || w.Base.Path != "" {
			return false
		}
		var as *ast.AssignStmt
		for _, n := range path {
			if s, ok := n.(*ast.AssignStmt); ok {
				as = s
				break
			}
		}
		if as == nil || len(as.Lhs) != 1 || len(as.Rhs) != 1 || ast.Unparen(as.Lhs[0]) != w.Expr || as.Tok != token.ASSIGN || !trueConst(cl.pass.TypesInfo, as.Rhs[0]) {
			return false
		}
		if h, ok := w.Held.Lookup(w.Base.Child(sib)); !ok || !h.Must || h.Mode != ls.Exclusive {
			return false
		}
	}
	return true
}

// fenced reports whether the point pos of fi, where L (root's sibling
// sib) is held, comes after a test of root.flag that returns when it is
// set, in the same critical section (claimed's doc).
func (cl *closeClaims) fenced(fi *ls.FuncInfo, pos token.Pos, root types.Object, sib string, flag *types.Var, depth int) bool {
	if depth > 4 {
		return false
	}
	lk := ls.Key{Root: root, Path: sib}
	if test := cl.fence(fi, pos, root, flag); test != nil {
		for _, t := range cl.byPos[test.Pos()] {
			if t.Obj == flag && t.Expr == ast.Expr(test) {
				h, ok := t.Held.Lookup(lk)
				return ok && h.Must && !cl.acquiresAfter(fi, sib, test.Pos())
			}
		}
		return false
	}
	// L held on entry: every caller fences the call.
	if cl.acquiresAfter(fi, sib, token.NoPos) || !cl.res.ClosedCallers[fi] || fi.NotConcurrent != "" {
		return false
	}
	idx := paramIndex(fi, root)
	sites := cl.sites[fi]
	if idx < 0 || !cl.fixed(fi, root) || len(sites) == 0 || len(sites) != len(cl.res.Callers[fi]) {
		return false
	}
	for _, ce := range sites {
		if ce.Ctx == nil || ce.Ctx.Inside(ls.CtxGoroutine) || ce.Ctx.Inside(ls.CtxUnknown) {
			return false
		}
		r := cl.argRoot(ce, idx)
		if r == nil {
			return false
		}
		if h, ok := ce.Before.Lookup(ls.Key{Root: r, Path: sib}); !ok || !h.Must {
			return false
		}
		if !cl.fenced(ce.Func, ce.Call.Pos(), r, sib, flag, depth+1) {
			return false
		}
	}
	return true
}

// fence returns the selector root.flag of the test fencing pos in fi:
// `if root.flag { ...; return }` before the statement containing pos in an
// enclosing statement list, or `if !root.flag { ... }` whose body contains
// pos. The walk up from pos does not cross go or defer statements, nor
// function literals other than those fi only calls in place.
func (cl *closeClaims) fence(fi *ls.FuncInfo, pos token.Pos, root types.Object, flag *types.Var) *ast.SelectorExpr {
	path, _ := astutil.PathEnclosingInterval(fi.File, pos, pos)
	isFlag := func(e ast.Expr) *ast.SelectorExpr {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		id, ok := ast.Unparen(sel.X).(*ast.Ident)
		if !ok || cl.pass.TypesInfo.Uses[id] != root {
			return nil
		}
		if v, ok := cl.pass.TypesInfo.Uses[sel.Sel].(*types.Var); !ok || v.Origin() != flag {
			return nil
		}
		return sel
	}
	for i := 0; i+1 < len(path); i++ {
		n, parent := path[i], path[i+1]
		switch n := n.(type) {
		case *ast.GoStmt, *ast.DeferStmt:
			return nil
		case *ast.FuncDecl:
			return nil
		case *ast.FuncLit:
			inline := false
			for _, lit := range fi.Inline {
				inline = inline || lit == n
			}
			if !inline {
				return nil
			}
		}
		if ifs, ok := parent.(*ast.IfStmt); ok && ifs.Body == n && ifs.Init == nil {
			if u, ok := ast.Unparen(ifs.Cond).(*ast.UnaryExpr); ok && u.Op == token.NOT {
				if sel := isFlag(u.X); sel != nil {
					return sel
				}
			}
		}
		list, _ := ls.StmtList(parent)
		for _, s := range list {
			if s == n {
				break
			}
			ifs, ok := s.(*ast.IfStmt)
			if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) == 0 {
				continue
			}
			if _, ret := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt); !ret {
				continue
			}
			if sel := isFlag(ifs.Cond); sel != nil {
				return sel
			}
		}
	}
	return nil
}
