package lockstate

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/cfg"
)

// CtxKind says in which concurrency context code runs.
type CtxKind uint8

const (
	CtxNormal    CtxKind = iota // ordinary code (including closures called in place and sync callbacks)
	CtxGoroutine                // body of a function literal started with go (or an async callback)
	CtxOnce                     // body of a sync.Once.Do / OnceFunc / OnceValue(s) callback: not concurrent
	CtxUnknown                  // function literal stored for later: when and under which locks it runs is unknown
)

// Context describes the function unit being walked.
type Context struct {
	Kind   CtxKind
	Parent *Context
	Func   ast.Node  // *ast.FuncDecl or *ast.FuncLit
	GoPos  token.Pos // for CtxGoroutine: where the goroutine was started
	GoHeld State     // for CtxGoroutine: the locks held by the starter at that point
}

// Inside reports whether c or one of its parents has kind k.
func (c *Context) Inside(k CtxKind) bool {
	for ; c != nil; c = c.Parent {
		if c.Kind == k {
			return true
		}
	}
	return false
}

// OutermostGo returns where the outermost goroutine of c was started (in
// its function's body), or NoPos if c runs on its function's own goroutine.
func (c *Context) OutermostGo() token.Pos {
	pos := token.NoPos
	for ; c != nil; c = c.Parent {
		if c.Kind == CtxGoroutine {
			pos = c.GoPos
		}
	}
	return pos
}

// Effect is a lock operation performed by a called function, mapped to the
// caller's keys.
type Effect struct {
	Key Key
	Op  Op
}

// Visitor receives the results of the walk.
type Visitor interface {
	// Node is called for every node, in evaluation order, with the lock
	// state before it. Returning false skips the node's children.
	Node(n ast.Node, stack []ast.Node, st State, ctx *Context) bool
	// LockOp is called for each lock operation (direct, or the effect of a
	// call) with the state before it. deferred is true for deferred ops,
	// which run at function exit.
	LockOp(pos token.Pos, k Key, op Op, st State, ctx *Context, deferred bool, viaCall *ast.CallExpr)
	// Exit is called for each normal exit of a unit (a return statement, or
	// nil for the end of the body) with the state there.
	Exit(ret *ast.ReturnStmt, st State, ctx *Context)
}

// Engine runs the lock-state analysis.
type Engine struct {
	Info *types.Info
	// Effects, if set, returns the lock effects of a call on the caller's
	// keys (lock wrappers and helpers), or nil.
	Effects func(call *ast.CallExpr) []Effect
	// CallbackHeld, if set, returns the locks (caller's keys) the callee
	// holds while calling the function passed as argument i of call.
	CallbackHeld func(call *ast.CallExpr, i int) []Held
	// CondAcquires, if set, returns the locks (caller's keys) a called
	// helper holds when it returns a nil error or true.
	CondAcquires func(call *ast.CallExpr) []Held
	// Goes, if set, reports whether the callee starts its i'th argument
	// (a function) as a goroutine.
	Goes func(call *ast.CallExpr, i int) bool
	// Stores, if set, reports whether the callee stores its i'th argument
	// (a function) for later instead of calling it.
	Stores func(call *ast.CallExpr, i int) bool
	// Inline maps local variables bound to a function literal that is only
	// called (f := func(){...}; f()) to the literal, walked at each call.
	Inline map[types.Object]*ast.FuncLit
	// Started maps local variables bound to a function literal whose only
	// use is one go statement (f := func(){...}; go f()) to the literal:
	// the goroutine's body, walked at the go statement like go func(){...}().
	Started map[types.Object]*ast.FuncLit
	// Aliases maps local variables holding a mutex's address (mu := &r.mu)
	// to that mutex.
	Aliases  map[types.Object]Key
	RLockers map[types.Object]bool // aliases made with RLocker()
	// CondLocker, if set, returns the path, from the struct holding the
	// sync.Cond field cond, of the mutex the Cond was built on
	// (f.cond = sync.NewCond(&f.mu): ".mu"), so that f.cond.L.Lock() locks
	// f.mu.
	CondLocker func(cond *types.Var) (string, bool)
	// Equal, if set, returns the keys that denote the same mutex as k at
	// the lock operation call (in the branch of if a == b, a.mu is b.mu):
	// the operation locks or unlocks them too.
	Equal func(call *ast.CallExpr, k Key) []Key
	// MaxIterations bounds the fixpoint per unit (0: a default).
	MaxIterations int
	// Calls, if not nil, are all the calls of the body walked (those of
	// its function literals included): when none of them locks, unlocks,
	// has lock effects or acquires conditionally, no unit of the body has
	// a lock operation, which saves looking for one unit by unit.
	Calls []*ast.CallExpr

	// ParamEntry: see FuncInfo.ParamEntry; applied in the body given to
	// Walk (not in its function literals).
	ParamEntry map[types.Object][2]State

	topBody    *ast.BlockStmt
	noLockOps  bool   // no call in Calls is a lock operation
	joinsCache *Joins // see joins
}

// inlined reports whether lit is bound to a local that is only called.
func (e *Engine) inlined(lit *ast.FuncLit) bool {
	for _, l := range e.Inline {
		if l == lit {
			return true
		}
	}
	return false
}

// started reports whether lit is the body of a goroutine started through
// a local bound to it (Started).
func (e *Engine) started(lit *ast.FuncLit) bool {
	for _, l := range e.Started {
		if l == lit {
			return true
		}
	}
	return false
}

