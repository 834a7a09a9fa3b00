// Package guards defines an analyzer that establishes which mutex guards
// each field and package variable, with no annotations required. Sources,
// strongest first:
//
//   - explicit comments on the field or variable: "guarded by mu",
//     "protected by mu", checklocks' "+checklocks:mu";
//   - the Go convention of a mutex commented as protecting the fields that
//     follow it ("this group" ends at a blank line; "following", "below",
//     "the rest" run to the next mutex or the end; "following N fields";
//     "guards x and y" names them; "stores (but not loads)" guards writes only);
//   - inference from use: accessed with the same mutex held in at least
//     MinHeld accesses across at least two functions and in at least Ratio
//     of its accesses in concurrent code, and written after construction.
//
// Guards of exported fields and variables are exported as facts, so that
// importing packages are checked too. It reports nothing; its Result is a
// *Model.
package guards

import (
	"fmt"
	"github.com/regaudit/regaudit/internal/posorder"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/lockstate"
	"github.com/regaudit/regaudit/internal/guards"
	"github.com/regaudit/regaudit/internal/lazyre"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

var Analyzer = &analysis.Analyzer{
	Name:       "guards",
	Doc:        "establish which mutex guards each field and package variable",
	Run:        run,
	Requires:   []*analysis.Analyzer{lockstate.Analyzer},
	ResultType: reflect.TypeFor[*Model](),
	FactTypes:  []analysis.Fact{new(GuardFact)},
}

// GuardFact records, on an exported field or package variable, the mutex
// that guards it and how that was established.
type GuardFact struct {
	Sibling   string // guard path relative to the struct, or ""
	Var       string // package-level guard variable name, if Sibling == ""
	RW        bool   // the guard is a sync.RWMutex
	WriteOnly bool   // only writes need the guard
	Evidence  string // e.g. `comment "guarded by mu" (x.go:12)`
	Helped    bool   // an exported function takes the guard for its caller
}

func (*GuardFact) AFact() {}

// reachable reports whether an importing package can take the guard: a
// field guarded by an unexported mutex, with no exported function taking it
// for the caller (a Lock method, withLock(f)), cannot be accessed under its
// lock outside its package, so what the importer reads is a copy or a
// snapshot handed out on purpose (channelz's ChannelTrace.Events, copied
// under the lock by Channel.Trace), not a lock violation it could fix.
func (g *GuardFact) reachable() bool {
	if g.Helped {
		return true
	}
	if g.Sibling == "" {
		return token.IsExported(g.Var)
	}
	for _, part := range strings.Split(strings.TrimPrefix(g.Sibling, "."), ".") {
		if !token.IsExported(part) {
			return false
		}
	}
	return true
}

func (g *GuardFact) String() string {
	return "guarded by " + strings.TrimPrefix(g.Sibling, ".") + g.Var
}

// Inference thresholds (flags of the guards analyzer).
var (
	minHeld = 3
	ratio   = 0.75
)

func init() {
	Analyzer.Flags.IntVar(&minHeld, "min-held", minHeld, "inference: minimum number of accesses holding the mutex")
	Analyzer.Flags.Float64Var(&ratio, "ratio", ratio, "inference: minimum fraction of concurrent accesses holding the mutex")
}

// Source says how a guard was established.
type Source uint8

const (
	Explicit   Source = iota + 1 // comment on the field or variable
	Convention                   // comment on the mutex
	Inferred                     // from use
	Imported                     // fact from another package
)

// A Guard is the mutex guarding a field or package variable.
type Guard struct {
	Obj       *types.Var
	Mutex     lockstate.MutexRef
	Source    Source
	WriteOnly bool
	Comment   string    // for Explicit and Convention: the comment text
	At        token.Pos // for Explicit and Convention: the comment position
	Held      int       // for Inferred: accesses holding the mutex
	Total     int       // for Inferred: accesses in concurrent code
	Funcs     int       // for Inferred: distinct functions holding it
	HeldAt    []token.Pos
	Written   bool // written in concurrent code (after construction)
	// SetOnce: an unexported object with an explicit guard, set at
	// construction and never written after.
	SetOnce bool
	// WritersHold lists the mutexes held at every write in concurrent
	// code, with the weakest mode they are held in: a read holding one of
	// them cannot race with a write when either side holds it exclusively
	// (fields written holding two locks and read holding either; written
	// under a read lock of mu and a write lock of revMu, read under mu's
	// write lock).
	WritersHold []WriterLock
	// WriterFields are the mutex fields held, on some value, at every
	// write in concurrent code, by the writer itself or, for a helper,
	// by every caller (FuncInfo.TypeEntry), with the weakest mode: a read
	// holding such a field's mutex exclusively, or one that every writer
	// holds exclusively, cannot race with a write (store.Restore writing
	// b, called only from watchableStore.Restore holding its own mu, and
	// watchableStore.syncWatchers reading s.store.b holding s.mu).
	WriterFields map[*types.Var]ls.Mode
	// MixedAtomic: the struct also publishes state atomically, so a
	// conventional guard needs the evidence an inferred one would.
	MixedAtomic bool
	Fact        *GuardFact // for Imported
}

// MutexName is the guard as written in source.
func (g *Guard) MutexName() string {
	if g.Fact != nil {
		return strings.TrimPrefix(g.Fact.Sibling, ".") + g.Fact.Var
	}
	return g.Mutex.Name()
}

// KeyAt returns the guard's lock key at an access.
func (g *Guard) KeyAt(a *ls.Access) (ls.Key, bool) {
	if g.Fact != nil {
		if g.Fact.Sibling != "" {
			if !a.HasBase {
				return ls.Key{}, false
			}
			return a.Base.Child(g.Fact.Sibling), true
		}
		if g.Obj.Pkg() == nil {
			return ls.Key{}, false
		}
		v, ok := g.Obj.Pkg().Scope().Lookup(g.Fact.Var).(*types.Var)
		if !ok {
			return ls.Key{}, false
		}
		return ls.Key{Root: v}, true
	}
	return g.Mutex.KeyAt(a)
}

// RW reports whether the guard is a sync.RWMutex.
func (g *Guard) RW() bool {
	if g.Fact != nil {
		return g.Fact.RW
	}
	return g.Mutex.RW
}

// Evidence renders how the guard was established, citing lines relative
// to the file of the access at pos.
func (g *Guard) Evidence(fset *token.FileSet, pos token.Pos) string {
	switch g.Source {
	case Explicit:
		return fmt.Sprintf("its comment says %q at %s", g.Comment, where(fset, g.At, pos))
	case Convention:
		return fmt.Sprintf("%s's comment %q at %s; held at %d of %d accesses", g.MutexName(), g.Comment, where(fset, g.At, pos), g.Held, g.Total)
	case Inferred:
		return fmt.Sprintf("held at %d of %d accesses, e.g. %s", g.Held, g.Total, lines(fset, g.HeldAt, pos, 3))
	case Imported:
		return g.Fact.Evidence
	}
	return ""
}

// lines renders up to max positions as "lines 3, 9, 12" (same file as ref)
// or "a.go:3, b.go:9".
func lines(fset *token.FileSet, ps []token.Pos, ref token.Pos, max int) string {
	var same, other []string
	refFile := fset.Position(ref).Filename
	for i, p := range ps {
		if i == max {
			break
		}
		pp := fset.Position(p)
		if ref.IsValid() && pp.Filename == refFile {
			same = append(same, fmt.Sprint(pp.Line))
		} else {
			other = append(other, fmt.Sprintf("%s:%d", filepath.Base(pp.Filename), pp.Line))
		}
	}
	var parts []string
	switch len(same) {
	case 0:
	case 1:
		parts = append(parts, "line "+same[0])
	default:
		parts = append(parts, "lines "+strings.Join(same, ", "))
	}
	parts = append(parts, other...)
	return strings.Join(parts, ", ")
}

// where renders a position as "line N" in the same file as ref, or
// "file.go:N" otherwise.
func where(fset *token.FileSet, p, ref token.Pos) string {
	pp := fset.Position(p)
	if ref.IsValid() && fset.Position(ref).Filename == pp.Filename {
		return fmt.Sprintf("line %d", pp.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(pp.Filename), pp.Line)
}

// Model is the guard model of a package.
type Model struct {
	LS     *lockstate.Result
	Guards map[*types.Var]*Guard
	// Blocked objects have a guard comment naming a lock regaudit cannot
	// map to a mutex beside them (e.g. "guarded by db.mu"): no guard is
	// inferred for them.
	Blocked map[*types.Var]bool
	// notBy lists, per object, mutexes whose comment scopes their guard
	// to other fields: no guard by them is inferred for it.
	notBy map[*types.Var]map[*types.Var]bool
	// promoted lists, per embedded field with a guard comment, the fields
	// promoted from it that are candidates (lockstate.Candidate.Embed).
	promoted map[*types.Var][]*types.Var
}

// Reportable reports whether accesses without g should be reported. A guard
// from a field's own comment always is. A mutex comment's "following
// fields" is looser (the scope of such comments is often wider than the
// lock discipline), so it must be corroborated by use: the field is written
// after construction and at least two thirds of its accesses hold the
// guard (a field documented as guarded but read freely in a third of its
// uses follows another protocol, such as ownership by one goroutine).
func (g *Guard) Reportable() bool {
	switch g.Source {
	case Explicit:
		// an unexported field or variable set at construction and never
		// written after is immutable, whatever its comment says (its
		// writes are all in view; an exported one may be written by
		// importers)
		return !g.SetOnce
	case Inferred, Imported:
		return true
	}
	if g.MixedAtomic {
		// as strong evidence as inference needs
		return g.Written && g.Held >= minHeld && float64(g.Held) >= ratio*float64(g.Total)
	}
	return g.Written && g.Held > 0 && 3*g.Held >= 2*g.Total
}

// Concurrent reports whether an access is made in concurrent code, where it
// counts as evidence and can be reported: not in a constructor (on a value
// allocated in the function), init, a sync.Once body, a helper whose caller
// holds the lock (unless that lock is known: then only on the objects the
// locked one points to), a test file, or a closure stored for later.
func Concurrent(a *ls.Access) bool {
	if a.Local || a.Func.NotConcurrent != "" || a.Func.Setup || a.Atomic || a.BeyondEntry || (a.Func.UnknownCallers && len(a.Func.Entry) == 0) {
		return false
	}
	return !a.Ctx.Inside(ls.CtxOnce) && !a.Ctx.Inside(ls.CtxUnknown)
}

// CallersGuard reports whether a, in a helper whose callers hold a lock
// (CallerLocked), is guarded by that lock (key, held on entry): such an
// access, and what the helper does with it (goroutines it starts, values
// it returns), stays its callers' business; one guarded by another mutex
// is judged, with the entry lock held.
func CallersGuard(a *ls.Access, key ls.Key) bool {
	if a.Func.CallerLocked == "" {
		return false
	}
	_, ok := a.Func.Entry.MustHold(key)
	return ok
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[lockstate.Analyzer].(*lockstate.Result)
	m := &Model{LS: res, Guards: map[*types.Var]*Guard{}, Blocked: map[*types.Var]bool{}, notBy: map[*types.Var]map[*types.Var]bool{}}
	if res.Skipped {
		return m, nil
	}
	declared(pass, res, m)
	infer(pass.Fset, pass.Pkg, res, m)
	setOnce(pass, res, m)
	for v := range res.Candidates {
		if v.Pkg() == pass.Pkg || m.Guards[v] != nil {
			continue
		}
		gf := new(GuardFact)
		if pass.ImportObjectFact(v, gf) && gf.reachable() {
			m.Guards[v] = &Guard{Obj: v, Source: Imported, Fact: gf, WriteOnly: gf.WriteOnly}
		}
	}
	// Export the guards of this package's objects as facts.
	var objs []*types.Var
	for v, g := range m.Guards {
		if g.Source != Imported && v.Pkg() == pass.Pkg {
			objs = append(objs, v)
		}
	}
	sort.Slice(objs, func(i, j int) bool { return posorder.Less(pass.Fset, objs[i].Pos(), objs[j].Pos()) })
	for _, v := range objs {
		g := m.Guards[v]
		if !v.Exported() || res.Candidates[v] != nil && res.Candidates[v].Embed != nil {
			continue // promoted fields: importers would not see the embedding
		}
		f := &GuardFact{Sibling: g.Mutex.Sibling, RW: g.Mutex.RW, WriteOnly: g.WriteOnly, Evidence: g.Evidence(pass.Fset, token.NoPos)}
		if g.Mutex.Sibling == "" {
			f.Var = g.Mutex.Var.Name()
		}
		f.Helped = helped(res, f, v)
		pass.ExportObjectFact(v, f)
	}
	return m, nil
}

// declared reads explicit and conventional guard comments.
func declared(pass *analysis.Pass, res *lockstate.Result, m *Model) {
	// Only candidates declared here get a guard or are blocked (see apply):
	// without any, there is nothing to read.
	own := false
	for v := range res.Candidates {
		if v.Pkg() == pass.Pkg {
			own = true
			break
		}
	}
	if !own {
		return
	}
	for v, c := range res.Candidates {
		if c.Embed != nil {
			if m.promoted == nil {
				m.promoted = map[*types.Var][]*types.Var{}
			}
			m.promoted[c.Embed] = append(m.promoted[c.Embed], v)
		}
	}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.StructType:
				structComments(pass, res, m, n)
			case *ast.GenDecl:
				if n.Tok == token.VAR {
					varComments(pass, res, m, n)
				}
			case *ast.FuncDecl:
				return false // local types are not registries we model
			}
			return true
		})
	}
}

