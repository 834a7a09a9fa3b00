// Package lockstate defines an analyzer that runs regaudit's lock-state
// engine over every function of a package. It records each access to a
// field or package variable that a mutex may guard, with the locks held
// there, and each lock operation and function exit (for the lock-flow
// checks). It computes lock summaries of functions (lock wrappers, helpers
// that release, locks required on entry, inferred from every call site) and
// exports them as facts, so that they are known across packages.
//
// It reports nothing; its Result (*Result) feeds analyzer/guards and the
// check families.
package lockstate

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

var Analyzer = &analysis.Analyzer{
	Name:       "lockstate",
	Doc:        "compute the locks held at each access to possibly guarded state",
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(ls.Summary), new(HasLocksFact)},
}

// Result is the lock-state model of a package.
type Result struct {
	Funcs    []*ls.FuncInfo
	Accesses []*ls.Access
	Ops      []*OpEvent
	Exits    []*ExitEvent
	Calls    []*CallEvent // every call (not go or defer statements) with the state before it
	// Candidates are the fields and package variables whose accesses are
	// recorded, with the mutexes that could guard them.
	Candidates map[*types.Var]*Candidate
	// Skipped is true when the package has no mutex and uses none of
	// another package's guarded state: nothing was analysed.
	Skipped bool
	// Callers are the call sites of each local function (outside test
	// files); ClosedCallers are the functions whose callers are all among
	// them (unexported, never used as a value).
	Callers       map[*ls.FuncInfo][]Caller
	ClosedCallers map[*ls.FuncInfo]bool
	// API tells which functions other packages can call: only those get
	// facts.
	API *ls.API
}

// A Caller is a call site of a local function.
type Caller struct {
	Func *ls.FuncInfo
	// GoPos, if valid, is where in Func's body the goroutine making the
	// call is started: the go statement of the call, or the one starting
	// the (outermost) function literal containing it.
	GoPos token.Pos
	// Unknown: the call is in a function literal stored for later, which
	// runs at a time the analysis cannot see.
	Unknown bool
}

// A Candidate is a field or package variable that a mutex may guard.
type Candidate struct {
	Obj     *types.Var
	Struct  *types.Struct // for fields: the struct declaring it
	Mutexes []MutexRef    // mutexes that could guard it
	Atomic  bool          // also used with sync/atomic: never guarded
	// Embed is set for a field promoted from a struct embedded in Struct
	// with a guard comment (Front{mu; counters // guarded by mu}): the
	// embedded field. Its accesses are recorded with the base of the
	// embedding struct (f for f.hits and f.counters.hits), where Mutexes
	// are; those made on a counters value itself are not recorded.
	Embed *types.Var
}

// A MutexRef names a candidate guard: a mutex reachable from the same
// struct (Sibling, e.g. ".mu" or ".inner.mu") or a package-level mutex.
type MutexRef struct {
	Sibling string
	Var     *types.Var // package-level mutex, if Sibling == ""
	Field   *types.Var // the mutex field, for siblings
	RW      bool
}

// Name is the mutex as written in source, e.g. "mu" or "driversMu".
func (m MutexRef) Name() string {
	if m.Sibling != "" {
		return strings.TrimPrefix(m.Sibling, ".")
	}
	return m.Var.Name()
}

// KeyAt returns the mutex's key at an access with the given base.
func (m MutexRef) KeyAt(a *ls.Access) (ls.Key, bool) {
	if m.Sibling == "" {
		return ls.Key{Root: m.Var}, true
	}
	if !a.HasBase {
		return ls.Key{}, false
	}
	return a.Base.Child(m.Sibling), true
}

// OpEvent is a lock operation.
type OpEvent struct {
	Pos      token.Pos
	Key      ls.Key
	Op       ls.Op
	Before   ls.State
	Ctx      *ls.Context
	Deferred bool
	Via      *ast.CallExpr // the call whose summary performs the op, or nil
	Func     *ls.FuncInfo
}

// ExitEvent is a normal exit of a function unit.
type ExitEvent struct {
	Ret   *ast.ReturnStmt // nil at the end of the body
	State ls.State
	Ctx   *ls.Context
	Func  *ls.FuncInfo
	// Deferred are the unit's deferred lock operations run at this exit,
	// in the order they run, with the state before each (only those
	// registered on a path reaching the exit).
	Deferred []ls.DeferredRun
}

// CallEvent is a call expression with the locks held when its evaluation
// starts (before its arguments, which rarely lock). Deferred calls and the calls of go
// statements are not included.
type CallEvent struct {
	Call   *ast.CallExpr
	Before ls.State
	Ctx    *ls.Context
	Func   *ls.FuncInfo
}

