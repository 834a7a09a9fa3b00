package lockflow

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/cfg"

	"github.com/regaudit/regaudit/analyzer/lockstate"
	"github.com/regaudit/regaudit/internal/checks"
	"github.com/regaudit/regaudit/internal/lazyre"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// unitBody returns the body of a unit's function.
func unitBody(ctx *ls.Context) *ast.BlockStmt {
	switch f := ctx.Func.(type) {
	case *ast.FuncDecl:
		return f.Body
	case *ast.FuncLit:
		return f.Body
	}
	return nil
}

func within(p token.Pos, n ast.Node) bool { return n != nil && p >= n.Pos() && p < n.End() }

// deferredUnlocks returns the deferred unlock ops of key registered by unit
// ctx (directly or in deferred closures).
func (c *checker) deferredUnlocks(ctx *ls.Context, k ls.Key) []*lockstate.OpEvent {
	var out []*lockstate.OpEvent
	for _, op := range c.deferredBy[ctx] {
		if op.Key == k && (op.Op == ls.OpUnlock || op.Op == ls.OpRUnlock) {
			out = append(out, op)
		}
	}
	return out
}

// notReleased reports exits reached holding a lock taken in the same unit
// (RA2001).
func (c *checker) notReleased() {
	for ctx, exits := range c.exitsBy {
		body := unitBody(ctx)
		if body == nil {
			continue
		}
		type leak struct {
			ex *lockstate.ExitEvent
			h  ls.Held
		}
		var leaks []leak
		for _, ex := range exits {
			for _, h := range ex.State {
				if !h.At.IsValid() || c.acqCtx[posKey{h.At, h.Key}] != ctx {
					continue
				}
				leaks = append(leaks, leak{ex, h})
			}
		}
		if len(leaks) == 0 {
			continue
		}
		if c.intendedHolder(ctx, exits[0].Func) {
			continue
		}
		cache := map[ls.Key]bool{}
		for _, l := range leaks {
			k := l.h.Key
			ok, done := cache[k]
			if !done {
				ok = c.leakPossible(ctx, exits, k) && !c.es.reassigned(k)
				cache[k] = ok
			}
			if !ok || returnsFunc(c.pass.TypesInfo, l.ex.Ret) {
				continue
			}
			if op := c.acqOp[posKey{l.h.At, k}]; op != nil && op.Via != nil && !lockWrapperName(callName(op.Via)) {
				// the callee's summary says it returns holding k; unless it is
				// named as a lock wrapper, its release may not have been seen
				// (a deferred unlock func)
				continue
			}
			if c.releasedByLitDefer(l.h) {
				continue
			}
			if !l.h.Must && c.unlockedIn(ctx, k) {
				// released on some paths only: a deliberate conditional
				// hold (or a flag the analysis cannot follow)
				continue
			}
			if c.deferredBefore(ctx, k, l.ex.Ret) {
				continue
			}
			if l.ex.Ret != nil && c.returnsOwner(ctx, l.ex.Ret, l.h) {
				continue // the returned value holds the lock for the caller
			}
			pos, end := body.Rbrace, body.Rbrace+1
			where := "at the end of the function"
			if l.ex.Ret != nil && l.ex.Ret.Pos() != body.Rbrace {
				pos, end = l.ex.Ret.Pos(), l.ex.Ret.End()
				where = "on this return path"
			}
			some := ""
			if !l.h.Must {
				some = " on some paths"
			}
			c.report(checks.LockNotReleased, pos, end, "%s is %s%s and not released %s",
				k, c.heldWhere(l.h, pos), some, where)
		}
	}
}

// leakPossible reports whether holding k at an exit of unit ctx can be a
// mistake: the unit is not a lock wrapper (holding k at every exit), and k
// is not handed to a closure, a stored unlock function or a deferred call of
// a function value.
func (c *checker) leakPossible(ctx *ls.Context, exits []*lockstate.ExitEvent, k ls.Key) bool {
	all := true
	for _, ex := range exits {
		if _, ok := ex.State.MustHold(k); !ok || c.deferredBefore(ctx, k, ex.Ret) {
			all = false
			break
		}
	}
	if all {
		return false // a lock wrapper: acquires on purpose
	}
	// unlocked by a nested closure (goroutine, stored or returned func)
	return !c.handedOff(ctx, k)
}

