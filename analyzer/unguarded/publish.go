package unguarded

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/analyzer/lockstate"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Double-checked initialization publishes fields with an atomic flag
// (protobuf's filedesc.File.lazyInit):
//
//	func (fd *File) lazyInit() *FileL2 {
//		if atomic.LoadUint32(&fd.once) == 0 {
//			fd.lazyInitOnce()
//		}
//		return fd.L2                       // read without fd.mu
//	}
//
//	func (fd *File) lazyInitOnce() {
//		fd.mu.Lock()
//		if fd.L2 == nil {
//			fd.lazyRawInit()           // writes fd.L2, two helpers below
//		}
//		atomic.StoreUint32(&fd.once, 1)
//		fd.mu.Unlock()
//	}
//
// A read of a guarded field made where the value's flag was seen set (the
// branch of an atomic load of it that excludes its zero value, or after a
// test whose zero branch returns or runs an initializer storing the flag
// under the guard) is not reported when every write of the field is
// published by the flag: made, on the same value, before an atomic store
// of a non-zero flag that holds the guard, in the function making the
// store or in helpers it calls on the value (whose every call site is
// known), and only once: under the guard, on the branch where the flag or
// the field itself is still zero. A write after the store, outside such
// an initializer, or in one that runs again once the flag is set (no
// test) leaves the read reported.

// publications answers whether a read is published by an atomic flag.
type publications struct {
	pass  *analysis.Pass
	res   *lockstate.Result
	funcs map[*types.Func]*ls.FuncInfo
	calls map[*ast.CallExpr]*lockstate.CallEvent
	locks map[*ls.FuncInfo][]*lockstate.OpEvent
}

func newPublications(pass *analysis.Pass, res *lockstate.Result) *publications {
	p := &publications{pass: pass, res: res, funcs: map[*types.Func]*ls.FuncInfo{},
		calls: map[*ast.CallExpr]*lockstate.CallEvent{}, locks: map[*ls.FuncInfo][]*lockstate.OpEvent{}}
	for _, fi := range res.Funcs {
		p.funcs[fi.Obj] = fi
	}
	for _, c := range res.Calls {
		p.calls[c.Call] = c
	}
	for _, o := range res.Ops {
		if (o.Op == ls.OpLock || o.Op == ls.OpTryLock) && o.Ctx != nil && o.Ctx.Parent == nil && !o.Deferred {
			p.locks[o.Func] = append(p.locks[o.Func], o)
		}
	}
	return p
}