type member struct {
	obj   *types.Var
	field *ast.Field
	spec  *ast.ValueSpec
	docs  []*ast.CommentGroup
}

func structComments(pass *analysis.Pass, res *lockstate.Result, m *Model, st *ast.StructType) {
	var members []member
	for _, f := range st.Fields.List {
		for _, obj := range fieldObjs(pass.TypesInfo, f) {
			members = append(members, member{obj: obj, field: f, docs: []*ast.CommentGroup{f.Doc, f.Comment}})
		}
	}
	apply(pass, res, m, members)
}

func varComments(pass *analysis.Pass, res *lockstate.Result, m *Model, d *ast.GenDecl) {
	var members []member
	for i, spec := range d.Specs {
		vs := spec.(*ast.ValueSpec)
		docs := []*ast.CommentGroup{vs.Doc, vs.Comment}
		if i == 0 && len(d.Specs) == 1 {
			docs = append(docs, d.Doc)
		}
		for _, name := range vs.Names {
			if v, ok := pass.TypesInfo.Defs[name].(*types.Var); ok {
				members = append(members, member{obj: v, spec: vs, docs: docs})
			}
		}
	}
	apply(pass, res, m, members)
}

func apply(pass *analysis.Pass, res *lockstate.Result, m *Model, members []member) {
	// Only candidates get a guard or are blocked.
	if !slices.ContainsFunc(members, func(mb member) bool { return res.Candidates[mb.obj] != nil || m.promoted[mb.obj] != nil }) {
		return
	}
	fset := pass.Fset
	names := map[string]bool{}
	ms := make([]guards.Member, len(members))
	for i, mb := range members {
		names[mb.obj.Name()] = true
		ms[i] = guards.Member{Name: mb.obj.Name(), IsMutex: ls.IsMutexType(mb.obj.Type())}
		if i > 0 {
			prevEnd := fset.Position(nodeEnd(members[i-1])).Line
			start := fset.Position(nodeStart(mb)).Line
			ms[i].BlankLine = start-prevEnd > 1
		}
	}
	// explicit comments on members; one in the doc comment that opens a
	// group (after a blank line) covers the group
	for i := 0; i < len(members); i++ {
		mb := members[i]
		text, pos := guards.CommentText(mb.docs...)
		if !ms[i].IsMutex && ExplainedText(text) {
			// "These fields are only accessed from the update goroutine.
			// They do not need further synchronization." (a heading covers
			// its group)
			end := i + 1
			if mb.field != nil && mb.field.Doc != nil && ExplainedText(mb.field.Doc.Text()) && (i == 0 || ms[i].BlankLine) {
				for end < len(members) && !ms[end].BlankLine && !ms[end].IsMutex {
					end++
				}
			}
			for j := i; j < end; j++ {
				ms[j].Explicit = true
				m.Blocked[members[j].obj] = true
			}
			i = end - 1
			continue
		}
		name, match, ok := guards.ExplicitGuard(text)
		if !ok {
			continue
		}
		if alsoRe.MatchString(text) {
			name = "" // "also guarded by wmu": a multi-lock protocol; block only
		}
		ms[i].Explicit = true
		end := i + 1
		// A guard comment heading a group covers it: after a blank line, or
		// any heading that only blocks ("also guarded by wmu").
		if mb.field != nil && mb.field.Doc != nil && strings.Contains(mb.field.Doc.Text(), match) && (i == 0 || ms[i].BlankLine || name == "") {
			for end < len(members) && !ms[end].BlankLine && !ms[end].IsMutex {
				t, _ := guards.CommentText(members[end].docs...)
				if _, _, own := guards.ExplicitGuard(t); own {
					break
				}
				ms[end].Explicit = true
				end++
			}
		}
		for j := i; j < end; j++ {
			// a struct embedded with a guard comment: its promoted fields
			objs := append([]*types.Var{members[j].obj}, m.promoted[members[j].obj]...)
			for _, obj := range objs {
				c := res.Candidates[obj]
				if c == nil {
					continue
				}
				m.Blocked[obj] = true // declared: neither convention nor inference
				if mu, ok := resolve(c, name, names); ok {
					m.Guards[obj] = &Guard{Obj: obj, Mutex: mu, Source: Explicit, Comment: match, At: pos}
				}
			}
		}
		i = end - 1
	}
	// A struct that also publishes state atomically (an atomic field, or
	// one used with sync/atomic) follows a mixed protocol: fields "guarded"
	// by its mutex are read lock-free once an atomic flag says they are
	// ready (go/types Named, context.cancelCtx).
	mixed := false
	for _, mb := range members {
		if isAtomicType(mb.obj.Type()) {
			mixed = true
		}
		if c := res.Candidates[mb.obj]; c != nil && c.Atomic {
			mixed = true
		}
	}
	// mutex comments
	for i, mb := range members {
		if !ms[i].IsMutex {
			continue
		}
		text, pos := guards.CommentText(mb.docs...)
		mc, ok := guards.ParseMutexComment(text, pos, names)
		if !ok {
			continue
		}
		// The Go convention puts a mutex above the fields it guards: a
		// field declared above a mutex whose comment scopes its guard (or
		// not named by "guards x and y") is not guarded by it, whatever its
		// use suggests (etcd's RaftCluster.localID, set at bootstrap and
		// read freely, sits above "sync.Mutex // guards the fields below").
		for j := range members {
			if (j < i || mc.Scope == guards.ScopeNames) && !ms[j].IsMutex && !ms[j].Explicit {
				if m.notBy[members[j].obj] == nil {
					m.notBy[members[j].obj] = map[*types.Var]bool{}
				}
				m.notBy[members[j].obj][mb.obj] = true
			}
		}
		for _, j := range guards.Covered(ms, i, mc) {
			obj := members[j].obj
			c := res.Candidates[obj]
			if c == nil || m.Guards[obj] != nil || m.Blocked[obj] {
				continue
			}
			for _, mu := range c.Mutexes {
				if mu.Field == mb.obj || mu.Var == mb.obj {
					m.Guards[obj] = &Guard{Obj: obj, Mutex: mu, Source: Convention, Comment: shorten(text), At: pos, WriteOnly: mc.WriteOnly, MixedAtomic: mixed}
					break
				}
			}
		}
	}
}

