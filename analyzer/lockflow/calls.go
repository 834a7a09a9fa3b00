package lockflow

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/regaudit/regaudit/analyzer/lockstate"
	"github.com/regaudit/regaudit/internal/checks"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// calls reports calls of functions that lock a mutex the caller holds
// (RA2003, RA2004) and calls of functions that require a lock the caller
// does not hold (RA2007).
func (c *checker) calls() {
	info := c.pass.TypesInfo
	for _, ce := range c.res.Calls {
		f, fn := c.calleeFact(ce.Call)
		if f.empty() {
			continue
		}
		if ce.Ctx.Inside(ls.CtxUnknown) {
			continue // a stored closure: when it runs and under which locks is unknown
		}
		c.deadlock(ce, f, fn, info)
		c.required(ce, f, fn, info)
		c.owned(ce, f, fn, info)
	}
}

// trustHeld reports whether a lock held (per the state) at code of ctx is
// really held when that code runs. Function literals passed to a call
// may run later (t.Cleanup, a registry of handlers), deferred closures run
// at exit, possibly after an explicit Unlock: there, only locks taken
// inside the literal count, or those the callee's summary says it holds
// while calling back.
func (c *checker) trustHeld(ctx *ls.Context, h ls.Held) bool {
	if c.releasedByLitDefer(h) {
		return false
	}
	for ; ctx != nil; ctx = ctx.Parent {
		lit, ok := ctx.Func.(*ast.FuncLit)
		if !ok {
			continue
		}
		if within(h.At, lit) {
			return true
		}
		if call := c.argLits[lit]; call != nil {
			return h.At == call.Pos()
		}
		if c.deferredLits[lit] {
			return false
		}
	}
	return true
}

// lockedCallback reports whether code of ctx is in a function literal
// passed to a call together with a mutex or sync.Locker (withLock(mu, fn),
// withLock(rs.closemu.RLocker(), fn)): it runs under that lock.
func (c *checker) lockedCallback(ctx *ls.Context) bool {
	for ; ctx != nil; ctx = ctx.Parent {
		lit, ok := ctx.Func.(*ast.FuncLit)
		if !ok {
			continue
		}
		call := c.argLits[lit]
		if call == nil {
			continue
		}
		for _, a := range call.Args {
			if t := c.pass.TypesInfo.TypeOf(a); t != nil && ls.IsMutexType(t) {
				return true
			}
		}
	}
	return false
}

// releasedByLitDefer reports whether h was acquired inside a function
// literal that defers its release: when the literal is called in place or
// through a local variable, the lock is released by the time it returns,
// even if the state (which applies the literal's lock operations at its
// call sites) still shows it held.
func (c *checker) releasedByLitDefer(h ls.Held) bool {
	for _, lit := range c.litDeferUnlock[h.Key] {
		if within(h.At, lit) {
			return true
		}
	}
	return false
}

// inferredEntry reports whether h is held on entry of fi only because
// every caller holds it: calls made under it are reported at the callers.
func inferredEntry(fi *ls.FuncInfo, h ls.Held) bool {
	return !h.At.IsValid() && fi.EntryFromCallers()
}

func (c *checker) deadlock(ce *lockstate.CallEvent, f *LocksFact, fn *types.Func, info *types.Info) {
	for _, l := range f.Locks {
		if requires(f, l.Lock) {
			continue
		}
		if _, locks := c.argCond(nil, ce.Call, l.If); !locks {
			continue // the argument makes the callee skip the lock
		}
		k, ok := ls.ToCaller(info, ce.Call, l.Lock, c.lookupVar)
		if !ok {
			continue
		}
		h, ok := ce.Before.MustHold(k)
		if !ok {
			continue
		}
		held, _ := ce.Before.Lookup(k)
		if inferredEntry(ce.Func, held) {
			continue
		}
		if !c.trustHeld(ce.Ctx, held) || c.opaqueReleaseBetween(ce.Ctx, held.At, ce.Call.Pos()) {
			continue
		}
		name := callName(ce.Call)
		callee := fn.Name()
		how := "locks"
		if l.Lock.Mode == ls.Shared {
			how = "read-locks"
		}
		through := ""
		if l.Via != "" {
			through = " through " + l.Via
		}
		if h == ls.Shared && l.Lock.Mode == ls.Shared {
			c.report(checks.RecursiveRLockCall, ce.Call.Pos(), ce.Call.End(),
				"calls %s while holding the read lock of %s (%s), but %s read-locks %s again%s (%s): recursive read locking deadlocks when a writer is waiting",
				name, k, c.heldWhere(held, ce.Call.Pos()), callee, k, through, l.Where)
		} else {
			c.report(checks.DeadlockThroughCall, ce.Call.Pos(), ce.Call.End(),
				"calls %s while holding %s (%s), but %s %s %s%s (%s): this deadlocks",
				name, k, c.heldWhere(held, ce.Call.Pos()), callee, how, k, through, l.Where)
		}
		return
	}
}