// GoLit returns the function literal a go statement starts: written in
// it (go func(){...}()), or bound to a local whose only use it is
// (started, see Engine.Started); nil otherwise.
func GoLit(info *types.Info, g *ast.GoStmt, started map[types.Object]*ast.FuncLit) *ast.FuncLit {
	switch f := ast.Unparen(g.Call.Fun).(type) {
	case *ast.FuncLit:
		return f
	case *ast.Ident:
		if lit := started[info.Uses[f]]; lit != nil && lit.End() <= g.Pos() {
			return lit
		}
	}
	return nil
}

// inlineCall returns the literal a call of an inlined local runs.
func (e *Engine) inlineCall(call *ast.CallExpr) *ast.FuncLit {
	if len(e.Inline) == 0 {
		return nil
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		return e.Inline[e.Info.Uses[id]]
	}
	return nil
}

// lockCall is LockCall with local mutex aliases (mu := &r.mu) resolved.
func (e *Engine) lockCall(call *ast.CallExpr) (Key, Op, bool) {
	k, op, ok := LockCall(e.Info, call)
	if ok && e.Aliases != nil {
		if base, isAlias := e.Aliases[k.Root]; isAlias {
			if e.RLockers[k.Root] {
				switch op {
				case OpLock:
					op = OpRLock
				case OpUnlock:
					op = OpRUnlock
				}
			}
			k = base.Child(k.Path)
		}
	}
	if ok && e.CondLocker != nil && strings.HasSuffix(k.Path, ".L") {
		cond := Key{Root: k.Root, Path: strings.TrimSuffix(k.Path, ".L")}
		if f := cond.LastField(); f != nil {
			if mu, isCond := e.CondLocker(f); isCond {
				k = Key{Root: k.Root, Path: cond.Path[:strings.LastIndex(cond.Path, ".")] + mu}
			}
		}
	}
	return k, op, ok
}

// Walk analyses a function body with the given entry state and calls v.
// Function literals inside are walked as their own units, with the context
// and entry state their use implies.
func (e *Engine) Walk(fn ast.Node, body *ast.BlockStmt, entry State, ctx *Context, v Visitor) {
	if body == nil {
		return
	}
	e.noLockOps = e.Calls != nil && len(e.ParamEntry) == 0 && !e.anyLockOp(e.Calls)
	e.topBody = body
	u := &unit{e: e, body: body, ctx: ctx, v: v}
	u.run(entry)
}

// anyLockOp reports whether any of the calls is a lock operation, has lock
// effects or acquires a lock conditionally (the calls of an inlined
// literal's lock operations are among them).
func (e *Engine) anyLockOp(calls []*ast.CallExpr) bool {
	for _, c := range calls {
		if _, _, ok := e.lockCall(c); ok {
			return true
		}
		if e.Effects != nil && len(e.Effects(c)) > 0 {
			return true
		}
		if e.CondAcquires != nil && len(e.CondAcquires(c)) > 0 {
			return true
		}
	}
	return false
}

type nodeOps struct {
	ops []effectAt
}

type effectAt struct {
	pos  token.Pos
	key  Key
	op   Op
	call *ast.CallExpr
}

type unit struct {
	e    *Engine
	body *ast.BlockStmt
	ctx  *Context
	v    Visitor
	g    *cfg.CFG
	ops  map[ast.Node][]effectAt // per CFG node, in order
	// parent of CFG nodes that are parts of a compound statement (range
	// X/Key/Value), so that accesses there are classified
	parent map[ast.Node]ast.Node
	try    map[types.Object][]Held // result variables of conditional acquires
	defers []deferredAt            // deferred closures and lock operations, as walked
	// deferIdx numbers the body's defer statements in source order;
	// regIn[i] are those registered on the paths reaching block i.
	deferIdx map[*ast.DeferStmt]int
	regIn    []deferRegs
	// finals are the states at the unit's exits after its deferred calls
	// ran: what a caller sees once a deferred closure returns.
	finals []State
}