func shorten(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

var alsoRe = lazyre.New(`(?i)\b(also|and|or|either|both)\s+(guarded|protected|locked)\b|\b(guarded|protected) by (both|either)\b`)

func isAtomicType(t types.Type) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync/atomic"
}

// resolve maps the mutex named in an explicit comment to one of the
// candidate's mutexes. "mu" and "r.mu" (r not a field: a receiver name)
// name a mutex field beside the guarded one or a package-level mutex;
// "inner.mu" (inner a field) names the nested path. Anything else, e.g.
// "db.mu" for a pointer to another object, does not resolve.
func resolve(c *lockstate.Candidate, name string, fieldNames map[string]bool) (lockstate.MutexRef, bool) {
	if name == "" {
		return lockstate.MutexRef{}, false
	}
	parts := strings.Split(name, ".")
	if len(parts) > 1 && !fieldNames[parts[0]] {
		parts = parts[1:] // receiver or type name qualifier
	}
	if len(parts) > 2 {
		return lockstate.MutexRef{}, false
	}
	path := "." + strings.Join(parts, ".")
	for _, mu := range c.Mutexes {
		if mu.Sibling == path || (mu.Sibling == "" && len(parts) == 1 && mu.Var.Name() == parts[0]) {
			return mu, true
		}
	}
	// an embedded mutex is reached as its type name ("guarded by Mutex")
	for _, mu := range c.Mutexes {
		if len(parts) == 1 && mu.Field != nil && mu.Field.Embedded() && mu.Sibling == "."+mu.Field.Name() && mu.Field.Name() == parts[0] {
			return mu, true
		}
	}
	return lockstate.MutexRef{}, false
}