func requires(f *LocksFact, r ls.RelLock) bool {
	for _, x := range f.Requires {
		if x.Param == r.Param && x.Pkg == r.Pkg && x.Var == r.Var && x.Path == r.Path {
			return true
		}
	}
	return false
}

func (c *checker) required(ce *lockstate.CallEvent, f *LocksFact, fn *types.Func, info *types.Info) {
	fi := ce.Func
	if len(f.Requires) == 0 || fi.Test || (fi.NotConcurrent != "" && fi.EntryWhy != "declared") {
		return
	}
	if ce.Ctx.Inside(ls.CtxOnce) || c.lockedCallback(ce.Ctx) {
		return
	}
	for _, r := range f.Requires {
		k, ok := ls.ToCaller(info, ce.Call, r, c.lookupVar)
		if !ok {
			continue
		}
		if fi.Locals[k.Root] {
			continue // a value allocated here, not yet shared
		}
		h, held := ce.Before.Lookup(k)
		if held && h.Must {
			continue
		}
		if sameFieldHeld(ce.Before, k) {
			continue // cc.mu held, cc.ccb.cc.mu required: most likely one lock
		}
		if c.releasedByCaller(fi, k) {
			continue // the caller itself is entered with k held
		}
		if !c.entryPoint(fi, k) {
			continue // a helper: its callers may hold the lock
		}
		why := f.RequiresWhy
		if why == "" {
			why = "its doc comment says the lock must be held"
		}
		if held {
			c.report(checks.RequiredLockMissing, ce.Call.Pos(), ce.Call.End(),
				"calls %s with %s held on some paths only, but %s requires it (%s)",
				callName(ce.Call), k, fn.Name(), why)
		} else {
			c.report(checks.RequiredLockMissing, ce.Call.Pos(), ce.Call.End(),
				"calls %s without holding %s, which %s requires (%s)",
				callName(ce.Call), k, fn.Name(), why)
		}
		return
	}
}

// entryPoint reports whether fi is where the protocol of lock k starts:
// an exported function or method (not of a type named *Locked, a view of
// a value whose lock is held), or one that locks k itself. Unexported
// helpers that do not lock k are usually called with k held by their
// callers.
func (c *checker) entryPoint(fi *ls.FuncInfo, k ls.Key) bool {
	if c.ownLocks[ownKey{fi, k}] {
		return true
	}
	if !fi.Obj.Exported() {
		return false
	}
	if len(fi.Params) > 0 && fi.Decl.Recv != nil {
		t := types.Unalias(fi.Params[0].Type())
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok && strings.HasSuffix(n.Obj().Name(), "Locked") {
			return false
		}
	}
	return true
}

// releasedByCaller reports whether fi unlocks k without having locked it
// (an unlock helper, or a function its callers enter with k held).
func (c *checker) releasedByCaller(fi *ls.FuncInfo, k ls.Key) bool {
	if fi.Summary == nil {
		return false
	}
	for _, r := range fi.Summary.Releases {
		if kk, ok := ls.FromParams(fi.Params, r, c.lookupVar); ok && kk == k {
			return true
		}
	}
	return false
}

// sameFieldHeld reports whether another lock held (on every path) is the
// same mutex field as k, reached by another path: cc.mu and cc.ccb.cc.mu,
// through a back pointer, are most likely the same lock.
func sameFieldHeld(st ls.State, k ls.Key) bool {
	f := k.LastField()
	if f == nil {
		return false
	}
	for _, h := range st.Must() {
		if h.Key != k && h.Key.LastField() == f {
			return true
		}
	}
	return false
}
