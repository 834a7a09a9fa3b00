package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// findCandidates records the fields and package variables whose accesses
// are worth recording.
func (a *analysis_) findCandidates() {
	pass := a.pass
	scope := pass.Pkg.Scope()
	var pkgVars []*types.Var
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok {
			continue
		}
		if ls.IsMutexType(v.Type()) {
			a.pkgMu = append(a.pkgMu, MutexRef{Var: v, RW: ls.IsRWMutexType(v.Type())})
			continue
		}
		pkgVars = append(pkgVars, v)
	}
	if len(a.pkgMu) > 0 {
		for _, v := range pkgVars {
			if neverGuarded(v.Type()) {
				continue
			}
			a.res.Candidates[v] = &Candidate{Obj: v, Mutexes: a.pkgMu}
		}
	}
	// Struct types declared in this package (named, and anonymous ones of
	// package-level variables).
	seen := map[*types.Struct]bool{}
	var visitStruct func(st *types.Struct)
	visitStruct = func(st *types.Struct) {
		if seen[st] {
			return
		}
		seen[st] = true
		mus := a.structMutexes(st)
		mus = append(mus, a.pkgMu...)
		if len(mus) == 0 {
			return
		}
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			if ls.IsMutexType(f.Type()) || neverGuarded(f.Type()) {
				continue
			}
			if f.Embedded() {
				if _, ok := f.Type().Underlying().(*types.Struct); ok {
					continue
				}
			}
			a.res.Candidates[f] = &Candidate{Obj: f, Struct: st, Mutexes: mus}
		}
	}
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		switch obj := obj.(type) {
		case *types.TypeName:
			if st, ok := obj.Type().Underlying().(*types.Struct); ok {
				visitStruct(st)
			}
		case *types.Var:
			if st, ok := obj.Type().Underlying().(*types.Struct); ok {
				if _, named := types.Unalias(obj.Type()).(*types.Named); !named {
					visitStruct(st)
				}
			}
		}
	}
}

// pkgMuOf returns the package-level mutexes of a package.
func (a *analysis_) pkgMuOf(pkg *types.Package) []MutexRef {
	if mus, ok := a.pkgMuCache[pkg]; ok {
		return mus
	}
	var mus []MutexRef
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		if v, ok := scope.Lookup(name).(*types.Var); ok && ls.IsMutexType(v.Type()) {
			mus = append(mus, MutexRef{Var: v, RW: ls.IsRWMutexType(v.Type())})
		}
	}
	if a.pkgMuCache == nil {
		a.pkgMuCache = map[*types.Package][]MutexRef{}
	}
	a.pkgMuCache[pkg] = mus
	return mus
}

// declaresMutexStruct reports whether a package declares a struct type
// with a mutex field.
func declaresMutexStruct(pkg *types.Package) bool {
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if _, ok := obj.(*types.TypeName); !ok {
			if _, ok := obj.(*types.Var); !ok {
				continue
			}
		}
		st, ok := obj.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			if ls.IsMutexType(st.Field(i).Type()) {
				return true
			}
		}
	}
	return false
}

// importedCandidate returns (creating it) the candidate for a field or
// package variable of another package, if a mutex sits beside it.
func (a *analysis_) importedCandidate(v *types.Var, sel *types.Selection) *Candidate {
	if c, ok := a.res.Candidates[v]; ok {
		return c
	}
	if c, ok := a.notCandidate[v]; ok && c {
		return nil
	}
	var c *Candidate
	if v.IsField() && sel != nil {
		t := sel.Recv()
		var st *types.Struct
		for _, i := range sel.Index() {
			s, ok := derefStruct(t)
			if !ok || i >= s.NumFields() {
				st = nil
				break
			}
			st = s
			t = s.Field(i).Type()
		}
		if st != nil && !neverGuarded(v.Type()) && !ls.IsMutexType(v.Type()) {
			if mus := a.structMutexes(st); len(mus) > 0 {
				c = &Candidate{Obj: v, Struct: st, Mutexes: mus}
			}
		}
	} else if !v.IsField() && v.Pkg() != nil && !neverGuarded(v.Type()) && !ls.IsMutexType(v.Type()) {
		if mus := a.pkgMuOf(v.Pkg()); len(mus) > 0 {
			c = &Candidate{Obj: v, Mutexes: mus}
		}
	}
	if c == nil {
		if a.notCandidate == nil {
			a.notCandidate = map[*types.Var]bool{}
		}
		a.notCandidate[v] = true
		return nil
	}
	a.res.Candidates[v] = c
	return c
}