func nodeStart(mb member) token.Pos {
	var n ast.Node = mb.field
	var doc *ast.CommentGroup
	if mb.field != nil {
		doc = mb.field.Doc
	} else {
		n = mb.spec
		doc = mb.spec.Doc
	}
	if doc != nil {
		return doc.Pos()
	}
	return n.Pos()
}

func nodeEnd(mb member) token.Pos {
	if mb.field != nil {
		if mb.field.Comment != nil {
			return mb.field.Comment.End()
		}
		return mb.field.End()
	}
	if mb.spec.Comment != nil {
		return mb.spec.Comment.End()
	}
	return mb.spec.End()
}

// fieldObjs returns the field objects declared by an ast.Field.
func fieldObjs(info *types.Info, f *ast.Field) []*types.Var {
	var out []*types.Var
	if len(f.Names) == 0 {
		id := embeddedIdent(f.Type)
		if id != nil {
			if v, ok := info.Defs[id].(*types.Var); ok {
				out = append(out, v)
			}
		}
		return out
	}
	for _, n := range f.Names {
		if v, ok := info.Defs[n].(*types.Var); ok {
			out = append(out, v)
		}
	}
	return out
}

func embeddedIdent(e ast.Expr) *ast.Ident {
	switch e := e.(type) {
	case *ast.Ident:
		return e
	case *ast.StarExpr:
		return embeddedIdent(e.X)
	case *ast.SelectorExpr:
		return e.Sel
	case *ast.IndexExpr:
		return embeddedIdent(e.X)
	case *ast.IndexListExpr:
		return embeddedIdent(e.X)
	}
	return nil
}