// HasLocksFact marks a package that declares mutexes or imports a package
// that does: only packages with it (or importing sync) are analysed.
type HasLocksFact struct{}

func (*HasLocksFact) AFact()         {}
func (*HasLocksFact) String() string { return "hasLocks" }

func run(pass *analysis.Pass) (res any, err error) {
	defer func() {
		// Never take the whole vet run down: report an internal error for
		// this package instead (robustness tests look for this text).
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("internal error: regaudit lockstate panicked on package %s: %v", pass.Pkg.Path(), r)
		}
	}()
	a := &analysis_{
		pass:      pass,
		res:       &Result{Candidates: map[*types.Var]*Candidate{}, API: ls.NewAPI(pass.Pkg)},
		local:     map[*types.Func]*ls.FuncInfo{},
		events:    map[*ls.FuncInfo]*funcEvents{},
		summaries: map[*types.Func]*ls.Summary{},
		structMu:  map[*types.Struct][]MutexRef{},
	}
	a.run()
	return a.res, nil
}

type analysis_ struct {
	pass           *analysis.Pass
	res            *Result
	local          map[*types.Func]*ls.FuncInfo
	summaries      map[*types.Func]*ls.Summary
	imported       map[*types.Func]*ls.Summary // summary facts of other packages' functions (nil: none)
	inProg         map[*types.Func]bool
	pkgMu          []MutexRef
	structMu       map[*types.Struct][]MutexRef
	importsGuarded bool
	pkgIdents      bool            // identifiers may denote package-level mutexes or candidates
	identNames     map[string]bool // if not nil, only identifiers with these names
	pkgMuCache     map[*types.Package][]MutexRef
	pkgNames       []string // the package scope's names, sorted
	notCandidate   map[*types.Var]bool
	valueUsed      map[*types.Func]bool                                  // local functions used other than by a direct call
	valueUses      map[*types.Func][]*ast.Ident                          // those uses
	startedIdent   map[*ast.Ident]bool                                   // uses handing the function to a goroutine starter (see startedValues)
	condMu         map[*types.Var]string                                 // see condLocker (nil: not computed yet)
	dispatch       map[*types.Func][]*ls.FuncInfo                        // see callTargets
	handed         *handedVars                                           // see throughReturned (nil: not computed yet)
	elems          map[*types.Func][]elemLock                            // see elemLocks
	equal          map[*ls.FuncInfo]func(*ast.CallExpr, ls.Key) []ls.Key // see equalKeys

	// call graph of local functions
	callees      map[*ls.FuncInfo][]*ls.FuncInfo
	scc          map[*ls.FuncInfo]int
	unknownEntry map[*ls.FuncInfo]bool // callers' lock state cannot be seen
	// releasedOnly: the locks a function releases at every exit and
	// never takes itself (its caller's), with the mode of the release
	releasedOnly map[*ls.FuncInfo]map[ls.Key]ls.Mode
	initCalls    map[*ls.FuncInfo]int // calls from package-level variable initializers

	callSlab slab[CallEvent]
	exitSlab slab[ExitEvent]
	accSlab  slab[ls.Access]

	// per round
	events    map[*ls.FuncInfo]*funcEvents
	callSites map[*types.Func][]callSite
	collect   bool
}

type callSite struct {
	caller *ls.FuncInfo
	held   []ls.RelLock // callee-relative locks held (must) at the call
	known  bool         // the state at the call is meaningful
	local  []bool       // per parameter: the argument is a value the caller allocated and has not shared
	// informed: the caller's own entry locks were known (declared or
	// inferred) when the site was recorded, so held reflects them
	informed bool
	fields   []fieldHeld // mutex fields held (must) at the call, on any value
	fresh    bool        // the receiver (first argument) is reached from a value allocated by the caller
	goPos    token.Pos   // the go statement starting the goroutine that makes the call, in the caller's body
	unknown  bool        // in a function literal stored for later
	boolArgs []int8      // per parameter: 1 if the argument is the constant true, -1 false, 0 otherwise
}