func (u *unit) run(entry State) {
	if !u.hasLockOps() {
		// No lock operation anywhere in this body: the state is constant.
		st := entry
		u.walkNode(u.body, &st, nil, false)
		u.v.Exit(nil, st, u.ctx)
		u.finals = []State{st}
		return
	}
	u.g = cfg.New(u.body, u.mayReturn)
	u.parent = map[ast.Node]ast.Node{}
	ast.Inspect(u.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.RangeStmt:
			for _, c := range []ast.Expr{n.X, n.Key, n.Value} {
				if c != nil {
					u.parent[c] = n
				}
			}
		}
		return true
	})
	u.numberDefers()
	u.ops = map[ast.Node][]effectAt{}
	u.try = map[types.Object][]Held{}
	for _, b := range u.g.Blocks {
		for _, n := range b.Nodes {
			u.ops[n] = u.collectOps(n)
		}
	}
	in := make([]State, len(u.g.Blocks))
	seen := make([]bool, len(u.g.Blocks))
	in[0] = entry
	if in[0] == nil {
		in[0] = State{}
	}
	seen[0] = true
	work := []int{0}
	queued := make([]bool, len(u.g.Blocks))
	queued[0] = true
	limit := u.e.MaxIterations
	if limit == 0 {
		limit = 64*len(u.g.Blocks) + 64
	}
	for steps := 0; len(work) > 0 && steps < limit; steps++ {
		i := work[0]
		work = work[1:]
		queued[i] = false
		b := u.g.Blocks[i]
		st := in[i]
		for _, n := range b.Nodes {
			for _, o := range u.ops[n] {
				st = apply(st, o)
			}
		}
		for si, s := range b.Succs {
			if u.deadEdge(b, si) {
				continue // if debug { ... } with const debug = false
			}
			es := u.edge(b, si, st)
			j := s.Index
			var merged State
			if !seen[j] {
				merged = es
			} else {
				merged = join(in[j], es)
			}
			if !seen[j] || !equal(merged, in[j]) {
				in[j] = merged
				seen[j] = true
				if !queued[j] {
					queued[j] = true
					work = append(work, int(j))
				}
			}
		}
	}
	u.registrations(seen)
	// Final pass: visit every node with its state.
	var exits []exitAt
	for i, b := range u.g.Blocks {
		if !seen[i] || !b.Live {
			continue
		}
		st := in[i]
		for _, n := range b.Nodes {
			var stack []ast.Node
			if p, ok := u.parent[n]; ok {
				stack = []ast.Node{p}
			}
			u.walkNode(n, &st, stack, true)
		}
		if len(b.Succs) == 0 {
			var ret *ast.ReturnStmt
			if len(b.Nodes) > 0 {
				last := b.Nodes[len(b.Nodes)-1]
				if r, ok := last.(*ast.ReturnStmt); ok {
					ret = r
				} else if es, ok := last.(*ast.ExprStmt); ok {
					if c, ok := es.X.(*ast.CallExpr); ok && !u.mayReturn(c) {
						continue // panics and exits do not return
					}
				}
			}
			if ret == nil && !u.fallsOffEnd(b) {
				continue
			}
			regs := u.regIn[i].clone()
			for _, n := range b.Nodes {
				regs.add(u.deferIdx, n)
			}
			exits = append(exits, exitAt{ret: ret, st: st, regs: regs})
		}
	}
	var runs [][]DeferredRun
	u.finals, runs = u.runDeferred(exits)
	dv, _ := u.v.(DeferVisitor)
	for i, ex := range exits {
		u.v.Exit(ex.ret, ex.st, u.ctx)
		if dv != nil {
			dv.DeferredAtExit(ex.ret, u.ctx, runs[i])
		}
	}
}

// DeferVisitor is implemented by a Visitor that wants to know, at each
// exit of a unit, the deferred lock operations run there: DeferredAtExit
// is called right after Exit for the same exit.
type DeferVisitor interface {
	DeferredAtExit(ret *ast.ReturnStmt, ctx *Context, runs []DeferredRun)
}

// DeferredRun is a deferred lock operation (a defer statement of the unit
// locking or unlocking directly, or through a call's lock effects) run at
// an exit, in the order the deferred calls run (last registered first),
// with the state just before it. It is listed only at the exits reached by
// a path through its defer statement; Must says whether every such path
// goes through it.
type DeferredRun struct {
	Pos    token.Pos
	Key    Key
	Op     Op
	Before State
	Must   bool
	Via    *ast.CallExpr // the call whose lock effects perform it, or nil
}

type exitAt struct {
	ret  *ast.ReturnStmt
	st   State
	regs deferRegs // the defer statements registered on the paths reaching it
}

// deferredAt is a deferred lock operation or closure.
type deferredAt struct {
	idx    int // of the defer statement, in source order
	lit    *ast.FuncLit
	ops    []effectAt
	pinned []Held // for a closure: held when it runs (see deferStmt)
}

// unlocks reports whether the deferred call releases k.
func (d deferredAt) unlocks(k Key) bool {
	for _, o := range d.ops {
		if (o.op == OpUnlock || o.op == OpRUnlock) && o.key == k {
			return true
		}
	}
	return false
}

// deferRegs are sets of defer statements (by index): those registered on
// some path (may) and on every path (must).
type deferRegs struct{ may, must []uint64 }

func newDeferRegs(n int) deferRegs {
	return deferRegs{may: make([]uint64, (n+63)/64), must: make([]uint64, (n+63)/64)}
}

func (r deferRegs) clone() deferRegs {
	return deferRegs{may: append([]uint64(nil), r.may...), must: append([]uint64(nil), r.must...)}
}

func (r deferRegs) has(bits []uint64, i int) bool {
	return i >= 0 && i/64 < len(bits) && bits[i/64]&(1<<(i%64)) != 0
}

// add records the registration made by node n, if it is a defer statement.
func (r deferRegs) add(idx map[*ast.DeferStmt]int, n ast.Node) {
	if d, ok := n.(*ast.DeferStmt); ok {
		if i, ok := idx[d]; ok {
			r.may[i/64] |= 1 << (i % 64)
			r.must[i/64] |= 1 << (i % 64)
		}
	}
}

// merge joins r with the registrations of another incoming edge and
// reports whether r changed.
func (r deferRegs) merge(o deferRegs) bool {
	changed := false
	for i := range r.may {
		may, must := r.may[i]|o.may[i], r.must[i]&o.must[i]
		changed = changed || may != r.may[i] || must != r.must[i]
		r.may[i], r.must[i] = may, must
	}
	return changed
}

// numberDefers numbers the body's defer statements in source order.
func (u *unit) numberDefers() {
	ast.Inspect(u.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if u.deferIdx == nil {
				u.deferIdx = map[*ast.DeferStmt]int{}
			}
			u.deferIdx[n] = len(u.deferIdx)
		}
		return true
	})
}