// published reports whether a, a read of a field guarded by g, is made
// where a flag of its value was seen set, and every write of the field
// after construction (ws) is published by that flag.
func (p *publications) published(a *ls.Access, ws []*ls.Access, g *guards.Guard) bool {
	if a.Kind != ls.Read || !a.HasBase || a.Ctx == nil || a.Ctx.Parent != nil || len(ws) == 0 ||
		g.Mutex.Sibling == "" || a.Func.Decl.Body == nil {
		return false
	}
	for _, f := range p.flagsSet(a, g.Mutex.Sibling) {
		all := true
		for _, w := range ws {
			if !w.HasBase || w.Ctx == nil || w.Ctx.Parent != nil ||
				!p.publishedAfter(w.Func, w.Base, w.Pos(), f, a.Obj, g.Mutex.Sibling, 0) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// tri is a truth value that may be unknown.
type tri uint8

const (
	unknown tri = iota
	isFalse
	isTrue
)

func (t tri) not() tri {
	switch t {
	case isFalse:
		return isTrue
	case isTrue:
		return isFalse
	}
	return unknown
}

// atZero evaluates cond with the expressions target matches at their zero
// value (0, false, nil), the rest unknown.
func atZero(info *types.Info, cond ast.Expr, target func(ast.Expr) bool) tri {
	e := ast.Unparen(cond)
	if target(e) {
		if b, ok := info.TypeOf(e).Underlying().(*types.Basic); ok && b.Info()&types.IsBoolean != 0 {
			return isFalse
		}
		return unknown
	}
	switch e := e.(type) {
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			return atZero(info, e.X, target).not()
		}
	case *ast.BinaryExpr:
		switch e.Op {
		case token.LAND, token.LOR:
			l, r := atZero(info, e.X, target), atZero(info, e.Y, target)
			short, long := isFalse, isTrue // &&
			if e.Op == token.LOR {
				short, long = isTrue, isFalse
			}
			if l == short || r == short {
				return short
			}
			if l == long && r == long {
				return long
			}
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
			if target(ast.Unparen(e.X)) {
				return compareZero(info, e.Op, e.X, e.Y, false)
			}
			if target(ast.Unparen(e.Y)) {
				return compareZero(info, e.Op, e.Y, e.X, true)
			}
		}
	}
	return unknown
}

// compareZero evaluates zero op other (other op zero if swapped), zero being
// the zero value of x's type and other a constant or nil.
func compareZero(info *types.Info, op token.Token, x, other ast.Expr, swapped bool) tri {
	tv, ok := info.Types[other]
	if !ok {
		return unknown
	}
	if tv.IsNil() {
		switch op {
		case token.EQL:
			return isTrue
		case token.NEQ:
			return isFalse
		}
		return unknown
	}
	if tv.Value == nil {
		return unknown
	}
	var zero constant.Value
	switch tv.Value.Kind() {
	case constant.Int:
		zero = constant.MakeInt64(0)
	case constant.Bool:
		if op != token.EQL && op != token.NEQ {
			return unknown
		}
		zero = constant.MakeBool(false)
	default:
		return unknown
	}
	if b, ok := info.TypeOf(x).Underlying().(*types.Basic); !ok || b.Info()&(types.IsInteger|types.IsBoolean) == 0 {
		return unknown
	}
	l, r := zero, tv.Value
	if swapped {
		l, r = r, l
	}
	if constant.Compare(l, op, r) {
		return isTrue
	}
	return isFalse
}

// fieldOf returns the field f of k (k.f, a direct field of the value k
// denotes).
func fieldOf(k, base ls.Key) *types.Var {
	if k.Root != base.Root || !strings.HasPrefix(k.Path, base.Path+".") || strings.Contains(k.Path[len(base.Path)+1:], ".") {
		return nil
	}
	if v := k.LastField(); v != nil {
		return v.Origin()
	}
	return nil
}

// atomicFlag returns the field of base that e loads atomically
// (atomic.LoadUint32(&base.f), base.f.Load()), if any.
func (p *publications) atomicFlag(e ast.Expr, base ls.Key) *types.Var {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return nil
	}
	fn := ls.Callee(p.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" || !strings.HasPrefix(fn.Name(), "Load") {
		return nil
	}
	var x ast.Expr
	if sig, _ := fn.Type().(*types.Signature); sig != nil && sig.Recv() != nil {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || len(call.Args) != 0 {
			return nil
		}
		x = sel.X
	} else if len(call.Args) == 1 {
		x = call.Args[0]
	} else {
		return nil
	}
	k, ok := ls.PathOf(p.pass.TypesInfo, x)
	if !ok {
		return nil
	}
	return fieldOf(k, base)
}

// flagStore returns the field of base that call stores atomically, with a
// non-zero constant (atomic.StoreUint32(&base.f, 1), base.f.Store(true)).
func (p *publications) flagStore(call *ast.CallExpr, base ls.Key) *types.Var {
	info := p.pass.TypesInfo
	x, v, ok := atomicCall(info, call, "Store")
	if !ok {
		return nil
	}
	tv, ok := info.Types[v]
	if !ok || tv.Value == nil {
		return nil
	}
	switch tv.Value.Kind() {
	case constant.Int:
		if constant.Sign(tv.Value) == 0 {
			return nil
		}
	case constant.Bool:
		if !constant.BoolVal(tv.Value) {
			return nil
		}
	default:
		return nil
	}
	k, ok := ls.PathOf(info, x)
	if !ok {
		return nil
	}
	return fieldOf(k, base)
}

// flagsSet returns the flags of a's value that are set where a is made:
// a is in the branch of a test of an atomic load of the flag that its zero
// value does not take, or follows (in an enclosing block) a test whose zero
// branch ends by returning or by calling an initializer storing the flag,
// or such a call.
func (p *publications) flagsSet(a *ls.Access, sib string) []*types.Var {
	info := p.pass.TypesInfo
	base := a.Base
	path, _ := astutil.PathEnclosingInterval(a.Func.File, a.Expr.Pos(), a.Expr.End())
	var out []*types.Var
	tested := func(cond ast.Expr) map[*types.Var]tri {
		fs := map[*types.Var]tri{}
		ast.Inspect(cond, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok {
				if f := p.atomicFlag(e, base); f != nil {
					fs[f] = unknown
				}
			}
			return true
		})
		for f := range fs {
			fs[f] = atZero(info, cond, func(e ast.Expr) bool { return p.atomicFlag(e, base) == f })
		}
		return fs
	}
	initializes := func(st ast.Stmt, f *types.Var) bool {
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			return false
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		return ok && p.initializer(call, base, f, sib)
	}
	for i := 1; i < len(path); i++ {
		child := path[i-1]
		switch n := path[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return out
		case *ast.IfStmt:
			for f, v := range tested(n.Cond) {
				if child == n.Body && v == isFalse || child == n.Else && v == isTrue {
					out = append(out, f)
				}
			}
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			list, _ := ls.StmtList(n)
			for _, st := range list {
				if st == child {
					break
				}
				if ifs, ok := st.(*ast.IfStmt); ok && ifs.Else == nil && len(ifs.Body.List) > 0 {
					last := ifs.Body.List[len(ifs.Body.List)-1]
					for f, v := range tested(ifs.Cond) {
						if v == isTrue && (terminates(last) || initializes(last, f)) {
							out = append(out, f)
						}
					}
				}
			}
		}
	}
	return out
}

