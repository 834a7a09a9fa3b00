package registry

import (
	"github.com/regaudit/regaudit/internal/posorder"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/internal/lazyre"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Build derives the registry model of a package from its guard model.
func Build(fset *token.FileSet, pkg *types.Package, info *types.Info, gm *guards.Model) *Model {
	m := &Model{Fset: fset, Pkg: pkg, Guards: gm}
	if gm == nil || gm.LS == nil || gm.LS.Skipped {
		return m
	}
	b := &builder{
		fset: fset, pkg: pkg, info: info, gm: gm, m: m,
		colls:     map[*types.Var]*Collection{},
		collNames: map[string]bool{},
		regOf:     map[*Collection]*Registry{},
		regByTyp:  map[*types.TypeName]*Registry{},
		regByVar:  map[*types.Var]*Registry{},
		accByExp:  map[ast.Expr]*ls.Access{},
		ops:       map[*types.Func]*Op{},
		local:     map[*types.Func]*ls.FuncInfo{},
	}
	b.collections()
	if len(m.Registries) == 0 {
		return m
	}
	for _, a := range gm.LS.Accesses {
		if b.colls[a.Obj] != nil {
			b.accByExp[a.Expr] = a
		}
	}
	for _, fi := range gm.LS.Funcs {
		b.local[fi.Obj] = fi
	}
	// where the collections are named
	for id, obj := range info.Uses {
		if v, ok := obj.(*types.Var); ok && b.colls[v.Origin()] != nil {
			b.collIdents = append(b.collIdents, id.Pos())
		}
	}
	slices.Sort(b.collIdents)
	b.releaseSummaries()
	b.stateSummaries()
	b.funcFieldStops()
	for _, fi := range gm.LS.Funcs {
		b.scan(fi)
	}
	b.transitive()
	b.roles()
	b.ownership()
	return m
}

type builder struct {
	fset      *token.FileSet
	pkg       *types.Package
	info      *types.Info
	gm        *guards.Model
	m         *Model
	colls     map[*types.Var]*Collection
	collNames map[string]bool // names of the collections
	regOf     map[*Collection]*Registry
	regByTyp  map[*types.TypeName]*Registry
	regByVar  map[*types.Var]*Registry
	pkgReg    *Registry
	accByExp  map[ast.Expr]*ls.Access
	ops       map[*types.Func]*Op
	opList    []*Op
	local     map[*types.Func]*ls.FuncInfo
	relParam  map[*types.Func][]bool
	states    map[*types.Func]*funcState
	// funcStops are, for a func field, the stop fields that the values
	// assigned to it close, send on or call (closeWork = sync.OnceFunc(func()
	// { close(workCh) }))
	funcStops map[*types.Var][]*types.Var

	releaseNames map[string]bool     // isReleaseName of method names
	uniqueID     map[*types.Var]bool // uniqueIDKey of fields
	collIdents   []token.Pos         // identifiers denoting a collection (sorted)
}

// collections finds the guarded collections and groups them by owner.
func (b *builder) collections() {
	var vars []*types.Var
	for v, g := range b.gm.Guards {
		if v.Pkg() != b.pkg || g.Source == guards.Imported {
			continue
		}
		if kind, _ := collKind(v.Type()); kind != "" {
			vars = append(vars, v)
		}
	}
	sort.Slice(vars, func(i, j int) bool { return posorder.Less(b.fset, vars[i].Pos(), vars[j].Pos()) })
	structOwner := map[*types.Struct]*types.TypeName{}
	scope := b.pkg.Scope()
	anonVar := map[*types.Struct]*types.Var{}
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.TypeName:
			if st, ok := obj.Type().Underlying().(*types.Struct); ok && !obj.IsAlias() {
				structOwner[st] = obj
			}
		case *types.Var:
			if st, ok := types.Unalias(obj.Type()).(*types.Struct); ok {
				anonVar[st] = obj
			}
		}
	}
	for _, v := range vars {
		kind, entry := collKind(v.Type())
		c := &Collection{Obj: v, Kind: kind, Guard: b.gm.Guards[v], Entry: entry}
		if mt, ok := v.Type().Underlying().(*types.Map); ok {
			switch {
			case isSetValue(mt.Elem()):
				c.SetLike = true
				c.Entry = mt.Key()
			case releaseMethod(mt.Key()) != "" && releaseMethod(mt.Elem()) == "":
				// map[net.Conn]state: the keys are the entries
				c.KeyEntries = true
				c.Entry = mt.Key()
			default:
				if sl, ok := mt.Elem().Underlying().(*types.Slice); ok && releaseMethod(sl.Elem()) != "" {
					// map[key][]*conn: the entries are in the lists
					c.Nested = true
					c.Entry = sl.Elem()
				}
			}
		}
		c.ReleaseName = releaseMethod(c.Entry)
		c.Releasable = c.ReleaseName != ""
		var r *Registry
		if v.IsField() {
			cand := b.gm.LS.Candidates[v]
			if cand == nil || cand.Struct == nil {
				continue
			}
			tn := structOwner[cand.Struct]
			if tn == nil {
				// a package variable of anonymous struct type:
				// var profiles struct{ mu sync.Mutex; m map[...]... }
				pv := anonVar[cand.Struct]
				if pv == nil {
					continue
				}
				r = b.regByVar[pv]
				if r == nil {
					r = &Registry{Name: "var " + pv.Name(), Pos: pv.Pos()}
					b.regByVar[pv] = r
					b.m.Registries = append(b.m.Registries, r)
				}
			} else if r = b.regByTyp[tn]; r == nil {
				r = &Registry{Name: tn.Name(), Type: tn, Pos: tn.Pos()}
				b.regByTyp[tn] = r
				b.m.Registries = append(b.m.Registries, r)
			}
		} else {
			if b.pkgReg == nil {
				b.pkgReg = &Registry{Name: "package " + b.pkg.Name(), Pos: v.Pos()}
				b.m.Registries = append(b.m.Registries, b.pkgReg)
			}
			r = b.pkgReg
		}
		r.Collections = append(r.Collections, c)
		b.colls[v] = c
		b.collNames[v.Name()] = true
		b.regOf[c] = r
	}
	sort.SliceStable(b.m.Registries, func(i, j int) bool { return posorder.Less(b.fset, b.m.Registries[i].Pos, b.m.Registries[j].Pos) })
}

// collKind classifies a collection type and returns its entry type.
func collKind(t types.Type) (string, types.Type) {
	t = types.Unalias(t)
	if isList(t) {
		return "list", nil
	}
	var kind string
	var elem types.Type
	switch u := t.Underlying().(type) {
	case *types.Map:
		kind, elem = "map", u.Elem()
	case *types.Slice:
		kind, elem = "slice", u.Elem()
	case *types.Array:
		kind, elem = "array", u.Elem()
	default:
		return "", nil
	}
	if p := pkgOf(elem); p != nil && (p.Path() == "sync/atomic" || p.Path() == "sync") {
		if _, isPtr := types.Unalias(elem).(*types.Pointer); !isPtr {
			return "", nil // lock-free slots (atomics), not a guarded collection
		}
	}
	return kind, elem
}

func isList(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "container/list" && n.Obj().Name() == "List"
}

func isSetValue(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Struct:
		return u.NumFields() == 0
	case *types.Basic:
		return u.Kind() == types.Bool
	}
	return false
}

var releaseMethods = []string{"Close", "Stop", "Shutdown", "Release", "Cancel", "Destroy", "Dispose", "Terminate", "Kill"}

// releaseMethod returns the name of a release method of t (or *t), if any.
func releaseMethod(t types.Type) string {
	if t == nil {
		return ""
	}
	for _, tt := range []types.Type{t, types.NewPointer(t)} {
		if _, ok := t.Underlying().(*types.Interface); ok && tt != t {
			continue
		}
		if _, ok := t.Underlying().(*types.Pointer); ok && tt != t {
			continue
		}
		ms := types.NewMethodSet(tt)
		for _, name := range releaseMethods {
			for _, n := range []string{name, strings.ToLower(name)} {
				if sel := ms.Lookup(nil, n); sel != nil {
					return n
				}
				if sel := ms.Lookup(pkgOf(t), n); sel != nil {
					return n
				}
			}
		}
	}
	return ""
}

func pkgOf(t types.Type) *types.Package {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Pkg()
	}
	return nil
}

var releaseNameRe = lazyre.New(`^(?i:close|stop|shutdown|release|cancel|destroy|dispose|free|terminate|kill|teardown|decref|unref|abort)`)

// isReleaseName reports whether a method or function name releases its
// receiver (Close, closeLocked, Stop, Shutdown, cancel, ...).
func isReleaseName(name string) bool { return releaseNameRe.MatchString(name) }

// releaseCall returns n as a call of a release method (x.Close()), with its
// receiver expression x unparenthesized.
func releaseCall(n ast.Node) (*ast.CallExpr, ast.Expr, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return nil, nil, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !isReleaseName(sel.Sel.Name) {
		return nil, nil, false
	}
	return call, ast.Unparen(sel.X), true
}

// isReleaseName is isReleaseName, matched once per name.
func (b *builder) isReleaseName(name string) bool {
	r, ok := b.releaseNames[name]
	if !ok {
		r = isReleaseName(name)
		if b.releaseNames == nil {
			b.releaseNames = map[string]bool{}
		}
		b.releaseNames[name] = r
	}
	return r
}

var cleanupNameRe = lazyre.New(`^(?i:close|cleanup|clean|shutdown|stop|reset|destroy|release|dispose|teardown|clear|purge|unregisterall|removeall|deleteall|finalize|terminate)`)

// IsCleanupName reports whether a function name says it cleans up.
func IsCleanupName(name string) bool { return cleanupNameRe.MatchString(name) }

var populateNameRe = lazyre.New(`(?i)populate|^(try)?(load|fill|refresh|reload|scan|discover)`)

var replacesDocRe = lazyre.New(`(?i)\b(replac|overrid|overwrit|supersed)\w*|last (one|call|registration) wins`)

// --- per-function release summaries ---------------------------------------

// releaseSummaries computes, for every local function, which parameters it
// releases (calls a release method on, closes, or ranges over releasing
// each element).
func (b *builder) releaseSummaries() {
	b.relParam = map[*types.Func][]bool{}
	for round := 0; round < 2; round++ {
		if round > 0 && len(b.relParam) == 0 {
			break // nothing releases a parameter: a second round finds the same
		}
		for _, fi := range b.gm.LS.Funcs {
			params := fi.Params
			if len(params) == 0 {
				continue
			}
			// what the calls of the body (the prescan's) release
			var released []ast.Expr
			for _, call := range fi.Calls {
				released = append(released, b.releasedBy(call)...)
			}
			if len(released) == 0 {
				continue
			}
			idx := map[types.Object]int{}
			for i, p := range params {
				if p != nil {
					idx[p] = i
				}
			}
			// range value variables over a parameter are rooted at it
			ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
				if rs, ok := n.(*ast.RangeStmt); ok {
					if id, ok := ast.Unparen(rs.X).(*ast.Ident); ok {
						if i, ok := idx[b.info.Uses[id]]; ok && rs.Value != nil {
							if vid, ok := rs.Value.(*ast.Ident); ok && b.info.Defs[vid] != nil {
								idx[b.info.Defs[vid]] = i
							}
						}
					}
				}
				return true
			})
			root := func(e ast.Expr) int {
				id := rootIdent(b.info, e)
				if id == nil {
					return -1
				}
				if i, ok := idx[b.info.Uses[id]]; ok {
					return i
				}
				return -1
			}
			rel := make([]bool, len(params))
			any := false
			for _, x := range released {
				if i := root(x); i >= 0 {
					rel[i] = true
					any = true
				}
			}
			if any {
				b.relParam[fi.Obj] = rel
			}
		}
	}
}

// releasedBy returns the expressions a call releases: the receiver of a
// release method, the argument of close, a called func value (a cancel
// func), the arguments a local function releases.
func (b *builder) releasedBy(call *ast.CallExpr) []ast.Expr {
	fun := ast.Unparen(call.Fun)
	if id, ok := fun.(*ast.Ident); ok {
		if bi, ok := b.info.Uses[id].(*types.Builtin); ok {
			if bi.Name() == "close" && len(call.Args) == 1 {
				return []ast.Expr{call.Args[0]}
			}
			return nil
		}
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if s, ok := b.info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			var out []ast.Expr
			if b.isReleaseName(sel.Sel.Name) {
				out = append(out, sel.X)
			}
			if fn, ok := s.Obj().(*types.Func); ok {
				out = append(out, b.relArgs(fn.Origin(), call)...)
			}
			return out
		}
	}
	if fn := ls.Callee(b.info, call); fn != nil {
		return b.relArgs(fn.Origin(), call)
	}
	// a call of a func value: a cancel func
	if tv, ok := b.info.Types[fun]; ok && tv.IsValue() {
		if _, ok := tv.Type.Underlying().(*types.Signature); ok {
			return []ast.Expr{fun}
		}
	}
	return nil
}

// releaseMethodOf returns the method call releases x by, when x is the
// receiver of the call (x.stop(true)), or nil.
func releaseMethodOf(info *types.Info, call *ast.CallExpr, x ast.Expr) *types.Func {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || ast.Unparen(sel.X) != ast.Unparen(x) {
		return nil
	}
	if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
		if fn, ok := s.Obj().(*types.Func); ok {
			return fn.Origin()
		}
	}
	return nil
}

func (b *builder) relArgs(fn *types.Func, call *ast.CallExpr) []ast.Expr {
	rel := b.relParam[fn]
	if rel == nil {
		return nil
	}
	var out []ast.Expr
	for i, a := range ls.CallArgs(b.info, call) {
		if i < len(rel) && rel[i] {
			out = append(out, a)
		}
	}
	return out
}