// registrations computes, for each block reached by the lock analysis
// (seen), the defer statements registered on the paths reaching it: a
// defer in a branch runs only at the exits that branch leads to.
func (u *unit) registrations(seen []bool) {
	n := len(u.g.Blocks)
	u.regIn = make([]deferRegs, n)
	done := make([]bool, n)
	u.regIn[0] = newDeferRegs(len(u.deferIdx))
	done[0] = true
	if len(u.deferIdx) == 0 {
		for i := range u.regIn {
			u.regIn[i] = u.regIn[0]
		}
		return
	}
	work := []int{0}
	queued := make([]bool, n)
	queued[0] = true
	for len(work) > 0 {
		i := work[0]
		work = work[1:]
		queued[i] = false
		b := u.g.Blocks[i]
		out := u.regIn[i].clone()
		for _, nd := range b.Nodes {
			out.add(u.deferIdx, nd)
		}
		for si, s := range b.Succs {
			j := int(s.Index)
			if u.deadEdge(b, si) || !seen[j] {
				continue
			}
			changed := false
			if !done[j] {
				u.regIn[j], done[j], changed = out.clone(), true, true
			} else {
				changed = u.regIn[j].merge(out)
			}
			if changed && !queued[j] {
				queued[j] = true
				work = append(work, j)
			}
		}
	}
	for i := range u.regIn {
		if !done[i] {
			u.regIn[i] = newDeferRegs(len(u.deferIdx))
		}
	}
}

// runDeferred runs the deferred calls at each exit, where they run: last
// registered first, each seeing the state left by those registered after
// it (defer mu.Unlock() registered after a closure runs before it; a
// closure registered after it runs while the lock is still held). Only the
// defers registered on the paths reaching the exit run there; one
// registered on some of those paths only leaves its locks held on some
// paths. The closures' bodies are walked there, with that state. It
// returns the state at each exit after the deferred calls, and the
// deferred lock operations run at each exit with the state before each.
func (u *unit) runDeferred(exits []exitAt) ([]State, [][]DeferredRun) {
	finals := make([]State, len(exits))
	runs := make([][]DeferredRun, len(exits))
	for i, ex := range exits {
		finals[i] = ex.st
	}
	if len(u.defers) == 0 {
		return finals, runs
	}
	defers := append([]deferredAt(nil), u.defers...)
	sort.SliceStable(defers, func(i, j int) bool { return defers[i].idx < defers[j].idx })
	nodes := &nodeOnly{Visitor: u.v}
	for ei, ex := range exits {
		st := ex.st
		for i := len(defers) - 1; i >= 0; i-- {
			d := defers[i]
			if !ex.regs.has(ex.regs.may, d.idx) {
				continue // not registered on the way to this exit
			}
			must := ex.regs.has(ex.regs.must, d.idx)
			after := st
			if d.lit != nil {
				sub := &unit{e: u.e, body: d.lit.Body, ctx: &Context{Kind: CtxNormal, Parent: u.ctx, Func: d.lit}, v: nodes}
				in := st
				for _, h := range d.pinned {
					if _, ok := in.Lookup(h.Key); ok {
						in = in.with(h)
					}
				}
				sub.run(in)
				if len(sub.finals) > 0 {
					after = sub.finals[0]
					for _, f := range sub.finals[1:] {
						after = join(after, f)
					}
				}
			} else {
				for _, o := range d.ops {
					runs[ei] = append(runs[ei], DeferredRun{Pos: o.pos, Key: o.key, Op: o.op, Before: after, Must: must, Via: o.call})
					after = apply(after, o)
				}
			}
			if must {
				st = after
			} else {
				st = join(st, after)
			}
		}
		finals[ei] = st
	}
	return finals, runs
}

// nodeOnly passes only Node visits through (lock operations and exits of
// deferred closures are reported where they are registered).
type nodeOnly struct{ Visitor }

func (nodeOnly) LockOp(token.Pos, Key, Op, State, *Context, bool, *ast.CallExpr) {}
func (nodeOnly) Exit(*ast.ReturnStmt, State, *Context)                           {}

// lockOnly passes lock operations through, marked deferred, and no nodes.
type lockOnly struct{ Visitor }

func (lockOnly) Node(ast.Node, []ast.Node, State, *Context) bool { return true }
func (l lockOnly) LockOp(pos token.Pos, k Key, op Op, st State, ctx *Context, _ bool, via *ast.CallExpr) {
	l.Visitor.LockOp(pos, k, op, st, ctx, true, via)
}
func (lockOnly) Exit(*ast.ReturnStmt, State, *Context) {}

// fallsOffEnd reports whether a successor-less block without a return is
// the end of the body (rather than an unreachable block after a panic, or
// the block after the last case of a select without default: no case
// ready, the select blocks, and every case that runs jumps past it).
func (u *unit) fallsOffEnd(b *cfg.Block) bool {
	switch b.Kind {
	case cfg.KindUnreachable, cfg.KindSelectAfterCase:
		return false
	}
	return true
}

func apply(st State, o effectAt) State {
	switch o.op {
	case OpLock, OpRLock:
		return st.with(Held{Key: o.key, Mode: o.op.Mode(), Must: true, At: o.pos})
	case OpUnlock, OpRUnlock:
		return st.without(o.key)
	}
	return st
}

