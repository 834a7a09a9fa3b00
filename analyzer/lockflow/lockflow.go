// Package lockflow follows locks through the control flow of each function
// and through calls, and reports lock-protocol mistakes:
//
//	RA2001 lock not released on some path: a return or the end of the
//	       function reached holding a lock taken in the function, with no
//	       deferred unlock registered before it
//	RA2002 double lock in one function: Lock of a mutex already held (or
//	       Lock under its own RLock, RLock under its own Lock), and
//	       defer mu.Unlock() in a loop that locks mu on every iteration
//	RA2003 self-deadlock through a call: calling, while holding a mutex, a
//	       function that locks it (directly or through its own calls, in
//	       this package or another)
//	RA2004 recursive read lock through a call
//	RA2005 unlock of a mutex not held: a double unlock (also an explicit
//	       Unlock under a deferred one), or the wrong mode (Unlock of a
//	       read lock, RUnlock of a write lock)
//	RA2006 a guarded map or slice escapes its lock: returned itself while
//	       the lock is held (with a suggested fix returning maps.Clone or
//	       slices.Clone, for Go 1.21 and later), or a local alias used after
//	       the lock is released (ranged over, indexed, passed to a call)
//	RA2007 call of a function that requires a lock (a *Locked helper, or
//	       one documented as "r.mu must be held") without holding it; or of
//	       another package's function that leaves a parameter's guard to
//	       its callers, with a value that may be shared (owned.go)
//	RA2008 recursive read lock in one function
//
// Correct idioms are not reported: defer mu.Unlock() and deferred closures
// that unlock, Unlock/Lock around a blocking call inside a deferred-unlock
// region, TryLock (held only where it succeeded), one lock per loop
// iteration, a lock and deferred unlock taken once in a loop behind a local
// flag (if !locked { mu.Lock(); defer mu.Unlock(); locked = true }), branches that lock and unlock symmetrically, lock and unlock
// wrappers and their callers, a mutex handed to a callee or a closure that
// unlocks it, a returned release func, detach-then-release (swapping a
// guarded map for a new one under the lock and using the old one after
// Unlock), copy-on-write slices (only ever replaced, never modified in
// place), hand-over-hand locking.
//
// How the checks decide:
//
//   - RA2001 is not reported for functions that hold the lock at every exit
//     (lock wrappers), functions named as lock wrappers (lock, acquire,
//     grab), test files, or locks released by a nested closure. A lock held
//     on some paths only is reported only if the function never unlocks it.
//     A return that hands the lock to the caller with the returned value is
//     not reported: a value of a type of this package with a method that
//     releases the same mutex through a field (DB.Begin returning a *Tx
//     whose Commit unlocks t.db.rwlock), or one the doc comment says holds
//     the lock or must be released by the caller.
//   - RA2003 and RA2004 use a summary of the mutexes each function locks,
//     relative to its receiver and parameters (LocksFact, exported so that
//     calls into other packages are followed; lock sites of a mutex behind
//     an unexported field or variable that the package never holds at a
//     call or an exit are not exported: importers cannot hold it). Locks a function takes only
//     after releasing them first (unlock, wait, relock) are not in it, also when
//     the lock it released was its callers' (held on entry because every caller
//     holds it). A goroutine literal that unlocks a lock its starter holds takes
//     it over: the starter does not hold it after the go statement.
//     Callbacks count as called under the caller's locks only when the
//     callee's summary says it holds them while calling back.
//   - RA2007 resolves the required mutex from the doc comment ("s.mu must
//     be held", "c.in must be locked"), else for *Locked helpers the guard
//     of the fields the function uses, else the receiver's only mutex. The
//     call is reported where the protocol starts: an exported function, or
//     one that locks that mutex itself; unexported helpers are assumed to
//     be called with the lock held, and so are callbacks passed together
//     with a mutex or sync.Locker (withLock(mu, fn)). A function whose
//     callers own a parameter (lockstate's FuncInfo.CallerOwns) exports the
//     guards of the fields it accesses through it (LocksFact.Owns): a call
//     passing a value the caller allocated and has not yet stored, sent or
//     handed to a goroutine needs no lock.
//   - A lock taken in a function literal that defers its release is not
//     held after the literal returns; a call of an unlock func held in a
//     local variable (unlock := unlockOnce(&mu)) may release any lock.
//   - Locks whose root variable is reassigned or copied (i = parent) are
//     not tracked by the double-lock and unlock checks.
//
// The analysis is flow-sensitive within a function (see internal/lockstate)
// and path-insensitive. Its Result is a []checks.Finding reported by the
// regaudit analyzer.
package lockflow