// operand returns the operand of a field selection, index, type
// assertion, star or parenthesis (the value e is a part of), or nil.
func operand(info *types.Info, e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.ParenExpr:
		return x.X
	case *ast.StarExpr:
		return x.X
	case *ast.TypeAssertExpr:
		return x.X
	case *ast.IndexExpr:
		return x.X
	case *ast.SelectorExpr:
		if s, ok := info.Selections[x]; ok && s.Kind() == types.FieldVal {
			return x.X
		}
	}
	return nil
}

// rootIdent strips field selections, indexing, type assertions, stars and
// parens down to an identifier.
func rootIdent(info *types.Info, e ast.Expr) *ast.Ident {
	for e != nil {
		if id, ok := e.(*ast.Ident); ok {
			return id
		}
		e = operand(info, e)
	}
	return nil
}

// --- scanning one function -----------------------------------------------

type fnScan struct {
	b     *builder
	fi    *ls.FuncInfo
	op    *Op
	elem  map[types.Object]*Collection // variables holding an entry
	alias map[types.Object]*Collection // variables holding (a copy of) the collection
	inner map[types.Object]*Collection // variables holding one list of a map of lists
	defs  map[types.Object][]def       // local definitions, for tracing created values
	gos   []*ast.GoStmt
	// comparisons of entries with parameters, returns and escapes of entries
	entryHandled map[*Collection]string
	entryHandPos map[*Collection]token.Pos
	params       map[types.Object]bool
	nilCmp       map[types.Object]bool // variables compared with nil
	recv         types.Object          // the receiver, for methods
}

type def struct {
	rhs ast.Expr
	idx int
}

// collOf returns the collection an expression denotes (a field selector
// or package variable), or nil.
func (b *builder) collOf(e ast.Expr) *Collection {
	switch x := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if s, ok := b.info.Selections[x]; ok {
			if s.Kind() != types.FieldVal {
				return nil
			}
			if v, ok := s.Obj().(*types.Var); ok {
				return b.colls[v.Origin()]
			}
			return nil
		}
		if v, ok := b.info.Uses[x.Sel].(*types.Var); ok {
			return b.colls[v]
		}
	case *ast.Ident:
		if v, ok := b.info.Uses[x].(*types.Var); ok && !v.IsField() {
			return b.colls[v]
		}
	}
	return nil
}

// collOrAlias is collOf, or a local alias of a collection (or of one of
// the lists of a map of lists).
func (s *fnScan) collOrAlias(e ast.Expr) *Collection {
	if c := s.b.collOf(e); c != nil {
		return c
	}
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if c := s.alias[s.b.info.Uses[id]]; c != nil {
			return c
		}
		return s.inner[s.b.info.Uses[id]]
	}
	return nil
}

func (s *fnScan) identObj(e ast.Expr) types.Object {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		return s.b.info.Uses[id]
	}
	return nil
}

// isIndexOf reports whether e is m[k] for a map of lists m (a list).
func isIndexOf(s *fnScan, e ast.Expr) bool {
	ix, ok := ast.Unparen(e).(*ast.IndexExpr)
	if !ok {
		return false
	}
	c := s.collOrAlias(ix.X)
	return c != nil && c.Nested && s.inner[s.identObj(ix.X)] == nil
}

// aliasOf returns the collection a local alias (a detached copy) holds.
func (s *fnScan) aliasOf(e ast.Expr) *Collection {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		return s.alias[s.b.info.Uses[id]]
	}
	return nil
}

// entryOf returns the collection whose entry an expression is (or is a
// part of): an element variable, an index of the collection, a field of
// either.
func (s *fnScan) entryOf(e ast.Expr) *Collection {
	for e != nil {
		switch x := e.(type) {
		case *ast.IndexExpr:
			if c := s.collOrAlias(x.X); c != nil {
				return c
			}
		case *ast.SelectorExpr:
			if s.b.collOf(x) != nil {
				return nil // the collection itself, not an entry
			}
		case *ast.Ident:
			return s.elem[s.b.info.Uses[x]]
		}
		e = operand(s.b.info, e)
	}
	return nil
}

func (b *builder) opFor(fi *ls.FuncInfo) *Op {
	if op := b.ops[fi.Obj]; op != nil {
		return op
	}
	op := &Op{Obj: fi.Obj, Decl: fi.Decl, Info: fi}
	b.ops[fi.Obj] = op
	b.opList = append(b.opList, op)
	return op
}

// resultRegistries returns the registries whose type fi returns.
func (b *builder) resultRegistries(fi *ls.FuncInfo) []*Registry {
	sig := fi.Obj.Type().(*types.Signature)
	var out []*Registry
	for i := 0; i < sig.Results().Len(); i++ {
		if n, ok := types.Unalias(deref(sig.Results().At(i).Type())).(*types.Named); ok {
			if r := b.regByTyp[n.Origin().Obj()]; r != nil {
				out = append(out, r)
			}
		}
	}
	return out
}

// recvRegistry returns the registry whose type is fi's receiver type.
func (b *builder) recvRegistry(fi *ls.FuncInfo) *Registry {
	sig := fi.Obj.Type().(*types.Signature)
	if sig.Recv() == nil {
		return nil
	}
	t := sig.Recv().Type()
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return b.regByTyp[n.Origin().Obj()]
	}
	return nil
}

func (b *builder) scan(fi *ls.FuncInfo) {
	body := fi.Decl.Body
	// Most functions neither touch a collection nor belong to a registry:
	// decide that first, before the binding passes.
	touches := false
	// A selector or identifier denoting a collection names it: only then
	// can the body touch one.
	i, _ := slices.BinarySearch(b.collIdents, body.Pos())
	named := i < len(b.collIdents) && b.collIdents[i] < body.End()
	ast.Inspect(body, func(n ast.Node) bool {
		if !named {
			return false
		}
		// collOf is nil unless the selector or identifier (parentheses are
		// visited inside) names a collection
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if b.collNames[x.Sel.Name] && b.collOf(x) != nil {
				touches = true
			}
		case *ast.Ident:
			if b.collNames[x.Name] && b.collOf(x) != nil {
				touches = true
			}
		}
		return !touches
	})
	recv := b.recvRegistry(fi)
	results := b.resultRegistries(fi)
	if !touches && recv == nil && len(results) == 0 {
		return
	}
	s := &fnScan{
		b: b, fi: fi,
		elem: map[types.Object]*Collection{}, alias: map[types.Object]*Collection{}, inner: map[types.Object]*Collection{},
		defs: map[types.Object][]def{}, params: map[types.Object]bool{},
		entryHandled: map[*Collection]string{}, entryHandPos: map[*Collection]token.Pos{},
	}
	hasRecv := fi.Obj.Type().(*types.Signature).Recv() != nil
	if hasRecv && len(fi.Params) > 0 && fi.Params[0] != nil {
		s.recv = fi.Params[0]
	}
	for i, p := range fi.Params {
		if p != nil && (i > 0 || !hasRecv) {
			s.params[p] = true // the caller's values (not the receiver)
		}
	}
	// parameters of function literals (callbacks, hooks) are their callers'
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok && lit.Type.Params != nil {
			for _, f := range lit.Type.Params.List {
				for _, name := range f.Names {
					if obj := b.info.Defs[name]; obj != nil {
						s.params[obj] = true
					}
				}
			}
		}
		return true
	})
	// Pass 1: bindings (twice, for chains of locals).
	for i := 0; i < 2; i++ {
		ast.Inspect(body, s.bind)
	}
	regs := map[*Registry]bool{}
	if recv != nil {
		regs[recv] = true
	}
	for _, r := range results {
		regs[r] = true // constructors
	}
	s.op = b.opFor(fi)
	s.op.Recv = recv
	// Pass 2: events, with a stack.
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		s.event(n, stack)
		stack = append(stack, n)
		return true
	})
	for _, a := range s.op.Accesses {
		regs[b.regOf[a.Coll]] = true
	}
	for r := range regs {
		r.Ops = append(r.Ops, s.op)
	}
	// stores: validations and created values
	for _, st := range s.op.Stores {
		s.validate(st)
	}
	for _, rm := range s.op.Removes {
		if rm.Handled == "" {
			if h := s.entryHandled[rm.Coll]; h != "" {
				rm.Handled = h
				rm.Released = s.entryHandPos[rm.Coll]
			}
		}
		if rm.Handled == "" {
			for p := range s.params {
				if rm.Coll.Entry != nil && types.Identical(p.Type(), rm.Coll.Entry) {
					rm.Handled = "the entry is the caller's (parameter " + p.Name() + ")"
				}
			}
		}
		if rm.Handled == "" && rm.Coll.Entry != nil {
			if sig := fi.Obj.Type().(*types.Signature); sig.Recv() != nil && types.Identical(deref(sig.Recv().Type()), deref(rm.Coll.Entry)) {
				rm.Handled = "the entry removes itself"
			}
		}
		if rm.Handled == "" && rm.key != nil && (rm.Coll.SetLike || rm.Coll.KeyEntries) {
			// the key removed is released here under another name (an
			// element of an index of the same values: wb := m.watchers[w];
			// delete(m.bcasts, wb); wb.stop())
			if p := s.releasedVar(b.info.Uses[rm.key]); p.IsValid() {
				rm.Handled = "released at " + b.lineOf(p)
				rm.Released = p
			}
		}
		if rm.Handled == "" {
			rm.Handled = s.ownCallback(rm)
		}
		if rm.Handled == "" {
			rm.Handled = s.removedByEntry(rm)
		}
		if rm.Handled == "" {
			rm.Handled = s.freshDropped(rm)
		}
		if rm.Handled == "" {
			rm.Handled = s.storedHere(rm)
		}
		if rm.Handled == "" && s.recv != nil && rm.key != nil && b.info.Uses[rm.key] == s.recv {
			s.op.recvRemoves = append(s.op.recvRemoves, rm)
		}
		if rm.Handled == "" {
			// a test before shows the entry released
			if p := s.releasedBefore(rm); p.IsValid() {
				rm.Handled = "the entry is released (tested at " + b.lineOf(p) + ")"
			}
		}
		if rm.Handled == "" && !(s.recv != nil && rm.key != nil && b.info.Uses[rm.key] == s.recv) {
			// a comment there says why the entry needs no release
			if p := b.explainedAt(fi, rm.Pos); p.IsValid() {
				rm.Handled = "needs no release, as the comment at " + b.lineOf(p) + " explains"
			}
		}
		if strings.HasPrefix(rm.Handled, "released") && !rm.PerEntry {
			// detached (resliced or deleted) and released: the released
			// entries are no longer in the collection
			s.op.Resets = append(s.op.Resets, Site{Pos: rm.Pos, What: "released entries " + rm.What, coll: rm.Coll, Op: s.op, detach: true})
		}
	}
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// nilChecked reports whether e is an entry variable compared with nil in
// this function (a use guarded by the check).
func (s *fnScan) nilChecked(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && s.nilCmp[s.b.info.Uses[id]]
}

// bind records element variables, aliases and local definitions.
func (s *fnScan) bind(n ast.Node) bool {
	info := s.b.info
	switch n := n.(type) {
	case *ast.BinaryExpr:
		if n.Op == token.EQL || n.Op == token.NEQ {
			for _, pair := range [][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}} {
				if id, ok := ast.Unparen(pair[0]).(*ast.Ident); ok && isNil(info, pair[1]) {
					if s.nilCmp == nil {
						s.nilCmp = map[types.Object]bool{}
					}
					s.nilCmp[info.Uses[id]] = true
				}
			}
		}
	case *ast.RangeStmt:
		c := s.collOrAlias(n.X)
		if c == nil {
			return true
		}
		v := n.Value
		if c.SetLike || c.KeyEntries {
			v = n.Key
		}
		if id, ok := v.(*ast.Ident); ok {
			if obj := objOf(info, id); obj != nil {
				if c.Nested && s.inner[s.identObj(n.X)] == nil && !isIndexOf(s, n.X) {
					s.inner[obj] = c // ranging over the map yields the lists
				} else {
					s.elem[obj] = c
				}
			}
		}
	case *ast.AssignStmt:
		if len(n.Lhs) == len(n.Rhs) {
			for i := range n.Lhs {
				s.bindOne(n.Lhs[i], n.Rhs[i], 0)
			}
		} else if len(n.Rhs) == 1 {
			for i := range n.Lhs {
				s.bindOne(n.Lhs[i], n.Rhs[0], i)
			}
		}
	case *ast.ValueSpec:
		if len(n.Names) == len(n.Values) {
			for i := range n.Names {
				s.bindOne(n.Names[i], n.Values[i], 0)
			}
		} else if len(n.Values) == 1 {
			for i := range n.Names {
				s.bindOne(n.Names[i], n.Values[0], i)
			}
		}
	case *ast.GoStmt:
		s.gos = append(s.gos, n)
	}
	return true
}

func objOf(info *types.Info, id *ast.Ident) types.Object {
	if o := info.Defs[id]; o != nil {
		return o
	}
	return info.Uses[id]
}