// edge returns the state on the si'th successor edge of b, making TryLock
// hold only on its success branch.
func (u *unit) edge(b *cfg.Block, si int, st State) State {
	if len(b.Succs) != 2 || len(b.Nodes) == 0 {
		return st
	}
	cond, ok := b.Nodes[len(b.Nodes)-1].(ast.Expr)
	if !ok {
		return st
	}
	want := si == 0 // the edge taken when cond is true
	for {
		if p, ok := cond.(*ast.ParenExpr); ok {
			cond = p.X
			continue
		}
		if n, ok := cond.(*ast.UnaryExpr); ok && n.Op == token.NOT {
			cond = n.X
			want = !want
			continue
		}
		break
	}
	// if p, for a bool parameter whose callers' locks depend on its value
	if id, ok := cond.(*ast.Ident); ok && len(u.e.ParamEntry) > 0 && u.body == u.e.topBody {
		if pe, ok := u.e.ParamEntry[u.e.Info.Uses[id]]; ok {
			val := 0
			if want {
				val = 1
			}
			for _, h := range pe[val] {
				if _, held := st.MustHold(h.Key); !held && !u.opsOn(h.Key) {
					st = st.with(h)
				}
			}
			return st
		}
	}
	// err != nil / err == nil after a helper that locks on success
	if be, ok := cond.(*ast.BinaryExpr); ok && (be.Op == token.EQL || be.Op == token.NEQ) {
		x := be.X
		if isNil(u.e.Info, x) {
			x = be.Y
		} else if !isNil(u.e.Info, be.Y) {
			return st
		}
		if be.Op == token.NEQ {
			want = !want // success is err == nil
		}
		cond = ast.Unparen(x)
	}
	if !want {
		return st
	}
	var held []Held
	switch c := cond.(type) {
	case *ast.CallExpr:
		held = u.condHeld(c)
	case *ast.Ident:
		held = u.try[u.e.Info.Uses[c]]
	}
	for _, h := range held {
		st = st.with(h)
	}
	return st
}

// opsOn reports whether the unit locks or unlocks k anywhere outside
// deferred calls and function literals (itself or through a call): a lock
// its callers hold on entry is then not known to be held still at a given
// branch.
func (u *unit) opsOn(k Key) bool {
	for _, ops := range u.ops {
		for _, o := range ops {
			if o.key == k {
				return true
			}
		}
	}
	return false
}

// deadEdge reports whether the si'th successor edge of a two-way branch is
// never taken because its condition is a constant.
func (u *unit) deadEdge(b *cfg.Block, si int) bool {
	if len(b.Succs) != 2 || len(b.Nodes) == 0 {
		return false
	}
	cond, ok := b.Nodes[len(b.Nodes)-1].(ast.Expr)
	if !ok {
		return false
	}
	tv, ok := u.e.Info.Types[cond]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.Bool {
		return false
	}
	return constant.BoolVal(tv.Value) != (si == 0)
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}

// condHeld returns the locks a call holds when it reports success: TryLock
// returning true, or a helper that returns a nil error (or true) with a
// lock held.
func (u *unit) condHeld(c *ast.CallExpr) []Held {
	if k, op, ok := u.e.lockCall(c); ok {
		switch op {
		case OpTryLock:
			return []Held{{Key: k, Mode: Exclusive, Must: true, At: c.Pos()}}
		case OpTryRLock:
			return []Held{{Key: k, Mode: Shared, Must: true, At: c.Pos()}}
		}
		return nil
	}
	if u.e.CondAcquires == nil {
		return nil
	}
	var out []Held
	for _, h := range u.e.CondAcquires(c) {
		h.Must, h.At = true, c.Pos()
		out = append(out, h)
	}
	return out
}

func (u *unit) hasLockOps() bool {
	if u.e.noLockOps {
		return false
	}
	if len(u.e.ParamEntry) > 0 && u.body == u.e.topBody {
		return true // the entry depends on a parameter's value: branch by branch
	}
	found := false
	ast.Inspect(u.body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if _, _, ok := u.e.lockCall(n); ok {
				found = true
			} else if lit := u.e.inlineCall(n); lit != nil && len(u.litOps(lit)) > 0 {
				found = true
			} else if u.e.Effects != nil && len(u.e.Effects(n)) > 0 {
				found = true
			} else if u.e.CondAcquires != nil && len(u.e.CondAcquires(n)) > 0 {
				found = true
			}
		}
		return !found
	})
	return found
}

// collectOps returns the lock operations of one CFG node in evaluation
// order, excluding deferred calls and function literals.
func (u *unit) collectOps(n ast.Node) []effectAt {
	var out []effectAt
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit, *ast.DeferStmt, *ast.GoStmt:
				return false
			case *ast.AssignStmt:
				// ok := mu.TryLock(); err := r.lockOpen()
				if len(n.Rhs) == 1 && len(n.Lhs) >= 1 {
					if c, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
						if held := u.condHeld(c); len(held) > 0 {
							if id, ok := n.Lhs[len(n.Lhs)-1].(*ast.Ident); ok {
								obj := u.e.Info.Defs[id]
								if obj == nil {
									obj = u.e.Info.Uses[id]
								}
								if obj != nil {
									u.try[obj] = held
								}
							}
						}
					}
				}
			case *ast.CallExpr:
				for _, a := range n.Args {
					walk(a)
				}
				walk(n.Fun)
				out = append(out, u.callOps(n)...)
				return false
			}
			return true
		})
	}
	walk(n)
	return out
}

// litOps returns the lock operations of an inlined literal's body, in
// source order (branches are not distinguished: such literals are small
// "unlock and log" helpers).
func (u *unit) litOps(lit *ast.FuncLit) []effectAt {
	var out, deferred []effectAt
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt:
			// runs when the literal returns, last registered first
			if k, op, ok := u.e.lockCall(n.Call); ok && op != OpTryLock && op != OpTryRLock {
				deferred = append([]effectAt{{pos: n.Call.Pos(), key: k, op: op}}, deferred...)
			}
			return false
		case *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.CallExpr:
			if k, op, ok := u.e.lockCall(n); ok && op != OpTryLock && op != OpTryRLock {
				out = append(out, effectAt{pos: n.Pos(), key: k, op: op})
			}
		}
		return true
	})
	return append(out, deferred...)
}