func (a *analysis_) run() {
	pass := a.pass

	// 1. Does anything here involve a mutex?
	hasMutex := false
	for _, imp := range pass.Pkg.Imports() {
		if imp.Path() == "sync" {
			hasMutex = true
		}
		if pass.ImportPackageFact(imp, new(HasLocksFact)) {
			a.importsGuarded = true
		}
	}
	if !hasMutex && !a.importsGuarded {
		a.res.Skipped = true
		return
	}

	// Not transitive: importers need it only to look at this package's
	// own fields, variables and lock helpers.
	if len(a.pkgMuOf(pass.Pkg)) > 0 || declaresMutexStruct(pass.Pkg, a.names(pass.Pkg)) {
		pass.ExportPackageFact(new(HasLocksFact))
	}

	// 2. Candidates: fields of structs declared here that sit beside a
	// mutex, package-level variables beside a package-level mutex.
	a.findCandidates()
	// An identifier can denote a package-level mutex or candidate only if
	// it names one of this package's (its variables are candidates only if
	// it declares a mutex), or if the package dot-imports another.
	dotImport := false
	for _, f := range pass.Files {
		for _, imp := range f.Imports {
			if imp.Name != nil && imp.Name.Name == "." {
				dotImport = true
			}
		}
	}
	a.pkgIdents = len(a.pkgMu) > 0 || dotImport
	if a.pkgIdents && !dotImport {
		a.identNames = map[string]bool{}
		for _, m := range a.pkgMu {
			a.identNames[m.Var.Name()] = true
		}
		for v := range a.res.Candidates {
			if !v.IsField() {
				a.identNames[v.Name()] = true
			}
		}
	}

	// 3. Functions.
	var decls []*ls.FuncInfo
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if obj == nil {
				continue
			}
			fi := &ls.FuncInfo{Decl: fd, Obj: obj, File: f, Params: ls.Params(obj)}
			ls.ClassifyFunc(pass.Fset, fi)
			a.local[obj] = fi
			decls = append(decls, fi)
		}
	}

	// Declared requirements; function parameters stored for later.
	for _, fi := range decls {
		a.declaredRequires(fi)
		if st := storedParams(pass.TypesInfo, fi); len(st) > 0 {
			a.summary(fi.Obj).Stores = st
		}
	}

	// 4. Round 1: summaries (callees first) and accesses.
	order := a.callOrder(decls)
	a.scanCalls()
	a.inProg = map[*types.Func]bool{}
	a.callSites = map[*types.Func][]callSite{}
	a.collect = true
	a.releasedOnly = map[*ls.FuncInfo]map[ls.Key]ls.Mode{}
	for _, fi := range order {
		a.walk(fi)
	}

	// 5. Round 2: helpers whose every call site holds a lock get it on
	// entry; walk them again.
	a.classifyCallers(decls)
	a.callerOwned(decls)
	a.releasedEntries(decls)
	a.ownedEntries(decls)
	changed := a.inferEntries(decls)
	for round := 0; len(changed) > 0 && round < 8; round++ {
		for _, fi := range changed {
			a.dropEvents(fi)
			a.walk(fi)
		}
		changed = a.inferEntries(decls)
	}
	a.inferTypeEntries(decls)

	// 6. Export summaries.
	for _, fi := range decls {
		if s := a.summaries[fi.Obj]; !s.Empty() {
			ls.SortRel(s.Acquires)
			ls.SortRel(s.Releases)
			ls.SortRel(s.Requires)
			fi.Summary = s
			if !fi.Test && a.res.API.Callable(fi.Obj) {
				// only exported functions and methods (of types other
				// packages can reach) can be called from other packages
				// (those of test files only from external test packages,
				// whose findings are not reported)
				pass.ExportObjectFact(fi.Obj, s)
			}
		}
	}
	for _, fi := range decls {
		if ev := a.events[fi]; ev != nil {
			a.res.Accesses = append(a.res.Accesses, ev.accesses...)
			a.res.Ops = append(a.res.Ops, ev.ops...)
			a.res.Calls = append(a.res.Calls, ev.calls...)
			a.res.Exits = append(a.res.Exits, ev.exits...)
		}
	}
	// By file name and offset: token.Pos order across files depends on the
	// driver's (parallel) loading order, and evidence cites the first lines.
	fset := pass.Fset
	sort.SliceStable(a.res.Accesses, func(i, j int) bool {
		pi, pj := fset.Position(a.res.Accesses[i].Pos()), fset.Position(a.res.Accesses[j].Pos())
		if pi.Filename != pj.Filename {
			return pi.Filename < pj.Filename
		}
		return pi.Offset < pj.Offset
	})
	a.res.Funcs = decls
	a.res.Callers = map[*ls.FuncInfo][]Caller{}
	a.res.ClosedCallers = map[*ls.FuncInfo]bool{}
	for _, fi := range decls {
		for _, cs := range a.callSites[fi.Obj] {
			a.res.Callers[fi] = append(a.res.Callers[fi], Caller{Func: cs.caller, GoPos: cs.goPos, Unknown: cs.unknown})
		}
		if !externallyCallable(fi) && !a.valueUsed[fi.Obj] && !fi.Test {
			a.res.ClosedCallers[fi] = true
		}
	}
}