// infer establishes guards from use, and counts the evidence for the
// declared ones.
func infer(fset *token.FileSet, pkg *types.Package, res *lockstate.Result, m *Model) {
	byObj := map[*types.Var][]*ls.Access{}
	late := map[*types.Var]bool{} // written after construction
	for _, a := range res.Accesses {
		// a helper whose callers hold the lock is judged with it, but its
		// accesses are no evidence (they would tip guards of fields its
		// callers' protocols keep, not its lock)
		if Concurrent(a) && a.Func.CallerLocked == "" {
			byObj[a.Obj] = append(byObj[a.Obj], a)
		}
		if a.Kind == ls.Write && !a.Local && !a.Atomic && !a.Func.Construction() && !a.InLazyInit() && !a.Ctx.Inside(ls.CtxOnce) {
			late[a.Obj] = true // e.g. in a helper whose caller holds the lock
		}
	}
	objs := make([]*types.Var, 0, len(byObj))
	for v := range byObj {
		objs = append(objs, v)
	}
	sort.Slice(objs, func(i, j int) bool { return posorder.Less(fset, objs[i].Pos(), objs[j].Pos()) })
	for _, v := range objs {
		accs := byObj[v]
		if g := m.Guards[v]; g != nil {
			count(fset, g, accs)
			g.Written = g.Written || late[v]
			g.WritersHold, g.WriterFields = writersHold(res.Candidates[v], accs)
			continue
		}
		c := res.Candidates[v]
		if c == nil || c.Atomic || m.Blocked[v] || v.Pkg() != pkg {
			continue
		}
		var best *Guard
		for _, mu := range c.Mutexes {
			if m.notBy[v][mu.Field] || m.notBy[v][mu.Var] {
				continue
			}
			g := &Guard{Obj: v, Mutex: mu, Source: Inferred}
			count(fset, g, accs)
			g.Written = g.Written || late[v]
			if best == nil || g.Held > best.Held {
				best = g
			}
		}
		if best == nil || !best.Written || best.Held < minHeld || best.Funcs < 2 || float64(best.Held) < ratio*float64(best.Total) {
			continue
		}
		best.WritersHold, best.WriterFields = writersHold(c, accs)
		m.Guards[v] = best
	}
}