func (u *unit) callOps(c *ast.CallExpr) []effectAt {
	if lit := u.e.inlineCall(c); lit != nil {
		return u.litOps(lit)
	}
	if k, op, ok := u.e.lockCall(c); ok {
		if op == OpTryLock || op == OpTryRLock {
			return nil // handled on the condition edge
		}
		out := []effectAt{{pos: c.Pos(), key: k, op: op, call: nil}}
		if u.e.Equal != nil {
			for _, k2 := range u.e.Equal(c, k) {
				out = append(out, effectAt{pos: c.Pos(), key: k2, op: op, call: nil})
			}
		}
		return out
	}
	if u.e.Effects == nil {
		return nil
	}
	var out []effectAt
	for _, ef := range u.e.Effects(c) {
		out = append(out, effectAt{pos: c.Pos(), key: ef.Key, op: ef.Op, call: c})
	}
	return out
}

// walkNode visits n and its subtree in evaluation order, updating st at
// lock operations and starting function literal units.
func (u *unit) walkNode(root ast.Node, st *State, stack []ast.Node, flow bool) {
	var visit func(n ast.Node)
	// visits the children of a node (allocated once, not per node)
	children := parentVisitor{childVisitor{&visit}}
	visit = func(n ast.Node) {
		if n == nil {
			return
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			if u.e.inlined(n) || u.e.started(n) {
				return // walked where it is called or started
			}
			u.funcLit(n, stack, *st, false)
			return
		case *ast.DeferStmt:
			stack = append(stack, n)
			u.deferStmt(n, st, stack)
			stack = stack[:len(stack)-1]
			return
		case *ast.GoStmt:
			stack = append(stack, n)
			if !u.v.Node(n, stack[:len(stack)-1], *st, u.ctx) {
				stack = stack[:len(stack)-1]
				return
			}
			u.callArgs(n.Call, st, &stack)
			if lit := GoLit(u.e.Info, n, u.e.Started); lit != nil {
				handed := u.handedOver(lit, *st)
				entry := handed
				// Locks the starter keeps until it joined the goroutine.
				for _, h := range u.lent(n, n.Call, lit, *st, false) {
					if _, ok := entry.Lookup(h.Key); !ok {
						entry = entry.with(h)
					}
				}
				u.funcLitCtx(lit, &Context{Kind: CtxGoroutine, Parent: u.ctx, Func: lit, GoPos: n.Pos(), GoHeld: *st}, entry)
				// The goroutine took those locks over: the starter no
				// longer holds them (its Lock waits for the goroutine's
				// Unlock, and it returns without them).
				for _, h := range handed {
					if u.releasedAlways(lit, h.Key) {
						*st = st.without(h.Key)
					}
				}
			} else {
				stack = append(stack, n.Call)
				visit(n.Call.Fun)
				stack = stack[:len(stack)-1]
			}
			stack = stack[:len(stack)-1]
			return
		}
		if !u.v.Node(n, stack, *st, u.ctx) {
			return
		}
		switch n.(type) {
		case *ast.Ident, *ast.BasicLit:
			return // no children
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.CallExpr:
			// Arguments are evaluated before the call takes effect.
			if lit, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
				for _, a := range n.Args {
					visit(a)
				}
				// called in place: inherits the state
				u.funcLitCtx(lit, &Context{Kind: CtxNormal, Parent: u.ctx, Func: lit}, *st)
			} else if lit := u.e.inlineCall(n); lit != nil {
				for _, a := range n.Args {
					visit(a)
				}
				u.funcLitCtx(lit, &Context{Kind: CtxNormal, Parent: u.ctx, Func: lit}, *st)
				for _, o := range u.litOps(lit) {
					*st = apply(*st, o) // its lock operations take effect here
				}
			} else {
				visit(n.Fun)
				for _, a := range n.Args {
					visit(a)
				}
				u.applyCall(n, st)
			}
		case *ast.AssignStmt:
			// Right-hand sides are evaluated first.
			for _, r := range n.Rhs {
				visit(r)
			}
			for _, l := range n.Lhs {
				visit(l)
			}
		default:
			ast.Walk(children, n)
		}
		stack = stack[:len(stack)-1]
	}
	visit(root)
}

// parentVisitor and childVisitor call visit on each child of the node
// ast.Walk starts at, and do not descend further.
type parentVisitor struct{ children childVisitor }

func (p parentVisitor) Visit(ast.Node) ast.Visitor { return p.children }

type childVisitor struct{ visit *func(ast.Node) }

func (c childVisitor) Visit(n ast.Node) ast.Visitor {
	if n != nil {
		(*c.visit)(n)
	}
	return nil
}

func (u *unit) callArgs(c *ast.CallExpr, st *State, stack *[]ast.Node) {
	for _, a := range c.Args {
		u.walkNode(a, st, *stack, true)
	}
}

func (u *unit) applyCall(c *ast.CallExpr, st *State) {
	if u.e.noLockOps {
		return // no call of the body locks, unlocks or has lock effects
	}
	for _, o := range u.callOps(c) {
		u.v.LockOp(o.pos, o.key, o.op, *st, u.ctx, false, o.call)
		*st = apply(*st, o)
	}
	if k, op, ok := u.e.lockCall(c); ok && (op == OpTryLock || op == OpTryRLock) {
		u.v.LockOp(c.Pos(), k, op, *st, u.ctx, false, nil)
	}
}