// terminates reports whether st ends the function (return, panic).
func terminates(st ast.Stmt) bool {
	switch st := st.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		return ls.IsPanic(st)
	}
	return false
}

// initializer reports whether call runs, on base, a local function that
// stores the flag f of its value holding the guard (sib).
func (p *publications) initializer(call *ast.CallExpr, base ls.Key, f *types.Var, sib string) bool {
	fi, k, ok := p.callee(call, base)
	if !ok {
		return false
	}
	found := false
	p.stores(fi, k, f, sib, func(token.Pos) { found = true })
	return found
}

// callee returns the local function call runs and the key of base in it:
// base is its receiver or one of its arguments.
func (p *publications) callee(call *ast.CallExpr, base ls.Key) (*ls.FuncInfo, ls.Key, bool) {
	info := p.pass.TypesInfo
	fn := ls.Callee(info, call)
	if fn == nil {
		return nil, ls.Key{}, false
	}
	fi := p.funcs[fn.Origin()]
	if fi == nil || fi.Decl.Body == nil {
		return nil, ls.Key{}, false
	}
	args := call.Args
	if fi.Decl.Recv != nil {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil, ls.Key{}, false
		}
		args = append([]ast.Expr{sel.X}, args...)
	}
	for i, arg := range args {
		if i >= len(fi.Params) || fi.Params[i] == nil {
			break
		}
		if k, ok := ls.PathOf(info, arg); ok && k == base {
			return fi, ls.Key{Root: fi.Params[i]}, true
		}
	}
	return nil, ls.Key{}, false
}