func (s *fnScan) bindOne(lhs, rhs ast.Expr, idx int) {
	info := s.b.info
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return
	}
	obj := objOf(info, id)
	if obj == nil {
		return
	}
	if _, isVar := obj.(*types.Var); !isVar || ls.IsPackageLevel(obj.(*types.Var)) {
		return
	}
	known := false
	for _, d := range s.defs[obj] {
		if d.rhs == rhs && d.idx == idx {
			known = true
		}
	}
	if !known {
		s.defs[obj] = append(s.defs[obj], def{rhs: rhs, idx: idx})
	}
	r := ast.Unparen(rhs)
	if idx == 0 {
		if c := s.collOrAlias(r); c != nil {
			s.alias[obj] = c
			return
		}
		// closing := r.s[n:], slices.Clone(r.s), maps.Clone(r.m)
		if se, ok := r.(*ast.SliceExpr); ok {
			if c := s.collOrAlias(se.X); c != nil {
				s.alias[obj] = c
				return
			}
		}
		if call, ok := r.(*ast.CallExpr); ok && len(call.Args) == 1 {
			if fn := ls.Callee(info, call); fn != nil && fn.Pkg() != nil && (fn.Pkg().Path() == "slices" || fn.Pkg().Path() == "maps") && fn.Name() == "Clone" {
				if c := s.collOrAlias(call.Args[0]); c != nil {
					s.alias[obj] = c
					return
				}
			}
		}
	}
	switch x := r.(type) {
	case *ast.IndexExpr:
		if c := s.collOrAlias(x.X); c != nil && idx == 0 {
			if c.Nested && s.inner[s.identObj(x.X)] == nil {
				s.inner[obj] = c // list := m[k]
			} else {
				s.elem[obj] = c
			}
		}
	case *ast.CallExpr:
		// p, err := c.getByName(name): a lookup helper's entry
		if fn := ls.Callee(info, x); fn != nil {
			if c := s.b.lookupOf(fn, idx); c != nil {
				s.elem[obj] = c
			}
		}
		// e := l.Front() / e.Next(): list elements
		if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok {
			switch sel.Sel.Name {
			case "Front", "Back":
				if c := s.collOrAlias(sel.X); c != nil && c.Kind == "list" {
					s.elem[obj] = c
				}
			case "Next", "Prev":
				if c := s.entryOf(sel.X); c != nil && c.Kind == "list" {
					s.elem[obj] = c
				}
			}
		}
		// a = append(a, entry): a copy of the collection's entries
		if isBuiltin(info, x.Fun, "append") && len(x.Args) >= 2 {
			for _, a := range x.Args[1:] {
				if c := s.entryOf(a); c != nil {
					s.alias[obj] = c
				}
			}
		}
	}
}

// lookupOf returns the collection whose entry a lookup helper of the
// package returns as its result idx (p, err := c.getByName(name) in
// toxiproxy's ProxyCollection.Remove): a function declared in the package
// whose every return statement gives, as that result, nil or an entry of
// one collection: m[k] itself, or a local variable defined once, by v :=
// m[k] or v, ok := m[k], and not assigned again. A helper that may return
// anything else (a value it made, a parameter) is not a lookup.
func (b *builder) lookupOf(fn *types.Func, idx int) *Collection {
	fi := b.local[fn.Origin()]
	if fi == nil || fi.Decl == nil || fi.Decl.Body == nil {
		return nil
	}
	info := b.info
	sig := fn.Type().(*types.Signature)
	if idx >= sig.Results().Len() {
		return nil
	}
	elem := map[types.Object]*Collection{}
	assigned := map[types.Object]int{}
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok {
					continue
				}
				obj := objOf(info, id)
				assigned[obj]++
				if i == 0 && x.Tok == token.DEFINE && len(x.Rhs) == 1 {
					if ix, ok := ast.Unparen(x.Rhs[0]).(*ast.IndexExpr); ok {
						if c := b.collOf(ix.X); c != nil && c.Kind == "map" {
							elem[obj] = c
						}
					}
				}
			}
		case *ast.IncDecStmt, *ast.RangeStmt:
			// a range variable is not an entry the helper looked up
			if r, ok := x.(*ast.RangeStmt); ok {
				for _, e := range []ast.Expr{r.Key, r.Value} {
					if id, ok := e.(*ast.Ident); ok {
						assigned[objOf(info, id)] += 2
					}
				}
			}
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				if id, ok := ast.Unparen(x.X).(*ast.Ident); ok {
					assigned[info.Uses[id]] += 2 // may be set through the pointer
				}
			}
		}
		return true
	})
	var coll *Collection
	ok := true
	found := false
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(x.Results) != sig.Results().Len() {
				ok = false // named results, or a call returning them all
				return false
			}
			r := ast.Unparen(x.Results[idx])
			if isNil(info, r) {
				return true
			}
			var c *Collection
			switch r := r.(type) {
			case *ast.IndexExpr:
				if c = b.collOf(r.X); c != nil && c.Kind != "map" {
					c = nil
				}
			case *ast.Ident:
				if obj := info.Uses[r]; assigned[obj] == 1 {
					c = elem[obj]
				}
			}
			if c == nil || coll != nil && c != coll {
				ok = false
				return false
			}
			coll, found = c, true
		}
		return true
	})
	if !ok || !found {
		return nil
	}
	return coll
}

func isBuiltin(info *types.Info, fun ast.Expr, name string) bool {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return false
	}
	bi, ok := info.Uses[id].(*types.Builtin)
	return ok && bi.Name() == name
}

// event handles one node of the second pass.
func (s *fnScan) event(n ast.Node, stack []ast.Node) {
	b := s.b
	info := b.info
	switch n := n.(type) {
	case *ast.SelectorExpr, *ast.Ident:
		e := n.(ast.Expr)
		if c := b.collOf(e); c != nil {
			isSel := false
			if len(stack) > 0 {
				if p, ok := stack[len(stack)-1].(*ast.SelectorExpr); ok && p.Sel == n {
					isSel = true
				}
			}
			if !isSel {
				s.access(c, e, stack)
			}
		}
	case *ast.CallExpr:
		for _, x := range b.releasedBy(n) {
			if c := s.entryOf(x); c != nil {
				site := Site{Pos: n.Pos(), What: "released (" + exprText(n.Fun) + ")", Op: s.op}
				site.Every = everyEntry(stack) && !strings.Contains(calleeName(n), "If")
				site.Partial = s.partialRelease(c, x)
				site.Method = releaseMethodOf(info, n, x)
				s.op.Releases = append(s.op.Releases, siteFor(c, site))
				s.handled(c, "released at", n.Pos())
			} else if c := s.collOrAlias(x); c != nil {
				// the whole collection handed to a releasing helper
				site := Site{Pos: n.Pos(), What: "released (" + exprText(n.Fun) + ")", Op: s.op, Every: true}
				s.op.Releases = append(s.op.Releases, siteFor(c, site))
			} else if s.recv != nil && x != nil {
				// a part of the receiver: the entry's own release, when the
				// receiver is an entry (see wrapperEntries)
				if id := rootIdent(info, x); id != nil && info.Uses[id] == s.recv && ast.Unparen(x) != ast.Expr(id) {
					s.op.recvReleases = append(s.op.recvReleases, Site{Pos: n.Pos(), What: "released (" + exprText(n.Fun) + ")", Op: s.op})
				}
			}
		}
		// stop channels and cancel fields
		if isBuiltin(info, n.Fun, "close") && len(n.Args) == 1 {
			if f := s.recvField(n.Args[0]); f != nil {
				s.op.Stops = append(s.op.Stops, Site{Pos: n.Pos(), What: f.Name(), stop: f})
			}
		} else if f := s.recvField(n.Fun); f != nil {
			if _, ok := f.Type().Underlying().(*types.Signature); ok {
				s.op.Stops = append(s.op.Stops, Site{Pos: n.Pos(), What: f.Name(), stop: f})
				// a func field set to a closure that closes a stop channel
				for _, g := range b.funcStops[f] {
					s.op.Stops = append(s.op.Stops, Site{Pos: n.Pos(), What: g.Name() + " (through " + f.Name() + ")", stop: g})
				}
			}
		}
		// calls of other functions of the package
		if fn := ls.Callee(info, n); fn != nil {
			if fi := b.local[fn.Origin()]; fi != nil && fi != s.fi {
				s.op.callees = append(s.op.callees, calleeAt{fn: fn.Origin(), pos: n.Pos()})
			}
		}
		// entries handed elsewhere
		if !isAnyBuiltin(info, n.Fun) {
			for _, a := range n.Args {
				if c := s.entryOf(a); c != nil {
					s.handled(c, "handed to "+exprText(n.Fun)+" at", n.Pos())
				} else if c := s.aliasOf(a); c != nil {
					s.handled(c, "handed to "+exprText(n.Fun)+" at", n.Pos())
				}
			}
		}
		// entries called or dereferenced (nil validation)
		if c := s.entryOf(n.Fun); c != nil && !s.nilChecked(n.Fun) {
			b.addUse(c, Site{Pos: n.Pos(), What: "called", Op: s.op})
		}
	case *ast.SendStmt:
		if c := s.entryOf(n.Value); c != nil {
			s.handled(c, "sent at", n.Pos())
		}
		if f := s.recvField(n.Chan); f != nil {
			s.op.Stops = append(s.op.Stops, Site{Pos: n.Pos(), What: f.Name(), stop: f})
		}
	case *ast.ReturnStmt:
		for _, r := range n.Results {
			if c := s.entryOf(r); c != nil {
				s.handled(c, "returned to the caller at", n.Pos())
				s.op.returnsEntry = true
			} else if c := s.aliasOf(r); c != nil {
				s.handled(c, "returned to the caller at", n.Pos())
			}
		}
		if len(n.Results) == 0 {
			// a bare return returns the named results (of the innermost
			// function literal around it, or of the function)
			ft := s.fi.Decl.Type
			for i := len(stack) - 1; i >= 0; i-- {
				if lit, ok := stack[i].(*ast.FuncLit); ok {
					ft = lit.Type
					break
				}
			}
			if ft.Results != nil {
				for _, f := range ft.Results.List {
					for _, name := range f.Names {
						obj := info.Defs[name]
						if c := s.elem[obj]; c != nil {
							s.handled(c, "returned to the caller at", n.Pos())
							s.op.returnsEntry = true
						} else if c := s.alias[obj]; c != nil {
							s.handled(c, "returned to the caller at", n.Pos())
						}
					}
				}
			}
		}
	case *ast.BinaryExpr:
		if n.Op == token.EQL || n.Op == token.NEQ {
			for _, pair := range [][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}} {
				if c := s.entryOf(pair[0]); c != nil {
					if id, ok := ast.Unparen(pair[1]).(*ast.Ident); ok && s.params[info.Uses[id]] {
						s.handled(c, "the entry is the caller's ("+id.Name+")", token.NoPos)
					} else if id := s.paramField(pair[1]); id != nil {
						// a field of a parameter (member.conn): the caller
						// holds the parameter, so it holds the entry
						s.handled(c, "the entry is the caller's ("+exprText(pair[1])+")", token.NoPos)
					}
				}
			}
		}
	}
	// dereferences of entries
	if sel, ok := n.(*ast.SelectorExpr); ok {
		if c := s.entryOf(sel.X); c != nil && !s.nilChecked(sel.X) {
			if _, isPtrOrIface := underPtrOrIface(info.TypeOf(sel.X)); isPtrOrIface {
				what := "dereferenced"
				so, ok := info.Selections[sel]
				if ok && so.Kind() == types.MethodVal {
					what = "used"
				}
				_, ptr := info.TypeOf(sel.X).Underlying().(*types.Pointer)
				// a method call on a nil pointer need not panic; on a nil
				// interface it does
				if !(what == "used" && ptr) {
					b.addUse(c, Site{Pos: sel.Pos(), What: what + " (" + exprText(sel) + ")", Op: s.op})
				}
			}
		}
	}
}

// freshDropped says why a removal drops an entry that holds nothing yet:
// the entry removed is the value this function made with a local
// constructor that only allocates (allocOnly) and stored under the same
// key, a parameter the function does not reassign, with no unlock between
// the store and the removal; and the value is used nowhere else on the
// path to the removal (its other uses are in a branch exclusive with it:
// another clause of the same select or switch, the other arm of an if).
// yamux's incomingStream stores a newStream(...) and, when the accept
// backlog is full (the select's default), deletes it again: the stream
// was never handed out and holds no resource.
func (s *fnScan) freshDropped(rm *Removal) string {
	info := s.b.info
	body := s.fi.Decl.Body
	if rm.key == nil {
		return ""
	}
	key, ok := info.Uses[rm.key].(*types.Var)
	if !ok || !s.params[key] || len(s.defs[key]) > 0 {
		return ""
	}
	var st *Store
	for _, x := range s.op.Stores {
		if x.Coll != rm.Coll || x.Pos >= rm.Pos || x.entryObj == nil {
			continue
		}
		if id, ok := ast.Unparen(x.Key).(*ast.Ident); ok && info.Uses[id] == key {
			st = x
		}
	}
	if st == nil || len(s.defs[st.entryObj]) != 1 || funcLitAt(body, st.Pos) != funcLitAt(body, rm.Pos) {
		return ""
	}
	call, ok := ast.Unparen(s.defs[st.entryObj][0].rhs).(*ast.CallExpr)
	if !ok {
		return ""
	}
	ctor := ls.Callee(info, call)
	if ctor == nil || !s.b.allocOnly(ctor, 0) {
		return ""
	}
	// the path from the store to the removal: no unlock, no other use
	var stmt ast.Node // the store's statement
	ok = true
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || !ok {
			return false
		}
		if as, isAs := n.(*ast.AssignStmt); isAs && as.Pos() <= st.Pos && st.Pos < as.End() && stmt == nil {
			stmt = as
		}
		switch x := n.(type) {
		case *ast.CallExpr:
			if sel, isSel := ast.Unparen(x.Fun).(*ast.SelectorExpr); isSel && (sel.Sel.Name == "Unlock" || sel.Sel.Name == "RUnlock") && x.Pos() > st.Pos && x.Pos() < rm.Pos {
				if !inDefer(body, x) {
					ok = false
				}
			}
		case *ast.Ident:
			if info.Uses[x] != st.entryObj {
				return true
			}
			if stmt != nil && stmt.Pos() <= x.Pos() && x.Pos() < stmt.End() {
				return true // the store
			}
			if !exclusive(body, x.Pos(), rm.Pos) {
				ok = false
			}
		}
		return true
	})
	if !ok {
		return ""
	}
	return "the entry was made here by " + ctor.Name() + ", which only allocates, and never handed out"
}