// unlockedIn reports whether k is unlocked anywhere in unit ctx (directly,
// through a call or a deferred closure).
func (c *checker) unlockedIn(ctx *ls.Context, k ls.Key) bool {
	for _, op := range c.opsByCtx[ctx] {
		if op.Key == k && (op.Op == ls.OpUnlock || op.Op == ls.OpRUnlock) {
			return true
		}
	}
	for _, op := range c.deferredUnlocks(ctx, k) {
		_ = op
		return true
	}
	return false
}

// intendedHolder reports whether a unit is meant to return holding locks:
// a function named like a lock wrapper (lock, acquire), or test code.
func (c *checker) intendedHolder(ctx *ls.Context, fi *ls.FuncInfo) bool {
	if fi == nil || fi.Test {
		return true
	}
	return ctx.Parent == nil && lockWrapperName(fi.Decl.Name.Name)
}

// lockWrapperName reports whether a function name says it takes a lock for
// its caller (lock, rLock, acquireX, grabConn).
func lockWrapperName(name string) bool {
	for _, w := range words(name) {
		switch w {
		case "lock", "rlock", "locks", "acquire", "acquires", "enter", "grab":
			return true
		}
	}
	return false
}

// words splits camelCase, snake_case and space-separated names into
// lower-case words.
func words(text string) []string {
	var out []string
	for _, name := range strings.Fields(text) {
		start := 0
		for i := 1; i <= len(name); i++ {
			if i == len(name) || name[i] == '_' || (name[i] >= 'A' && name[i] <= 'Z' && !(name[i-1] >= 'A' && name[i-1] <= 'Z')) {
				if w := strings.Trim(name[start:i], "_"); w != "" {
					out = append(out, strings.ToLower(w))
				}
				start = i
			}
		}
	}
	return out
}

// returnsFunc reports whether a return statement returns a function (an
// unlock or release func handed to the caller).
func returnsFunc(info *types.Info, ret *ast.ReturnStmt) bool {
	if ret == nil {
		return false
	}
	for _, r := range ret.Results {
		if t := info.TypeOf(r); t != nil {
			if _, ok := t.Underlying().(*types.Signature); ok {
				return true
			}
		}
	}
	return false
}

// opaqueReleaseBetween reports whether, in the unit of ctx, a function
// held in a local variable (an unlock func such as unlock := unlockOnce(&mu))
// is called between two positions: it may have released any lock.
func (c *checker) opaqueReleaseBetween(ctx *ls.Context, from, to token.Pos) bool {
	body := unitBody(ctx)
	for _, call := range c.valueCalls {
		if call.Pos() <= from || call.Pos() >= to || !within(call.Pos(), body) {
			continue
		}
		var obj types.Object
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			obj = c.pass.TypesInfo.Uses[f]
		case *ast.SelectorExpr:
			obj = c.pass.TypesInfo.Uses[f.Sel]
		}
		if v, ok := obj.(*types.Var); ok && !v.IsField() && !c.es.params[v] {
			return true
		}
	}
	return false
}

// handedOff reports whether k is unlocked by a function literal nested in
// unit ctx (a goroutine or a stored func), or its Unlock method value is
// handed to someone: the lock is released elsewhere.
func (c *checker) handedOff(ctx *ls.Context, k ls.Key) bool {
	if c.unlockValues[k] || c.goReleases(ctx, k) {
		return true
	}
	for _, op := range c.res.Ops {
		if op.Key != k || (op.Op != ls.OpUnlock && op.Op != ls.OpRUnlock) || op.Ctx == ctx || op.Deferred && c.registeringUnit(op) == ctx {
			continue
		}
		for p := op.Ctx.Parent; p != nil; p = p.Parent {
			if p == ctx {
				return true
			}
		}
	}
	return false
}

// lockerValue reports whether a key is a sync.Locker interface value,
// whose Lock may take a read lock (RWMutex.RLocker) or anything else.
func lockerValue(k ls.Key) bool {
	if k.Path != "" || k.Root == nil {
		return false
	}
	_, ok := k.Root.Type().Underlying().(*types.Interface)
	return ok
}

// deferredBefore reports whether a deferred unlock of k (or a deferred call
// of a function value, which may be an unlock) is registered in ctx before
// ret (or anywhere, for the end of the body).
func (c *checker) deferredBefore(ctx *ls.Context, k ls.Key, ret *ast.ReturnStmt) bool {
	for _, op := range c.deferredUnlocks(ctx, k) {
		if ret == nil || op.Pos < ret.Pos() {
			return true
		}
	}
	return anyInUnit(unitBody(ctx), func(n ast.Node) bool {
		d, ok := n.(*ast.DeferStmt)
		return ok && (ret == nil || d.Pos() < ret.Pos()) && c.funcValueCall(d.Call)
	})
}