// structMutexes returns the mutexes reachable from a struct's fields
// (directly, embedded, or one level of nested struct value).
func (a *analysis_) structMutexes(st *types.Struct) []MutexRef {
	if m, ok := a.structMu[st]; ok {
		return m
	}
	var out []MutexRef
	var walk func(st *types.Struct, prefix string, depth int)
	walk = func(st *types.Struct, prefix string, depth int) {
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			path := prefix + "." + f.Name()
			if ls.IsMutexType(f.Type()) {
				out = append(out, MutexRef{Sibling: path, Field: f, RW: ls.IsRWMutexType(f.Type())})
				continue
			}
			if depth < 2 {
				t := f.Type()
				if f.Embedded() {
					if p, ok := t.Underlying().(*types.Pointer); ok {
						t = p.Elem()
					}
				}
				if inner, ok := t.Underlying().(*types.Struct); ok && (f.Embedded() || depth == 0) {
					walk(inner, path, depth+1)
				}
			}
		}
	}
	walk(st, "", 0)
	a.structMu[st] = out
	return out
}

// neverGuarded reports types whose values synchronize themselves.
func neverGuarded(t types.Type) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if _, ok := t.Underlying().(*types.Chan); ok {
		return true
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	switch n.Obj().Pkg().Path() {
	case "sync":
		return true // Map, Once, WaitGroup, Cond, Pool, Mutex
	case "sync/atomic":
		return true
	}
	return false
}

func (a *analysis_) lookupVar(pkg, name string) *types.Var {
	if pkg == a.pass.Pkg.Path() {
		v, _ := a.pass.Pkg.Scope().Lookup(name).(*types.Var)
		return v
	}
	for _, imp := range a.pass.Pkg.Imports() {
		if imp.Path() == pkg {
			v, _ := imp.Scope().Lookup(name).(*types.Var)
			return v
		}
	}
	return nil
}

// declaredRequires resolves a "must be held" doc comment to the mutexes
// it names.
func (a *analysis_) declaredRequires(fi *ls.FuncInfo) {
	if fi.RequiresDoc == "" && !strings.HasSuffix(fi.Decl.Name.Name, "Locked") {
		return
	}
	s := a.summary(fi.Obj)
	names := ls.RequiredMutexNames(fi.RequiresDoc)
	for _, n := range names {
		last := n[strings.LastIndexByte(n, '.')+1:]
		// a mutex field of the receiver or a parameter
		for i, p := range fi.Params {
			if p == nil {
				continue
			}
			st, ok := derefStruct(p.Type())
			if !ok {
				continue
			}
			for _, m := range a.structMutexes(st) {
				if m.Field.Name() == last {
					s.Requires = appendRel(s.Requires, ls.RelLock{Param: i, Path: m.Sibling, Mode: modeOf(m)})
				}
			}
		}
		for _, m := range a.pkgMu {
			if m.Var.Name() == last {
				s.Requires = appendRel(s.Requires, ls.RelLock{Param: -1, Pkg: m.Var.Pkg().Path(), Var: m.Var.Name(), Mode: modeOf(m)})
			}
		}
	}
	if len(s.Requires) == 0 {
		s.RequiresAny = true
	}
	for _, r := range s.Requires {
		if k, ok := ls.FromParams(fi.Params, r, a.lookupVar); ok {
			fi.Entry = fi.Entry.WithHeld(ls.Held{Key: k, Mode: r.Mode, Must: true})
		}
	}
	if len(fi.Entry) > 0 {
		fi.EntryWhy = "declared"
	}
}