// funcLitAt returns the innermost function literal of body containing
// pos, or nil.
func funcLitAt(body *ast.BlockStmt, pos token.Pos) *ast.FuncLit {
	var lit *ast.FuncLit
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		if l, ok := n.(*ast.FuncLit); ok {
			lit = l
		}
		return true
	})
	return lit
}

// inDefer reports whether n is inside a defer statement of body.
func inDefer(body *ast.BlockStmt, n ast.Node) bool {
	in := false
	ast.Inspect(body, func(x ast.Node) bool {
		if d, ok := x.(*ast.DeferStmt); ok && d.Pos() <= n.Pos() && n.End() <= d.End() {
			in = true
		}
		return !in
	})
	return in
}

// exclusive reports whether the positions a and b of body are in branches
// that never both run: different clauses of one select or switch, or the
// body and the else of one if.
func exclusive(body *ast.BlockStmt, a, b token.Pos) bool {
	in := func(n ast.Node, p token.Pos) bool { return n != nil && n.Pos() <= p && p < n.End() }
	excl := false
	ast.Inspect(body, func(n ast.Node) bool {
		if excl || n == nil || !in(n, a) || !in(n, b) {
			return false
		}
		switch x := n.(type) {
		case *ast.IfStmt:
			if x.Else != nil && ((in(x.Body, a) && in(x.Else, b)) || (in(x.Body, b) && in(x.Else, a))) {
				excl = true
			}
		case *ast.SelectStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt:
			var clauses []ast.Stmt
			switch y := x.(type) {
			case *ast.SelectStmt:
				clauses = y.Body.List
			case *ast.SwitchStmt:
				clauses = y.Body.List
			case *ast.TypeSwitchStmt:
				clauses = y.Body.List
			}
			ca, cb := -1, -1
			for i, c := range clauses {
				if in(c, a) {
					ca = i
				}
				if in(c, b) {
					cb = i
				}
			}
			if ca >= 0 && cb >= 0 && ca != cb {
				excl = true
			}
		}
		return !excl
	})
	return excl
}

// allocOnly reports whether the local function fn only allocates the
// value it returns: its body makes no goroutine, defers nothing, and calls
// only builtins, conversions, methods of sync/atomic values and other
// such local functions (newStream: a composite literal of make(chan ...)
// fields, then s.readDeadline.Store(time.Time{})). The value holds no
// resource to release.
func (b *builder) allocOnly(fn *types.Func, depth int) bool {
	fi := b.local[fn.Origin()]
	if fi == nil || fi.Decl == nil || fi.Decl.Body == nil || depth > 2 {
		return false
	}
	info := b.info
	ok := true
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch x := n.(type) {
		case *ast.GoStmt, *ast.DeferStmt, *ast.FuncLit, *ast.SendStmt:
			ok = false
		case *ast.CallExpr:
			if tv, isT := info.Types[x.Fun]; isT && tv.IsType() {
				return true // a conversion
			}
			if isAnyBuiltin(info, x.Fun) {
				return true
			}
			callee := ls.Callee(info, x)
			if callee == nil {
				ok = false
				return false
			}
			if callee.Pkg() != nil && callee.Pkg().Path() == "sync/atomic" {
				return true
			}
			if b.local[callee.Origin()] != nil && callee.Origin() != fn.Origin() && b.allocOnly(callee, depth+1) {
				return true
			}
			ok = false
		}
		return ok
	})
	return ok
}

// paramField returns the parameter at the root of e when e is a chain of
// field selections on a parameter (member.conn, req.peer.conn) whose value
// is a pointer or an interface (a reference the caller holds too), or nil.
func (s *fnScan) paramField(e ast.Expr) *ast.Ident {
	info := s.b.info
	if _, ref := underPtrOrIface(info.TypeOf(e)); !ref {
		return nil
	}
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	for {
		so, ok := info.Selections[sel]
		if !ok || so.Kind() != types.FieldVal {
			return nil
		}
		switch x := ast.Unparen(sel.X).(type) {
		case *ast.Ident:
			if s.params[info.Uses[x]] {
				return x
			}
			return nil
		case *ast.SelectorExpr:
			sel = x
		default:
			return nil
		}
	}
}

func underPtrOrIface(t types.Type) (types.Type, bool) {
	if t == nil {
		return nil, false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return t, true
	}
	return nil, false
}

func isAnyBuiltin(info *types.Info, fun ast.Expr) bool {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = info.Uses[id].(*types.Builtin)
	return ok
}

func (b *builder) addUse(c *Collection, site Site) {
	if len(c.Uses) < 16 {
		c.Uses = append(c.Uses, site)
	}
}

func (s *fnScan) handled(c *Collection, how string, pos token.Pos) {
	if _, done := s.entryHandled[c]; done && !strings.HasPrefix(how, "released") {
		return
	}
	if pos.IsValid() {
		how += " " + s.b.lineOf(pos)
	}
	s.entryHandled[c] = how
	s.entryHandPos[c] = pos
}

func (b *builder) lineOf(pos token.Pos) string {
	return "line " + strconv.Itoa(b.fset.Position(pos).Line)
}

// recvField returns the field of a registry struct that e selects (e.g.
// r.quit), when it is a channel, context or func field (not a collection).
func (s *fnScan) recvField(e ast.Expr) *types.Var { return s.b.stopField(e) }

func (b *builder) stopField(e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	so, ok := b.info.Selections[sel]
	if !ok || so.Kind() != types.FieldVal {
		return nil
	}
	v := so.Obj().(*types.Var).Origin()
	if b.colls[v] != nil {
		return nil
	}
	switch v.Type().Underlying().(type) {
	case *types.Chan, *types.Signature:
		return v
	}
	if isContext(v.Type()) {
		return v
	}
	return nil
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// access records an access to a collection and classifies it.
func (s *fnScan) access(c *Collection, e ast.Expr, stack []ast.Node) {
	b := s.b
	info := b.info
	acc := &Access{Coll: c, Pos: e.Pos(), Verb: "read"}
	if a := b.accByExp[e]; a != nil {
		acc.Verb = a.Verb
		acc.Write = a.Kind == ls.Write
		acc.Concurrent = guards.Concurrent(a)
		acc.Why = notConcurrentWhy(a)
		if c.Guard != nil {
			if k, ok := c.Guard.KeyAt(a); ok {
				if h, ok := a.Held.Lookup(k); ok && h.Must {
					acc.Held = true
					acc.HeldMode = h.Mode.String()
					acc.LockedAt = h.At
				}
				for _, h := range a.Held.Must() {
					if h.Key != k {
						acc.Other = append(acc.Other, h.Key.Field())
					}
				}
			}
		}
	}
	s.op.Accesses = append(s.op.Accesses, acc)

	// classify from the syntactic context
	parent := func(i int) ast.Node {
		if len(stack)-i < 0 {
			return nil
		}
		return stack[len(stack)-i]
	}
	p := parent(1)
	for {
		if pe, ok := p.(*ast.ParenExpr); ok {
			_ = pe
			stack = stack[:len(stack)-1]
			p = parent(1)
			continue
		}
		break
	}
	switch p := p.(type) {
	case *ast.AssignStmt:
		for i, l := range p.Lhs {
			if ast.Unparen(l) != e {
				continue
			}
			var rhs ast.Expr
			if len(p.Rhs) == len(p.Lhs) {
				rhs = p.Rhs[i]
			}
			s.wholeAssign(c, e, rhs, p)
			return
		}
	case *ast.IndexExpr:
		if p.X != e {
			return
		}
		if as, ok := parent(2).(*ast.AssignStmt); ok {
			for i, l := range as.Lhs {
				if ast.Unparen(l) == p && len(as.Rhs) == len(as.Lhs) && as.Tok != token.DEFINE {
					if c.Nested {
						s.nestedStore(c, p, as.Rhs[i])
						return
					}
					st := &Store{Coll: c, Pos: p.Pos(), Key: p.Index, Value: as.Rhs[i]}
					if c.Kind != "map" {
						st.Key = nil
					}
					s.op.Stores = append(s.op.Stores, st)
					return
				}
			}
		}
		if c.Kind != "list" {
			s.op.reads = append(s.op.reads, readAt{c, p.Pos(), p.Index})
			s.op.indexReads++
		}
	case *ast.CallExpr:
		if isBuiltin(info, p.Fun, "delete") && len(p.Args) == 2 && p.Args[0] == e {
			rm := &Removal{Coll: c, Pos: p.Pos(), What: "delete"}
			if id, ok := ast.Unparen(p.Args[1]).(*ast.Ident); ok {
				rm.key = id
			}
			if c.SetLike || c.KeyEntries {
				if id, ok := ast.Unparen(p.Args[1]).(*ast.Ident); ok && s.params[info.Uses[id]] {
					rm.Handled = "the entry is the caller's (" + id.Name + ")"
				}
			}
			s.op.Removes = append(s.op.Removes, rm)
			if s.inRangeOver(c, stack) {
				rm.PerEntry = true
				s.op.Resets = append(s.op.Resets, Site{Pos: p.Pos(), What: "deleted per entry", coll: c, Op: s.op})
			}
			return
		}
		if isBuiltin(info, p.Fun, "clear") && len(p.Args) == 1 && p.Args[0] == e {
			s.op.Resets = append(s.op.Resets, Site{Pos: p.Pos(), What: "cleared", coll: c, Op: s.op})
			return
		}
		if isBuiltin(info, p.Fun, "copy") && len(p.Args) == 2 && p.Args[0] == e {
			s.op.Stores = append(s.op.Stores, &Store{Coll: c, Pos: p.Pos(), Bulk: true})
			return
		}
		if isBuiltin(info, p.Fun, "len") || isBuiltin(info, p.Fun, "cap") {
			return
		}
		if isBuiltin(info, p.Fun, "append") && len(p.Args) > 0 && p.Args[0] == e {
			return // the store itself (see wholeAssign)
		}
		s.op.reads = append(s.op.reads, readAt{c, e.Pos(), nil})
	case *ast.SelectorExpr:
		if p.X != e || c.Kind != "list" {
			return
		}
		call, ok := parent(2).(*ast.CallExpr)
		if !ok || call.Fun != p {
			return
		}
		switch p.Sel.Name {
		case "PushBack", "PushFront", "InsertBefore", "InsertAfter":
			if len(call.Args) > 0 {
				s.op.Stores = append(s.op.Stores, &Store{Coll: c, Pos: call.Pos(), Value: call.Args[0]})
			}
		case "PushBackList", "PushFrontList":
			s.op.Stores = append(s.op.Stores, &Store{Coll: c, Pos: call.Pos(), Bulk: true})
		case "Remove":
			rm := &Removal{Coll: c, Pos: call.Pos(), What: "list Remove"}
			if len(call.Args) == 1 {
				if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok && s.params[info.Uses[id]] {
					rm.Handled = "the entry is the caller's (" + id.Name + ")"
				}
			}
			s.op.Removes = append(s.op.Removes, rm)
			if s.inRangeOver(c, stack) {
				rm.PerEntry = true
				s.op.Resets = append(s.op.Resets, Site{Pos: call.Pos(), What: "removed per entry", coll: c, Op: s.op})
			}
		case "Init":
			s.op.Resets = append(s.op.Resets, Site{Pos: call.Pos(), What: "re-initialised", coll: c, Op: s.op})
		case "Front", "Back":
			s.op.reads = append(s.op.reads, readAt{c, call.Pos(), nil})
		}
	case *ast.RangeStmt:
		if p.X == e {
			s.op.reads = append(s.op.reads, readAt{c, e.Pos(), nil})
			s.op.ranges = append(s.op.ranges, p)
		}
	}
}

// everyEntry reports whether a call at the top of stack runs for every
// entry of a loop: directly in a loop body, not under a condition, in a
// goroutine or in a closure.
func everyEntry(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.CaseClause, *ast.CommClause,
			*ast.GoStmt, *ast.FuncLit:
			return false
		case *ast.RangeStmt, *ast.ForStmt:
			return true
		}
	}
	return false
}

func calleeName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.Ident:
		return f.Name
	}
	return ""
}

// nestedStore classifies m[k] = rhs for a map of lists: an append of
// entries, a filter of the list, or a replacement of the list.
func (s *fnScan) nestedStore(c *Collection, ix *ast.IndexExpr, rhs ast.Expr) {
	info := s.b.info
	if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && isBuiltin(info, call.Fun, "append") && len(call.Args) > 0 {
		if _, ok := ast.Unparen(call.Args[0]).(*ast.SliceExpr); ok {
			s.op.Removes = append(s.op.Removes, &Removal{Coll: c, Pos: ix.Pos(), What: "filtered (append of slices)"})
			return
		}
		if call.Ellipsis.IsValid() {
			s.op.Stores = append(s.op.Stores, &Store{Coll: c, Pos: ix.Pos(), Bulk: true})
			return
		}
		for _, v := range call.Args[1:] {
			s.op.Stores = append(s.op.Stores, &Store{Coll: c, Pos: ix.Pos(), Value: v})
		}
		return
	}
	if _, ok := ast.Unparen(rhs).(*ast.SliceExpr); ok {
		s.op.Removes = append(s.op.Removes, &Removal{Coll: c, Pos: ix.Pos(), What: "filtered (resliced)"})
		return
	}
	s.op.Stores = append(s.op.Stores, &Store{Coll: c, Pos: ix.Pos(), Bulk: true})
}

// inRangeOver reports whether the stack is directly inside the body of a
// range over c (not under a condition).
func (s *fnScan) inRangeOver(c *Collection, stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.FuncLit:
			return false
		case *ast.RangeStmt:
			return s.collOrAlias(n.X) == c
		case *ast.ForStmt:
			// for e := l.Front(); e != nil; e = next
			if c.Kind == "list" {
				return true
			}
		}
	}
	return false
}