import (
	"fmt"
	"github.com/regaudit/regaudit/internal/posorder"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/analyzer/lockstate"
	"github.com/regaudit/regaudit/internal/checks"
	"github.com/regaudit/regaudit/internal/lazyre"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

var Analyzer = &analysis.Analyzer{
	Name:       "lockflow",
	Doc:        "follow locks through the control flow and through calls",
	Run:        run,
	Requires:   []*analysis.Analyzer{lockstate.Analyzer, guards.Analyzer},
	ResultType: reflect.TypeFor[[]checks.Finding](),
	FactTypes:  []analysis.Fact{new(LocksFact)},
}

// LocksFact is a function's lock behaviour as seen by callers: the mutexes
// it locks (and usually unlocks again) directly or through its callees, and
// the mutexes its callers must hold.
type LocksFact struct {
	Locks    []LockSite
	Requires []ls.RelLock
	// RequiresWhy says how Requires was established ("its name", "its doc
	// comment", ...).
	RequiresWhy string
	// Owns lists the parameters a package-level function leaves to its
	// callers to synchronize (see ownedParams): they pass a value not
	// yet shared or hold its guard.
	Owns []OwnedParam
}

// A LockSite is one mutex a function locks.
type LockSite struct {
	Lock  ls.RelLock
	Where string // file:line of the Lock
	Via   string // the callee that locks it, "" if the function itself does
	// If is a necessary condition of the lock on a bool parameter (see
	// condOf): 0 for none, i+1 if it is taken only when parameter i
	// (receiver first) is true, -(i+1) only when it is false.
	If int
}

func (*LocksFact) AFact() {}

func (f *LocksFact) String() string {
	var parts []string
	for _, l := range f.Locks {
		s := "locks " + l.Lock.String()
		if l.Lock.Mode == ls.Shared {
			s = "rlocks " + l.Lock.String()
		}
		if l.Via != "" {
			s += " via " + l.Via
		}
		if l.If > 0 {
			s += fmt.Sprintf(" if $%d", l.If-1)
		} else if l.If < 0 {
			s += fmt.Sprintf(" if !$%d", -l.If-1)
		}
		parts = append(parts, s)
	}
	for _, r := range f.Requires {
		parts = append(parts, "requires "+r.String())
	}
	for _, o := range f.Owns {
		parts = append(parts, "owns "+o.Lock.String())
	}
	return strings.Join(parts, ", ")
}

func (f *LocksFact) empty() bool {
	return f == nil || (len(f.Locks) == 0 && len(f.Requires) == 0 && len(f.Owns) == 0)
}

// maxLocks bounds the lock sites kept per function.
const maxLocks = 8

type checker struct {
	releases map[*ls.FuncInfo][]ls.RelLock // see releasesOf
	pass     *analysis.Pass
	res      *lockstate.Result
	model    *guards.Model
	out      []checks.Finding

	local    map[*types.Func]*ls.FuncInfo
	facts    map[*types.Func]*LocksFact // local functions
	imported map[*types.Func]*LocksFact

	// syntax
	deferredLits map[*ast.FuncLit]bool
	argLits      map[*ast.FuncLit]*ast.CallExpr // function literals passed as call arguments
	retLits      map[*ast.FuncLit]bool          // function literals returned (run later, by the caller)
	returned     map[ast.Expr]*ast.ReturnStmt
	fileOf       map[*ast.FuncDecl]*ast.File
	es           *escapeSyntax
	unlockValues map[ls.Key]bool // mutexes whose Unlock method value is taken
	valueCalls   []*ast.CallExpr // calls of function-typed variables, in source order
	ownLocks     map[ownKey]bool // mutexes a function locks itself

	// lock ops by unit
	opsByCtx map[*ls.Context][]*lockstate.OpEvent
	cfgs     map[*ast.BlockStmt]*cfg.CFG // of unit bodies, built on demand (reaches)
	acqCtx   map[posKey]*ls.Context      // where each acquisition (At) happened
	acqOp    map[posKey]*lockstate.OpEvent
	exitsBy  map[*ls.Context][]*lockstate.ExitEvent
	// function literals that defer the unlock of a mutex
	litDeferUnlock map[ls.Key][]*ast.FuncLit
	// deferred ops by the unit whose exit runs them
	deferredBy map[*ls.Context][]*lockstate.OpEvent
}

type ownKey struct {
	fi  *ls.FuncInfo
	key ls.Key
}

type posKey struct {
	pos token.Pos
	key ls.Key
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[lockstate.Analyzer].(*lockstate.Result)
	model := pass.ResultOf[guards.Analyzer].(*guards.Model)
	if res.Skipped {
		return []checks.Finding(nil), nil
	}
	c := &checker{
		pass: pass, res: res, model: model,
		local:          map[*types.Func]*ls.FuncInfo{},
		facts:          map[*types.Func]*LocksFact{},
		imported:       map[*types.Func]*LocksFact{},
		deferredLits:   map[*ast.FuncLit]bool{},
		argLits:        map[*ast.FuncLit]*ast.CallExpr{},
		retLits:        map[*ast.FuncLit]bool{},
		returned:       map[ast.Expr]*ast.ReturnStmt{},
		fileOf:         map[*ast.FuncDecl]*ast.File{},
		opsByCtx:       map[*ls.Context][]*lockstate.OpEvent{},
		acqCtx:         map[posKey]*ls.Context{},
		acqOp:          map[posKey]*lockstate.OpEvent{},
		exitsBy:        map[*ls.Context][]*lockstate.ExitEvent{},
		deferredBy:     map[*ls.Context][]*lockstate.OpEvent{},
		litDeferUnlock: map[ls.Key][]*ast.FuncLit{},
		unlockValues:   map[ls.Key]bool{},
	}
	for _, fi := range res.Funcs {
		c.local[fi.Obj] = fi
		c.fileOf[fi.Decl] = fi.File
	}
	var es *escapeSyntax
	if needsEscapeSyntax(res) {
		es = newEscapeSyntax()
	}
	c.scanSyntax(es)
	if es == nil {
		es = &escapeSyntax{} // consulted only about lock operations, held locks and accesses
	}
	c.es = es
	c.ownLocks = map[ownKey]bool{}
	for _, op := range res.Ops {
		if op.Op.IsAcquire() {
			c.ownLocks[ownKey{op.Func, op.Key}] = true
		}
		c.opsByCtx[op.Ctx] = append(c.opsByCtx[op.Ctx], op)
		if op.Deferred {
			u := c.registeringUnit(op)
			c.deferredBy[u] = append(c.deferredBy[u], op)
			if lit, ok := u.Func.(*ast.FuncLit); ok && (op.Op == ls.OpUnlock || op.Op == ls.OpRUnlock) {
				c.litDeferUnlock[op.Key] = append(c.litDeferUnlock[op.Key], lit)
			}
		}
		if op.Op.IsAcquire() && !op.Deferred {
			c.acqCtx[posKey{op.Pos, op.Key}] = op.Ctx
			c.acqOp[posKey{op.Pos, op.Key}] = op
		}
	}
	for _, ex := range res.Exits {
		c.exitsBy[ex.Ctx] = append(c.exitsBy[ex.Ctx], ex)
	}

	c.summarize()
	c.notReleased()
	c.lockOps()
	c.deferInLoop()
	c.calls()
	c.escapes()

	sort.SliceStable(c.out, func(i, j int) bool { return posorder.Less(c.pass.Fset, c.out[i].Pos, c.out[j].Pos) })
	return dedupe(c.out), nil
}

// needsEscapeSyntax reports whether the package has lock operations,
// accesses, or calls or exits with a lock held: the only events the checks
// that consult the escape syntax look at.
func needsEscapeSyntax(res *lockstate.Result) bool {
	if len(res.Ops) > 0 || len(res.Accesses) > 0 {
		return true
	}
	for _, ce := range res.Calls {
		if len(ce.Before) > 0 {
			return true
		}
	}
	for _, ex := range res.Exits {
		if len(ex.State) > 0 {
			return true
		}
	}
	return false
}

func dedupe(fs []checks.Finding) []checks.Finding {
	type k struct {
		id  string
		pos token.Pos
		msg string
	}
	seen := map[k]bool{}
	var out []checks.Finding
	for _, f := range fs {
		kk := k{f.ID, f.Pos, f.Message}
		if seen[kk] {
			continue
		}
		seen[kk] = true
		out = append(out, f)
	}
	return out
}

// scanSyntax walks the files once for the syntax the checks look up, and
// fills es (if not nil) in the same walk.
//
// The bodies that lockstate did not walk (Uninteresting: no events) are
// skipped unless they name Unlock or RUnlock: everything else recorded
// here is looked up only with the syntax of events (their function
// literals, calls, accesses and units), while a method value r.Unlock
// names a mutex, maybe a package-level one, that other functions lock.
func (c *checker) scanSyntax(es *escapeSyntax) {
	info := c.pass.TypesInfo
	called := map[ast.Expr]bool{}
	visit := func(n ast.Node) bool {
		if es != nil {
			es.node(info, n)
		}
		switch n := n.(type) {
		case *ast.DeferStmt:
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok {
				c.deferredLits[lit] = true
			}
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && (sel.Sel.Name == "Unlock" || sel.Sel.Name == "RUnlock") {
				called[sel] = true // only these are looked up
			}
			if c.funcValueCall(n) {
				c.valueCalls = append(c.valueCalls, n)
			}
			for _, a := range n.Args {
				if lit, ok := ast.Unparen(a).(*ast.FuncLit); ok {
					c.argLits[lit] = n
				}
			}
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				switch r := ast.Unparen(r).(type) {
				case *ast.SelectorExpr, *ast.Ident: // an access's expression
					c.returned[r] = n
				case *ast.FuncLit:
					c.retLits[r] = true
				}
			}
		case *ast.SelectorExpr:
			// mu.Unlock as a method value: handed to someone else
			if n.Sel.Name == "Unlock" || n.Sel.Name == "RUnlock" {
				if k, _, ok := ls.LockCall(c.pass.TypesInfo, &ast.CallExpr{Fun: n}); ok && !called[n] {
					c.unlockValues[k] = true
				}
			}
		}
		return true
	}
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && c.skipBody(fd) {
				// as ast.Inspect(fd, visit), without the body
				if visit(fd) {
					if fd.Recv != nil {
						ast.Inspect(fd.Recv, visit)
					}
					ast.Inspect(fd.Type, visit)
				}
				continue
			}
			ast.Inspect(d, visit)
		}
	}
}