func (u *unit) deferStmt(d *ast.DeferStmt, st *State, stack []ast.Node) {
	if !u.v.Node(d, stack[:len(stack)-1], *st, u.ctx) {
		return
	}
	// The deferred call's arguments are evaluated now.
	for _, a := range d.Call.Args {
		u.walkNode(a, st, stack, true)
	}
	if lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
		// Deferred closure: its lock operations are reported here, as
		// deferred; its body is walked at each exit, where it runs (in a
		// body without a CFG, the state is the same everywhere: walk it now).
		sub := &unit{e: u.e, body: lit.Body, ctx: &Context{Kind: CtxNormal, Parent: u.ctx, Func: lit}, v: lockOnly{u.v}}
		sub.run(*st)
		if u.g == nil {
			nodes := &unit{e: u.e, body: lit.Body, ctx: &Context{Kind: CtxNormal, Parent: u.ctx, Func: lit}, v: nodeOnly{u.v}}
			nodes.run(*st)
		} else {
			// Locks held here whose deferred unlock is already
			// registered are still held when the closure runs (defers
			// run last in, first out), whatever other paths do.
			var pinned []Held
			idx := u.deferIndex(d)
			for _, h := range *st {
				if !h.Must {
					continue
				}
				for _, od := range u.defers {
					if od.idx < idx && od.unlocks(h.Key) {
						pinned = append(pinned, h)
						break
					}
				}
			}
			u.defers = append(u.defers, deferredAt{idx: idx, lit: lit, pinned: pinned})
		}
		return
	}
	if k, op, ok := u.e.lockCall(d.Call); ok {
		u.v.LockOp(d.Call.Pos(), k, op, *st, u.ctx, true, nil)
		u.defers = append(u.defers, deferredAt{idx: u.deferIndex(d), ops: []effectAt{{pos: d.Call.Pos(), key: k, op: op}}})
		return
	}
	// A deferred call runs at exit, usually still under the locks held
	// here (defer mu.Unlock() registered earlier runs after it).
	u.v.Node(d.Call, stack, *st, u.ctx)
	if u.e.Effects != nil {
		var ops []effectAt
		for _, ef := range u.e.Effects(d.Call) {
			u.v.LockOp(d.Call.Pos(), ef.Key, ef.Op, *st, u.ctx, true, d.Call)
			ops = append(ops, effectAt{pos: d.Call.Pos(), key: ef.Key, op: ef.Op, call: d.Call})
		}
		if len(ops) > 0 && u.g != nil {
			u.defers = append(u.defers, deferredAt{idx: u.deferIndex(d), ops: ops})
		}
	}
	u.walkNode(d.Call.Fun, st, stack, true)
}

// deferIndex returns the source-order index of a defer statement.
func (u *unit) deferIndex(d *ast.DeferStmt) int {
	if i, ok := u.deferIdx[d]; ok {
		return i
	}
	return -1
}

func (u *unit) funcLit(lit *ast.FuncLit, stack []ast.Node, st State, _ bool) {
	ctx := &Context{Kind: CtxUnknown, Parent: u.ctx, Func: lit}
	var entry State
	if len(stack) > 0 {
		if _, ok := stack[len(stack)-1].(*ast.ReturnStmt); ok {
			// A returned literal (an iterator, a getter) runs later in the
			// caller, without this function's locks: ordinary code that
			// holds nothing on entry.
			ctx.Kind = CtxNormal
		}
		if call, ok := stack[len(stack)-1].(*ast.CallExpr); ok && call.Fun != lit {
			kind := u.callbackKind(call)
			if u.e.Goes != nil {
				for i, arg := range call.Args {
					if ast.Unparen(arg) == lit && u.e.Goes(call, i) {
						kind = CtxGoroutine
					}
				}
			}
			if u.e.Stores != nil && kind == CtxNormal {
				for i, arg := range call.Args {
					if ast.Unparen(arg) == lit && u.e.Stores(call, i) {
						kind = CtxUnknown
					}
				}
			}
			switch kind {
			case CtxUnknown:
				// stored by the callee, to run later: like a stored literal
			case CtxOnce:
				ctx.Kind = CtxOnce
			case CtxGoroutine:
				ctx.Kind = CtxGoroutine
				ctx.GoPos = call.Pos()
				ctx.GoHeld = st
				if fn := Callee(u.e.Info, call); fn != nil && QualifiedName(fn) == "sync.WaitGroup.Go" {
					// wg.Go(f) while holding locks, joined before they
					// are released: f runs under them
					entry = u.lent(call, call, lit, st, true)
				}
			default:
				// A callback passed to a call runs synchronously, under the
				// caller's locks (sort.Slice, slices.SortFunc, a withLock helper).
				ctx.Kind = CtxNormal
				entry = st
				if u.e.CallbackHeld != nil {
					// locks the callee holds while calling back
					for i, arg := range call.Args {
						if ast.Unparen(arg) == lit {
							for _, h := range u.e.CallbackHeld(call, i) {
								h.At = call.Pos()
								entry = entry.with(h)
							}
						}
					}
				}
			}
		}
	}
	u.funcLitCtx(lit, ctx, entry)
}

func (u *unit) funcLitCtx(lit *ast.FuncLit, ctx *Context, entry State) {
	if !u.v.Node(lit, nil, entry, ctx) {
		return
	}
	sub := &unit{e: u.e, body: lit.Body, ctx: ctx, v: u.v}
	sub.run(entry)
}