// wholeAssign classifies an assignment to the collection itself.
func (s *fnScan) wholeAssign(c *Collection, lhs, rhs ast.Expr, as *ast.AssignStmt) {
	info := s.b.info
	site := Site{Pos: as.Pos(), coll: c, Op: s.op}
	if rhs == nil {
		site.What = "assigned"
		s.op.Resets = append(s.op.Resets, site)
		return
	}
	r := ast.Unparen(rhs)
	if call, ok := r.(*ast.CallExpr); ok {
		if isBuiltin(info, call.Fun, "append") && len(call.Args) > 0 {
			first := ast.Unparen(call.Args[0])
			if se, ok := first.(*ast.SliceExpr); ok && s.b.collOf(se.X) == c {
				s.op.Removes = append(s.op.Removes, &Removal{Coll: c, Pos: as.Pos(), What: "filtered (append of slices)"})
				return
			}
			if s.b.collOf(first) == c {
				if call.Ellipsis.IsValid() {
					s.op.Stores = append(s.op.Stores, &Store{Coll: c, Pos: as.Pos(), Bulk: true})
					return
				}
				for _, v := range call.Args[1:] {
					s.op.Stores = append(s.op.Stores, &Store{Coll: c, Pos: as.Pos(), Value: v})
				}
				return
			}
		}
		if fn := ls.Callee(info, call); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "slices" {
			switch fn.Name() {
			case "Delete", "DeleteFunc", "Compact", "CompactFunc":
				s.op.Removes = append(s.op.Removes, &Removal{Coll: c, Pos: as.Pos(), What: "filtered (slices." + fn.Name() + ")"})
				return
			case "Insert":
				s.op.Stores = append(s.op.Stores, &Store{Coll: c, Pos: as.Pos(), Bulk: true})
				return
			}
		}
	}
	if se, ok := r.(*ast.SliceExpr); ok && s.b.collOf(se.X) == c {
		if se.High != nil && isZero(se.High) {
			site.What = "truncated"
			s.op.Resets = append(s.op.Resets, site)
			return
		}
		s.op.Removes = append(s.op.Removes, &Removal{Coll: c, Pos: as.Pos(), What: "filtered (resliced)"})
		return
	}
	if id, ok := r.(*ast.Ident); ok {
		if s.alias[info.Uses[id]] == c && len(s.defs[info.Uses[id]]) > 0 {
			// r.s = kept, with kept built from the entries: a filter
			for _, d := range s.defs[info.Uses[id]] {
				if call, ok := ast.Unparen(d.rhs).(*ast.CallExpr); ok && isBuiltin(info, call.Fun, "append") {
					s.op.Removes = append(s.op.Removes, &Removal{Coll: c, Pos: as.Pos(), What: "filtered"})
					return
				}
			}
		}
	}
	switch {
	case isNil(info, r):
		site.What = "set to nil"
	case isMake(info, r):
		site.What = "re-made"
	default:
		if _, ok := r.(*ast.CompositeLit); ok {
			site.What = "replaced by an empty literal"
		} else {
			site.What = "replaced"
		}
	}
	s.op.Resets = append(s.op.Resets, site)
}

func isZero(e ast.Expr) bool {
	l, ok := ast.Unparen(e).(*ast.BasicLit)
	return ok && l.Value == "0"
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = info.Uses[id].(*types.Nil)
	return ok
}

func isMake(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && (isBuiltin(info, call.Fun, "make") || isBuiltin(info, call.Fun, "new"))
}

func notConcurrentWhy(a *ls.Access) string {
	switch {
	case a.Local && callerOwned(a):
		return "its callers own the value (a package function with no caller in its package, locking nothing)"
	case a.Local:
		return "construction (the value is allocated here)"
	case a.Func.NotConcurrent != "":
		return a.Func.NotConcurrent
	case a.Atomic:
		return "atomic"
	case a.Ctx.Inside(ls.CtxOnce):
		return "inside sync.Once"
	case a.Ctx.Inside(ls.CtxUnknown):
		return "in a closure stored for later"
	}
	return ""
}

// callerOwned reports whether a is made through a parameter its
// function leaves to its callers (FuncInfo.CallerOwns).
func callerOwned(a *ls.Access) bool {
	for _, i := range a.Func.CallerOwns {
		if a.HasBase && a.Func.Params[i] == a.Base.Root {
			return true
		}
	}
	return false
}

// validate fills in the parameters, checks and created values of a store.
func (s *fnScan) validate(st *Store) {
	info := s.b.info
	if st.Key != nil {
		st.KeyParam = s.paramIn(st.Key)
	}
	if st.Value != nil {
		st.ValParam = s.paramIn(st.Value)
		if id, ok := ast.Unparen(st.Value).(*ast.Ident); ok && st.ValParam != nil && info.Uses[id] == st.ValParam {
			st.ValDirect = true
		}
		if t := info.TypeOf(st.Value); t != nil {
			switch t.Underlying().(type) {
			case *types.Pointer, *types.Interface, *types.Signature, *types.Map, *types.Chan:
				st.Nilable = true
			}
		}
		st.Created = s.created(st.Value, 0, 0)
	}
	if (st.Coll.SetLike || st.Coll.KeyEntries) && st.Key != nil {
		st.Created = append(st.Created, s.created(st.Key, 0, 0)...)
	}
	if st.Coll.SetLike && st.Key != nil && st.Value != nil {
		st.Created = append(st.Created, s.created(st.Key, 0, 0)...)
	}
	s.storedEntry(st)
	if st.ValParam != nil {
		ast.Inspect(s.fi.Decl.Body, func(n ast.Node) bool {
			be, ok := n.(*ast.BinaryExpr)
			if !ok || (be.Op != token.EQL && be.Op != token.NEQ) || st.NilCheck.IsValid() {
				return true
			}
			for _, pair := range [][2]ast.Expr{{be.X, be.Y}, {be.Y, be.X}} {
				if isNil(info, pair[1]) {
					if id := rootIdent(info, pair[0]); id != nil && info.Uses[id] == st.ValParam {
						st.NilCheck = be.Pos()
					}
				}
			}
			return true
		})
	}
	for _, r := range s.op.reads {
		if (r.coll == st.Coll || s.siblingCheck(st, r)) && !st.DupCheck.IsValid() {
			st.DupCheck = r.pos
			st.DupCheckUnguarded = true
			for _, a := range s.op.Accesses {
				if a.Coll == st.Coll && a.Pos == r.pos && (a.Held || !a.Concurrent) {
					st.DupCheckUnguarded = false
					break
				}
			}
		}
	}
	if st.ValParam != nil && !st.NilCheck.IsValid() {
		// a dereference before the store fails fast on nil
		ast.Inspect(s.fi.Decl.Body, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			// (the key of m[v.id] = v is evaluated before the store)
			if !ok || st.NilCheck.IsValid() || (sel.Pos() >= st.Pos && !(st.Key != nil && st.Key.Pos() <= sel.Pos() && sel.End() <= st.Key.End())) {
				return !st.NilCheck.IsValid()
			}
			id, ok := ast.Unparen(sel.X).(*ast.Ident)
			if !ok || info.Uses[id] != st.ValParam {
				return true
			}
			so, ok := info.Selections[sel]
			if !ok {
				return true
			}
			_, iface := st.ValParam.Type().Underlying().(*types.Interface)
			_, ptr := st.ValParam.Type().Underlying().(*types.Pointer)
			if (so.Kind() == types.FieldVal && ptr) || (so.Kind() == types.MethodVal && iface) {
				st.NilCheck = sel.Pos()
				st.NilFailFast = true
			}
			return true
		})
	}
	if s.fi.Decl.Doc != nil && replacesDocRe.MatchString(s.fi.Decl.Doc.Text()) {
		st.Replaces = true
	}
	if st.KeyParam != nil && st.ValDirect && st.KeyParam == st.ValParam && s.b.uniqueIDKey(st.Key) {
		st.KeyParam = nil // the value's own id: not a key the caller chooses
	}
}

// siblingCheck reports whether r, an index read of another collection of
// the same registry, checks st's key for a duplicate: it reads the same
// key expression before the store, and the function also stores under
// that key into the collection read (r.protected[name] tested, then
// r.handlers[name] and r.protected[name] written): the two collections
// are kept in step, so the key is in one when it is in the other.
func (s *fnScan) siblingCheck(st *Store, r readAt) bool {
	if r.key == nil || st.Key == nil || r.coll == st.Coll || r.pos >= st.Pos || s.b.regOf[r.coll] != s.b.regOf[st.Coll] {
		return false
	}
	key := types.ExprString(st.Key)
	if types.ExprString(r.key) != key {
		return false
	}
	for _, o := range s.op.Stores {
		if o.Coll == r.coll && o.Key != nil && types.ExprString(o.Key) == key {
			return true
		}
	}
	return false
}

// uniqueIDKey reports whether key is v.f, a field of the stored value
// that no other package can set (unexported) and that every assignment in
// the package (a keyed or positional composite literal element, or an
// assignment to the field) sets to the result of an atomic increment
// (atomic.AddUint64(&next, 1), next.Add(1)): each value has its own id,
// so a second store under it stores the same value again.
func (b *builder) uniqueIDKey(key ast.Expr) bool {
	sel, ok := ast.Unparen(key).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	so, ok := b.info.Selections[sel]
	if !ok || so.Kind() != types.FieldVal {
		return false
	}
	f, ok := so.Obj().(*types.Var)
	if !ok || f.Exported() || f.Pkg() != b.pkg {
		return false
	}
	if u, ok := b.uniqueID[f]; ok {
		return u
	}
	isIncrement := func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		fn := ls.Callee(b.info, call)
		if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" || !strings.HasPrefix(fn.Name(), "Add") {
			return false
		}
		inc := call.Args[len(call.Args)-1]
		tv, ok := b.info.Types[inc]
		return ok && tv.Value != nil && constant.Sign(tv.Value) > 0
	}
	n := 0
	unique := true
	written := func(e ast.Expr) bool {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		so, ok := b.info.Selections[sel]
		return ok && so.Obj() == f
	}
	// composite literals and &v.id anywhere (package-level initializers too)
	for e := range b.info.Types {
		switch x := e.(type) {
		case *ast.CompositeLit:
			st, ok := b.info.TypeOf(x).Underlying().(*types.Struct)
			if !ok {
				continue
			}
			for i, el := range x.Elts {
				var fv *types.Var
				val := el
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						fv, _ = b.info.Uses[id].(*types.Var)
					}
					val = kv.Value
				} else if i < st.NumFields() {
					fv = st.Field(i)
				}
				if fv == f {
					n++
					unique = unique && isIncrement(val)
				}
			}
		case *ast.UnaryExpr:
			if x.Op == token.AND && written(x.X) {
				unique = false // written through a pointer
			}
		}
	}
	// assignments, in function bodies
	for _, fi := range b.gm.LS.Funcs {
		if fi.Decl == nil || fi.Decl.Body == nil {
			continue
		}
		ast.Inspect(fi.Decl.Body, func(nd ast.Node) bool {
			switch x := nd.(type) {
			case *ast.AssignStmt:
				for i, l := range x.Lhs {
					if written(l) {
						n++
						unique = unique && len(x.Rhs) == len(x.Lhs) && x.Tok == token.ASSIGN && isIncrement(x.Rhs[i])
					}
				}
			case *ast.IncDecStmt:
				if written(x.X) {
					unique = false
				}
			}
			return true
		})
	}
	u := unique && n > 0
	if b.uniqueID == nil {
		b.uniqueID = map[*types.Var]bool{}
	}
	b.uniqueID[f] = u
	return u
}

// paramIn returns a (non-receiver) parameter referred to in e.
func (s *fnScan) paramIn(e ast.Expr) *types.Var {
	var p *types.Var
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && p == nil {
			if v, ok := s.b.info.Uses[id].(*types.Var); ok && s.params[v] {
				p = v
			}
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		return p == nil
	})
	return p
}

var createPrefixRe = lazyre.New(`^(?i:new|open|dial|create|start|listen|connect|spawn|launch|accept)`)

// created traces a stored value to the resources created for it here.
func (s *fnScan) created(e ast.Expr, idx, depth int) []Site {
	if depth > 3 {
		return nil
	}
	info := s.b.info
	switch x := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return s.created(x.X, 0, depth+1)
		}
	case *ast.CompositeLit:
		var out []Site
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			out = append(out, s.created(el, 0, depth+1)...)
		}
		return out
	case *ast.CallExpr:
		if what := s.b.creation(x, idx); what != "" {
			return []Site{{Pos: x.Pos(), What: what, Op: s.op}}
		}
		if isMake(info, x) {
			if t := info.TypeOf(x); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					return nil // channels: see Ident (needs the goroutine)
				}
			}
		}
	case *ast.Ident:
		obj := info.Uses[x]
		var out []Site
		for _, d := range s.defs[obj] {
			if isMake(info, d.rhs) {
				if _, ok := obj.Type().Underlying().(*types.Chan); ok {
					for _, g := range s.gos {
						if mentions(info, g, obj) {
							out = append(out, Site{Pos: g.Pos(), What: "a goroutine started with a stop channel", Op: s.op})
							break
						}
					}
				}
				continue
			}
			out = append(out, s.created(d.rhs, d.idx, depth+1)...)
		}
		return out
	}
	return nil
}