func modeOf(m MutexRef) ls.Mode {
	_ = m
	return ls.Exclusive
}

func appendRel(rs []ls.RelLock, r ls.RelLock) []ls.RelLock {
	for _, x := range rs {
		if x.Param == r.Param && x.Pkg == r.Pkg && x.Var == r.Var && x.Path == r.Path {
			return rs
		}
	}
	return append(rs, r)
}

func derefStruct(t types.Type) (*types.Struct, bool) {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

func (a *analysis_) summary(fn *types.Func) *ls.Summary {
	s := a.summaries[fn]
	if s == nil {
		s = &ls.Summary{}
		a.summaries[fn] = s
	}
	return s
}

// callOrder returns the functions with callees before callers (as far as
// recursion allows), keeping source order otherwise.
func (a *analysis_) callOrder(decls []*ls.FuncInfo) []*ls.FuncInfo {
	var order []*ls.FuncInfo
	state := map[*ls.FuncInfo]int{}
	var visit func(fi *ls.FuncInfo)
	visit = func(fi *ls.FuncInfo) {
		if state[fi] != 0 {
			return
		}
		state[fi] = 1
		ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if fn := ls.Callee(a.pass.TypesInfo, call); fn != nil {
					if callee := a.local[fn.Origin()]; callee != nil {
						visit(callee)
					}
				}
			}
			return true
		})
		state[fi] = 2
		order = append(order, fi)
	}
	for _, fi := range decls {
		visit(fi)
	}
	return order
}

// effects returns the lock effects of a call, from the callee's summary.
func (a *analysis_) effects(call *ast.CallExpr) []ls.Effect {
	s := a.calleeSummary(call)
	if s == nil {
		return nil
	}
	var out []ls.Effect
	for _, r := range s.Releases {
		if k, ok := ls.ToCaller(a.pass.TypesInfo, call, r, a.lookupVar); ok {
			op := ls.OpUnlock
			if r.Mode == ls.Shared {
				op = ls.OpRUnlock
			}
			out = append(out, ls.Effect{Key: k, Op: op})
		}
	}
	for _, r := range s.Acquires {
		if k, ok := ls.ToCaller(a.pass.TypesInfo, call, r, a.lookupVar); ok {
			op := ls.OpLock
			if r.Mode == ls.Shared {
				op = ls.OpRLock
			}
			out = append(out, ls.Effect{Key: k, Op: op})
		}
	}
	return out
}

// calleeSummary returns the summary of a called function, local or imported.
func (a *analysis_) calleeSummary(call *ast.CallExpr) *ls.Summary {
	fn := ls.Callee(a.pass.TypesInfo, call)
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	if a.local[fn] != nil {
		return a.summaries[fn]
	}
	if fn.Pkg() != nil && fn.Pkg() != a.pass.Pkg {
		s := new(ls.Summary)
		if a.pass.ImportObjectFact(fn, s) {
			return s
		}
	}
	return nil
}

// callbackHeld returns the locks a callee holds while calling the function
// passed as its i'th argument.
func (a *analysis_) callbackHeld(call *ast.CallExpr, i int) []ls.Held {
	s := a.calleeSummary(call)
	if s == nil || len(s.Callbacks) == 0 {
		return nil
	}
	param := i
	if len(ls.CallArgs(a.pass.TypesInfo, call)) > len(call.Args) {
		param++ // receiver
	}
	var out []ls.Held
	for _, cb := range s.Callbacks {
		if cb.Param != param {
			continue
		}
		for _, r := range cb.Held {
			if k, ok := ls.ToCaller(a.pass.TypesInfo, call, r, a.lookupVar); ok {
				out = append(out, ls.Held{Key: k, Mode: r.Mode, Must: true})
			}
		}
	}
	return out
}