// stores calls found with the position from which each atomic store of
// the flag f of k in fi publishes (the store, or the start of the body for
// a deferred one), when fi holds the guard (sib) of k exclusively there.
func (p *publications) stores(fi *ls.FuncInfo, k ls.Key, f *types.Var, sib string, found func(token.Pos)) {
	guard := k.Child(sib)
	body := fi.Decl.Body
	// deferred: mu.Lock(); defer mu.Unlock() at the top, then defer store
	locked, deferUnlock := false, false
	for _, st := range body.List {
		switch st := st.(type) {
		case *ast.ExprStmt:
			if c, ok := ast.Unparen(st.X).(*ast.CallExpr); ok && p.lockCall(c, guard, "Lock") {
				locked = true
			}
		case *ast.DeferStmt:
			if locked && p.lockCall(st.Call, guard, "Unlock") {
				deferUnlock = true
			}
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if p.flagStore(n.Call, k) == f && deferUnlock && p.topLevelAfterUnlock(body, n, guard) {
				found(body.Lbrace)
			}
			return false
		case *ast.CallExpr:
			if p.flagStore(n, k) == f {
				if ev := p.calls[n]; ev != nil && ev.Ctx != nil && ev.Ctx.Parent == nil {
					if h, ok := ev.Before.Lookup(guard); ok && h.Must && h.Mode == ls.Exclusive {
						found(n.Pos())
					}
				}
			}
		}
		return true
	})
}

// topLevelAfterUnlock reports whether d is a statement of body after its
// deferred unlock of guard (so it runs first, holding it).
func (p *publications) topLevelAfterUnlock(body *ast.BlockStmt, d *ast.DeferStmt, guard ls.Key) bool {
	unlocked := false
	for _, st := range body.List {
		if st == ast.Stmt(d) {
			return unlocked
		}
		if ds, ok := st.(*ast.DeferStmt); ok && p.lockCall(ds.Call, guard, "Unlock") {
			unlocked = true
		}
	}
	return false
}

// lockCall reports whether call is guard.<method>().
func (p *publications) lockCall(call *ast.CallExpr, guard ls.Key, method string) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != method || len(call.Args) != 0 {
		return false
	}
	k, ok := ls.PathOf(p.pass.TypesInfo, sel.X)
	return ok && k == guard
}

// publishedAfter reports whether what fi does at pos on k (a write of
// field, or a call leading to one) is published by the flag f: fi stores
// the flag of k after pos, holding the guard, and pos runs once only (see
// once); or fi is a helper whose every call site is such a point of its
// caller, with k mapped to the caller's value.
func (p *publications) publishedAfter(fi *ls.FuncInfo, k ls.Key, pos token.Pos, f, field *types.Var, sib string, depth int) bool {
	if fi.Decl.Body == nil {
		return false
	}
	ok := false
	p.stores(fi, k, f, sib, func(at token.Pos) {
		if at > pos || at == fi.Decl.Body.Lbrace {
			if !inLoopWith(fi.Decl.Body, pos, at) && p.once(fi, k, pos, f, field, sib) {
				ok = true
			}
		}
	})
	if ok {
		return true
	}
	return depth < 4 && p.atCallSites(fi, k, func(c *ls.FuncInfo, ck ls.Key, at token.Pos) bool {
		return p.publishedAfter(c, ck, at, f, field, sib, depth+1)
	})
}

// atCallSites reports whether fi, a helper whose every call site is known
// (not in a goroutine or a stored closure), is called only from the
// bodies of its callers, each call passing a value for the root of k
// (one of its parameters) such that ok holds in the caller at the call
// for k mapped there.
func (p *publications) atCallSites(fi *ls.FuncInfo, k ls.Key, ok func(c *ls.FuncInfo, ck ls.Key, at token.Pos) bool) bool {
	if !p.res.ClosedCallers[fi] || fi.UnknownCallers {
		return false
	}
	idx := -1
	for i, prm := range fi.Params {
		if prm != nil && any(prm) == k.Root {
			idx = i
		}
	}
	callers := p.res.Callers[fi]
	if idx < 0 || len(callers) == 0 {
		return false
	}
	sites := map[*ls.FuncInfo]int{}
	for _, cs := range callers {
		if cs.GoPos.IsValid() || cs.Unknown {
			return false
		}
		sites[cs.Func]++
	}
	for c, n := range sites {
		found := 0
		for _, call := range c.Calls {
			ev := p.calls[call]
			if ev == nil {
				continue
			}
			if callee := ls.Callee(p.pass.TypesInfo, call); callee == nil || callee.Origin() != fi.Obj {
				continue
			}
			found++
			if ev.Ctx == nil || ev.Ctx.Parent != nil {
				return false
			}
			arg := p.argFor(call, fi, idx)
			if arg == nil {
				return false
			}
			ak, isPath := ls.PathOf(p.pass.TypesInfo, arg)
			if !isPath || !ok(c, ak.Child(k.Path), call.Pos()) {
				return false
			}
		}
		if found != n {
			return false
		}
	}
	return true
}