// scanCalls looks at every call of the files (those of the function
// bodies found by their prescan, the others by walking the rest of the
// files) to find the local functions referenced other than as the callee
// of a call (method values, function values: their callers are unknown, so
// no entry lock is inferred for them), and those passed by name to
// sync.Once.Do, sync.OnceFunc or sync.OnceValue(s) (once.Do(r.init)), which
// are not concurrent code. It runs after the prescan (callOrder).
func (a *analysis_) scanCalls() {
	info := a.pass.TypesInfo
	// Callee identifiers are looked up only if they denote a local
	// function: only those with a local function's name are kept.
	names := map[string]bool{}
	for fn := range a.local {
		names[fn.Name()] = true
	}
	callee := map[*ast.Ident]bool{}
	mark := func(id *ast.Ident) {
		if names[id.Name] {
			callee[id] = true
		}
	}
	a.initCalls = map[*ls.FuncInfo]int{}
	visitCall := func(call *ast.CallExpr) {
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			mark(fun)
		case *ast.SelectorExpr:
			mark(fun.Sel)
		case *ast.IndexExpr:
			markCallee(mark, fun.X)
		case *ast.IndexListExpr:
			markCallee(mark, fun.X)
		}
		a.onceBody(call)
	}
	visit := func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			visitCall(call)
		}
		return true
	}
	// calls in package-level variable initializers run during package
	// initialization
	visitInit := func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if fn := ls.Callee(info, call); fn != nil {
				if fi := a.local[fn.Origin()]; fi != nil {
					a.initCalls[fi]++
				}
			}
			visitCall(call)
		}
		return true
	}
	for _, f := range a.pass.Files {
		ast.Inspect(f.Name, visit)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
					ast.Inspect(d, visitInit)
				} else {
					ast.Inspect(d, visit)
				}
				continue
			}
			if fd.Doc != nil {
				ast.Inspect(fd.Doc, visit)
			}
			if fd.Recv != nil {
				ast.Inspect(fd.Recv, visit)
			}
			ast.Inspect(fd.Name, visit)
			ast.Inspect(fd.Type, visit)
			if fd.Body == nil {
				continue
			}
			if obj, _ := info.Defs[fd.Name].(*types.Func); obj != nil {
				if fi := a.local[obj]; fi != nil && fi.Decl == fd && fi.Locals != nil {
					for _, call := range fi.Calls {
						visitCall(call) // the prescan's calls, in source order
					}
					continue
				}
			}
			ast.Inspect(fd.Body, visit)
		}
	}
	a.valueUsed = map[*types.Func]bool{}
	a.valueUses = map[*types.Func][]*ast.Ident{}
	a.startedIdent = map[*ast.Ident]bool{}
	for id, obj := range info.Uses {
		// A method of a generic type used through its receiver (c.onEvicted
		// in a method of Cache[K, V]) is an instance: its origin is local.
		if fn, ok := obj.(*types.Func); ok && a.local[fn.Origin()] != nil && !callee[id] {
			a.valueUsed[fn.Origin()] = true
			a.valueUses[fn.Origin()] = append(a.valueUses[fn.Origin()], id)
		}
	}
}

// onceName reports whether the callee expression names Do, OnceFunc,
// OnceValue or OnceValues (the name of a static callee is the one written),
// before the callee is looked up.
func onceName(fun ast.Expr) bool {
	var id *ast.Ident
	switch x := ast.Unparen(fun).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	case *ast.IndexExpr: // sync.OnceValue[T]
		return onceName(x.X)
	case *ast.IndexListExpr: // sync.OnceValues[T1, T2]
		return onceName(x.X)
	default:
		return false // no static callee (ls.Callee)
	}
	switch id.Name {
	case "Do", "OnceFunc", "OnceValue", "OnceValues":
		return true
	}
	return false
}

// markCallee marks the identifier naming an instantiated generic callee
// (f[T](x), r.m[K, V](x)).
func markCallee(mark func(*ast.Ident), x ast.Expr) {
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		mark(x)
	case *ast.SelectorExpr:
		mark(x.Sel)
	}
}

func (a *analysis_) onceBody(call *ast.CallExpr) {
	if len(call.Args) != 1 || !onceName(call.Fun) {
		return
	}
	fn := ls.Callee(a.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return
	}
	switch fn.Name() {
	case "Do", "OnceFunc", "OnceValue", "OnceValues":
	default:
		return
	}
	var id *ast.Ident
	switch arg := ast.Unparen(call.Args[0]).(type) {
	case *ast.Ident:
		id = arg
	case *ast.SelectorExpr:
		id = arg.Sel
	}
	if id == nil {
		return
	}
	if f, ok := a.pass.TypesInfo.Uses[id].(*types.Func); ok {
		if fi := a.local[f.Origin()]; fi != nil && fi.NotConcurrent == "" {
			fi.NotConcurrent = ls.ReasonOnce
		}
	}
}