// callbackKind classifies the function a literal is passed to.
func (u *unit) callbackKind(call *ast.CallExpr) CtxKind {
	fn := Callee(u.e.Info, call)
	if fn == nil || fn.Pkg() == nil {
		return CtxNormal
	}
	switch QualifiedName(fn) {
	case "sync.Once.Do", "sync.OnceFunc", "sync.OnceValue", "sync.OnceValues":
		return CtxOnce
	}
	if GoroutineStarter(fn) {
		return CtxGoroutine
	}
	return CtxNormal
}

// GoroutineStarter reports whether fn runs the function passed to it in
// another goroutine, later (time.AfterFunc, context.AfterFunc, a
// finalizer or cleanup) or at once (sync.WaitGroup.Go, errgroup's Go),
// not in the caller's flow.
func GoroutineStarter(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Name() {
	case "AfterFunc", "SetFinalizer", "AddCleanup", "Go":
	default:
		return false
	}
	switch QualifiedName(fn) {
	case "time.AfterFunc", "context.AfterFunc", "runtime.SetFinalizer", "runtime.AddCleanup",
		"sync.WaitGroup.Go", "golang.org/x/sync/errgroup.Group.Go":
		return true
	}
	return false
}

// Joined reports whether fn is a goroutine starter whose goroutines the
// caller usually waits for before going on (sync.WaitGroup.Go, errgroup's
// Go): started under a lock, they may run under it (see lent).
func Joined(fn *types.Func) bool {
	switch QualifiedName(fn) {
	case "sync.WaitGroup.Go", "golang.org/x/sync/errgroup.Group.Go":
		return true
	}
	return false
}

// QualifiedName returns fn's name qualified by its package path and, for a
// method, its receiver's type name: "sync.WaitGroup.Wait", "time.AfterFunc"
// ("" for a function without a package).
func QualifiedName(fn *types.Func) string {
	if fn.Pkg() == nil {
		return ""
	}
	return fn.Pkg().Path() + "." + recvName(fn) + fn.Name()
}

func recvName(fn *types.Func) string {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return ""
	}
	if n, ok := deref(sig.Recv().Type()).(*types.Named); ok {
		return n.Obj().Name() + "."
	}
	return ""
}

// Callee returns the statically called function or method, or nil.
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		fn, _ := info.Uses[f].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		if s, ok := info.Selections[f]; ok {
			if s.Kind() == types.MethodVal {
				fn, _ := s.Obj().(*types.Func)
				return fn
			}
			return nil
		}
		fn, _ := info.Uses[f.Sel].(*types.Func)
		return fn
	case *ast.IndexExpr: // generic instantiation f[T]
		return Callee(info, &ast.CallExpr{Fun: f.X})
	case *ast.IndexListExpr:
		return Callee(info, &ast.CallExpr{Fun: f.X})
	}
	return nil
}

// mayReturn reports whether a call can return (panic, os.Exit, log.Fatal
// and testing's Fatal/FailNow/Skip do not).
func (u *unit) mayReturn(call *ast.CallExpr) bool { return MayReturn(u.e.Info, call) }

// MayReturn reports whether a call may return: not panic, os.Exit,
// log.Fatal..., runtime.Goexit, t.Fatal... (the CFG's mayReturn).
func MayReturn(info *types.Info, call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "panic" {
			return false
		}
	}
	fn := Callee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return true
	}
	switch fn.Pkg().Path() + "." + fn.Name() {
	case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln",
		"runtime.Goexit", "testing.Fatal", "testing.Fatalf", "testing.FailNow", "testing.Skip", "testing.Skipf", "testing.SkipNow":
		return false
	}
	return true
}

// handedOver returns the locks held here (on every path) that a goroutine
// literal unlocks before locking them: the goroutine takes them over
// (go func() { s.flushColdBuf(); s.mtx.Unlock() }()), or nil.
// releasedAlways reports whether the goroutine literal lit releases k on
// every path: an unlock of k is a statement of its body, or deferred there,
// and k is neither locked nor unlocked before it. Only then has the
// starter handed the lock over for good; an unlock under a condition (or
// after the goroutine's own Lock) leaves it with the starter.
func (u *unit) releasedAlways(lit *ast.FuncLit, k Key) bool {
	for _, s := range lit.Body.List {
		var call *ast.CallExpr
		switch s := s.(type) {
		case *ast.ExprStmt:
			call, _ = ast.Unparen(s.X).(*ast.CallExpr)
		case *ast.DeferStmt:
			call = s.Call
		}
		if call != nil {
			if k2, op, ok := u.e.lockCall(call); ok && k2 == k {
				return op == OpUnlock || op == OpRUnlock
			}
		}
		// A statement that locks or unlocks k inside (a branch, a loop)
		// comes first: not a release on every path.
		if Contains(s, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return false
			}
			k2, _, ok := u.e.lockCall(call)
			return ok && k2 == k
		}) {
			return false
		}
	}
	return false
}

func (u *unit) handedOver(lit *ast.FuncLit, st State) State {
	var out State
	first := map[Key]bool{}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			k, op, ok := u.e.lockCall(n)
			if !ok || first[k] {
				return true
			}
			first[k] = true
			if op == OpUnlock || op == OpRUnlock {
				if h, held := st.Lookup(k); held && h.Must && h.Mode == op.Mode() {
					out = out.with(Held{Key: k, Mode: h.Mode, Must: true})
				}
			}
		}
		return true
	})
	return out
}