// anyInUnit reports whether pred holds for a node of a unit's body, not
// looking into nested function literals (units of their own).
func anyInUnit(body *ast.BlockStmt, pred func(ast.Node) bool) bool {
	return body != nil && ls.Contains(body, pred)
}

// funcValueCall reports whether call calls a variable or field of function
// type (such as an unlock func returned by a helper).
func (c *checker) funcValueCall(call *ast.CallExpr) bool {
	var obj types.Object
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		obj = c.pass.TypesInfo.Uses[f]
	case *ast.SelectorExpr:
		obj = c.pass.TypesInfo.Uses[f.Sel]
	}
	v, ok := obj.(*types.Var)
	return ok && v != nil
}

// lockOps reports double locks (RA2002, RA2008) and unlocks of mutexes not
// held (RA2005) within one function.
func (c *checker) lockOps() {
	for _, op := range c.res.Ops {
		if op.Deferred {
			if op.Via == nil && (op.Op == ls.OpUnlock || op.Op == ls.OpRUnlock) && c.registeringUnit(op) == op.Ctx {
				c.deferredDoubleUnlock(op)
			}
			continue
		}
		switch op.Op {
		case ls.OpLock, ls.OpRLock:
			if op.Via != nil {
				continue // reported at the call (RA2003)
			}
			h, ok := op.Before.Lookup(op.Key)
			if !ok || !h.Must || inferredEntry(op.Func, h) || !c.trustHeld(op.Ctx, h) {
				continue
			}
			if c.es.reassigned(op.Key) || lockerValue(op.Key) || c.handedOff(op.Ctx, op.Key) || c.opaqueReleaseBetween(op.Ctx, h.At, op.Pos) {
				continue // not one mutex, or released by another goroutine or an unlock func
			}
			end := token.NoPos
			switch {
			case op.Op == ls.OpLock && h.Mode == ls.Shared:
				c.report(checks.DoubleLock, op.Pos, end, "%s.Lock while %s is read-locked (%s) deadlocks: release the read lock first",
					op.Key, op.Key, c.heldWhere(h, op.Pos))
			case op.Op == ls.OpLock:
				c.report(checks.DoubleLock, op.Pos, end, "%s is locked again while already held (%s): sync mutexes are not reentrant, this deadlocks",
					op.Key, c.heldWhere(h, op.Pos))
			case h.Mode == ls.Exclusive:
				c.report(checks.DoubleLock, op.Pos, end, "%s.RLock while %s is locked (%s) deadlocks",
					op.Key, op.Key, c.heldWhere(h, op.Pos))
			default:
				c.report(checks.RecursiveRLock, op.Pos, end, "%s is read-locked again while its read lock is held (%s): recursive read locking deadlocks when a writer is waiting",
					op.Key, c.heldWhere(h, op.Pos))
			}
		case ls.OpUnlock, ls.OpRUnlock:
			if op.Via == nil && !c.es.reassigned(op.Key) && !lockerValue(op.Key) {
				c.unlockNotHeld(op)
			}
		}
	}
}

// ownMutex reports whether the mutex of op is a value declared in the
// unit's own function (a local sync.Mutex or a local struct value holding
// one): nobody else can have locked it.
func (c *checker) ownMutex(op *lockstate.OpEvent) bool {
	v, ok := op.Key.Root.(*types.Var)
	if !ok || ls.IsPackageLevel(v) || c.es.params[v] || !within(v.Pos(), unitBody(op.Ctx)) {
		return false
	}
	t := types.Unalias(v.Type())
	if _, ptr := t.Underlying().(*types.Pointer); ptr {
		return false
	}
	if _, iface := t.Underlying().(*types.Interface); iface {
		return false
	}
	// locked in a nested function literal (a goroutine) or anywhere else
	for _, o := range c.res.Ops {
		if o.Key == op.Key && o.Op.IsAcquire() {
			return false
		}
	}
	return true
}

func (c *checker) opName(op *lockstate.OpEvent) string {
	if op.Via != nil {
		return callName(op.Via)
	}
	return op.Key.String() + "." + op.Op.String()
}