// A WriterLock is a mutex held at every write of a field, in Mode at
// least.
type WriterLock struct {
	Mutex lockstate.MutexRef
	Mode  ls.Mode
}

// writersHold returns the mutexes held at every write of a field in
// concurrent code (there being at least one), on the written value or as
// package variables, and the mutex fields held at every write on some
// value (by the writer, or by every caller of a helper).
func writersHold(c *lockstate.Candidate, accs []*ls.Access) ([]WriterLock, map[*types.Var]ls.Mode) {
	if c == nil {
		return nil, nil
	}
	var out []WriterLock
	for _, mu := range c.Mutexes {
		writes, all := 0, true
		mode := ls.Exclusive
		for _, a := range accs {
			if a.Kind != ls.Write {
				continue
			}
			writes++
			k, ok := mu.KeyAt(a)
			if !ok {
				all = false
				break
			}
			h, ok := a.Held.Lookup(k)
			if !ok || !h.Must {
				all = false
				break
			}
			mode = min(mode, h.Mode)
		}
		if writes > 0 && all {
			out = append(out, WriterLock{mu, mode})
		}
	}
	var fields map[*types.Var]ls.Mode
	first := true
	for _, a := range accs {
		if a.Kind != ls.Write {
			continue
		}
		have := map[*types.Var]ls.Mode{}
		add := func(f *types.Var, m ls.Mode) {
			if old, ok := have[f]; !ok || m > old {
				have[f] = m
			}
		}
		for _, h := range a.Held.Must() {
			if f := h.Key.LastField(); f != nil {
				add(f, h.Mode)
			}
		}
		if !a.Ctx.Inside(ls.CtxGoroutine) && !a.Ctx.Inside(ls.CtxUnknown) {
			for f, m := range a.Func.TypeEntry {
				add(f, m)
			}
		}
		if first {
			fields, first = have, false
			continue
		}
		for f, m := range fields {
			if hm, ok := have[f]; !ok {
				delete(fields, f)
			} else if hm < m {
				fields[f] = hm
			}
		}
	}
	if len(fields) == 0 {
		fields = nil
	}
	return out, fields
}

