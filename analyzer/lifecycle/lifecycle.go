// Package lifecycle checks the lifecycle and validation of registries (see
// analyzer/registry):
//
//	RA3001 missing cleanup: the registry creates releasable entries and nothing releases them
//	RA3002 incomplete cleanup: a cleanup touches the collection without its lock, releases
//	       entries but leaves them in the collection where another operation still reaches
//	       them, or forgets an owned collection or a background goroutine
//	RA3003 removal leak: an owned entry removed without being released (or returned)
//	RA3004 unvalidated duplicate: a Register/Add-style function silently overwrites
//	RA3005 unvalidated nil: a Register/Add-style function stores nil values that are later used
//
// Detach-then-release, deferred unlock/relock and reference-counted entries
// are accepted as correct cleanup. Released entries left in the collection
// are reported only when another operation (not a cleanup, a constructor or
// the removal path) reads the collection or adds to it without first
// testing a state the cleanup sets (a closed flag, an event, another field
// set to nil), or, for an unexported cleanup, that its callers set around
// every call of it (the owner's closed mark): a registry whose operations
// all check it is dead after the cleanup, and so is one whose cleanup is
// documented as terminal; nor are entries whose release another method of
// the entry type undoes (stop/start) when the registry also releases entries
// in place in normal operation (see restartable). A
// clear/reset method named after what it resets is a cleanup of that
// collection only; a comment saying why entries need no release silences
// the cleanup or removal it is in or above; a release of a part of each
// entry that the entry's own release method leaves open half-closes it.
// RA3004 and RA3005 are about public registration APIs: internal ones and
// functions documenting the precondition are not reported. Its Result is a
// []checks.Finding reported by the regaudit analyzer.
package lifecycle

import (
	"fmt"
	"github.com/regaudit/regaudit/internal/posorder"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/analyzer/registry"
	"github.com/regaudit/regaudit/analyzer/unguarded"
	"github.com/regaudit/regaudit/internal/checks"
	"github.com/regaudit/regaudit/internal/lazyre"
	reg "github.com/regaudit/regaudit/internal/registry"
)

var Analyzer = &analysis.Analyzer{
	Name:       "lifecycle",
	Doc:        "check the cleanup, removal and registration validation of registries",
	Run:        run,
	Requires:   []*analysis.Analyzer{registry.Analyzer, unguarded.Analyzer},
	ResultType: reflect.TypeFor[[]checks.Finding](),
}

// registerNameRe matches the names of registration functions.
var registerNameRe = lazyre.New(`^(Register|Add|Install|Mount|Subscribe|Attach|Enroll)`)

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[registry.Analyzer].(*reg.Model)
	reported := map[string]bool{} // file:line of unguarded findings, and of accesses it judged ordered
	ug := pass.ResultOf[unguarded.Analyzer].(*unguarded.Result)
	for _, f := range ug.Findings {
		reported[lineKey(pass.Fset, f.Pos)] = true
	}
	for p := range ug.Ordered {
		reported[lineKey(pass.Fset, p)] = true
	}
	c := &checker{pass: pass, reported: reported}
	for _, r := range m.Registries {
		c.registry(m, r)
	}
	sort.SliceStable(c.out, func(i, j int) bool { return posorder.Less(pass.Fset, c.out[i].Pos, c.out[j].Pos) })
	return c.out, nil
}

type checker struct {
	pass     *analysis.Pass
	reported map[string]bool
	out      []checks.Finding
}

func lineKey(fset *token.FileSet, p token.Pos) string {
	pp := fset.Position(p)
	return fmt.Sprintf("%s:%d", pp.Filename, pp.Line)
}