// unlockNotHeld reports an unlock of a mutex released on every path since
// it was locked in this unit, or unlocked in the wrong mode (RA2005).
func (c *checker) unlockNotHeld(op *lockstate.OpEvent) {
	end := token.NoPos
	if op.Via != nil {
		end = op.Via.End()
	}
	h, ok := op.Before.Lookup(op.Key)
	if ok {
		if !h.Must || !h.At.IsValid() {
			return
		}
		if op.Op == ls.OpUnlock && h.Mode == ls.Shared {
			c.report(checks.UnlockNotHeld, op.Pos, end, "%s: %s is read-locked (%s); release it with RUnlock",
				c.opName(op), op.Key, c.heldWhere(h, op.Pos))
		} else if op.Op == ls.OpRUnlock && h.Mode == ls.Exclusive {
			c.report(checks.UnlockNotHeld, op.Pos, end, "%s: %s is write-locked (%s); release it with Unlock",
				c.opName(op), op.Key, c.heldWhere(h, op.Pos))
		}
		return
	}
	if _, onEntry := op.Func.Entry.Lookup(op.Key); onEntry {
		return
	}
	// locked earlier in this unit, released on every path since
	var prev *lockstate.OpEvent
	for _, o := range c.opsByCtx[op.Ctx] {
		if o.Key == op.Key && o.Via != nil {
			return // lock effects of calls: summaries may be approximate
		}
		if o.Key == op.Key && o.Op.IsAcquire() {
			if _, again := o.Before.Lookup(o.Key); again {
				return // a recursive (read) lock: released twice, rightly
			}
		}
		if o.Key == op.Key && o.Pos < op.Pos && !o.Deferred && c.reaches(unitBody(op.Ctx), o.Pos, op.Pos) {
			if o.Op.IsAcquire() || o.Op == ls.OpUnlock || o.Op == ls.OpRUnlock {
				if prev == nil || o.Pos > prev.Pos {
					prev = o
				}
			}
		}
	}
	if prev == nil && c.ownMutex(op) && !c.handedOff(op.Ctx, op.Key) {
		c.report(checks.UnlockNotHeld, op.Pos, end, "%s: %s is a mutex of this function and is not locked here (fatal error: unlock of unlocked mutex)",
			c.opName(op), op.Key)
		return
	}
	if prev == nil || prev.Op.IsAcquire() {
		return
	}
	c.report(checks.UnlockNotHeld, op.Pos, end, "%s: %s is not held here, it was already released at %s (fatal error: unlock of unlocked mutex)",
		c.opName(op), op.Key, c.line(prev.Pos, op.Pos))
}

// reaches reports whether some path of body's CFG runs the statement at
// from and then the one at to (the Unlock and the RUnlock of the two
// branches of an if, or of a branch that returns, are on no common path).
// Positions it cannot place are taken as reaching.
func (c *checker) reaches(body *ast.BlockStmt, from, to token.Pos) bool {
	if body == nil {
		return true
	}
	g := c.cfgs[body]
	if g == nil {
		if c.cfgs == nil {
			c.cfgs = map[*ast.BlockStmt]*cfg.CFG{}
		}
		g = cfg.New(body, func(call *ast.CallExpr) bool { return ls.MayReturn(c.pass.TypesInfo, call) })
		c.cfgs[body] = g
	}
	// the innermost node containing p, and its index in its block
	place := func(p token.Pos) (*cfg.Block, int) {
		var blk *cfg.Block
		at, span := -1, token.Pos(0)
		for _, b := range g.Blocks {
			for i, n := range b.Nodes {
				if n.Pos() <= p && p < n.End() && (blk == nil || n.End()-n.Pos() < span) {
					blk, at, span = b, i, n.End()-n.Pos()
				}
			}
		}
		return blk, at
	}
	fb, fi := place(from)
	tb, ti := place(to)
	if fb == nil || tb == nil {
		return true
	}
	if fb == tb && fi < ti {
		return true
	}
	seen := map[*cfg.Block]bool{}
	stack := slices.Clone(fb.Succs)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == tb {
			return true
		}
		if !seen[b] {
			seen[b] = true
			stack = append(stack, b.Succs...)
		}
	}
	return false
}