// walk runs the engine over one function and records its events.
func (a *analysis_) walk(fi *ls.FuncInfo) {
	if fi.Locals == nil {
		fi.Locals = ls.FindLocals(a.pass.TypesInfo, fi.Decl.Body)
	}
	e := &ls.Engine{Info: a.pass.TypesInfo, Effects: a.effects, CallbackHeld: a.callbackHeld}
	v := &visitor{a: a, fi: fi, released: map[ls.Key]ls.Mode{}}
	ctx := &ls.Context{Kind: ls.CtxNormal, Func: fi.Decl}
	e.Walk(fi.Decl, fi.Decl.Body, fi.Entry, ctx, v)
	if fi.EntryWhy == "" || fi.EntryWhy == "declared" {
		a.summarize(fi, v)
	}
}

// summarize computes the function's summary from the walk.
func (a *analysis_) summarize(fi *ls.FuncInfo, v *visitor) {
	var acquired ls.State
	first := true
	for _, ex := range v.exits {
		if first {
			acquired = ex
			first = false
			continue
		}
		acquired = intersect(acquired, ex)
	}
	var acq, rel []ls.RelLock
	for _, h := range acquired {
		if !h.Must {
			continue
		}
		if _, onEntry := fi.Entry.Lookup(h.Key); onEntry {
			continue
		}
		if v.deferredRelease[h.Key] {
			continue
		}
		if r, ok := ls.ToRel(fi.Params, h.Key, h.Mode); ok {
			acq = append(acq, r)
		}
	}
	for k, mode := range v.released {
		if r, ok := ls.ToRel(fi.Params, k, mode); ok {
			rel = append(rel, r)
		}
	}
	ls.SortRel(rel)
	var cbs []ls.Callback
	for i := range fi.Params {
		if held := v.callbacks[i]; len(held) > 0 {
			cbs = append(cbs, ls.Callback{Param: i, Held: held})
		}
	}
	if len(acq) == 0 && len(rel) == 0 && len(cbs) == 0 {
		return
	}
	s := a.summary(fi.Obj)
	s.Acquires, s.Releases, s.Callbacks = acq, rel, cbs
}

func intersect(a, b ls.State) ls.State {
	var out ls.State
	for _, h := range a {
		if g, ok := b.Lookup(h.Key); ok && h.Must && g.Must {
			if g.Mode < h.Mode {
				h.Mode = g.Mode
			}
			out = append(out, h)
		}
	}
	return out
}

// inferEntries gives unexported helpers the locks held at every one of
// their call sites, and returns those whose entry state changed.
func (a *analysis_) inferEntries(decls []*ls.FuncInfo) []*ls.FuncInfo {
	var changed []*ls.FuncInfo
	for _, fi := range decls {
		if fi.EntryWhy == "declared" || fi.NotConcurrent != "" || a.valueUsed[fi.Obj] || externallyCallable(fi) {
			continue
		}
		sites := a.callSites[fi.Obj]
		if len(sites) == 0 {
			continue
		}
		var common []ls.RelLock
		for i, cs := range sites {
			if !cs.known {
				common = nil
				break
			}
			if i == 0 {
				common = cs.held
				continue
			}
			var keep []ls.RelLock
			for _, r := range common {
				for _, h := range cs.held {
					if r.Param == h.Param && r.Pkg == h.Pkg && r.Var == h.Var && r.Path == h.Path {
						if h.Mode < r.Mode {
							r.Mode = h.Mode
						}
						keep = append(keep, r)
						break
					}
				}
			}
			common = keep
		}
		var entry ls.State
		for _, r := range common {
			if k, ok := ls.FromParams(fi.Params, r, a.lookupVar); ok {
				entry = entry.WithHeld(ls.Held{Key: k, Mode: r.Mode, Must: true})
			}
		}
		if !entry.Equal(fi.Entry) {
			fi.Entry = entry
			fi.EntryWhy = "inferred"
			if len(entry) == 0 {
				fi.EntryWhy = ""
			}
			changed = append(changed, fi)
		}
	}
	// call sites are recollected by the next walks
	if len(changed) > 0 {
		for _, fi := range changed {
			for callee, sites := range a.callSites {
				var keep []callSite
				for _, cs := range sites {
					if cs.caller != fi {
						keep = append(keep, cs)
					}
				}
				a.callSites[callee] = keep
			}
		}
	}
	return changed
}