// count fills in the use statistics of g from the concurrent accesses of
// its object. Accesses are counted once per line: a line is a site that a
// reader can check.
func count(fset *token.FileSet, g *Guard, accs []*ls.Access) {
	funcs := map[*ls.FuncInfo]bool{}
	sites := map[token.Position]bool{}
	g.Held, g.Total, g.HeldAt = 0, 0, nil
	for _, a := range accs {
		if a.Kind == ls.Write && !a.InLazyInit() {
			g.Written = true
		}
		if g.WriteOnly && a.Kind != ls.Write {
			continue // a write-only guard says nothing of loads
		}
		k, ok := g.KeyAt(a)
		if !ok {
			continue
		}
		p := fset.Position(a.Pos())
		p.Column, p.Offset = 0, 0
		if _, dup := sites[p]; dup {
			continue
		}
		_, held := a.Held.MustHold(k)
		held = held || a.Func.HeldByType(k, a.Ctx)
		sites[p] = held
		g.Total++
		if held {
			g.Held++
			funcs[a.Func] = true
			if len(g.HeldAt) < 8 {
				g.HeldAt = append(g.HeldAt, a.Pos())
			}
		}
	}
	g.Funcs = len(funcs)
}

// setOnce marks the explicit guards of unexported fields and variables that
// are set at construction (in a composite literal, a constructor, init or
// a sync.Once body) and never written after.
func setOnce(pass *analysis.Pass, res *lockstate.Result, m *Model) {
	cands := map[*types.Var]*Guard{}
	for v, g := range m.Guards {
		if g.Source == Explicit && !g.Written && !v.Exported() && v.Pkg() == pass.Pkg {
			cands[v] = g
		}
	}
	if len(cands) == 0 {
		return
	}
	set := map[*types.Var]bool{}
	for _, a := range res.Accesses {
		if a.Kind == ls.Write && cands[a.Obj] != nil {
			if a.Local || a.Func.Construction() || a.Ctx.Inside(ls.CtxOnce) {
				set[a.Obj] = true
			} else {
				delete(cands, a.Obj) // written later (not judged here, e.g. a stored closure)
			}
		}
	}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok {
					if v, ok := pass.TypesInfo.Uses[id].(*types.Var); ok && cands[v] != nil {
						set[v] = true
					}
				}
			}
			return true
		})
	}
	for v, g := range cands {
		g.SetOnce = set[v]
	}
}