// deferredDoubleUnlock reports a deferred unlock that runs at an exit where
// the mutex was already released explicitly (RA2005). The deferred calls
// are run as the engine runs them at each exit: only those registered on
// the paths reaching it, last registered first, so a deferred re-lock
// registered after the deferred unlock (mu.Unlock(); defer mu.Lock()) has
// taken the mutex again when the unlock runs.
func (c *checker) deferredDoubleUnlock(op *lockstate.OpEvent) {
	if c.es.reassigned(op.Key) {
		return
	}
	for _, o := range c.opsByCtx[op.Ctx] {
		if o.Key == op.Key && o.Via != nil {
			return
		}
	}
	if h, ok := op.Before.Lookup(op.Key); !ok || !h.Must {
		return // defer registered before the lock, or conditionally held
	}
	for _, ex := range c.exitsBy[op.Ctx] {
		if ex.Ret != nil && ex.Ret.Pos() < op.Pos {
			continue
		}
		var run *ls.DeferredRun
		for i := range ex.Deferred {
			if d := &ex.Deferred[i]; d.Pos == op.Pos && d.Key == op.Key && d.Op == op.Op && d.Via == nil {
				run = d
				break
			}
		}
		if run == nil || !run.Must {
			continue // not registered on (every path to) this exit
		}
		if _, held := run.Before.Lookup(op.Key); held {
			continue // held again when the deferred unlock runs
		}
		// the last explicit unlock before this exit
		var rel *lockstate.OpEvent
		for _, o := range c.opsByCtx[op.Ctx] {
			if o.Key == op.Key && !o.Deferred && (o.Op == ls.OpUnlock || o.Op == ls.OpRUnlock) && o.Pos > op.Pos && (ex.Ret == nil || o.Pos < ex.Ret.Pos()) {
				if rel == nil || o.Pos > rel.Pos {
					rel = o
				}
			}
		}
		if rel == nil {
			continue
		}
		pos, end := rel.Pos, token.NoPos
		c.report(checks.UnlockNotHeld, pos, end, "%s is unlocked here and again by the deferred %s.%s at %s when the function returns (fatal error: unlock of unlocked mutex)",
			op.Key, op.Key, op.Op, c.line(op.Pos, pos))
		return
	}
}

// deferInLoop reports a deferred unlock inside a loop that locks the same
// mutex on every iteration (RA2002).
func (c *checker) deferInLoop() {
	for _, op := range c.res.Ops {
		if !op.Deferred || (op.Op != ls.OpUnlock && op.Op != ls.OpRUnlock) || op.Func == nil || op.Func.File == nil {
			continue
		}
		path := enclosing(op.Func.Decl, op.Pos) // not PathEnclosingInterval of the whole file
		var loop ast.Node
		var loopBody *ast.BlockStmt
		var unit ast.Node
		sawDefer := false
		for _, n := range path {
			switch n := n.(type) {
			case *ast.DeferStmt:
				sawDefer = true
			case *ast.FuncLit, *ast.FuncDecl:
				if sawDefer {
					unit = n
				}
			case *ast.ForStmt:
				if sawDefer && loop == nil {
					loop, loopBody = n, n.Body
				}
			case *ast.RangeStmt:
				if sawDefer && loop == nil {
					loop, loopBody = n, n.Body
				}
			}
			if unit != nil {
				break
			}
		}
		if loop == nil || unit == nil || !within(loop.Pos(), unit) {
			continue
		}
		if c.es.reassigned(op.Key) || (op.Key.Root != nil && within(op.Key.Root.Pos(), loop)) {
			continue // a different mutex on each iteration
		}
		for _, o := range c.res.Ops {
			if o.Deferred || o.Key != op.Key || (o.Op != ls.OpLock && o.Op != ls.OpRLock) || o.Ctx.Func != unit || !within(o.Pos, loopBody) {
				continue
			}
			if _, again := o.Before.Lookup(o.Key); !again {
				continue // the loop does not come back to this Lock
			}
			if c.flagGuarded(op.Func.File, o.Pos, loop, unit) {
				continue // taken once: if !locked { mu.Lock(); defer mu.Unlock(); locked = true }
			}
			c.report(checks.DoubleLock, op.Pos, token.NoPos, "deferred %s.%s inside a loop runs only when the function returns: the %s at %s deadlocks on the next iteration",
				op.Key, op.Op, o.Op, c.line(o.Pos, op.Pos))
			break
		}
	}
}

// enclosing returns the nodes of root that contain pos, innermost first:
// for a position inside a node, the nodes of astutil.PathEnclosingInterval
// up to root, at the cost of a walk of root.
func enclosing(root ast.Node, pos token.Pos) []ast.Node {
	var path []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		path = append(path, n)
		return true
	})
	slices.Reverse(path)
	return path
}