func mentions(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// creation says what resource a call creates as its idx'th result, or "".
func (b *builder) creation(call *ast.CallExpr, idx int) string {
	fn := ls.Callee(b.info, call)
	if fn == nil {
		return ""
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || idx >= sig.Results().Len() {
		return ""
	}
	name := fn.Name()
	if fn.Pkg() != nil {
		qual := fn.Pkg().Name() + "." + name
		if sig.Recv() != nil {
			qual = fn.Pkg().Name() + "." + typeName(sig.Recv().Type()) + "." + name
		}
		switch fn.Pkg().Path() + "." + name {
		case "context.WithCancel", "context.WithTimeout", "context.WithDeadline", "context.WithCancelCause",
			"context.WithTimeoutCause", "context.WithDeadlineCause":
			if idx == 1 {
				return qual + " (cancel func)"
			}
			return ""
		case "time.AfterFunc", "time.NewTimer", "time.NewTicker":
			return qual
		}
		if !createPrefixRe.MatchString(name) {
			return ""
		}
		if releaseMethod(sig.Results().At(idx).Type()) != "" {
			return qual
		}
	}
	return ""
}

func typeName(t types.Type) string {
	if n, ok := deref(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return types.TypeString(t, nil)
}

// --- transitive effects, roles, ownership ---------------------------------

type readAt struct {
	coll *Collection
	pos  token.Pos
	key  ast.Expr // the index of an index read, else nil
}

type calleeAt struct {
	fn  *types.Func
	pos token.Pos
}

func (b *builder) transitive() {
	for _, op := range b.opList {
		for _, c := range op.callees {
			if callee := b.ops[c.fn]; callee != nil && callee != op {
				op.Calls = append(op.Calls, callee)
			}
		}
	}
	for _, op := range b.opList {
		op.ReleasesT = map[*Collection]Site{}
		op.ResetsT = map[*Collection]Site{}
		op.StopsT = map[*types.Var]Site{}
		op.ReadsT = map[*Collection]token.Pos{}
		op.RangesT = map[*Collection]token.Pos{}
		seen := map[*Op]bool{}
		var visit func(o *Op, depth int)
		visit = func(o *Op, depth int) {
			if seen[o] || depth > 4 {
				return
			}
			seen[o] = true
			for _, s := range o.Releases {
				if prev, ok := op.ReleasesT[s.coll]; !ok || (!prev.Every && s.Every) || (prev.Every == s.Every && prev.Partial && !s.Partial) {
					op.ReleasesT[s.coll] = s
				}
			}
			for _, s := range o.Resets {
				if prev, ok := op.ResetsT[s.coll]; !ok || (prev.detach && !s.detach) {
					op.ResetsT[s.coll] = s
				}
			}
			for _, s := range o.Stops {
				if _, ok := op.StopsT[s.stop]; !ok {
					op.StopsT[s.stop] = s
				}
			}
			for _, r := range o.reads {
				if _, ok := op.ReadsT[r.coll]; !ok {
					op.ReadsT[r.coll] = r.pos
				}
			}
			for _, rs := range o.ranges {
				if c := b.collOf(rs.X); c != nil {
					if _, ok := op.RangesT[c]; !ok {
						op.RangesT[c] = rs.Pos()
					}
				}
			}
			for _, c := range o.Calls {
				visit(c, depth+1)
			}
		}
		visit(op, 0)
		// duplicate checks made by a helper called before the store
		for _, st := range op.Stores {
			if st.DupCheck.IsValid() {
				continue
			}
			for _, c := range op.Calls {
				seen = map[*Op]bool{}
				if p := readsVia(c, st.Coll, seen); p.IsValid() {
					for _, ca := range op.callees {
						if ca.fn == c.Obj && ca.pos < st.Pos {
							st.DupCheck = ca.pos
						}
					}
				}
			}
		}
	}
}

func readsVia(o *Op, c *Collection, seen map[*Op]bool) token.Pos {
	if seen[o] {
		return token.NoPos
	}
	seen[o] = true
	for _, r := range o.reads {
		if r.coll == c {
			return r.pos
		}
	}
	for _, x := range o.Calls {
		if p := readsVia(x, c, seen); p.IsValid() {
			return p
		}
	}
	return token.NoPos
}

func (b *builder) roles() {
	for _, op := range b.opList {
		var roles []Role
		add := func(r Role) {
			for _, x := range roles {
				if x == r {
					return
				}
			}
			roles = append(roles, r)
		}
		allLocal := len(op.Accesses) > 0
		for _, a := range op.Accesses {
			if a.Why != "construction (the value is allocated here)" {
				allLocal = false
			}
		}
		if allLocal {
			op.Roles = []Role{Construct}
			continue
		}
		name := op.Obj.Name()
		for _, st := range op.Stores {
			if st.Bulk || populateNameRe.MatchString(name) {
				add(Populate)
			} else {
				add(Add)
			}
		}
		resets := 0
		for _, s := range op.ResetsT {
			if !s.detach {
				resets++
			}
		}
		cleanup := IsCleanupName(name) && (resets > 0 || len(op.RangesT) > 0)
		for _, rm := range op.Removes {
			if !rm.PerEntry || !cleanup {
				add(Remove)
			}
		}
		sig := op.Obj.Type().(*types.Signature)
		if sig.Results().Len() > 0 && b.lists(op) {
			add(List)
		} else if sig.Results().Len() > 0 && (op.returnsEntry || op.indexReads > 0) {
			add(Lookup)
		}
		if cleanup {
			add(Cleanup)
			b.scope(op)
			op.Explained = b.explainedCleanup(op.Info)
		}
		op.Roles = roles
	}
	for _, r := range b.m.Registries {
		sort.Slice(r.Ops, func(i, j int) bool { return posorder.Less(b.fset, r.Ops[i].Decl.Pos(), r.Ops[j].Decl.Pos()) })
	}
}

// scopedResetRe matches clear/reset + a qualifier: clearScheduledLeases,
// ResetInformerNamesForTesting (not Reset, resetLocked, clearAll).
var scopedResetRe = lazyre.New(`^(?i:clear|reset)([A-Z_].*)$`)

// scopedCloseRe matches the other cleanup verbs + a qualifier:
// closeRequireLeader, stopWatchers, CloseStreams, CloseConn (not Close,
// closeLocked). Such a function is scoped only when its type (or package)
// has its own teardown named by a verb alone (hasBareTeardown): otherwise
// it may well be the teardown.
var scopedCloseRe = lazyre.New(`^(?i:close|cleanup|clean|shutdown|stop|destroy|release|dispose|teardown|purge|finalize|terminate)([A-Z_].*)$`)

// bareTeardownRe matches a cleanup verb alone: Close, Stop, Shutdown.
var bareTeardownRe = lazyre.New(`^(?i:close|cleanup|shutdown|stop|destroy|release|dispose|teardown|finalize|terminate)$`)

// hasBareTeardown reports whether the type of op's receiver (or, for a
// function, its package) has a method (function) named by a cleanup verb
// alone: Close, Stop, Shutdown (promoted methods count). That one is the
// teardown.
func (b *builder) hasBareTeardown(op *Op) bool {
	if op.Decl.Recv == nil {
		scope := b.pkg.Scope()
		for _, name := range scope.Names() {
			if _, ok := scope.Lookup(name).(*types.Func); ok && bareTeardownRe.MatchString(name) {
				return true
			}
		}
		return false
	}
	recv := op.Obj.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	t := types.Unalias(recv.Type())
	if _, isPtr := t.(*types.Pointer); !isPtr {
		t = types.NewPointer(t)
	}
	ms := types.NewMethodSet(t)
	for i := 0; i < ms.Len(); i++ {
		if m := ms.At(i).Obj(); m != op.Obj && bareTeardownRe.MatchString(m.Name()) {
			return true
		}
	}
	return false
}

// qualifierNoiseRe matches the parts of a qualifier that do not name what
// is reset.
var qualifierNoiseRe = lazyre.New(`^(All|Every(thing)?)|(Locked|Unlocked|ForTest(s|ing)?|Internal)$`)

// containerWords are the words of a collection's name that say what it is
// rather than what it holds.
var containerWords = map[string]bool{"map": true, "heap": true, "list": true, "set": true, "queue": true, "slice": true, "array": true, "table": true, "index": true, "idx": true, "by": true, "to": true, "of": true, "for": true, "from": true}

// scope sets Scoped and Scope for a cleanup named clear/reset + a
// qualifier that does not reset every collection of its registry, or
// another cleanup verb + a qualifier when the type (or package) has its own
// teardown named by the verb alone (closeRequireLeader beside Close,
// CloseStreams beside Close), whatever it resets: the collections whose
// names share the most words with the qualifier (none if no collection
// shares one).
func (b *builder) scope(op *Op) {
	m := scopedResetRe.FindStringSubmatch(op.Obj.Name())
	closes := false // a close + qualifier beside the type's own teardown
	if m == nil {
		if m = scopedCloseRe.FindStringSubmatch(op.Obj.Name()); m == nil || !b.hasBareTeardown(op) {
			return
		}
		closes = true
	}
	q := m[1]
	for {
		t := qualifierNoiseRe.Regexp().ReplaceAllString(q, "")
		if t == q {
			break
		}
		q = t
	}
	q = strings.Trim(q, "_")
	if q == "" {
		return
	}
	var colls []*Collection
	for _, r := range b.m.Registries {
		for _, x := range r.Ops {
			if x == op {
				colls = append(colls, r.Collections...)
			}
		}
	}
	all := len(colls) > 0
	for _, c := range colls {
		if s, ok := op.ResetsT[c]; !ok || s.detach {
			all = false
		}
	}
	if all && !closes {
		return // it resets everything: the registry's cleanup
	}
	op.Scoped = true
	qw := map[string]bool{}
	for _, w := range nameWords(q) {
		qw[w] = true
	}
	best := 0
	for _, c := range colls {
		n := 0
		for _, w := range nameWords(c.Obj.Name()) {
			if qw[w] && !containerWords[w] {
				n++
			}
		}
		switch {
		case n > best:
			best = n
			op.Scope = []*Collection{c}
		case n == best && n > 0:
			op.Scope = append(op.Scope, c)
		}
	}
}

// nameWords splits a camelCase or snake_case name into lowercase words,
// without a plural s.
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			w := strings.ToLower(string(cur))
			if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
				w = w[:len(w)-1]
			}
			words = append(words, w)
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-':
			flush()
			continue
		case unicode.IsUpper(r) && len(cur) > 0 && (!unicode.IsUpper(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))):
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// lists reports whether op copies entries out: it returns a local built by
// appending in a range over the collection, or a copy of the collection.
func (b *builder) lists(op *Op) bool {
	info := b.info
	built := map[types.Object]bool{}
	for _, rs := range op.ranges {
		ast.Inspect(rs.Body, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
				if call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok && isBuiltin(info, call.Fun, "append") {
					if id, ok := as.Lhs[0].(*ast.Ident); ok {
						built[objOf(info, id)] = true
					}
				}
				if ix, ok := as.Lhs[0].(*ast.IndexExpr); ok {
					if id, ok := ast.Unparen(ix.X).(*ast.Ident); ok {
						built[objOf(info, id)] = true
					}
				}
			}
			return true
		})
	}
	found := false
	ast.Inspect(op.Decl.Body, func(n ast.Node) bool {
		ret, ok := n.(*ast.ReturnStmt)
		if !ok {
			_, lit := n.(*ast.FuncLit)
			return !lit
		}
		for _, r := range ret.Results {
			r = ast.Unparen(r)
			if id, ok := r.(*ast.Ident); ok && built[info.Uses[id]] {
				found = true
			}
			if call, ok := r.(*ast.CallExpr); ok {
				if fn := ls.Callee(info, call); fn != nil && fn.Pkg() != nil && (fn.Pkg().Path() == "slices" || fn.Pkg().Path() == "maps") {
					// slices.Clone(r.s), slices.Sorted(maps.Keys(r.m))
					ast.Inspect(call, func(n ast.Node) bool {
						if e, ok := n.(ast.Expr); ok && b.collOf(e) != nil {
							found = true
						}
						return !found
					})
				}
				if isBuiltin(info, call.Fun, "append") && len(call.Args) == 2 && call.Ellipsis.IsValid() && b.collOf(call.Args[1]) != nil {
					found = true
				}
			}
		}
		return true
	})
	return found
}

func (b *builder) ownership() {
	b.wrapperEntries()
	for _, r := range b.m.Registries {
		for _, c := range r.Collections {
			for _, op := range b.opList {
				for _, st := range op.Stores {
					if st.Coll == c {
						c.Created = append(c.Created, st.Created...)
					}
				}
				for _, s := range op.Releases {
					if s.coll == c {
						c.Releases = append(c.Releases, s)
					}
				}
				for _, s := range op.Resets {
					if s.coll == c {
						c.Resets = append(c.Resets, s)
					}
				}
			}
			if len(c.Created) > 0 {
				c.Releasable = true
				if c.ReleaseName == "" {
					switch c.Created[0].What {
					case "a goroutine started with a stop channel":
						c.ReleaseName = "close"
					default:
						if strings.HasSuffix(c.Created[0].What, "(cancel func)") {
							c.ReleaseName = "call"
						}
					}
				}
				c.Owned = true
				c.OwnedWhy = "it creates them (" + c.Created[0].What + " at " + b.lineOf(c.Created[0].Pos) + ")"
				continue
			}
			for _, op := range r.Ops {
				if !op.Has(Cleanup) {
					continue
				}
				if s, ok := op.ReleasesT[c]; ok {
					c.Owned = true
					c.OwnedWhy = "its cleanup " + op.Obj.Name() + " releases them (" + b.lineOf(s.Pos) + ")"
					break
				}
			}
		}
		b.goroutines(r)
	}
	b.sharedEntries()
	b.selfRemoving()
	b.returnedEntries()
}