// skipBody reports whether scanSyntax can skip a function's body: one that
// lockstate did not walk and that names neither Unlock nor RUnlock.
func (c *checker) skipBody(fd *ast.FuncDecl) bool {
	if fd.Body == nil {
		return false
	}
	obj, _ := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
	fi := c.local[obj]
	return fi != nil && fi.Decl == fd && fi.Locals != nil && fi.Uninteresting && !fi.UnlockSelector
}

// registeringUnit returns the unit whose exit runs a deferred op.
func (c *checker) registeringUnit(op *lockstate.OpEvent) *ls.Context {
	if lit, ok := op.Ctx.Func.(*ast.FuncLit); ok && c.deferredLits[lit] && op.Ctx.Parent != nil {
		return op.Ctx.Parent
	}
	return op.Ctx
}

// ---------------------------------------------------------------------------
// Summaries (facts)

func (c *checker) lookupVar(pkg, name string) *types.Var {
	if pkg == c.pass.Pkg.Path() {
		v, _ := c.pass.Pkg.Scope().Lookup(name).(*types.Var)
		return v
	}
	for _, imp := range c.pass.Pkg.Imports() {
		if imp.Path() == pkg {
			v, _ := imp.Scope().Lookup(name).(*types.Var)
			return v
		}
	}
	return nil
}