// argFor returns the expression call passes for fi's parameter i
// (receiver first), or nil: for a call with "..." (except its receiver),
// and for a method called as a method expression (T.m(x)).
func (p *publications) argFor(call *ast.CallExpr, fi *ls.FuncInfo, i int) ast.Expr {
	args := ls.CallArgs(p.pass.TypesInfo, call)
	if fi.Decl.Recv != nil && len(args) == len(call.Args) {
		return nil // not called through a method value's selector
	}
	if call.Ellipsis.IsValid() && (fi.Decl.Recv == nil || i > 0) {
		return nil
	}
	if i < len(args) {
		return args[i]
	}
	return nil
}

// once reports whether pos in fi runs only while the flag f (or the field
// itself) of k is zero, tested holding the guard: pos is in the branch of
// an if on them that their zero value takes, or follows an if that
// returns on the other branch, the if coming after a lock of the guard.
func (p *publications) once(fi *ls.FuncInfo, k ls.Key, pos token.Pos, f, field *types.Var, sib string) bool {
	info := p.pass.TypesInfo
	guard := k.Child(sib)
	lockedBefore := func(at token.Pos) bool {
		for _, o := range p.locks[fi] {
			if o.Key == guard && o.Pos < at {
				return true
			}
		}
		return false
	}
	target := func(e ast.Expr) bool {
		if v := p.atomicFlag(e, k); v == f {
			return true
		}
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		sk, ok := ls.PathOf(info, sel)
		if !ok {
			return false
		}
		v := fieldOf(sk, k)
		return v != nil && (v == f || v.Origin() == field)
	}
	path, _ := astutil.PathEnclosingInterval(fi.File, pos, pos)
	for i := 1; i < len(path); i++ {
		child := path[i-1]
		switch n := path[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.IfStmt:
			if !lockedBefore(n.Pos()) {
				continue
			}
			v := atZero(info, n.Cond, target)
			if child == n.Body && v == isTrue || child == n.Else && v == isFalse {
				return true
			}
		case *ast.BlockStmt:
			for _, st := range n.List {
				if st == child {
					break
				}
				ifs, ok := st.(*ast.IfStmt)
				if !ok || ifs.Else != nil || len(ifs.Body.List) == 0 || !lockedBefore(ifs.Pos()) {
					continue
				}
				if terminates(ifs.Body.List[len(ifs.Body.List)-1]) && atZero(info, ifs.Cond, target) == isFalse {
					return true
				}
			}
		}
	}
	return false
}

// atomicCall matches a sync/atomic call whose name starts with prefix, as
// a function (atomic.StoreUint32(&x.f, v)) or a method of an atomic type
// (x.f.Store(v)): x is the operand (the address or the atomic value), v
// the value argument.
func atomicCall(info *types.Info, call *ast.CallExpr, prefix string) (x, v ast.Expr, ok bool) {
	fn := ls.Callee(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" || !strings.HasPrefix(fn.Name(), prefix) {
		return nil, nil, false
	}
	if sig, _ := fn.Type().(*types.Signature); sig != nil && sig.Recv() != nil {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || len(call.Args) != 1 {
			return nil, nil, false
		}
		return sel.X, call.Args[0], true
	}
	if len(call.Args) == 2 {
		return call.Args[0], call.Args[1], true
	}
	return nil, nil, false
}
