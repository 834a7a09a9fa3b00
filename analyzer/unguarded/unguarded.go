// Package unguarded finds accesses to lock-guarded fields and package
// variables made without their guard:
//
//	RA1001 unguarded read
//	RA1002 unguarded write
//	RA1003 write while only the read lock is held
//	RA1004 access while another mutex is held but not the guard
//	RA1005 access in a goroutine started while the guard was held
//
// Guards come from analyzer/guards. Accesses outside concurrent code
// (constructors, init, sync.Once bodies, *Locked helpers and functions
// documented as called with the lock held, test files) are not reported,
// nor accesses ordered without a mutex: made before the go statements that
// start every other access (order.go), read in a channel-semaphore
// section that makes every write (semaphore.go), read by the one
// goroutine of a value that makes every write (soleowner.go), made by the
// goroutine that claimed a close every other critical section tests
// (claim.go), read once an atomic flag publishing every write was seen
// set (publish.go), or made by the holder of a value's last reference
// (refcount.go); nor copies of the reference of a map variable never
// reassigned, whose contents the copy reaches only under the guard
// (refcopy.go); nor reads of a field of a struct-valued field that
// nothing writes after construction (subfield.go); nor &x.f handed to a
// function of the package that dereferences that parameter only with the
// guard held (lockarg.go). A
// read in a goroutine whose starter holds the lock until it has waited for
// the goroutine is not an RA1005 (waited.go), nor is a write under the
// read lock that another mutex serializes with every access sharing that
// read lock an RA1003 (serialized.go), nor a read in a function documented
// as callable only after an operation of the package (callorder.go).
// Its Result is a *Result: the findings, reported by the regaudit
// analyzer, and the accesses judged ordered without the guard.
package unguarded