// calleeFact returns the LocksFact of a call's static callee and the callee.
func (c *checker) calleeFact(call *ast.CallExpr) (*LocksFact, *types.Func) {
	fn := ls.Callee(c.pass.TypesInfo, call)
	if fn == nil {
		return nil, nil
	}
	fn = fn.Origin()
	if c.local[fn] != nil {
		return c.facts[fn], fn
	}
	if fn.Pkg() == nil || fn.Pkg() == c.pass.Pkg {
		return nil, fn
	}
	if f, ok := c.imported[fn]; ok {
		return f, fn
	}
	f := new(LocksFact)
	if !c.pass.ImportObjectFact(fn, f) {
		f = nil
	}
	c.imported[fn] = f
	return f, fn
}

// plainCtx reports whether code in ctx runs synchronously as part of the
// function's own execution (not in a goroutine or a stored closure).
func plainCtx(ctx *ls.Context) bool {
	for ; ctx != nil; ctx = ctx.Parent {
		if ctx.Kind != ls.CtxNormal && ctx.Kind != ls.CtxOnce {
			return false
		}
	}
	return true
}

// inCallback reports whether code of ctx is in a function literal passed
// to a call, which may run later rather than during the call.
func (c *checker) inCallback(ctx *ls.Context) bool {
	for ; ctx != nil; ctx = ctx.Parent {
		if lit, ok := ctx.Func.(*ast.FuncLit); ok && c.argLits[lit] != nil {
			return true
		}
	}
	return false
}

// inReturned reports whether code of ctx is in a function literal the
// function returns (a cancel or release func): it runs when the caller
// calls it, after the function returned, not as part of the call.
func (c *checker) inReturned(ctx *ls.Context) bool {
	for ; ctx != nil; ctx = ctx.Parent {
		if lit, ok := ctx.Func.(*ast.FuncLit); ok && c.retLits[lit] {
			return true
		}
	}
	return false
}