// flagGuarded reports whether the statement at pos, inside loop, sits in
// the body of an if statement (within the loop) whose condition tests a
// local bool flag declared outside the loop (!locked, first, done ==
// false, alone or as a conjunct) and whose body sets that flag so that the
// test fails from then on (locked = true, first = false): the branch runs
// at most once per call, like a lock taken before the loop.
func (c *checker) flagGuarded(file *ast.File, pos token.Pos, loop, unit ast.Node) bool {
	path, _ := astutil.PathEnclosingInterval(file, pos, pos)
	for i, n := range path {
		if n == loop {
			break
		}
		ifs, ok := n.(*ast.IfStmt)
		if !ok || i == 0 || path[i-1] != ifs.Body {
			continue
		}
		for _, t := range conjuncts(ifs.Cond) {
			v, want, ok := c.flagTest(t)
			if !ok || !within(v.Pos(), unit) || within(v.Pos(), loop) {
				continue
			}
			if c.setsFlag(ifs.Body, v, !want) {
				return true
			}
		}
	}
	return false
}

// conjuncts splits a condition on &&.
func conjuncts(e ast.Expr) []ast.Expr {
	e = ast.Unparen(e)
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.LAND {
		return append(conjuncts(b.X), conjuncts(b.Y)...)
	}
	return []ast.Expr{e}
}

// flagTest recognizes a test of a local bool variable (v, !v, v == true,
// false != v): it returns the variable and the value it must have for the
// test to hold.
func (c *checker) flagTest(e ast.Expr) (*types.Var, bool, bool) {
	info := c.pass.TypesInfo
	want := true
	e = ast.Unparen(e)
	for {
		u, ok := e.(*ast.UnaryExpr)
		if !ok || u.Op != token.NOT {
			break
		}
		want = !want
		e = ast.Unparen(u.X)
	}
	if b, ok := e.(*ast.BinaryExpr); ok && (b.Op == token.EQL || b.Op == token.NEQ) {
		x, y := ast.Unparen(b.X), ast.Unparen(b.Y)
		val, isConst := boolConst(info, y)
		if !isConst {
			x = y
			val, isConst = boolConst(info, ast.Unparen(b.X))
		}
		if !isConst {
			return nil, false, false
		}
		e = x
		if val != (b.Op == token.EQL) {
			want = !want
		}
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil, false, false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || ls.IsPackageLevel(v) {
		return nil, false, false
	}
	if b, ok := v.Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return nil, false, false
	}
	return v, want, true
}

func boolConst(info *types.Info, e ast.Expr) (bool, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Bool {
		return false, false
	}
	return constant.BoolVal(tv.Value), true
}

// setsFlag reports whether a statement of body (not nested in another
// statement) assigns the constant val to v.
func (c *checker) setsFlag(body *ast.BlockStmt, v *types.Var, val bool) bool {
	for _, st := range body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
			continue
		}
		for i, l := range as.Lhs {
			id, ok := ast.Unparen(l).(*ast.Ident)
			if !ok || c.pass.TypesInfo.Uses[id] != v {
				continue
			}
			if b, ok := boolConst(c.pass.TypesInfo, as.Rhs[i]); ok && b == val {
				return true
			}
		}
	}
	return false
}

// returnsOwner reports whether a return statement, reached holding h,
// hands the lock to the caller with a value that owns it: a non-error
// result of a type T (or *T) declared in this package with a method that
// releases the same mutex through a field path (Tx.Commit unlocking
// t.db.rwlock, returned by DB.Begin holding db.rwlock), or a value the
// function's doc comment says holds the lock or must be released by the
// caller ("the Tx holds db.rwlock until Commit", "the caller must call
// Close").
func (c *checker) returnsOwner(ctx *ls.Context, ret *ast.ReturnStmt, h ls.Held) bool {
	info := c.pass.TypesInfo
	var sig *types.Signature
	var doc *ast.CommentGroup
	switch f := ctx.Func.(type) {
	case *ast.FuncDecl:
		sig, _ = info.TypeOf(f.Name).(*types.Signature)
		doc = f.Doc
	case *ast.FuncLit:
		sig, _ = info.TypeOf(f).(*types.Signature)
	}
	if sig == nil {
		return false
	}
	errType := types.Universe.Lookup("error").Type()
	var owners []types.Type
	names := []string{"returned", "returns", "result"} // words naming the returned value
	for i := 0; i < sig.Results().Len(); i++ {
		v := sig.Results().At(i)
		t := v.Type()
		if types.Identical(t, errType) {
			continue
		}
		if len(ret.Results) == sig.Results().Len() && isNilExpr(info, ret.Results[i]) {
			continue // nothing handed over
		}
		owners = append(owners, t)
		if v.Name() != "" {
			names = append(names, strings.ToLower(v.Name()))
		}
		if n, ok := types.Unalias(derefType(t)).(*types.Named); ok {
			names = append(names, strings.ToLower(n.Obj().Name()))
		}
	}
	if len(owners) == 0 {
		return false
	}
	if doc != nil && docHandsLock(doc.Text(), h.Key, names) {
		return true
	}
	for _, t := range owners {
		if c.releasesThroughField(t, h) {
			return true
		}
	}
	for _, r := range ret.Results {
		if c.handsMutex(r, h) {
			return true
		}
	}
	return false
}