// returnedEntries sets Collection.Handed: every store of a created
// value into the collection is in a function that hands that value (the
// local variable stored) to its owner: it returns it, and the release
// method of the entry type (Close) reaches a removal from the collection
// through the local calls it makes, including calls of an unexported
// method of one of the package's interfaces (s.clearer.clearStream(id)),
// which run the package's methods of that name; or it passes it to a
// goroutine that releases and removes it (goOwner).
func (b *builder) returnedEntries() {
	info := b.info
	// callees of each local function; an unexported interface method of
	// the package stands for the local methods of that name
	byName := map[string][]*types.Func{}
	for _, fi := range b.gm.LS.Funcs {
		if sig := fi.Obj.Type().(*types.Signature); sig.Recv() != nil && !fi.Test {
			byName[fi.Obj.Name()] = append(byName[fi.Obj.Name()], fi.Obj)
		}
	}
	callees := func(fn *types.Func) []*types.Func {
		fi := b.local[fn]
		if fi == nil || fi.Decl == nil || fi.Decl.Body == nil {
			return nil
		}
		var out []*types.Func
		ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			callee := ls.Callee(info, call)
			if callee == nil {
				return true
			}
			if b.local[callee.Origin()] != nil {
				out = append(out, callee.Origin())
				return true
			}
			csig, ok := callee.Type().(*types.Signature)
			if !ok || csig.Recv() == nil || callee.Pkg() != b.pkg || callee.Exported() {
				return true
			}
			iface, ok := csig.Recv().Type().Underlying().(*types.Interface)
			if !ok {
				return true
			}
			for _, m := range byName[callee.Name()] {
				if types.Implements(m.Type().(*types.Signature).Recv().Type(), iface) {
					out = append(out, m)
				}
			}
			return true
		})
		return out
	}
	// releaseRemoves: the release method of c's entry type (a local type)
	// reaches a removal from c
	releaseRemoves := func(c *Collection) bool {
		entry, ok := types.Unalias(deref(c.Entry)).(*types.Named)
		if !ok || entry.Obj().Pkg() != b.pkg || c.SetLike || c.KeyEntries {
			return false
		}
		rel := releaseMethod(c.Entry)
		if rel == "" {
			return false
		}
		var start *types.Func
		for _, t := range []types.Type{entry, types.NewPointer(entry)} {
			if obj, _, _ := types.LookupFieldOrMethod(t, false, b.pkg, rel); obj != nil {
				if fn, ok := obj.(*types.Func); ok && b.local[fn.Origin()] != nil {
					start = fn.Origin()
				}
			}
		}
		if start == nil {
			return false
		}
		seen := map[*types.Func]bool{start: true}
		work := []*types.Func{start}
		for depth := 0; depth < 5 && len(work) > 0; depth++ {
			var next []*types.Func
			for _, fn := range work {
				if op := b.ops[fn]; op != nil {
					for _, rm := range op.Removes {
						if rm.Coll == c {
							return true
						}
					}
				}
				for _, x := range callees(fn) {
					if !seen[x] {
						seen[x] = true
						next = append(next, x)
					}
				}
			}
			work = next
		}
		return false
	}
	for _, r := range b.m.Registries {
		for _, c := range r.Collections {
			if len(c.Created) == 0 || c.Entry == nil || c.Nested {
				continue
			}
			all, n := true, 0
			for _, op := range b.opList {
				for _, st := range op.Stores {
					if st.Coll != c || len(st.Created) == 0 {
						continue
					}
					n++
					if st.entryObj == nil {
						all = false
						continue
					}
					if !(returnsVar(info, op.Decl, st.entryObj) && releaseRemoves(c)) && !b.goOwner(op.Decl, st.entryObj, c) {
						all = false
					}
				}
			}
			c.Handed = all && n > 0
		}
	}
}

// goOwner reports whether the function decl passes the local variable v
// to a goroutine that owns it: a go statement calling a local function F
// with v as an argument, where F removes an entry of c and releases the
// parameter p that receives v: a release method called on p (p.Close()),
// or on a local value of a type of the package made with p in one of its
// fields (w := &response{tcp: rw}; w.Close()) whose release method
// releases that field (w.tcp.Close()).
func (b *builder) goOwner(decl *ast.FuncDecl, v types.Object, c *Collection) bool {
	info := b.info
	if decl == nil || decl.Body == nil {
		return false
	}
	found := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		g, ok := n.(*ast.GoStmt)
		if !ok || found {
			return !found
		}
		fn := ls.Callee(info, g.Call)
		if fn == nil {
			return true
		}
		fi := b.local[fn.Origin()]
		op := b.ops[fn.Origin()]
		if fi == nil || op == nil || fi.Decl == nil || fi.Decl.Body == nil {
			return true
		}
		removes := false
		for _, rm := range op.Removes {
			if rm.Coll == c {
				removes = true
			}
		}
		if !removes {
			return true
		}
		off := 0
		if fn.Type().(*types.Signature).Recv() != nil {
			off = 1
		}
		for i, a := range g.Call.Args {
			id, ok := ast.Unparen(a).(*ast.Ident)
			if !ok || info.Uses[id] != v || off+i >= len(fi.Params) || fi.Params[off+i] == nil {
				continue
			}
			if b.releasesParam(fi.Decl, fi.Params[off+i]) {
				found = true
			}
		}
		return !found
	})
	return found
}

// releasesParam reports whether the body of decl releases p: p.Close()
// (a release-named method called on p), or w.Close() on a local w made as
// a composite literal of a local type with p in a field f, whose release
// method releases its receiver's f.
func (b *builder) releasesParam(decl *ast.FuncDecl, p types.Object) bool {
	info := b.info
	wraps := map[types.Object]string{} // local variable -> field holding p
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			lit, ok := ls.CompositeLit(rhs)
			if !ok {
				continue
			}
			lhs, ok := as.Lhs[i].(*ast.Ident)
			if !ok {
				continue
			}
			for _, el := range lit.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				k, ok1 := kv.Key.(*ast.Ident)
				val, ok2 := ast.Unparen(kv.Value).(*ast.Ident)
				if ok1 && ok2 && info.Uses[val] == p {
					wraps[objOf(info, lhs)] = k.Name
				}
			}
		}
		return true
	})
	found := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		call, x, ok := releaseCall(n)
		if !ok {
			return true
		}
		id, ok := x.(*ast.Ident)
		if !ok {
			return true
		}
		obj := info.Uses[id]
		if obj == p {
			found = true
			return false
		}
		field, ok := wraps[obj]
		if !ok {
			return true
		}
		m := ls.Callee(info, call)
		if m == nil || b.local[m.Origin()] == nil {
			return true
		}
		mfi := b.local[m.Origin()]
		if mfi.Decl == nil || mfi.Decl.Body == nil || len(mfi.Params) == 0 || mfi.Params[0] == nil {
			return true
		}
		recv := mfi.Params[0]
		ast.Inspect(mfi.Decl.Body, func(n ast.Node) bool {
			if found {
				return false
			}
			_, x, ok := releaseCall(n)
			if !ok {
				return true
			}
			fs, ok := x.(*ast.SelectorExpr)
			if !ok || fs.Sel.Name != field {
				return true
			}
			if rid, ok := ast.Unparen(fs.X).(*ast.Ident); ok && info.Uses[rid] == recv {
				found = true
			}
			return !found
		})
		return !found
	})
	return found
}

// returnsVar reports whether the function decl returns the variable v (a
// return statement of its body, closures aside, with v as a result).
func returnsVar(info *types.Info, decl *ast.FuncDecl, v types.Object) bool {
	if decl == nil || decl.Body == nil {
		return false
	}
	found := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			for _, r := range x.Results {
				if id, ok := ast.Unparen(r).(*ast.Ident); ok && info.Uses[id] == v {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// selfRemoving marks the collections whose entries remove themselves: a
// method of the entry type reaches (through local calls) a removal from
// the collection, so releasing an entry takes it out of the collection.
func (b *builder) selfRemoving() {
	callees := map[*types.Func][]*types.Func{}
	for _, fi := range b.gm.LS.Funcs {
		for _, call := range fi.Calls { // the prescan's, in source order
			if fn := ls.Callee(b.info, call); fn != nil && b.local[fn.Origin()] != nil {
				callees[fi.Obj] = append(callees[fi.Obj], fn.Origin())
			}
		}
	}
	for _, r := range b.m.Registries {
		for _, c := range r.Collections {
			if c.Entry == nil {
				continue
			}
			entry, ok := types.Unalias(deref(c.Entry)).(*types.Named)
			if !ok || entry.Obj().Pkg() != b.pkg {
				continue
			}
			seen := map[*types.Func]bool{}
			var work []*types.Func
			for _, fi := range b.gm.LS.Funcs {
				sig := fi.Obj.Type().(*types.Signature)
				if sig.Recv() != nil {
					if n, ok := types.Unalias(deref(sig.Recv().Type())).(*types.Named); ok && n.Origin().Obj() == entry.Origin().Obj() {
						work = append(work, fi.Obj)
						seen[fi.Obj] = true
					}
				}
			}
			for depth := 0; depth < 4 && len(work) > 0 && !c.SelfRemoving; depth++ {
				var next []*types.Func
				for _, fn := range work {
					if op := b.ops[fn]; op != nil {
						for _, rm := range op.Removes {
							if rm.Coll == c {
								c.SelfRemoving = true
							}
						}
					}
					for _, x := range callees[fn] {
						if !seen[x] {
							seen[x] = true
							next = append(next, x)
						}
					}
				}
				work = next
			}
		}
	}
}

// goroutines finds the background goroutines a registry starts that wait
// on a stop channel or context field.
func (b *builder) goroutines(r *Registry) {
	if r.Type == nil {
		return
	}
	st, _ := r.Type.Type().Underlying().(*types.Struct)
	if st == nil {
		return
	}
	isField := map[*types.Var]bool{}
	for i := 0; i < st.NumFields(); i++ {
		isField[st.Field(i)] = true
	}
	fieldOf := func(e ast.Expr) *types.Var {
		if v, _ := b.selectedField(e); v != nil && isField[v] {
			return v
		}
		return nil
	}
	for _, op := range r.Ops {
		ast.Inspect(op.Decl.Body, func(n ast.Node) bool {
			g, ok := n.(*ast.GoStmt)
			if !ok {
				return true
			}
			var body ast.Node
			switch f := ast.Unparen(g.Call.Fun).(type) {
			case *ast.FuncLit:
				body = f.Body
			default:
				if fn := ls.Callee(b.info, g.Call); fn != nil {
					if fi := b.local[fn.Origin()]; fi != nil {
						body = fi.Decl.Body
					}
				}
			}
			if body == nil {
				return true
			}
			gr := &Goroutine{Pos: g.Pos(), Op: op}
			note := func(f *types.Var, pos token.Pos) {
				if gr.Stop == nil {
					gr.Stop, gr.Proof = f, pos
				}
				gr.Stops = append(gr.Stops, f)
			}
			ast.Inspect(body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.DeferStmt:
					// runs when the goroutine ends: defer func() {
					// <-p.sem }() releases a semaphore slot, it does
					// not wait to be stopped
					return false
				case *ast.UnaryExpr:
					if x.Op == token.ARROW {
						if f := fieldOf(x.X); f != nil {
							note(f, x.Pos())
						}
						// <-ctx.Done(), <-r.ctx.Done()
						if call, ok := ast.Unparen(x.X).(*ast.CallExpr); ok {
							if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" && isContext(b.info.TypeOf(sel.X)) {
								gr.WaitsOnContext = true
								if f := fieldOf(sel.X); f != nil {
									note(f, x.Pos())
								}
							}
						}
					}
				case *ast.RangeStmt:
					if f := fieldOf(x.X); f != nil {
						if _, ok := f.Type().Underlying().(*types.Chan); ok {
							note(f, x.Pos())
						}
					}
				}
				return true
			})
			if gr.Stop != nil {
				r.Goroutines = append(r.Goroutines, gr)
			}
			return true
		})
	}
}

// Stopped reports whether op (transitively) stops goroutine g: it closes or
// sends on its channel, or calls a cancel func field when g waits on a
// context.
func (op *Op) Stopped(g *Goroutine) (Site, bool) {
	for _, f := range g.Stops {
		if s, ok := op.StopsT[f]; ok {
			return s, true
		}
	}
	if g.WaitsOnContext {
		var best Site
		for v, s := range op.StopsT {
			if _, isFunc := v.Type().Underlying().(*types.Signature); isFunc && (!best.Pos.IsValid() || s.Pos < best.Pos) {
				best = s
			}
		}
		if best.Pos.IsValid() {
			return best, true
		}
	}
	return Site{}, false
}

// siteFor attaches a collection to a site.
func siteFor(c *Collection, s Site) Site {
	s.coll = c
	return s
}

// Coll is the collection a site concerns (for releases and resets).
func (s Site) Coll() *Collection { return s.coll }

func exprText(e ast.Expr) string { return types.ExprString(e) }