func (c *checker) where(p token.Pos) string {
	pp := c.pass.Fset.Position(p)
	return fmt.Sprintf("%s:%d", filepath.Base(pp.Filename), pp.Line)
}

// summarize computes the LocksFact of every local function (to a fixpoint
// over calls) and exports the non-empty ones.
func (c *checker) summarize() {
	info := c.pass.TypesInfo
	callsBy := map[*ls.FuncInfo][]*lockstate.CallEvent{}
	for _, ce := range c.res.Calls {
		if plainCtx(ce.Ctx) && !c.inCallback(ce.Ctx) && !c.inReturned(ce.Ctx) {
			callsBy[ce.Func] = append(callsBy[ce.Func], ce)
		}
	}
	opsBy := map[*ls.FuncInfo][]*lockstate.OpEvent{}
	for _, op := range c.res.Ops {
		if op.Via == nil && (op.Op == ls.OpLock || op.Op == ls.OpRLock) && plainCtx(op.Ctx) && !c.inCallback(op.Ctx) && !c.inReturned(op.Ctx) {
			opsBy[op.Func] = append(opsBy[op.Func], op)
		}
	}
	// held reports whether k is held before a lock op or call in a way
	// that stops propagation (a lock taken in the function itself, or held
	// on entry by declaration); locks held on entry because every caller
	// holds them (inferred) pass through, to be reported at the callers.
	held := func(fi *ls.FuncInfo, st ls.State, k ls.Key) bool {
		h, ok := st.Lookup(k)
		return ok && (h.At.IsValid() || !fi.EntryFromCallers())
	}
	// relocked reports whether k, held on entry of fi (its callers hold
	// it), is held on no path before a lock op or call: fi released its
	// callers' lock itself first (unlock, wait, relock), so what it locks
	// there is not locked under them.
	relocked := func(fi *ls.FuncInfo, st ls.State, k ls.Key) bool {
		if _, onEntry := fi.Entry.Lookup(k); !onEntry {
			return false
		}
		_, held := st.Lookup(k)
		return !held
	}
	excluded := func(fi *ls.FuncInfo, k ls.Key) bool {
		if _, ok := fi.Entry.Lookup(k); ok && !fi.EntryFromCallers() {
			return true
		}
		if fi.CallerUnlocks[k] {
			return true // unlock-then-relock: the caller holds it
		}
		if fi.Summary != nil {
			for _, r := range fi.Summary.Releases {
				if kk, ok := ls.FromParams(fi.Params, r, c.lookupVar); ok && kk == k {
					return true // unlock-then-relock: the caller holds it
				}
			}
			for _, r := range fi.Summary.Requires {
				if kk, ok := ls.FromParams(fi.Params, r, c.lookupVar); ok && kk == k {
					return true
				}
			}
		}
		return false
	}
	add := func(f *LocksFact, s LockSite) bool {
		for i, x := range f.Locks {
			if x.Lock == s.Lock {
				if x.If != 0 && x.If != s.If {
					// locked under another condition too: under none
					f.Locks[i].If = 0
					return true
				}
				return false
			}
		}
		if len(f.Locks) >= maxLocks {
			return false
		}
		f.Locks = append(f.Locks, s)
		return true
	}
	for _, fi := range c.res.Funcs {
		f := &LocksFact{}
		c.facts[fi.Obj] = f
		if fi.Summary != nil && len(fi.Summary.Requires) > 0 {
			f.Requires = c.filterRequires(fi, fi.Summary.Requires)
			f.RequiresWhy = requiresWhy(fi)
		} else if r, ok := c.docRequired(fi); ok && !(fi.RequiresDoc == "" && c.locksItself(fi, r)) {
			f.Requires = []ls.RelLock{r}
			f.RequiresWhy = requiresWhy(fi)
		} else if ok {
			// a *locked name, and the function takes that lock itself
		} else if fi.RequiresDoc == "" && fi.NotConcurrent != "" && !fi.Test && fi.NotConcurrent != "init" && !docTalksLocks(fi) {
			if r, ok := c.resolveRequired(fi); ok && !c.locksItself(fi, r) {
				f.Requires = []ls.RelLock{r}
				f.RequiresWhy = requiresWhy(fi)
			}
		}
		for _, op := range opsBy[fi] {
			if held(fi, op.Before, op.Key) || excluded(fi, op.Key) || relocked(fi, op.Before, op.Key) {
				continue
			}
			if r, ok := ls.ToRel(fi.Params, op.Key, op.Op.Mode()); ok {
				add(f, LockSite{Lock: r, Where: c.where(op.Pos), If: c.condOf(fi, op.Pos)})
			}
		}
	}
	// The callee facts of the calls, looked up once: local ones grow in
	// place from round to round.
	type factCall struct {
		ce *lockstate.CallEvent
		cf *LocksFact
		fn *types.Func
	}
	factCalls := map[*ls.FuncInfo][]factCall{}
	for fi, ces := range callsBy {
		for _, ce := range ces {
			if cf, fn := c.calleeFact(ce.Call); cf != nil && fn != fi.Obj {
				factCalls[fi] = append(factCalls[fi], factCall{ce, cf, fn})
			}
		}
	}
	for round := 0; round < 6; round++ {
		changed := false
		for _, fi := range c.res.Funcs {
			f := c.facts[fi.Obj]
			for _, fc := range factCalls[fi] {
				ce, cf, fn := fc.ce, fc.cf, fc.fn
				for _, l := range cf.Locks {
					k, ok := ls.ToCaller(info, ce.Call, l.Lock, c.lookupVar)
					if !ok {
						continue
					}
					if held(fi, ce.Before, k) || excluded(fi, k) || relocked(fi, ce.Before, k) {
						continue
					}
					cond, locks := c.argCond(fi, ce.Call, l.If)
					if !locks {
						continue // the argument makes the callee skip the lock
					}
					if cond == 0 {
						cond = c.condOf(fi, ce.Call.Pos())
					}
					r, ok := ls.ToRel(fi.Params, k, l.Lock.Mode)
					if !ok {
						continue
					}
					via := fn.Name()
					if l.Via != "" {
						via += " → " + l.Via
					}
					if strings.Count(via, "→") > 3 {
						continue
					}
					if add(f, LockSite{Lock: r, Where: l.Where, Via: via, If: cond}) {
						changed = true
					}
				}
			}
		}
		if !changed {
			break
		}
	}
	c.ownedParams()
	var handed map[string]bool
	for _, fi := range c.res.Funcs {
		// Other packages can call only exported functions and methods,
		// the latter only of types they can reach (ls.API): facts on the
		// others would only be encoded and decoded again by every
		// importer (go vet re-exports method facts transitively). Those
		// of test files only external test packages can call, whose
		// findings are all in test files (not reported).
		if f := c.facts[fi.Obj]; !f.empty() && !fi.Test && c.res.API.Callable(fi.Obj) {
			if f = c.exported(fi, f, &handed); !f.empty() {
				c.pass.ExportObjectFact(fi.Obj, f)
			}
		}
	}
}