// helped reports whether an exported function or method of the package
// acquires the guard for its caller (Lock/RLock wrappers) or calls a
// callback holding it (withLock(f)).
func helped(res *lockstate.Result, f *GuardFact, v *types.Var) bool {
	var fi *ls.FuncInfo
	match := func(r ls.RelLock) bool {
		if f.Sibling == "" {
			return r.Param == -1 && r.Var == f.Var
		}
		if r.Param < 0 || r.Param >= len(fi.Params) || r.Path != f.Sibling || fi.Params[r.Param] == nil {
			return false
		}
		st, ok := derefStruct(fi.Params[r.Param].Type())
		if !ok {
			return false
		}
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Origin() == v {
				return true // a struct declaring the guarded field
			}
		}
		return false
	}
	for _, fi = range res.Funcs {
		if fi.Summary == nil || !fi.Obj.Exported() {
			continue
		}
		for _, r := range fi.Summary.Acquires {
			if match(r) {
				return true
			}
		}
		for _, cb := range fi.Summary.Callbacks {
			for _, r := range cb.Held {
				if match(r) {
					return true
				}
			}
		}
	}
	return false
}

func derefStruct(t types.Type) (*types.Struct, bool) {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

// GobEncode implements gob.GobEncoder (see internal/lockstate's fact codec).
func (f *GuardFact) GobEncode() ([]byte, error) {
	var e ls.Enc
	e.String(f.Sibling)
	e.String(f.Var)
	e.Bool(f.RW)
	e.Bool(f.WriteOnly)
	e.String(f.Evidence)
	e.Bool(f.Helped)
	return e.Bytes(), nil
}

// GobDecode implements gob.GobDecoder.
func (f *GuardFact) GobDecode(b []byte) error {
	d := ls.NewDec(b)
	*f = GuardFact{}
	f.Sibling = d.String()
	f.Var = d.String()
	f.RW = d.Bool()
	f.WriteOnly = d.Bool()
	f.Evidence = d.String()
	f.Helped = d.Bool()
	return d.Done()
}