// ownCallback explains a removal made in a closure that belongs to the
// removed entry: stored into one of its fields (c.onClose = func() {...},
// or as the timer that runs it: ah.timer = time.AfterFunc(d, func() {...})),
// passed to one of its methods (c.OnClose(func() {...})) or part of the
// value it is made from (w := &watch{cancel: func() {...}}), where the entry
// is the key removed or the value this function stores into the
// collection. The closure runs as part of the entry's own release (its
// Close calls it), so the removal is the entry taking itself out.
func (s *fnScan) ownCallback(rm *Removal) string {
	info := s.b.info
	body := s.fi.Decl.Body
	// the closures around the removal, innermost first
	var lits []*ast.FuncLit
	ast.Inspect(body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok && lit.Pos() <= rm.Pos && rm.Pos < lit.End() {
			lits = append([]*ast.FuncLit{lit}, lits...)
		}
		return true
	})
	if len(lits) == 0 {
		return ""
	}
	localVar := func(e ast.Expr) types.Object {
		id := rootIdent(info, e)
		if id == nil {
			return nil
		}
		v, ok := objOf(info, id).(*types.Var)
		if !ok || v.IsField() || ls.IsPackageLevel(v) {
			return nil
		}
		return v
	}
	contains := func(n ast.Node, lit *ast.FuncLit) bool { return n.Pos() <= lit.Pos() && lit.End() <= n.End() }
	// owner returns the local variable a closure is attached to, and how
	owner := func(lit *ast.FuncLit) (types.Object, string) {
		var obj types.Object
		var how string
		ast.Inspect(body, func(n ast.Node) bool {
			if n == nil || obj != nil || !contains(n, lit) {
				return false // only the nodes around the closure
			}
			switch x := n.(type) {
			case *ast.AssignStmt:
				for i, r := range x.Rhs {
					if !contains(r, lit) {
						continue
					}
					var lhs ast.Expr
					if len(x.Lhs) == len(x.Rhs) {
						lhs = x.Lhs[i]
					}
					if lhs == nil {
						continue
					}
					if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok {
						// the closure, or a value made from it (the
						// timer of time.AfterFunc), stored in a field
						if v := localVar(sel.X); v != nil {
							if ast.Unparen(r) == lit {
								obj, how = v, "stored in "+exprText(sel)+" at "+s.b.lineOf(x.Pos())
							} else {
								obj, how = v, "part of the value stored in "+exprText(sel)+" at "+s.b.lineOf(x.Pos())
							}
						}
					} else if id, ok := ast.Unparen(lhs).(*ast.Ident); ok {
						if v := localVar(id); v != nil {
							obj, how = v, "part of the value of "+id.Name+" at "+s.b.lineOf(x.Pos())
						}
					}
				}
			case *ast.ValueSpec:
				for i, r := range x.Values {
					if contains(r, lit) && len(x.Names) == len(x.Values) {
						if v := localVar(x.Names[i]); v != nil {
							obj, how = v, "part of the value of "+x.Names[i].Name+" at "+s.b.lineOf(x.Pos())
						}
					}
				}
			case *ast.CallExpr:
				for _, a := range x.Args {
					if ast.Unparen(a) != lit {
						continue
					}
					if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok {
						if so, ok := info.Selections[sel]; ok && so.Kind() == types.MethodVal {
							if v := localVar(sel.X); v != nil {
								obj, how = v, "passed to "+exprText(sel)+" at "+s.b.lineOf(x.Pos())
							}
						}
					}
				}
			}
			return obj == nil
		})
		return obj, how
	}
	// the entry: the key removed (sets, maps keyed by the entries), or a
	// value stored into the collection here
	isEntry := func(v types.Object) bool {
		for _, st := range s.op.Stores {
			if st.Coll != rm.Coll {
				continue
			}
			for _, e := range []ast.Expr{st.Value, st.Key} {
				if e == nil || (e == st.Key && !rm.Coll.SetLike && !rm.Coll.KeyEntries) {
					continue
				}
				if id, ok := ast.Unparen(e).(*ast.Ident); ok && info.Uses[id] == v {
					return true
				}
			}
		}
		return rm.key != nil && info.Uses[rm.key] == v && (rm.Coll.SetLike || rm.Coll.KeyEntries)
	}
	for _, lit := range lits {
		if v, how := owner(lit); v != nil && isEntry(v) {
			return "removed by the entry's own callback (" + how + ")"
		}
	}
	return ""
}

// removedByEntry says why a removal under a key parameter of an
// unexported function is the entry's own: every call of the function in
// the package (direct, or through an unexported method of one of the
// package's interfaces, which no other package can call) is made in a
// method of the entry's type, passing a key reached from that method's
// receiver (s.session.closeStream(s.id) in Stream.Close): the entry takes
// itself out on its own close path, and no one else removes it. Calls in
// tests are not counted; a function referenced other than by a call has
// callers that cannot be seen.
func (s *fnScan) removedByEntry(rm *Removal) string {
	b, info := s.b, s.b.info
	fn := s.fi.Obj
	if rm.key == nil || rm.Coll.Entry == nil || fn.Exported() || b.states[fn] == nil || b.states[fn].escapes {
		return ""
	}
	entry, ok := types.Unalias(deref(rm.Coll.Entry)).(*types.Named)
	if !ok || entry.Obj().Pkg() != b.pkg {
		return ""
	}
	sig := fn.Type().(*types.Signature)
	idx := -1
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == info.Uses[rm.key] {
			idx = i
		}
	}
	if idx < 0 || sig.Variadic() {
		return ""
	}
	// calls reports whether call runs fn
	calls := func(call *ast.CallExpr) bool {
		callee := ls.Callee(info, call)
		if callee == nil {
			return false
		}
		if callee.Origin() == fn {
			return true
		}
		csig, ok := callee.Type().(*types.Signature)
		if !ok || csig.Recv() == nil || callee.Pkg() != b.pkg || callee.Exported() || callee.Name() != fn.Name() {
			return false
		}
		iface, ok := csig.Recv().Type().Underlying().(*types.Interface)
		return ok && sig.Recv() != nil && types.Implements(sig.Recv().Type(), iface)
	}
	n := 0
	all := true
	for _, fi := range b.gm.LS.Funcs {
		if fi.Decl == nil || fi.Decl.Body == nil || fi.Test || !all {
			continue
		}
		var recv types.Object
		if fsig := fi.Obj.Type().(*types.Signature); fsig.Recv() != nil && len(fi.Params) > 0 {
			if rn, ok := types.Unalias(deref(fsig.Recv().Type())).(*types.Named); ok && rn.Origin().Obj() == entry.Origin().Obj() {
				recv = fi.Params[0]
			}
		}
		ast.Inspect(fi.Decl.Body, func(nd ast.Node) bool {
			call, ok := nd.(*ast.CallExpr)
			if !ok || !all || !calls(call) {
				return all
			}
			n++
			if recv == nil || idx >= len(call.Args) {
				all = false
				return false
			}
			// s.id, or a getter of the receiver: s.StreamID()
			arg := ast.Unparen(call.Args[idx])
			if c, ok := arg.(*ast.CallExpr); ok && len(c.Args) == 0 {
				if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
					if so, ok := info.Selections[sel]; ok && so.Kind() == types.MethodVal {
						arg = sel.X
					}
				}
			}
			if id := rootIdent(info, arg); id == nil || info.Uses[id] != recv {
				all = false
			}
			return all
		})
	}
	if !all || n == 0 {
		return ""
	}
	return "the entry removes itself: every call of " + fn.Name() + " is made by a method of " + entry.Obj().Name() + " with its own key"
}

// funcFieldStops finds the func fields assigned a function that stops a
// goroutine: a closure, a local function or method value, or either wrapped
// in sync.OnceFunc, that closes or sends on a channel field or calls a
// cancel func field. Calling such a field stops what its value stops.
func (b *builder) funcFieldStops() {
	b.funcStops = map[*types.Var][]*types.Var{}
	isFunc := func(v *types.Var) bool {
		_, ok := v.Type().Underlying().(*types.Signature)
		return ok
	}
	// bodyOf returns the body a function value runs
	var bodyOf func(e ast.Expr, depth int) *ast.BlockStmt
	bodyOf = func(e ast.Expr, depth int) *ast.BlockStmt {
		if depth > 2 {
			return nil
		}
		switch x := ast.Unparen(e).(type) {
		case *ast.FuncLit:
			return x.Body
		case *ast.CallExpr:
			if fn := ls.Callee(b.info, x); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "sync" && fn.Name() == "OnceFunc" && len(x.Args) == 1 {
				return bodyOf(x.Args[0], depth+1)
			}
		case *ast.Ident, *ast.SelectorExpr:
			var obj types.Object
			if id, ok := x.(*ast.Ident); ok {
				obj = b.info.Uses[id]
			} else if so, ok := b.info.Selections[x.(*ast.SelectorExpr)]; ok && so.Kind() == types.MethodVal {
				obj = so.Obj()
			} else {
				obj = b.info.Uses[x.(*ast.SelectorExpr).Sel]
			}
			if fn, ok := obj.(*types.Func); ok {
				if fi := b.local[fn.Origin()]; fi != nil {
					return fi.Decl.Body
				}
			}
		}
		return nil
	}
	stopsIn := func(body *ast.BlockStmt) []*types.Var {
		var out []*types.Var
		ast.Inspect(body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if isBuiltin(b.info, x.Fun, "close") && len(x.Args) == 1 {
					if f := b.stopField(x.Args[0]); f != nil {
						out = append(out, f)
					}
				} else if f := b.stopField(x.Fun); f != nil && isFunc(f) {
					out = append(out, f)
				}
			case *ast.SendStmt:
				if f := b.stopField(x.Chan); f != nil {
					out = append(out, f)
				}
			}
			return true
		})
		return out
	}
	assign := func(lhs *types.Var, rhs ast.Expr) {
		if lhs == nil || !isFunc(lhs) {
			return
		}
		if body := bodyOf(rhs, 0); body != nil {
			for _, g := range stopsIn(body) {
				if g != lhs {
					b.funcStops[lhs] = append(b.funcStops[lhs], g)
				}
			}
		}
	}
	for _, fi := range b.gm.LS.Funcs {
		ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignStmt:
				if len(x.Lhs) == len(x.Rhs) {
					for i := range x.Lhs {
						assign(b.stopField(x.Lhs[i]), x.Rhs[i])
					}
				}
			case *ast.CompositeLit:
				for _, el := range x.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if id, ok := kv.Key.(*ast.Ident); ok {
						if v, ok := b.info.Uses[id].(*types.Var); ok && v.IsField() {
							assign(v.Origin(), kv.Value)
						}
					}
				}
			}
			return true
		})
	}
}

// storedEntry records the local variable stored as the entry and the
// concrete types of the values stored (the value, or the key of a set or of
// a map keyed by its entries).
func (s *fnScan) storedEntry(st *Store) {
	info := s.b.info
	e := st.Value
	if st.Coll.SetLike || st.Coll.KeyEntries {
		e = st.Key
	}
	if e == nil {
		return
	}
	e = ast.Unparen(e)
	exprs := []ast.Expr{e}
	if id, ok := e.(*ast.Ident); ok {
		if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() && !ls.IsPackageLevel(v) {
			st.entryObj = v
			for _, d := range s.defs[v] {
				if d.idx == 0 {
					exprs = append(exprs, d.rhs)
				}
			}
		}
	}
	for _, x := range exprs {
		t := info.TypeOf(x)
		if t == nil {
			continue
		}
		if _, iface := t.Underlying().(*types.Interface); iface {
			continue
		}
		if n, ok := types.Unalias(deref(t)).(*types.Named); ok {
			if st.Coll.stored == nil {
				st.Coll.stored = map[*types.TypeName]bool{}
			}
			st.Coll.stored[n.Origin().Obj()] = true
		}
	}
}

// wrapperEntries links the methods of entry types to the collections:
// when a collection of interface values holds values of a local type (a
// wrapper: grpclb's lbCacheSubConn in a map of balancer.SubConn), the
// wrapper's own release method (the interface's, e.g. Shutdown) releasing a
// part of its receiver (sc.SubConn.Shutdown()) releases the entry, and its
// removal of the receiver from the collection is the entry removing itself.
func (b *builder) wrapperEntries() {
	for _, op := range b.opList {
		if len(op.recvReleases) == 0 && len(op.recvRemoves) == 0 {
			continue
		}
		sig := op.Obj.Type().(*types.Signature)
		n, ok := types.Unalias(deref(sig.Recv().Type())).(*types.Named)
		if !ok {
			continue
		}
		tn := n.Origin().Obj()
		for _, r := range b.m.Registries {
			for _, c := range r.Collections {
				if c.Entry == nil || !c.stored[tn] {
					continue
				}
				_, iface := c.Entry.Underlying().(*types.Interface)
				if !iface {
					continue
				}
				var rel *Site
				if op.Obj.Name() == c.ReleaseName {
					for i := range op.recvReleases {
						x := op.recvReleases[i]
						x.What = "released by the entry's own " + op.Obj.Name() + " (" + strings.TrimPrefix(x.What, "released (")
						op.Releases = append(op.Releases, siteFor(c, x))
						if rel == nil {
							rel = &x
						}
					}
				}
				for _, rm := range op.recvRemoves {
					if rm.Coll != c || rm.Handled != "" {
						continue
					}
					rm.Handled = "the entry removes itself"
					if rel != nil {
						rm.Handled += " and releases it at " + b.lineOf(rel.Pos)
						rm.Released = rel.Pos
					}
				}
			}
		}
	}
}

// sharedEntries links the collections into which the same created values
// are stored (lb.subConns[addr] = sc; lb.scStates[sc] = idle): a
// collection whose entries are never released itself is released through
// another that holds the same values.
func (b *builder) sharedEntries() {
	for _, op := range b.opList {
		for i, a := range op.Stores {
			if a.entryObj == nil || len(a.Created) == 0 {
				continue
			}
			for _, x := range op.Stores[i+1:] {
				if x.entryObj != a.entryObj || x.Coll == a.Coll || b.regOf[x.Coll] != b.regOf[a.Coll] {
					continue
				}
				link(a.Coll, x.Coll)
				link(x.Coll, a.Coll)
			}
		}
	}
	for _, r := range b.m.Registries {
		for _, c := range r.Collections {
			if len(c.Releases) > 0 {
				continue
			}
			for _, o := range c.Shares {
				if len(o.Releases) > 0 && len(o.Created) > 0 {
					rel := o.Releases[0]
					c.Releases = append(c.Releases, Site{Pos: rel.Pos, What: "released through " + o.Obj.Name() + ", which holds the same values (" + rel.What + ")", Op: rel.Op, Every: rel.Every, coll: c})
					break
				}
			}
		}
	}
}

func link(c, o *Collection) {
	for _, x := range c.Shares {
		if x == o {
			return
		}
	}
	c.Shares = append(c.Shares, o)
}

// releasedVar returns where this function releases the value of the local
// variable v (or a part of it), if it does.
func (s *fnScan) releasedVar(v types.Object) token.Pos {
	if v == nil {
		return token.NoPos
	}
	var at token.Pos
	ast.Inspect(s.fi.Decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || at.IsValid() {
			return !at.IsValid()
		}
		for _, x := range s.b.releasedBy(call) {
			if id := rootIdent(s.b.info, x); id != nil && s.b.info.Uses[id] == v {
				at = call.Pos()
			}
		}
		return true
	})
	return at
}