// docTalksLocks reports whether a function's doc comment speaks of locks
// in words not understood ("the dc.db's Mutex is held", "the lock on dc"):
// then the mutex is not guessed.
func docTalksLocks(fi *ls.FuncInfo) bool {
	if fi.Decl.Doc == nil {
		return false
	}
	for _, w := range words(strings.NewReplacer(".", " ", ",", " ", "'", " ").Replace(fi.Decl.Doc.Text())) {
		switch w {
		case "held", "hold", "holds", "holding", "lock", "locks", "locked", "mutex", "mu":
			return true
		}
	}
	return false
}

func requiresWhy(fi *ls.FuncInfo) string {
	if fi.RequiresDoc != "" {
		return fmt.Sprintf("its doc comment says %q", strings.TrimSuffix(fi.RequiresDoc, "."))
	}
	return "its name says the caller holds the lock"
}

// filterRequires keeps, of the mutexes resolved from a "must be held" doc
// comment, those whose root the comment names ("p.mu" is p's mu, not the
// mu of another parameter).
func (c *checker) filterRequires(fi *ls.FuncInfo, rs []ls.RelLock) []ls.RelLock {
	if fi.Decl.Doc == nil {
		return rs
	}
	named := map[string]bool{}
	for _, m := range qualifiedRe.FindAllStringSubmatch(fi.Decl.Doc.Text(), -1) {
		named[m[1]] = true
	}
	roots := map[int]bool{}
	for i, p := range fi.Params {
		if p != nil && named[p.Name()] {
			roots[i] = true
		}
	}
	if len(roots) == 0 {
		return rs
	}
	var out []ls.RelLock
	for _, r := range rs {
		if r.Param < 0 || roots[r.Param] {
			out = append(out, r)
		}
	}
	return out
}

var qualifiedRe = lazyre.New(`\b([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)`)