import (
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/internal/checks"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

var Analyzer = &analysis.Analyzer{
	Name:       "unguarded",
	Doc:        "find accesses to lock-guarded state made without the guard",
	Run:        run,
	Requires:   []*analysis.Analyzer{guards.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
}

// Result is what the unguarded family found.
type Result struct {
	Findings []checks.Finding
	// Ordered are the positions of accesses made without their guard that
	// an order other than a mutex makes safe (order.go, semaphore.go,
	// soleowner.go, claim.go, publish.go, refcount.go), or that do not reach the guarded contents
	// (refcopy.go): other families do not report them either.
	Ordered map[token.Pos]bool
}

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[guards.Analyzer].(*guards.Model)
	var out []checks.Finding
	ordered := map[token.Pos]bool{}
	type lineKey struct {
		obj  any
		file string
		line int
	}
	seen := map[lineKey]bool{}
	var order *startOrder // made on first use
	var sems *semaphores
	var pubs *publications
	var refs *refCopies
	var subs *subfields
	var orders *callOrders
	var owners *soleOwners
	var claims *closeClaims
	var args *lockArgs
	var byObj map[*types.Var][]*ls.Access // made on first use
	waited := newWaits(m.LS, pass.TypesInfo)
	writes := map[*types.Var][]*ls.Access{}
	for _, a := range m.LS.Accesses {
		if a.Kind == ls.Write && !a.Local && !a.Func.Construction() {
			writes[a.Obj] = append(writes[a.Obj], a)
		}
	}
	for _, a := range m.LS.Accesses {
		g := m.Guards[a.Obj]
		if g == nil || !guards.Concurrent(a) || !g.Reportable() {
			continue
		}
		if g.WriteOnly && a.Kind != ls.Write {
			continue
		}
		key, ok := g.KeyAt(a)
		if !ok || guards.CallersGuard(a, key) {
			continue
		}
		if guards.Explained(pass, a.Pos()) {
			continue
		}
		f, ok := check(pass, g, a, key, writes, waited)
		if !ok {
			continue
		}
		if f.ID == checks.WriteUnderRLock {
			if byObj == nil {
				byObj = map[*types.Var][]*ls.Access{}
				for _, b := range m.LS.Accesses {
					byObj[b.Obj] = append(byObj[b.Obj], b)
				}
			}
			if serializedWrite(pass.Pkg, g, a, key, m.LS.Candidates[a.Obj], byObj[a.Obj]) {
				continue // another mutex serializes it with the read-locked accesses
			}
		}
		if a.Kind == ls.Read {
			if args == nil {
				args = newLockArgs(pass.TypesInfo, pass.Pkg, m.LS.Funcs)
			}
			if args.handedOver(a, key) {
				ordered[a.Pos()] = true // &x.f for a callee that locks
				continue
			}
		}
		if a.Kind == ls.Read {
			if orders == nil {
				orders = newCallOrders(pass)
			}
			if orders.ordered(a) {
				ordered[a.Pos()] = true
				continue
			}
			if refs == nil {
				refs = newRefCopies(pass, m.LS)
			}
			if refs.confined(a, key) {
				ordered[a.Pos()] = true
				continue
			}
		}
		if subs == nil {
			subs = newSubfields(pass)
		}
		if subs.immutable(a, m.LS.Accesses) {
			ordered[a.Pos()] = true
			continue
		}
		if order == nil {
			order = newStartOrder(m.LS)
		}
		if order.beforeOthers(a) {
			ordered[a.Pos()] = true
			continue
		}
		if pubs == nil {
			pubs = newPublications(pass, m.LS)
		}
		if pubs.released(a) {
			ordered[a.Pos()] = true
			continue
		}
		if a.Kind == ls.Read {
			if sems == nil {
				sems = newSemaphores(pass, m.LS.Funcs)
			}
			if sems.serialized(a, writes[a.Obj]) || pubs.published(a, writes[a.Obj], g) {
				ordered[a.Pos()] = true
				continue
			}
			if owners == nil {
				owners = newSoleOwners(pass, m.LS)
			}
			if owners.ownWrites(a) {
				ordered[a.Pos()] = true
				continue
			}
		}
		if f.ID == checks.UnguardedRead || f.ID == checks.UnguardedWrite {
			if claims == nil {
				claims = newCloseClaims(pass, m.LS)
			}
			if claims.claimed(a, g) {
				ordered[a.Pos()] = true // the closer owns it
				continue
			}
		}
		p := pass.Fset.Position(a.Pos())
		lk := lineKey{a.Obj, p.Filename, p.Line}
		if seen[lk] {
			continue
		}
		seen[lk] = true
		out = append(out, f)
	}
	return &Result{Findings: out, Ordered: ordered}, nil
}

func check(pass *analysis.Pass, g *guards.Guard, a *ls.Access, key ls.Key, writes map[*types.Var][]*ls.Access, waited *waits) (checks.Finding, bool) {
	name := a.Obj.Name()
	evidence := g.Evidence(pass.Fset, a.Pos())
	guard := g.MutexName()
	verb := a.Verb
	f := checks.Finding{Pos: a.Expr.Pos(), End: a.Expr.End()}
	held, ok := a.Func.LookupHeld(a.Held, key)
	if ok && held.Must {
		if a.Kind == ls.Write && held.Mode == ls.Shared {
			f.ID = checks.WriteUnderRLock
			f.Message = fmt.Sprintf("%s is guarded by %s (%s); %s here with only the read lock held (RLock at %s)",
				name, guard, evidence, verb, line(pass.Fset, held.At, a.Pos()))
			return f, true
		}
		return f, false
	}
	if !ok && a.Func.HeldByType(key, a.Ctx) {
		return f, false // every caller holds this mutex field (on its value)
	}
	// Every write holds another mutex that this read holds, one of them
	// exclusively.
	if a.Kind == ls.Read && writersExcluded(g, a, key) {
		return f, false
	}
	// A goroutine started while the guard was held.
	for c := a.Ctx; c != nil; c = c.Parent {
		if c.Kind != ls.CtxGoroutine {
			continue
		}
		if h, ok := c.GoHeld.Lookup(key); ok && h.Must {
			if a.Kind == ls.Read && writtenOnlyBefore(writes[a.Obj], a.Func, c.GoPos) {
				// fs.writeTicker = time.NewTicker(d); go func() { <-fs.writeTicker.C }():
				// the go statement orders the only write before the read
				return f, false
			}
			if waited.heldThrough(a, c, key) {
				// the starter holds the lock until the goroutine ends
				return f, false
			}
			f.ID = checks.GoroutineUnderLock
			f.Message = fmt.Sprintf("%s is guarded by %s (%s); %s in a goroutine started at %s while %s was held, but the goroutine does not hold it",
				name, guard, evidence, verb, line(pass.Fset, c.GoPos, a.Pos()), guard)
			return f, true
		}
		break
	}
	if ok && !held.Must {
		f.ID = idFor(a)
		f.Message = fmt.Sprintf("%s is guarded by %s (%s); %s here where %s is held on some paths only",
			name, guard, evidence, verb, guard)
		return f, true
	}
	var others []string
	for _, h := range a.Held.Must() {
		if h.Key == key {
			continue
		}
		if sameMutexField(h.Key, key) && !bothParams(a.Func, h.Key, key) {
			// The same mutex of another value is held: the two values may
			// well be one (an alias the analysis cannot see). Stay silent.
			return f, false
		}
		others = append(others, h.Key.String())
	}
	if len(others) > 0 {
		f.ID = checks.WrongLock
		f.Message = fmt.Sprintf("%s is guarded by %s (%s); %s here with %s held instead",
			name, guard, evidence, verb, strings.Join(others, " and "))
		return f, true
	}
	f.ID = idFor(a)
	f.Message = fmt.Sprintf("%s is guarded by %s (%s); %s here without it", name, guard, evidence, verb)
	return f, true
}

// writersExcluded reports whether the read a, not holding the guard (key),
// holds another mutex that every write of the field holds, on the same
// value (WritersHold) or as the same mutex field of some value, when it
// is a field other than the guard's (WriterFields: held by the writers'
// callers), with the read or every write holding it exclusively: no
// write can run meanwhile. Every write must be in view: an exported
// field or variable can also be written by importers, holding the guard
// alone.
func writersExcluded(g *guards.Guard, a *ls.Access, key ls.Key) bool {
	if a.Obj.Exported() {
		return false
	}
	excludes := func(read, write ls.Mode) bool {
		return read == ls.Exclusive || write == ls.Exclusive
	}
	for _, w := range g.WritersHold {
		if k, ok := w.Mutex.KeyAt(a); ok && k != key {
			if h, ok := a.Held.Lookup(k); ok && h.Must && excludes(h.Mode, w.Mode) {
				return true
			}
		}
	}
	if len(g.WriterFields) == 0 {
		return false
	}
	guardField := key.LastField()
	for _, h := range a.Held.Must() {
		f := h.Key.LastField()
		if f == nil || f == guardField || h.Key == key {
			continue
		}
		if m, ok := g.WriterFields[f]; ok && excludes(h.Mode, m) {
			return true
		}
	}
	return false
}

// sameMutexField reports whether two keys end in the same field path
// from different roots (t.mu and orig.mu).
func sameMutexField(a, b ls.Key) bool {
	return a.Root != b.Root && a.Path != "" && a.Path == b.Path
}

// bothParams reports whether both keys are rooted at parameters (or the
// receiver) of the function: Move(a, b) locking a.mu and writing b.m is a
// wrong lock, even though a caller could pass the same value twice.
func bothParams(fi *ls.FuncInfo, a, b ls.Key) bool {
	isParam := func(o any) bool {
		for _, p := range fi.Params {
			if p != nil && any(p) == o {
				return true
			}
		}
		return false
	}
	return isParam(a.Root) && isParam(b.Root)
}

func idFor(a *ls.Access) string {
	if a.Kind == ls.Write {
		return checks.UnguardedWrite
	}
	return checks.UnguardedRead
}

func line(fset *token.FileSet, p, ref token.Pos) string {
	if !p.IsValid() {
		return "entry"
	}
	pp := fset.Position(p)
	if fset.Position(ref).Filename == pp.Filename {
		return fmt.Sprintf("line %d", pp.Line)
	}
	return fmt.Sprintf("%s:%d", pp.Filename[strings.LastIndexByte(pp.Filename, '/')+1:], pp.Line)
}

// writtenOnlyBefore reports whether every write of a field after
// construction is made by fn itself, outside goroutines, before pos (a go
// statement): the goroutine started there reads the final value.
func writtenOnlyBefore(ws []*ls.Access, fn *ls.FuncInfo, pos token.Pos) bool {
	if len(ws) == 0 {
		return false
	}
	for _, w := range ws {
		if w.Func != fn || w.Pos() >= pos || w.Ctx.Inside(ls.CtxGoroutine) {
			return false
		}
	}
	return true
}