// externallyCallable reports whether other packages can call fi.
func externallyCallable(fi *ls.FuncInfo) bool {
	if !fi.Obj.Exported() {
		return false
	}
	sig := fi.Obj.Type().(*types.Signature)
	if sig.Recv() == nil {
		return true
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Exported() || true // exported methods may be reached through interfaces
	}
	return true
}

// dropEvents forgets the events recorded for fi, before walking it again.
func (a *analysis_) dropEvents(fi *ls.FuncInfo) {
	keepA := a.res.Accesses[:0]
	for _, x := range a.res.Accesses {
		if x.Func != fi {
			keepA = append(keepA, x)
		}
	}
	a.res.Accesses = keepA
	keepO := a.res.Ops[:0]
	for _, x := range a.res.Ops {
		if x.Func != fi {
			keepO = append(keepO, x)
		}
	}
	a.res.Ops = keepO
	keepE := a.res.Exits[:0]
	for _, x := range a.res.Exits {
		if x.Func != fi {
			keepE = append(keepE, x)
		}
	}
	a.res.Exits = keepE
}

// visitor records the events of one function walk.
type visitor struct {
	a               *analysis_
	fi              *ls.FuncInfo
	exits           []ls.State
	released        map[ls.Key]ls.Mode
	deferredRelease map[ls.Key]bool
	callbacks       map[int][]ls.RelLock
}

func (v *visitor) Node(n ast.Node, stack []ast.Node, st ls.State, ctx *ls.Context) bool {
	a := v.a
	info := a.pass.TypesInfo
	switch n := n.(type) {
	case *ast.SelectorExpr:
		sel, ok := info.Selections[n]
		if !ok {
			// qualified package variable of another package
			if obj, ok := info.Uses[n.Sel].(*types.Var); ok && !obj.IsField() && obj.Pkg() != a.pass.Pkg {
				if a.importedCandidate(obj, nil) != nil {
					v.record(obj, n, ls.Key{}, false, stack, st, ctx)
				}
			}
			return true
		}
		if sel.Kind() != types.FieldVal {
			return true
		}
		f, ok := sel.Obj().(*types.Var)
		if !ok {
			return true
		}
		f = f.Origin()
		if a.res.Candidates[f] == nil && (f.Pkg() == a.pass.Pkg || a.importedCandidate(f, sel) == nil) {
			return true
		}
		base, hasBase := ls.PathOf(info, n.X)
		// implicit embedded fields between the base and the field
		if hasBase && len(sel.Index()) > 1 {
			var b strings.Builder
			writeEmbeddedPath(&b, sel.Recv(), sel.Index()[:len(sel.Index())-1])
			base = base.Child(b.String())
		}
		v.record(f, n, base, hasBase, stack, st, ctx)
	case *ast.Ident:
		obj, ok := info.Uses[n].(*types.Var)
		if !ok || obj.IsField() || !ls.IsPackageLevel(obj) {
			return true
		}
		if a.res.Candidates[obj] == nil {
			return true
		}
		if len(stack) > 0 {
			if s, ok := stack[len(stack)-1].(*ast.SelectorExpr); ok && s.Sel == n {
				return true
			}
		}
		v.record(obj, n, ls.Key{}, false, stack, st, ctx)
	case *ast.CallExpr:
		v.callSite(n, st, ctx)
		if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && ctx.Parent == nil {
			for i, p := range v.fi.Params {
				if p != nil && info.Uses[id] == p {
					v.callback(i, st)
				}
			}
		}
	}
	return true
}