// docRequired resolves a "must be held" doc comment that names the mutex
// as a path from a parameter or a package-level mutex ("s.mu", "c.in",
// "driversMu"), when the lock-state analysis could not.
func (c *checker) docRequired(fi *ls.FuncInfo) (ls.RelLock, bool) {
	if fi.Decl.Doc == nil || fi.Test || (fi.RequiresDoc == "" && !strings.Contains(fi.NotConcurrent, "name")) {
		return ls.RelLock{}, false
	}
	doc := fi.Decl.Doc.Text()
	var found []ls.RelLock
	for _, m := range qualifiedRe.FindAllStringSubmatch(doc, -1) {
		path := strings.TrimRight(m[2], ".")
		for i, p := range fi.Params {
			if p == nil || p.Name() != m[1] {
				continue
			}
			if mp, ok := mutexPath(p.Type(), path); ok {
				found = append(found, ls.RelLock{Param: i, Path: mp, Mode: ls.Exclusive})
			}
		}
	}
	for _, w := range strings.FieldsFunc(doc, func(r rune) bool {
		return !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		if v, ok := c.pass.Pkg.Scope().Lookup(w).(*types.Var); ok && ls.IsMutexType(v.Type()) {
			found = append(found, ls.RelLock{Param: -1, Pkg: c.pass.Pkg.Path(), Var: v.Name(), Mode: ls.Exclusive})
		}
	}
	if len(found) == 0 {
		return ls.RelLock{}, false
	}
	for _, r := range found[1:] {
		if r != found[0] {
			return ls.RelLock{}, false
		}
	}
	return found[0], true
}

// mutexPath follows a field path from t; it returns the path to a mutex
// (the path itself, or its embedded Mutex/RWMutex).
func mutexPath(t types.Type, path string) (string, bool) {
	for _, name := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		st, ok := derefStruct(t)
		if !ok {
			return "", false
		}
		var next types.Type
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Name() == name {
				next = st.Field(i).Type()
			}
		}
		if next == nil {
			return "", false
		}
		t = next
	}
	if ls.IsMutexType(t) {
		if _, iface := t.Underlying().(*types.Interface); iface {
			return "", false
		}
		return path, true
	}
	// a struct embedding a mutex: "c.in must be locked"
	st, ok := derefStruct(t)
	if !ok {
		return "", false
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if f.Embedded() && ls.IsMutexType(f.Type()) {
			return path + "." + f.Name(), true
		}
	}
	return "", false
}

// throughPointer reports an access to a field of another object, reached
// through a pointer field (c.r.hasByte): a *Locked helper's name speaks of
// its own lock, not of the locks of the objects it points to.
func (c *checker) throughPointer(a *ls.Access) bool {
	sel, ok := ast.Unparen(a.Expr).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x := ast.Unparen(sel.X)
	if _, ok := x.(*ast.Ident); ok {
		return false
	}
	_, ptr := c.pass.TypesInfo.TypeOf(x).Underlying().(*types.Pointer)
	return ptr
}

// resolveRequired finds the mutex a *Locked helper (or a function
// documented as called with "the lock" held) requires when the comment does
// not name it: the only mutex of its receiver, or the common guard of the
// guarded fields it accesses through a parameter.
func (c *checker) resolveRequired(fi *ls.FuncInfo) (ls.RelLock, bool) {
	if fi.RequiresDoc == "" && !strings.Contains(strings.ToLower(fi.Decl.Name.Name), "locked") {
		return ls.RelLock{}, false
	}
	// guards of the fields accessed
	var found *ls.RelLock
	conflict := false
	for _, a := range c.res.Accesses {
		if a.Func != fi {
			continue
		}
		g := c.model.Guards[a.Obj]
		if g == nil || !g.Reportable() || c.throughPointer(a) {
			continue
		}
		k, ok := g.KeyAt(a)
		if !ok {
			continue
		}
		r, ok := ls.ToRel(fi.Params, k, ls.Exclusive)
		if !ok {
			continue
		}
		if found != nil && (found.Param != r.Param || found.Path != r.Path || found.Var != r.Var || found.Pkg != r.Pkg) {
			conflict = true
			break
		}
		found = &r
	}
	if found != nil && !conflict {
		return *found, true
	}
	if conflict || len(fi.Params) == 0 || fi.Decl.Recv == nil {
		return ls.RelLock{}, false
	}
	// the receiver's only mutex (counting those of nested structs)
	st, ok := derefStruct(fi.Params[0].Type())
	if !ok {
		return ls.RelLock{}, false
	}
	var paths []string
	var walk func(st *types.Struct, prefix string, depth int)
	walk = func(st *types.Struct, prefix string, depth int) {
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			t := types.Unalias(f.Type())
			if ls.IsMutexType(t) {
				if _, isPtr := t.(*types.Pointer); isPtr {
					paths = append(paths, "") // shared with something else: ambiguous
					continue
				}
				if _, isIface := t.Underlying().(*types.Interface); isIface {
					paths = append(paths, "")
					continue
				}
				paths = append(paths, prefix+"."+f.Name())
				continue
			}
			if depth < 2 {
				if inner, ok := t.Underlying().(*types.Struct); ok {
					walk(inner, prefix+"."+f.Name(), depth+1)
				}
			}
		}
	}
	walk(st, "", 0)
	if len(paths) != 1 || paths[0] == "" {
		return ls.RelLock{}, false
	}
	return ls.RelLock{Param: 0, Path: paths[0], Mode: ls.Exclusive}, true
}