// handsMutex reports whether the returned expression e hands the mutex of
// h itself to a value that releases it (FP125, go-socket.io NextWriter):
// a composite literal of a named type of this package setting a field to
// the mutex (T{l: c.mu}, &T{l: &c.mu}), or a call of a function of the
// package, given the mutex as an argument, that returns such a literal
// with that parameter in the field (newT(c.mu, w)); and a method of T
// releases that field of its receiver in h's mode. The value may be
// converted to an interface by the return.
func (c *checker) handsMutex(e ast.Expr, h ls.Held) bool {
	info := c.pass.TypesInfo
	isMutex := func(x ast.Expr) bool {
		k, ok := ls.PathOf(info, x)
		return ok && k == h.Key
	}
	// litField returns the field of the literal of a named local type that
	// is set to an expression satisfying set.
	litField := func(x ast.Expr, set func(ast.Expr) bool) (*types.Named, string) {
		x = ast.Unparen(x)
		if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
			x = ast.Unparen(u.X)
		}
		lit, ok := x.(*ast.CompositeLit)
		if !ok {
			return nil, ""
		}
		named, ok := types.Unalias(info.TypeOf(lit)).(*types.Named)
		if !ok || named.Obj().Pkg() != c.pass.Pkg {
			return nil, ""
		}
		st, ok := named.Underlying().(*types.Struct)
		if !ok {
			return nil, ""
		}
		for i, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && set(kv.Value) {
					return named, id.Name
				}
			} else if i < st.NumFields() && set(elt) {
				return named, st.Field(i).Name()
			}
		}
		return nil, ""
	}
	named, field := litField(e, isMutex)
	if named == nil {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		fn := ls.Callee(info, call)
		if fn == nil {
			return false
		}
		fi := c.local[fn.Origin()]
		if fi == nil || fi.Decl.Body == nil || call.Ellipsis.IsValid() {
			return false
		}
		sig := fn.Type().(*types.Signature)
		if sig.Recv() != nil {
			return false // a method: its receiver is not among call.Args
		}
		var param types.Object
		for j, a := range call.Args {
			if isMutex(a) && j < sig.Params().Len() {
				param = sig.Params().At(j)
			}
		}
		if param == nil {
			return false
		}
		isParam := func(x ast.Expr) bool {
			id, ok := ast.Unparen(x).(*ast.Ident)
			return ok && info.Uses[id] == param
		}
		// every return of the constructor is such a literal, of one type
		// with the parameter in one field
		all, seen := true, false
		ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if !all {
					return false
				}
				if len(n.Results) == 0 {
					all = false
					return false
				}
				nn, f := litField(n.Results[0], isParam)
				if nn == nil || seen && (nn != named || f != field) {
					all = false
					return false
				}
				named, field, seen = nn, f, true
			}
			return all
		})
		if !all || !seen {
			return false
		}
	}
	for i := 0; i < named.NumMethods(); i++ {
		fi := c.local[named.Method(i).Origin()]
		if fi == nil {
			continue
		}
		for _, r := range c.releasesOf(fi) {
			if r.Mode == h.Mode && r.Param == 0 && r.Path == "."+field {
				return true
			}
		}
	}
	return false
}

func isNilExpr(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}

// releasesThroughField reports whether t (or *t), a named type of this
// package, has a method whose summary releases the mutex of h reached from
// its receiver through a field holding h's root (".db.rwlock" for db.rwlock,
// through a field db of db's type), or the same package-level mutex.
func (c *checker) releasesThroughField(t types.Type, h ls.Held) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	named, ok := t.(*types.Named)
	if !ok || named.Obj().Pkg() != c.pass.Pkg {
		return false
	}
	k := h.Key
	root, _ := k.Root.(*types.Var)
	if root == nil {
		return false
	}
	for i := 0; i < named.NumMethods(); i++ {
		fi := c.local[named.Method(i).Origin()]
		if fi == nil {
			continue
		}
		for _, r := range c.releasesOf(fi) {
			if r.Mode != h.Mode {
				continue
			}
			if ls.IsPackageLevel(root) {
				if r.Param == -1 && r.Pkg == root.Pkg().Path() && r.Var == root.Name() && r.Path == k.Path {
					return true
				}
				continue
			}
			if r.Param != 0 || !strings.HasSuffix(r.Path, k.Path) || len(r.Path) == len(k.Path) {
				continue
			}
			if ft, ok := fieldPathType(named, r.Path[:len(r.Path)-len(k.Path)]); ok && types.Identical(derefType(ft), derefType(root.Type())) {
				return true
			}
		}
	}
	return false
}