// at renders p as "line N" when in the same file as ref, else "file.go:N".
func (c *checker) at(p, ref token.Pos) string {
	pp := c.pass.Fset.Position(p)
	if c.pass.Fset.Position(ref).Filename == pp.Filename {
		return fmt.Sprintf("line %d", pp.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(pp.Filename), pp.Line)
}

func (c *checker) report(id string, pos token.Pos, format string, args ...any) {
	c.out = append(c.out, checks.Finding{ID: id, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) registry(m *reg.Model, r *reg.Registry) {
	var cleanups []*reg.Op
	for _, op := range r.Ops {
		// a cleanup method of this registry (or a package function of a
		// package registry)
		own := op.Recv == r || (r.Type == nil && op.Decl.Recv == nil)
		if op.Has(reg.Cleanup) && own && !op.Info.Test {
			cleanups = append(cleanups, op)
		}
	}
	releasedByCleanup := func(coll *reg.Collection) bool {
		for _, op := range cleanups {
			if _, ok := op.ReleasesT[coll]; ok {
				return true
			}
			// the same values kept in another collection, released there
			for _, o := range coll.Shares {
				if _, ok := op.ReleasesT[o]; ok {
					return true
				}
			}
		}
		return false
	}
	// RA3002: cleanups
	forgotten := map[*reg.Collection]bool{}
	explained := map[*reg.Collection]bool{}
	for _, op := range cleanups {
		c.unguardedCleanup(r, op)
		for _, coll := range r.Collections {
			rel, ok := op.ReleasesT[coll]
			if !ok || !op.CleansUp(coll) {
				continue
			}
			if _, reset := op.ResetsT[coll]; !reset && !coll.SelfRemoving && rel.Every && !rel.Partial && !op.Explained.IsValid() && !c.terminal(r, op) && !c.restartable(r, op, coll, rel) {
				if after, ok := c.usedAfter(m, r, op, coll, cleanups); ok {
					c.report(checks.IncompleteCleanup, op.Decl.Name.Pos(),
						"cleanup %s releases the entries of %s (%s) but leaves them in the collection, %s: reset it (nil, make, clear or delete per entry)",
						op.Obj.Name(), coll.Obj.Name(), c.at(rel.Pos, op.Decl.Pos()), after)
				}
			}
		}
		var released []string
		for _, coll := range r.Collections {
			if _, ok := op.ReleasesT[coll]; ok {
				released = append(released, coll.Obj.Name())
			}
		}
		if len(released) == 0 || op.Scoped {
			continue // a clear/reset of one collection forgets no other
		}
		for _, coll := range r.Collections {
			if forgotten[coll] || !coll.Owned || len(coll.Created) == 0 || releasedByCleanup(coll) {
				continue
			}
			if op.Explained.IsValid() {
				explained[coll] = true // a comment in it says why they need no release
				continue
			}
			forgotten[coll] = true
			c.report(checks.IncompleteCleanup, op.Decl.Name.Pos(),
				"cleanup %s releases %s but not the entries of %s, which %s creates (%s at %s)",
				op.Obj.Name(), strings.Join(released, " and "), coll.Obj.Name(), r.Name,
				coll.Created[0].What, c.at(coll.Created[0].Pos, op.Decl.Pos()))
		}
	}
	// a clear/reset of one collection (see reg.Op.Scoped) is not the
	// registry's teardown: it need not stop its goroutines
	var teardowns []*reg.Op
	for _, op := range cleanups {
		if op.TearsDown() {
			teardowns = append(teardowns, op)
		}
	}
	if len(teardowns) > 0 {
		for _, g := range r.Goroutines {
			stopped := false
			for _, op := range cleanups {
				if _, ok := op.Stopped(g); ok {
					stopped = true
				}
			}
			if !stopped && !stoppedElsewhere(m, r, g) {
				op := teardowns[0]
				c.report(checks.IncompleteCleanup, op.Decl.Name.Pos(),
					"cleanup %s does not stop the goroutine %s starts at %s, which waits on %s (%s)",
					op.Obj.Name(), g.Op.Obj.Name(), c.at(g.Pos, op.Decl.Pos()), g.Stop.Name(), c.at(g.Proof, op.Decl.Pos()))
			}
		}
	}
	// RA3001: owned entries never released
	for _, coll := range r.Collections {
		if !coll.Owned || len(coll.Created) == 0 || len(coll.Releases) > 0 || forgotten[coll] || explained[coll] || coll.Handed {
			continue
		}
		var sites []string
		for i, s := range coll.Created {
			if i == 3 {
				break
			}
			sites = append(sites, fmt.Sprintf("%s at %s", s.What, c.at(s.Pos, r.Pos)))
		}
		c.report(checks.MissingCleanup, r.Pos,
			"%s creates the entries of %s (%s) but no function releases them: %s",
			r.Name, coll.Obj.Name(), strings.Join(sites, "; "), neverReleased(coll))
	}
	// RA3003, RA3004, RA3005
	for _, op := range r.Ops {
		if op.Info.Test {
			continue // test helpers are not the registry's protocol
		}
		for _, rm := range op.Removes {
			coll := rm.Coll
			if !coll.Owned || !coll.Releasable || rm.Handled != "" {
				continue
			}
			if _, ok := op.ReleasesT[coll]; ok {
				continue
			}
			if c.inRegistry(r, coll) {
				c.report(checks.RemovalLeak, rm.Pos,
					"%s removes an entry of %s without releasing it or returning it, but %s owns the entries: %s",
					op.Obj.Name(), coll.Obj.Name(), r.Name, c.ownedText(coll, rm.Pos))
			}
		}
		if !registerNameRe.MatchString(op.Obj.Name()) || !externallyCallable(op) || c.internalAPI(r) {
			continue
		}
		dupOK, nilOK := docPreconditions(op.Decl.Doc)
		for _, st := range op.Stores {
			if !c.inRegistry(r, st.Coll) {
				continue
			}
			if st.Coll.Kind == "map" && !st.Coll.SetLike && !st.Coll.KeyEntries && st.KeyParam != nil && st.ValParam != nil && !st.DupCheck.IsValid() && !st.Replaces && !dupOK {
				c.report(checks.UnvalidatedDuplicate, st.Pos,
					"%s stores %s in %s under the caller's key %s with no duplicate check: a second registration silently overwrites the first",
					op.Obj.Name(), st.ValParam.Name(), st.Coll.Obj.Name(), st.KeyParam.Name())
			}
			if st.ValDirect && st.Nilable && !st.NilCheck.IsValid() && len(st.Coll.Uses) > 0 && !nilOK {
				u := st.Coll.Uses[0]
				c.report(checks.UnvalidatedNil, st.Pos,
					"%s stores %s in %s without a nil check, and entries are %s at %s",
					op.Obj.Name(), st.ValParam.Name(), st.Coll.Obj.Name(), u.What, c.at(u.Pos, st.Pos))
			}
		}
	}
}

// stoppedElsewhere reports whether a goroutine of r started by a method
// of another registry is stopped by a cleanup of that registry: the same
// go statement is a goroutine of both (yamux's Session.OpenStream starts
// one that waits on the new stream's establishCh and on the session's
// shutdownCh, which Session.Close closes); it is the starter's, and the
// stream's Close need not stop it.
func stoppedElsewhere(m *reg.Model, r *reg.Registry, g *reg.Goroutine) bool {
	if g.Op.Recv == nil || g.Op.Recv == r {
		return false
	}
	for _, r2 := range m.Registries {
		if r2 != g.Op.Recv {
			continue
		}
		for _, g2 := range r2.Goroutines {
			if g2.Pos != g.Pos {
				continue
			}
			for _, op := range r2.Ops {
				if op.Recv != r2 || op.Info.Test || !op.Has(reg.Cleanup) && !reg.IsCleanupName(op.Obj.Name()) {
					continue
				}
				if _, ok := op.Stopped(g2); ok {
					return true
				}
			}
		}
	}
	return false
}

// RA3004 and RA3005 are about public registration APIs: a registration
// function that only the registry's own module can call, or whose doc
// states the precondition its callers check, is not reported.

// internalAPI reports whether only r's own module can use r: its package
// path has an "internal" element, or r is a type whose exported
// constructors (the exported functions of the package returning it; there
// is at least one) all take a type of an internal package, which other
// modules cannot name (grpc weightedaggregator.New takes a wrr.WRR), and
// no exported package variable holds one.
func (c *checker) internalAPI(r *reg.Registry) bool {
	if isInternalPath(c.pass.Pkg.Path()) {
		return true
	}
	if r.Type == nil {
		return false
	}
	scope := c.pass.Pkg.Scope()
	n := 0
	for _, name := range scope.Names() {
		switch x := scope.Lookup(name).(type) {
		case *types.Func:
			if !x.Exported() || !c.constructs(r, x) {
				continue
			}
			if !takesInternal(x.Type().(*types.Signature)) {
				return false
			}
			n++
		case *types.Var:
			if n, ok := types.Unalias(deref(x.Type())).(*types.Named); ok && x.Exported() && n.Origin().Obj() == r.Type {
				return false // var DefaultRegistry = ...
			}
		}
	}
	return n > 0
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// isInternalPath reports whether an import path has an "internal" element.
func isInternalPath(path string) bool {
	for _, e := range strings.Split(path, "/") {
		if e == "internal" {
			return true
		}
	}
	return false
}

// takesInternal reports whether a parameter of sig mentions a named type
// declared in an internal package.
func takesInternal(sig *types.Signature) bool {
	seen := map[types.Type]bool{}
	var mentions func(t types.Type) bool
	mentions = func(t types.Type) bool {
		if seen[t] {
			return false
		}
		seen[t] = true
		switch x := types.Unalias(t).(type) {
		case *types.Named:
			if p := x.Obj().Pkg(); p != nil && isInternalPath(p.Path()) {
				return true
			}
			if ta := x.TypeArgs(); ta != nil {
				for i := 0; i < ta.Len(); i++ {
					if mentions(ta.At(i)) {
						return true
					}
				}
			}
		case *types.Pointer:
			return mentions(x.Elem())
		case *types.Slice:
			return mentions(x.Elem())
		case *types.Array:
			return mentions(x.Elem())
		case *types.Map:
			return mentions(x.Key()) || mentions(x.Elem())
		case *types.Chan:
			return mentions(x.Elem())
		case *types.Signature:
			for _, tup := range []*types.Tuple{x.Params(), x.Results()} {
				for i := 0; i < tup.Len(); i++ {
					if mentions(tup.At(i).Type()) {
						return true
					}
				}
			}
		}
		return false
	}
	for i := 0; i < sig.Params().Len(); i++ {
		if mentions(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}

var (
	// dupPreconditionRe: a doc sentence saying the key is new
	dupPreconditionRe = lazyre.New(`(?i)\bmust not (already )?exist|\bmust not (already )?be (already )?(registered|added|present)\b|\bmust be unique\b`)
	// nilPreconditionRe: a doc sentence saying the value is not nil
	nilPreconditionRe = lazyre.New(`(?i)\bmust (not be nil|be non-?nil)\b`)
	// callerEnsuresRe: a doc sentence putting a check on the caller, which
	// counts for what it names: "the caller ensures/checks/verifies",
	// "checked by the caller", "the caller's responsibility", "the caller is
	// responsible for"
	callerEnsuresRe = lazyre.New(`(?i)\bcallers? (must |should |has to |have to )?(ensures?|checks?|verif(y|ies)|guarantees?|makes? sure)\b|\b(ensured|checked|verified|guaranteed) by (the |its |their )?callers?\b|\bcallers?'s? responsibility\b|\bcallers? (is|are) responsible\b`)
	dupWordRe       = lazyre.New(`(?i)\b(unique|exists?|registered|present|duplicates?)\b`)
	nilWordRe       = lazyre.New(`\bnil\b`)
	sentenceSepRe   = lazyre.New(`[.;:]\s`)
)

// docPreconditions reports whether a registration function's doc states
// that the key must be new (dup) or the value non-nil (nilOK), checks left
// to its callers: "A Member with a matching id must not exist", "must be
// unique", "must not be nil", "The caller ensures (checks, verifies) that no
// member with the same id is registered", "Duplicate ids are checked by the
// caller", "It is the caller's responsibility that m is not nil": the
// mirror of a doc saying the function replaces.
func docPreconditions(doc *ast.CommentGroup) (dup, nilOK bool) {
	if doc == nil {
		return false, false
	}
	text := strings.Join(strings.Fields(doc.Text()), " ")
	for _, sentence := range sentenceSepRe.Regexp().Split(text, -1) {
		if dupPreconditionRe.MatchString(sentence) || (callerEnsuresRe.MatchString(sentence) && dupWordRe.MatchString(sentence)) {
			dup = true
		}
		if nilPreconditionRe.MatchString(sentence) || (callerEnsuresRe.MatchString(sentence) && nilWordRe.MatchString(sentence)) {
			nilOK = true
		}
	}
	return dup, nilOK
}

// afterCloseRe matches a documented contract that nothing is used after a
// cleanup: "No method may be called after Close", "must not be used after
// Close", "is not usable after it is closed".
var afterCloseRe = lazyre.New(`(?i)\bno (other )?(methods?|calls?|functions?)( \w+)? (may|must|should|can) be (made|called|used) after\b|\b(must|may|should|can) not be (used|called|reused) (again )?after\b|\bnot (be )?(usable|valid|safe to use) (any ?more )?after\b`)

// terminal reports whether the cleanup op is documented as the end of the
// registry's life: its doc or the registry type's doc states that nothing
// is called after it ("after Close", "after it is closed", "after this
// call"). The released entries it leaves are then never reached again.
func (c *checker) terminal(r *reg.Registry, op *reg.Op) bool {
	what := regexp.MustCompile(`^\s*((calling |a call (of|to) )?(\w+\.)?` + regexp.QuoteMeta(op.Obj.Name()) + `\b|it (is|has been) (closed|stopped|shut down)|(this|the) call\b|it returns\b)`)
	says := func(doc string) bool {
		for _, m := range afterCloseRe.Regexp().FindAllStringIndex(doc, -1) {
			if what.MatchString(doc[m[1]:]) {
				return true
			}
		}
		return false
	}
	if op.Decl.Doc != nil && says(op.Decl.Doc.Text()) {
		return true
	}
	return r.Type != nil && says(c.typeDoc(r.Type))
}

// typeDoc returns the doc comment of the type declaration of tn.
func (c *checker) typeDoc(tn *types.TypeName) string {
	for _, f := range c.pass.Files {
		if tn.Pos() < f.FileStart || tn.Pos() > f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, sp := range gd.Specs {
				ts := sp.(*ast.TypeSpec)
				if ts.Name.Pos() != tn.Pos() {
					continue
				}
				if ts.Doc != nil {
					return ts.Doc.Text()
				}
				if gd.Doc != nil && len(gd.Specs) == 1 {
					return gd.Doc.Text()
				}
				return ""
			}
		}
	}
	return ""
}

// closedNameRe matches the names of fields that hold a closed state.
var closedNameRe = lazyre.New(`(?i)clos|done|stop|shut|quit|dead|finish|exit|cancel`)

// usedAfter says how the entries of coll, released but kept by cleanup,
// can still be reached after it: the first other operation (not a cleanup,
// a constructor or the removal path) that reads the collection or adds to
// it without first testing a state that the cleanup sets (a closed flag,
// an event, another field set to nil). ok is false when every such
// operation tests that state: the registry is dead after the cleanup and
// the released entries are never handed out again.
func (c *checker) usedAfter(m *reg.Model, r *reg.Registry, cleanup *reg.Op, coll *reg.Collection, cleanups []*reg.Op) (string, bool) {
	state := m.StateSets(cleanup.Obj)
	// the owner's closed mark: set around every call of an unexported
	// cleanup (a part's close called from its owner's Close)
	byCallers, callers := m.CallerStateSets(cleanup.Obj)
	for v, p := range byCallers {
		if _, ok := state[v]; !ok {
			state[v] = p
		}
	}
	delete(state, coll.Obj)
	skip := func(fn *types.Func) bool {
		for _, op := range cleanups {
			if op.Obj == fn {
				return true
			}
		}
		return c.constructs(r, fn)
	}
	var reader, adder *reg.Reach
	for _, x := range r.Reaches(coll) {
		if m.CheckedBefore(x.Op.Obj, state, x.Pos, skip) {
			continue
		}
		if !x.Adds && reader == nil {
			reader = &x
		}
		if x.Adds && adder == nil {
			adder = &x
		}
	}
	var what string
	switch {
	case reader != nil:
		what = fmt.Sprintf("where %s still finds them (%s)", reader.Op.Obj.Name(), c.at(reader.Pos, cleanup.Decl.Pos()))
	case adder != nil:
		what = fmt.Sprintf("to which %s still adds (%s)", adder.Op.Obj.Name(), c.at(adder.Pos, cleanup.Decl.Pos()))
	default:
		return "", false
	}
	if v := closedState(c.pass.Fset, state); v != nil {
		setter := cleanup.Obj.Name()
		if _, own := m.StateSets(cleanup.Obj)[v]; !own && len(callers) > 0 {
			setter = fmt.Sprintf("%s (the caller of %s)", callers[0].Name(), cleanup.Obj.Name())
		}
		return fmt.Sprintf("%s without checking %s, which %s sets", what, v.Name(), setter), true
	}
	return what + ", and no closed state is set", true
}

// closedState picks the state variable a diagnostic names: a bool (or
// atomic.Bool) or one named like a closed state, else the first set.
func closedState(fset *token.FileSet, state map[*types.Var]token.Pos) *types.Var {
	var vars []*types.Var
	for v := range state {
		vars = append(vars, v)
	}
	sort.Slice(vars, func(i, j int) bool {
		if c := posorder.Compare(fset, state[vars[i]], state[vars[j]]); c != 0 {
			return c < 0
		}
		return posorder.Less(fset, vars[i].Pos(), vars[j].Pos())
	})
	for _, v := range vars {
		if b, ok := v.Type().Underlying().(*types.Basic); ok && b.Kind() == types.Bool {
			return v
		}
		if n, ok := types.Unalias(v.Type()).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync/atomic" && n.Obj().Name() == "Bool" {
			return v
		}
	}
	for _, v := range vars {
		if closedNameRe.MatchString(v.Name()) {
			return v
		}
	}
	if len(vars) > 0 {
		return vars[0]
	}
	return nil
}

// constructs reports whether fn is a constructor of r: a function (not a
// method of r) that returns r's type, or an interface that r's type
// implements when fn also allocates a value of r's type (&client{...},
// new(client)): NewClient(...) (Client, error).
func (c *checker) constructs(r *reg.Registry, fn *types.Func) bool {
	if r.Type == nil {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() != nil {
		return false
	}
	iface := false
	for i := 0; i < sig.Results().Len(); i++ {
		t := sig.Results().At(i).Type()
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok && n.Origin().Obj() == r.Type {
			return true
		}
		if it, ok := t.Underlying().(*types.Interface); ok && !it.Empty() && (types.Implements(r.Type.Type(), it) || types.Implements(types.NewPointer(r.Type.Type()), it)) {
			iface = true
		}
	}
	return iface && c.allocates(fn, r.Type)
}

// allocates reports whether the body of the package function fn makes a
// value of the type tn: a composite literal of it, or new(tn).
func (c *checker) allocates(fn *types.Func, tn *types.TypeName) bool {
	is := func(t types.Type) bool {
		n, ok := types.Unalias(t).(*types.Named)
		return ok && n.Origin().Obj() == tn
	}
	found := false
	for _, f := range c.pass.Files {
		if fn.Pos() < f.FileStart || fn.Pos() > f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Pos() != fn.Pos() || fd.Body == nil {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CompositeLit:
					if is(c.pass.TypesInfo.TypeOf(x)) {
						found = true
					}
				case *ast.CallExpr:
					if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && len(x.Args) == 1 {
						if b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok && b.Name() == "new" && is(c.pass.TypesInfo.TypeOf(x.Args[0])) {
							found = true
						}
					}
				}
				return !found
			})
		}
	}
	return found
}

func (c *checker) inRegistry(r *reg.Registry, coll *reg.Collection) bool {
	for _, x := range r.Collections {
		if x == coll {
			return true
		}
	}
	return false
}

func (c *checker) ownedText(coll *reg.Collection, ref token.Pos) string {
	if len(coll.Created) > 0 {
		return fmt.Sprintf("it creates them (%s at %s)", coll.Created[0].What, c.at(coll.Created[0].Pos, ref))
	}
	return coll.OwnedWhy
}

// unguardedCleanup reports a cleanup's accesses to a collection made
// without its guard, unless the unguarded family reported the line or
// judged it ordered without the guard (the holder of a value's last
// reference resetting it).
func (c *checker) unguardedCleanup(r *reg.Registry, op *reg.Op) {
	done := map[*reg.Collection]bool{}
	for _, a := range op.Accesses {
		if done[a.Coll] || !a.Concurrent || a.Held || a.Coll.Guard == nil {
			continue
		}
		if a.Coll.Guard.WriteOnly && !a.Write {
			continue
		}
		if c.reported[lineKey(c.pass.Fset, a.Pos)] || guards.Explained(c.pass, a.Pos) {
			done[a.Coll] = true
			continue
		}
		done[a.Coll] = true
		c.report(checks.IncompleteCleanup, a.Pos,
			"cleanup %s touches %s without holding its guard %s (%s here)",
			op.Obj.Name(), a.Coll.Obj.Name(), a.Coll.Guard.MutexName(), a.Verb)
	}
}

// externallyCallable reports whether other packages can call op.
func externallyCallable(op *reg.Op) bool {
	if !op.Obj.Exported() {
		return false
	}
	if op.Decl.Recv == nil || len(op.Decl.Recv.List) == 0 {
		return true
	}
	t := op.Decl.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.Ident:
		return x.IsExported()
	case *ast.IndexExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.IsExported()
		}
	case *ast.IndexListExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.IsExported()
		}
	}
	return true
}

// neverReleased says how entries would be released.
func neverReleased(coll *reg.Collection) string {
	switch coll.ReleaseName {
	case "call":
		return "no entry is ever called"
	case "close":
		return "no entry is ever closed"
	case "":
		return "no entry is ever released"
	}
	return coll.ReleaseName + " is never called on an entry"
}