// locksItself reports whether fi locks or read-locks r itself (outside
// function literals, directly or through a callee's summary) without
// having released it first: a function named "...locked" that takes the
// lock (locked() locking fs.lock and returning the unlock, lockedGet
// locking and deferring the unlock) would deadlock if its caller held it,
// so its name cannot say that the caller does. A helper that releases its
// caller's lock and takes it again (unlock, wait, relock) still requires
// it.
func (c *checker) locksItself(fi *ls.FuncInfo, r ls.RelLock) bool {
	k, ok := ls.FromParams(fi.Params, r, c.lookupVar)
	if !ok || fi.CallerUnlocks[k] {
		return false
	}
	for _, op := range c.res.Ops {
		if op.Func == fi && op.Key == k && (op.Op == ls.OpLock || op.Op == ls.OpRLock) && !op.Deferred && plainCtx(op.Ctx) {
			return true
		}
	}
	return false
}

func derefStruct(t types.Type) (*types.Struct, bool) {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

// ---------------------------------------------------------------------------
// helpers for messages

func (c *checker) line(p, ref token.Pos) string {
	if !p.IsValid() {
		return "entry"
	}
	pp := c.pass.Fset.Position(p)
	if c.pass.Fset.Position(ref).Filename == pp.Filename {
		return fmt.Sprintf("line %d", pp.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(pp.Filename), pp.Line)
}

// heldWhere describes where a held lock was taken.
func (c *checker) heldWhere(h ls.Held, ref token.Pos) string {
	if !h.At.IsValid() {
		return "held on entry"
	}
	verb := "locked"
	if h.Mode == ls.Shared {
		verb = "read-locked"
	}
	return verb + " at " + c.line(h.At, ref)
}

func (c *checker) report(id string, pos, end token.Pos, format string, args ...any) *checks.Finding {
	c.out = append(c.out, checks.Finding{ID: id, Pos: pos, End: end, Message: fmt.Sprintf(format, args...)})
	return &c.out[len(c.out)-1]
}

func funcName(fn *types.Func) string {
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		t := sig.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Name()
}

// callName renders the called function as written, e.g. "r.get" or
// "registry.Lookup".
func callName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := ast.Unparen(f.X).(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
		return f.Sel.Name
	case *ast.IndexExpr:
		return callName(&ast.CallExpr{Fun: f.X})
	case *ast.IndexListExpr:
		return callName(&ast.CallExpr{Fun: f.X})
	}
	return "the function"
}

// GobEncode implements gob.GobEncoder (see internal/lockstate's fact codec).
func (f *LocksFact) GobEncode() ([]byte, error) {
	var e ls.Enc
	e.Int(len(f.Locks))
	for _, l := range f.Locks {
		e.Rel(l.Lock)
		e.String(l.Where)
		e.String(l.Via)
		e.Int(l.If)
	}
	e.Rels(f.Requires)
	e.String(f.RequiresWhy)
	e.Int(len(f.Owns))
	for _, o := range f.Owns {
		e.Rel(o.Lock)
		e.String(o.Name)
		e.String(o.Field)
		e.String(o.Verb)
		e.String(o.Guard)
	}
	return e.Bytes(), nil
}

// GobDecode implements gob.GobDecoder.
func (f *LocksFact) GobDecode(b []byte) error {
	d := ls.NewDec(b)
	*f = LocksFact{}
	if n := d.Len(); n > 0 {
		f.Locks = make([]LockSite, n)
		for i := range f.Locks {
			f.Locks[i].Lock = d.Rel()
			f.Locks[i].Where = d.String()
			f.Locks[i].Via = d.String()
			f.Locks[i].If = d.Int()
		}
	}
	f.Requires = d.Rels()
	f.RequiresWhy = d.String()
	if n := d.Len(); n > 0 {
		f.Owns = make([]OwnedParam, n)
		for i := range f.Owns {
			o := &f.Owns[i]
			o.Lock = d.Rel()
			o.Name = d.String()
			o.Field = d.String()
			o.Verb = d.String()
			o.Guard = d.String()
		}
	}
	return d.Done()
}