// callback records the locks held when calling the function-typed
// parameter i (intersected over every such call).
func (v *visitor) callback(i int, st ls.State) {
	var held []ls.RelLock
	for _, h := range st.Must() {
		if r, ok := ls.ToRel(v.fi.Params, h.Key, h.Mode); ok {
			held = append(held, r)
		}
	}
	if v.callbacks == nil {
		v.callbacks = map[int][]ls.RelLock{}
	}
	if prev, ok := v.callbacks[i]; ok {
		var keep []ls.RelLock
		for _, r := range prev {
			for _, h := range held {
				if r == h {
					keep = append(keep, r)
				}
			}
		}
		held = keep
	}
	v.callbacks[i] = held
}

func writeEmbeddedPath(b *strings.Builder, t types.Type, index []int) {
	for _, i := range index {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return
		}
		f := st.Field(i)
		b.WriteString("." + f.Name())
		t = f.Type()
	}
}

func (v *visitor) record(obj *types.Var, e ast.Expr, base ls.Key, hasBase bool, stack []ast.Node, st ls.State, ctx *ls.Context) {
	if !v.a.collect {
		return
	}
	kind, verb, atomic := ls.ClassifyAccess(v.a.pass.TypesInfo, e, stack)
	acc := &ls.Access{
		Obj: obj, Base: base, HasBase: hasBase, Expr: e, Kind: kind, Verb: verb,
		Held: st, Ctx: ctx, Func: v.fi, Atomic: atomic,
	}
	if hasBase && v.fi.Locals[base.Root] {
		acc.Local = true
	}
	if atomic {
		if c := v.a.res.Candidates[obj]; c != nil {
			c.Atomic = true
		}
	}
	v.a.res.Accesses = append(v.a.res.Accesses, acc)
}

// callSite records the locks held at a call of a local function.
func (v *visitor) callSite(call *ast.CallExpr, st ls.State, ctx *ls.Context) {
	a := v.a
	fn := ls.Callee(a.pass.TypesInfo, call)
	if fn == nil {
		return
	}
	fn = fn.Origin()
	if a.local[fn] == nil {
		return
	}
	if v.fi.Test {
		return // tests call helpers single-threaded; they say nothing of the lock protocol
	}
	cs := callSite{caller: v.fi, known: ctx.Kind == ls.CtxNormal || ctx.Kind == ls.CtxGoroutine}
	if v.fi.NotConcurrent != "" && v.fi.EntryWhy == "" {
		// callers in *Locked helpers or "must be held" functions hold
		// locks we may not see; their calls say nothing either way
		cs.known = false
	}
	for _, h := range st {
		if !h.Must {
			continue
		}
		if r, ok := ls.ToCallee(a.pass.TypesInfo, call, h.Key, h.Mode); ok {
			cs.held = append(cs.held, r)
		}
	}
	a.callSites[fn] = append(a.callSites[fn], cs)
}

func (v *visitor) LockOp(pos token.Pos, k ls.Key, op ls.Op, st ls.State, ctx *ls.Context, deferred bool, via *ast.CallExpr) {
	if (op == ls.OpUnlock || op == ls.OpRUnlock) && ctx.Kind == ls.CtxNormal && (deferred || ctx.Parent == nil) {
		if deferred {
			if v.deferredRelease == nil {
				v.deferredRelease = map[ls.Key]bool{}
			}
			v.deferredRelease[k] = true
		} else if _, held := st.Lookup(k); !held {
			if _, onEntry := v.fi.Entry.Lookup(k); !onEntry {
				v.released[k] = op.Mode()
			}
		}
	}
	if !v.a.collect {
		return
	}
	v.a.res.Ops = append(v.a.res.Ops, &OpEvent{Pos: pos, Key: k, Op: op, Before: st, Ctx: ctx, Deferred: deferred, Via: via, Func: v.fi})
}

func (v *visitor) Exit(ret *ast.ReturnStmt, st ls.State, ctx *ls.Context) {
	if ctx.Parent == nil {
		v.exits = append(v.exits, st)
	}
	if v.a.collect {
		v.a.res.Exits = append(v.a.res.Exits, &ExitEvent{Ret: ret, State: st, Ctx: ctx, Func: v.fi})
	}
}