// fieldPathType follows a field path (".db" or ".inner.db") from t.
func fieldPathType(t types.Type, path string) (types.Type, bool) {
	for _, name := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		st, ok := derefStruct(t)
		if !ok {
			return nil, false
		}
		var next types.Type
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Name() == name {
				next = st.Field(i).Type()
			}
		}
		if next == nil {
			return nil, false
		}
		t = next
	}
	return t, true
}

func derefType(t types.Type) types.Type {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		return types.Unalias(p.Elem())
	}
	return t
}

var sentenceEndRe = lazyre.New(`[.;:!?](\s|$)`)

// docHandsLock reports whether a doc comment says the function's returned
// value holds the lock ("the Tx holds db.rwlock until Commit", "returns a
// Session that keeps the lock": a sentence naming the returned value, by
// one of names, its type's name or "returned"), that it returns it locked
// ("returns the entry locked"), or that the caller must release it ("the
// caller must call Close").
func docHandsLock(doc string, k ls.Key, names []string) bool {
	field := strings.ToLower(k.Field())
	for _, sentence := range sentenceEndRe.Regexp().Split(doc, -1) {
		ws := strings.FieldsFunc(strings.ToLower(sentence), func(r rune) bool {
			return !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z')
		})
		has := func(set ...string) bool {
			for _, w := range ws {
				for _, s := range set {
					if w == s {
						return true
					}
				}
			}
			return false
		}
		lockWord := has("lock", "locks", "mutex", "locked", field)
		switch {
		case has("holds", "keeps", "retains", "owns") && lockWord && has(names...):
			return true
		case has("returns", "return") && has("locked"):
			return true
		case has("caller", "callers", "you") && has("must", "should", "needs", "need", "has", "have") &&
			has("call", "unlock", "release", "commit", "close", "rollback"):
			return true
		}
	}
	return false
}

// releasesOf returns the locks a function releases without having acquired
// them, on every path (its summary) or on some path only (an unlock of its
// own or through a call, e.g. Tx.close unlocking tx.db.rwlock for a
// writable transaction only).
func (c *checker) releasesOf(fi *ls.FuncInfo) []ls.RelLock {
	if c.releases == nil {
		c.releases = map[*ls.FuncInfo][]ls.RelLock{}
		for _, op := range c.res.Ops {
			if op.Op != ls.OpUnlock && op.Op != ls.OpRUnlock {
				continue
			}
			if h, ok := op.Before.Lookup(op.Key); ok && h.At.IsValid() {
				continue // locked in the function itself
			}
			if r, ok := ls.ToRel(op.Func.Params, op.Key, op.Op.Mode()); ok {
				c.releases[op.Func] = append(c.releases[op.Func], r)
			}
		}
	}
	if fi.Summary == nil {
		return c.releases[fi]
	}
	return append(append([]ls.RelLock(nil), fi.Summary.Releases...), c.releases[fi]...)
}

// goReleases reports whether unit ctx starts a goroutine with a function
// of this package that releases k for its caller (go
// ac.resetTransportAndUnlock(): the lock is handed to the goroutine).
func (c *checker) goReleases(ctx *ls.Context, k ls.Key) bool {
	info := c.pass.TypesInfo
	return anyInUnit(unitBody(ctx), func(n ast.Node) bool {
		g, ok := n.(*ast.GoStmt)
		if !ok {
			return false
		}
		fn := ls.Callee(info, g.Call)
		if fn == nil {
			return false
		}
		fi := c.local[fn.Origin()]
		if fi == nil || fi.Summary == nil {
			return false
		}
		for _, mode := range []ls.Mode{ls.Exclusive, ls.Shared} {
			r, ok := ls.ToCallee(info, g.Call, k, mode)
			if !ok {
				continue
			}
			for _, rel := range fi.Summary.Releases {
				if rel.Param == r.Param && rel.Pkg == r.Pkg && rel.Var == r.Var && rel.Path == r.Path {
					return true
				}
			}
		}
		return false
	})
}
