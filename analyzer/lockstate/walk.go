package lockstate

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/regaudit/regaudit/internal/guards"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// findCandidates records the fields and package variables whose accesses
// are worth recording.
func (a *analysis_) findCandidates() {
	pass := a.pass
	scope := pass.Pkg.Scope()
	var pkgVars []*types.Var
	for _, name := range a.names(pass.Pkg) {
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
	for _, name := range a.names(pass.Pkg) {
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
	a.guardedEmbeds()
}

// guardedEmbeds makes the fields of a struct embedded with a guard comment
// candidates of the embedding struct (Front{mu sync.Mutex; counters //
// guarded by mu}: counters' hits is guarded by Front's mu). Only for a
// struct type of this package without a mutex of its own, embedded once
// in the package's struct types (by value or pointer): its fields then
// belong to that one embedding.
func (a *analysis_) guardedEmbeds() {
	type embedding struct {
		outer *types.Struct
		field *types.Var
	}
	var embeds map[*types.Named][]embedding
	scope := a.pass.Pkg.Scope()
	for _, name := range a.names(a.pass.Pkg) {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			if !f.Embedded() {
				continue
			}
			t := types.Unalias(f.Type())
			if p, ok := t.(*types.Pointer); ok {
				t = types.Unalias(p.Elem())
			}
			n, ok := t.(*types.Named)
			if !ok || n.Obj().Pkg() != a.pass.Pkg || n.TypeParams().Len() > 0 {
				continue
			}
			if _, ok := n.Underlying().(*types.Struct); !ok {
				continue
			}
			if embeds == nil {
				embeds = map[*types.Named][]embedding{}
			}
			embeds[n] = append(embeds[n], embedding{st, f})
		}
	}
	if embeds == nil {
		return
	}
	guarded := map[*types.Var]bool{} // embedded fields with a guard comment
	for _, file := range a.pass.Files {
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, f := range st.Fields.List {
					if len(f.Names) > 0 {
						continue
					}
					text, _ := guards.CommentText(f.Doc, f.Comment)
					if name, _, ok := guards.ExplicitGuard(text); !ok || name == "" {
						continue
					}
					if v, ok := a.pass.TypesInfo.Defs[embeddedIdent(f.Type)].(*types.Var); ok {
						guarded[v] = true
					}
				}
			}
		}
	}
	for n, es := range embeds {
		if len(es) != 1 || !guarded[es[0].field] {
			continue
		}
		inner := n.Underlying().(*types.Struct)
		mus := a.structMutexes(es[0].outer)
		if len(mus) == 0 || len(a.structMutexes(inner)) > 0 {
			continue
		}
		mus = append(mus, a.pkgMu...)
		for i := 0; i < inner.NumFields(); i++ {
			f := inner.Field(i)
			if f.Embedded() || ls.IsMutexType(f.Type()) || neverGuarded(f.Type()) {
				continue
			}
			// (a candidate already only beside the package's mutexes)
			a.res.Candidates[f] = &Candidate{Obj: f, Struct: es[0].outer, Mutexes: mus, Embed: es[0].field}
		}
	}
}

// embeddedIdent returns the type name identifier of an embedded field's
// type expression (T, *T, pkg.T), whose definition is the field.
func embeddedIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			return x.Sel
		case *ast.Ident:
			return x
		default:
			return nil
		}
	}
}

// names returns the sorted names of a package's scope (computed once for
// the package analysed: Scope.Names sorts them anew at every call).
func (a *analysis_) names(pkg *types.Package) []string {
	if pkg != a.pass.Pkg {
		return pkg.Scope().Names()
	}
	if a.pkgNames == nil {
		a.pkgNames = pkg.Scope().Names()
	}
	return a.pkgNames
}

// pkgMuOf returns the package-level mutexes of a package.
func (a *analysis_) pkgMuOf(pkg *types.Package) []MutexRef {
	if mus, ok := a.pkgMuCache[pkg]; ok {
		return mus
	}
	var mus []MutexRef
	scope := pkg.Scope()
	for _, name := range a.names(pkg) {
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
func declaresMutexStruct(pkg *types.Package, names []string) bool {
	scope := pkg.Scope()
	for _, name := range names {
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
	// a struct with its own mutex synchronizes itself
	// (stmts struct{ sync.Mutex; v []*Stmt })
	if st, ok := t.Underlying().(*types.Struct); ok {
		for i := 0; i < st.NumFields(); i++ {
			if ls.IsMutexType(st.Field(i).Type()) {
				return true
			}
		}
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
	names := ls.RequiredMutexNames(fi.RequiresDoc, fi.RequiresMatch)
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
			if path, ok := a.viaField(st, p, n); ok {
				// "cc.mu must be held": the mu of the receiver's field cc
				s.Requires = appendRel(s.Requires, ls.RelLock{Param: i, Path: path, Mode: ls.Exclusive})
				continue
			}
			// "mu", "c.mu", "c.in" (a field with an embedded mutex); a
			// mutex field of the struct itself wins over nested ones of the
			// same name (b.mu, not b.child.mu)
			var direct, nested []string
			for _, m := range a.structMutexes(st) {
				if m.Field.Name() == last || (m.Field.Embedded() && strings.HasSuffix(m.Sibling, "."+last+"."+m.Field.Name())) {
					if m.Sibling == "."+last || m.Sibling == "."+last+"."+m.Field.Name() {
						direct = append(direct, m.Sibling)
					} else {
						nested = append(nested, m.Sibling)
					}
				}
			}
			if len(direct) > 0 {
				nested = direct
			}
			for _, path := range nested {
				s.Requires = appendRel(s.Requires, ls.RelLock{Param: i, Path: path, Mode: ls.Exclusive})
			}
		}
		for _, m := range a.pkgMu {
			if m.Var.Name() == last {
				s.Requires = appendRel(s.Requires, ls.RelLock{Param: -1, Pkg: m.Var.Pkg().Path(), Var: m.Var.Name(), Mode: ls.Exclusive})
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
		// The required lock is known: the function is ordinary concurrent
		// code that holds it on entry (its accesses are evidence, and are
		// checked against the other guards).
		a.callerHolds(fi)
	}
}

// callerHolds makes a helper whose callers hold a lock (a *Locked name, a
// "must be held" doc), now that the lock is known, concurrent code holding
// it on entry: its accesses are against their guards (the required lock counts as held, any other
// must be held too); they are not evidence for inference (guards.infer).
// Accesses to the objects the locked one points to stay its callers'
// business (ls.Access.BeyondEntry). Functions that run before their values
// are shared (init, test files) keep their reason.
func (a *analysis_) callerHolds(fi *ls.FuncInfo) {
	switch fi.NotConcurrent {
	case "", ls.ReasonInit, ls.ReasonInitOnly, ls.ReasonOnce, ls.ReasonTestFile:
		return
	}
	fi.CallerLocked = fi.NotConcurrent
	fi.NotConcurrent = ""
}

// viaField resolves a dotted mutex name whose first word is a field of
// the parameter's struct (not the parameter's own name) to the path of a
// mutex of that field's struct: "cc.mu" for ccb with a field cc *ClientConn
// is ".cc.mu".
func (a *analysis_) viaField(st *types.Struct, p *types.Var, name string) (string, bool) {
	parts := strings.Split(name, ".")
	if len(parts) != 2 || parts[0] == p.Name() {
		return "", false
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if f.Name() != parts[0] || ls.IsMutexType(f.Type()) {
			continue
		}
		inner, ok := derefStruct(f.Type())
		if !ok {
			return "", false
		}
		for _, m := range a.structMutexes(inner) {
			if m.Field.Name() == parts[1] && strings.Count(m.Sibling, ".") == 1 {
				return "." + f.Name() + m.Sibling, true
			}
		}
	}
	return "", false
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
		if fi.Locals == nil {
			scan := ls.Scan(a.pass.TypesInfo, fi.Decl.Body, a.interesting)
			fi.Locals, fi.Aliases, fi.RLockers, fi.Calls, fi.Inline, fi.Started = scan.Locals, scan.Aliases, scan.RLockers, scan.Calls, scan.Inline, scan.Started
			fi.FreshPtrs, fi.FieldVars = scan.FreshPtrs, scan.FieldVars
			fi.Uninteresting = !scan.Interesting
			fi.UnlockSelector = scan.UnlockSelector
		}
		for _, call := range fi.Calls {
			if fn := ls.Callee(a.pass.TypesInfo, call); fn != nil {
				for _, callee := range a.allTargets(call, fn) {
					if a.callees == nil {
						a.callees = map[*ls.FuncInfo][]*ls.FuncInfo{}
					}
					a.callees[fi] = append(a.callees[fi], callee)
					visit(callee)
				}
			}
		}
		state[fi] = 2
		order = append(order, fi)
	}
	for _, fi := range decls {
		visit(fi)
	}
	return order
}

// classifyCallers computes the strongly connected components of the local
// call graph and the functions whose callers' lock state is unknown:
// those called through a function value (method values, callbacks, interface
// dispatch of methods with no static call) or only from such functions.
// Call sites in them, and recursive call sites, say nothing about the locks
// a helper's callers hold.
func (a *analysis_) classifyCallers(decls []*ls.FuncInfo) {
	// Tarjan's algorithm.
	a.scc = map[*ls.FuncInfo]int{}
	index := map[*ls.FuncInfo]int{}
	low := map[*ls.FuncInfo]int{}
	onStack := map[*ls.FuncInfo]bool{}
	var stack []*ls.FuncInfo
	next, comp := 0, 0
	var strong func(v *ls.FuncInfo)
	strong = func(v *ls.FuncInfo) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range a.callees[v] {
			if _, seen := index[w]; !seen {
				strong(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				a.scc[w] = comp
				if w == v {
					break
				}
			}
			comp++
		}
	}
	for _, fi := range decls {
		if _, seen := index[fi]; !seen {
			strong(fi)
		}
	}
	// Functions called only during package initialization (from
	// package-level variable initializers, init, or such functions).
	for changed := true; changed; {
		changed = false
		for _, fi := range decls {
			if fi.NotConcurrent != "" || externallyCallable(fi) || a.valueUsed[fi.Obj] {
				continue
			}
			sites := a.callSites[fi.Obj]
			if a.initCalls[fi] == 0 && len(sites) == 0 {
				continue
			}
			all := true
			for _, cs := range sites {
				if cs.caller.NotConcurrent != ls.ReasonInit && cs.caller.NotConcurrent != ls.ReasonInitOnly {
					all = false
					break
				}
			}
			if all {
				fi.NotConcurrent = ls.ReasonInitOnly
				changed = true
			}
		}
	}
	// Helpers of lazy initializers: an unexported function called only by
	// lazy initializers (or such helpers), in their own bodies, runs
	// inside their once-only section (Start calling c.reattach()).
	for changed := true; changed; {
		changed = false
		for _, fi := range decls {
			sites := a.callSites[fi.Obj]
			if fi.LazyInit || fi.NotConcurrent != "" || externallyCallable(fi) || a.valueUsed[fi.Obj] || len(sites) == 0 {
				continue
			}
			all := true
			for _, cs := range sites {
				if !cs.known || cs.unknown || cs.goPos.IsValid() || !cs.caller.LazyInit || cs.caller == fi {
					all = false
					break
				}
			}
			if all {
				fi.LazyInit = true
				changed = true
			}
		}
	}
	a.unknownEntry = map[*ls.FuncInfo]bool{}
	for _, fi := range decls {
		if a.valueUsed[fi.Obj] && !a.startedOnly(fi) {
			a.unknownEntry[fi] = true // see started.go
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fi := range decls {
			sites := a.callSites[fi.Obj]
			if a.unknownEntry[fi] || externallyCallable(fi) || fi.NotConcurrent != "" || len(sites) == 0 {
				continue
			}
			all := true
			for _, cs := range sites {
				if cs.known && !a.unknownEntry[cs.caller] && a.scc[cs.caller] != a.scc[fi] && !cs.caller.Test && (cs.caller.NotConcurrent == "" || cs.caller.EntryWhy != "") {
					all = false
					break
				}
			}
			if all {
				a.unknownEntry[fi] = true
				changed = true
			}
		}
	}
	for fi := range a.unknownEntry {
		fi.UnknownCallers = true
	}
}

// effects returns the lock effects of a call, from the callee's summary.
func (a *analysis_) effects(call *ast.CallExpr) []ls.Effect {
	s := a.calleeSummary(call)
	if s == nil {
		return a.elemEffects(call)
	}
	var out []ls.Effect
	for _, r := range s.Releases {
		if k, ok := ls.ToCaller(a.pass.TypesInfo, call, r, a.lookupVar); ok {
			op := ls.OpUnlock
			if r.Mode == ls.Shared {
				op = ls.OpRUnlock
			}
			out = append(out, ls.Effect{Key: a.throughReturned(k), Op: op})
		}
	}
	for _, r := range s.Acquires {
		if k, ok := ls.ToCaller(a.pass.TypesInfo, call, r, a.lookupVar); ok {
			op := ls.OpLock
			if r.Mode == ls.Shared {
				op = ls.OpRLock
			}
			out = append(out, ls.Effect{Key: a.throughReturned(k), Op: op})
		}
	}
	return append(out, a.elemEffects(call)...)
}

// mayDenotePkgVar reports whether an identifier may denote a package-level
// mutex or candidate.
func (a *analysis_) mayDenotePkgVar(id *ast.Ident) bool {
	return a.pkgIdents && (a.identNames == nil || a.identNames[id.Name])
}

// interesting reports whether a node needs the lock analysis: a lock
// operation, a call of a local function or of one with a lock summary, a go
// statement, or an access to a field or variable a mutex may guard.
func (a *analysis_) interesting(n ast.Node) bool {
	info := a.pass.TypesInfo
	switch n := n.(type) {
	case *ast.GoStmt:
		return true
	case *ast.CallExpr:
		if _, _, ok := ls.LockCall(info, n); ok {
			return true
		}
		fn := ls.Callee(info, n)
		if fn == nil {
			return false
		}
		fn = fn.Origin()
		if len(a.callTargets(fn)) > 0 || len(a.callbackTargets(n, fn)) > 0 {
			return true // a local function, or an interface method local ones implement, or sort.Sort of a local type
		}
		if a.mayStartValue(n, fn) {
			return true // time.AfterFunc(d, r.expire)
		}
		if fn.Pkg() != nil && fn.Pkg() != a.pass.Pkg && a.importsGuarded {
			return a.importedSummary(fn) != nil
		}
	case *ast.SelectorExpr:
		sel, ok := info.Selections[n]
		if !ok {
			if v, ok := info.Uses[n.Sel].(*types.Var); ok && !v.IsField() && v.Pkg() != a.pass.Pkg {
				return a.importedCandidate(v, nil) != nil
			}
			return false
		}
		if sel.Kind() != types.FieldVal {
			return ls.IsMutexType(sel.Recv()) // a method of a mutex (through an alias)
		}
		f, ok := sel.Obj().(*types.Var)
		if !ok {
			return false
		}
		f = f.Origin()
		return a.res.Candidates[f] != nil || (f.Pkg() != a.pass.Pkg && a.importedCandidate(f, sel) != nil) || ls.IsMutexType(f.Type())
	case *ast.Ident:
		if !a.mayDenotePkgVar(n) {
			return false
		}
		if v, ok := info.Uses[n].(*types.Var); ok && !v.IsField() && ls.IsPackageLevel(v) {
			return a.res.Candidates[v] != nil || ls.IsMutexType(v.Type())
		}
	}
	return false
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
		return a.importedSummary(fn)
	}
	return nil
}

// importedSummary returns the summary fact of a function of another
// package, or nil (looked up once per function).
func (a *analysis_) importedSummary(fn *types.Func) *ls.Summary {
	if s, ok := a.imported[fn]; ok {
		return s
	}
	s := new(ls.Summary)
	if !a.pass.ImportObjectFact(fn, s) {
		s = nil
	}
	if a.imported == nil {
		a.imported = map[*types.Func]*ls.Summary{}
	}
	a.imported[fn] = s
	return s
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

// noCalls are the calls of a body without any (not nil: known).
var noCalls = []*ast.CallExpr{}

// walk runs the engine over one function and records its events.
func (a *analysis_) walk(fi *ls.FuncInfo) {
	if fi.Uninteresting {
		return // no lock, no call that could lock, nothing a mutex may guard
	}
	calls := fi.Calls
	if calls == nil {
		calls = noCalls
	}
	e := &ls.Engine{Info: a.pass.TypesInfo, Effects: a.effects, CallbackHeld: a.callbackHeld, CondAcquires: a.condAcquires, Goes: a.goes, Stores: a.stores, Aliases: fi.Aliases, RLockers: fi.RLockers, CondLocker: a.condLocker, Inline: fi.Inline, Started: fi.Started, Calls: calls, ParamEntry: fi.ParamEntry, Equal: a.equalKeys(fi)}
	v := &visitor{a: a, fi: fi, ptrParams: pointerParams(fi)}
	ctx := &ls.Context{Kind: ls.CtxNormal, Func: fi.Decl}
	e.Walk(fi.Decl, fi.Decl.Body, fi.Entry, ctx, v)
	fi.ParamDerefs = v.paramDerefs()
	if fi.EntryWhy == "" || fi.EntryWhy == "declared" {
		if len(v.released) > 0 {
			fi.CallerUnlocks = map[ls.Key]bool{}
			for k := range v.released {
				fi.CallerUnlocks[k] = true
			}
		}
		a.confirmReleases(fi, e, v)
		a.summarize(fi, v)
		delete(a.releasedOnly, fi)
		for k, mode := range v.released {
			if _, caller := ls.ToRel(fi.Params, k, mode); caller && !v.acquired[k] {
				if a.releasedOnly[fi] == nil {
					a.releasedOnly[fi] = map[ls.Key]ls.Mode{}
				}
				a.releasedOnly[fi][k] = mode
			}
		}
	}
}

// confirmReleases keeps, of the locks the function unlocks without having
// locked them, those it leaves released at every exit when the caller
// holds them on entry (an unlock helper), and not those it re-acquires
// (RUnlock; defer RLock; Lock upgrade idioms) or releases on some paths only.
func (a *analysis_) confirmReleases(fi *ls.FuncInfo, e *ls.Engine, v *visitor) {
	if len(v.released) == 0 {
		return
	}
	entry := fi.Entry
	for k, mode := range v.released {
		entry = entry.WithHeld(ls.Held{Key: k, Mode: mode, Must: true})
	}
	v2 := &visitor{a: a, fi: fi, noRecord: true}
	e.Walk(fi.Decl, fi.Decl.Body, entry, &ls.Context{Kind: ls.CtxNormal, Func: fi.Decl}, v2)
	for k := range v.released {
		keep := !v2.deferredAcquire[k]
		for _, ex := range v2.exits {
			if _, held := ex.Lookup(k); held {
				keep = false
			}
		}
		if !keep {
			delete(v.released, k)
		}
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
	onSuccess := a.acquiresOnSuccess(fi, v)
	if len(acq) == 0 && len(rel) == 0 && len(cbs) == 0 && len(onSuccess) == 0 && len(v.goes) == 0 {
		return
	}
	s := a.summary(fi.Obj)
	s.Goes = v.goes
	s.Acquires, s.Releases, s.Callbacks, s.AcquiresOnSuccess = acq, rel, cbs, onSuccess
}

// acquiresOnSuccess returns the locks held at every exit that returns a
// nil error (or true, for a bool last result) and at no other exit.
func (a *analysis_) acquiresOnSuccess(fi *ls.FuncInfo, v *visitor) []ls.RelLock {
	sig := fi.Obj.Type().(*types.Signature)
	n := sig.Results().Len()
	if n == 0 || len(v.exits) < 2 {
		return nil
	}
	last := sig.Results().At(n - 1).Type()
	isErr := types.Identical(last, types.Universe.Lookup("error").Type())
	isBool := types.Identical(last.Underlying(), types.Typ[types.Bool])
	if !isErr && !isBool {
		return nil
	}
	var success, failure []ls.State
	for i, ret := range v.exitRets {
		if ret == nil || len(ret.Results) != n {
			return nil // naked return or multi-value call: unknown outcome
		}
		e := ast.Unparen(ret.Results[n-1])
		id, _ := e.(*ast.Ident)
		switch {
		case isErr && id != nil && isNilObj(a.pass.TypesInfo.Uses[id]):
			success = append(success, v.exits[i])
		case isBool && id != nil && a.pass.TypesInfo.Uses[id] == types.Universe.Lookup("true"):
			success = append(success, v.exits[i])
		case isBool && id != nil && a.pass.TypesInfo.Uses[id] == types.Universe.Lookup("false"):
			failure = append(failure, v.exits[i])
		case isErr:
			failure = append(failure, v.exits[i])
		default:
			return nil
		}
	}
	if len(success) == 0 || len(failure) == 0 {
		return nil
	}
	held := success[0]
	for _, st := range success[1:] {
		held = intersect(held, st)
	}
	var out []ls.RelLock
	for _, h := range held {
		if !h.Must || v.deferredRelease[h.Key] {
			continue
		}
		if _, onEntry := fi.Entry.Lookup(h.Key); onEntry {
			continue
		}
		inFailure := false
		for _, st := range failure {
			if _, ok := st.Lookup(h.Key); ok {
				inFailure = true
			}
		}
		if inFailure {
			continue
		}
		if r, ok := ls.ToRel(fi.Params, h.Key, h.Mode); ok {
			out = append(out, r)
		}
	}
	return out
}

func isNilObj(o types.Object) bool {
	_, ok := o.(*types.Nil)
	return ok
}

// stores reports whether the callee stores its i'th argument for later.
func (a *analysis_) stores(call *ast.CallExpr, i int) bool {
	s := a.calleeSummary(call)
	if s == nil || len(s.Stores) == 0 {
		return false
	}
	param := i
	if len(ls.CallArgs(a.pass.TypesInfo, call)) > len(call.Args) {
		param++ // receiver
	}
	return slices.Contains(s.Stores, param)
}

// storedParams returns the function-typed parameters that a function
// stores, in a composite literal (return job{do: do}) or into a field,
// map or slice element (t.f = f), and neither calls, passes on, nor
// copies to a variable: they run later, when the stored value is used.
func storedParams(info *types.Info, fi *ls.FuncInfo) []int {
	var out []int
	for i, p := range fi.Params {
		if p == nil {
			continue
		}
		if _, ok := p.Type().Underlying().(*types.Signature); !ok {
			continue
		}
		stored, other := false, false
		var stack []ast.Node
		ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == p && len(stack) > 0 {
				switch parent := stack[len(stack)-1].(type) {
				case *ast.CompositeLit:
					stored = true
				case *ast.KeyValueExpr:
					if parent.Value == id {
						stored = true
					}
				case *ast.AssignStmt:
					for j, r := range parent.Rhs {
						if r != id {
							continue
						}
						if len(parent.Lhs) != len(parent.Rhs) {
							other = true
							continue
						}
						switch ast.Unparen(parent.Lhs[j]).(type) {
						case *ast.SelectorExpr, *ast.IndexExpr:
							stored = true
						default:
							other = true
						}
					}
				case *ast.BinaryExpr:
					// f == nil
				default:
					other = true // called, passed on, returned, ...
				}
			}
			stack = append(stack, n)
			return true
		})
		if stored && !other {
			out = append(out, i)
		}
	}
	return out
}

// goes reports whether the callee starts its i'th argument as a goroutine.
func (a *analysis_) goes(call *ast.CallExpr, i int) bool {
	s := a.calleeSummary(call)
	if s == nil {
		return false
	}
	param := i
	if len(ls.CallArgs(a.pass.TypesInfo, call)) > len(call.Args) {
		param++ // receiver
	}
	for _, g := range s.Goes {
		if g == param {
			return true
		}
	}
	return false
}

// condAcquires maps a callee's AcquiresOnSuccess onto the caller's keys.
func (a *analysis_) condAcquires(call *ast.CallExpr) []ls.Held {
	s := a.calleeSummary(call)
	if s == nil || len(s.AcquiresOnSuccess) == 0 {
		return nil
	}
	var out []ls.Held
	for _, r := range s.AcquiresOnSuccess {
		if k, ok := ls.ToCaller(a.pass.TypesInfo, call, r, a.lookupVar); ok {
			out = append(out, ls.Held{Key: k, Mode: r.Mode, Must: true})
		}
	}
	return out
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

// localParams adds to fi.Locals the parameters that every call site passes
// a freshly allocated, unshared value; it reports whether any was added.
func (a *analysis_) localParams(fi *ls.FuncInfo, sites []callSite) bool {
	added := false
	for i, p := range fi.Params {
		if p == nil || fi.Locals[p] {
			continue
		}
		all := len(sites) > 0
		for _, cs := range sites {
			if i >= len(cs.local) || !cs.local[i] {
				all = false
				break
			}
		}
		if all {
			if fi.Locals == nil {
				fi.Locals = map[types.Object]bool{}
			}
			fi.Locals[p] = true
			added = true
		}
	}
	return added
}

// callerOwned finds the package-level functions that leave the
// synchronization of a pointer parameter to their callers: exported, with
// no call site in the package (nor a use as a value, nor a call during
// package initialization), taking no lock in their own body, that write
// fields a mutex may guard of a parameter pointing to a struct type of
// the package (ValidateClusterAndAssignIDs(lg, local, existing) rebuilding
// local.members for etcd's bootstrap): the package that declares the
// lock leaves it to the caller, as for a value being assembled. A function
// that only reads, that locks anything itself, or that touches another
// package's type keeps being judged in its body. The parameter is then owned by the
// caller, as a value it allocated: accesses through it are construction,
// and calls of its helpers count as made on an unshared value. The
// requirement goes to the importers' call sites (lockflow, RA2007). A
// method is not covered: the lock-bearing type's methods are expected to
// lock for themselves. The functions are walked again.
func (a *analysis_) callerOwned(decls []*ls.FuncInfo) {
	var changed []*ls.FuncInfo
	for _, fi := range decls {
		if fi.Decl.Recv != nil || !fi.Obj.Exported() || fi.Test || fi.NotConcurrent != "" || fi.EntryWhy != "" ||
			a.valueUsed[fi.Obj] || a.initCalls[fi] > 0 || len(a.callSites[fi.Obj]) > 0 {
			continue
		}
		ev := a.events[fi]
		if ev == nil || len(ev.accesses) == 0 {
			continue
		}
		if len(ev.ops) > 0 {
			continue // it locks or unlocks something itself: written for concurrent use
		}
		var owned []int
		for i, p := range fi.Params {
			if p == nil || fi.Locals[p] {
				continue
			}
			ptr, ok := p.Type().Underlying().(*types.Pointer)
			if !ok || a.localStruct(ptr.Elem()) == nil {
				continue
			}
			for _, acc := range ev.accesses {
				if acc.HasBase && acc.Base.Root == p && acc.Kind == ls.Write && !acc.Atomic {
					owned = append(owned, i)
					break
				}
			}
		}
		if len(owned) == 0 {
			continue
		}
		if fi.Locals == nil {
			fi.Locals = map[types.Object]bool{}
		}
		for _, i := range owned {
			fi.Locals[fi.Params[i]] = true
		}
		fi.CallerOwns = owned
		a.summary(fi.Obj).Owns = owned
		changed = append(changed, fi)
	}
	a.forgetCallSites(changed)
	for _, fi := range changed {
		a.dropEvents(fi)
		a.walk(fi)
	}
}

// inferEntries gives unexported helpers the locks held at every one of
// their call sites, and returns those whose entry state changed.
func (a *analysis_) inferEntries(decls []*ls.FuncInfo) []*ls.FuncInfo {
	var changed []*ls.FuncInfo
	var informative []callSite // reused function by function
	for _, fi := range decls {
		if fi.EntryWhy == "declared" || a.valueUsed[fi.Obj] || externallyCallable(fi) {
			continue
		}
		lockedHelper := (fi.NotConcurrent != "" || fi.CallerLocked != "") && fi.RequiresDoc+lockedName(fi) != ""
		if fi.NotConcurrent != "" && !lockedHelper && fi.EntryWhy == "" {
			continue // init, test files, sync.Once bodies
		}
		sites := a.callSites[fi.Obj]
		if len(sites) == 0 {
			continue
		}
		// A parameter that every caller passes a value it has just
		// allocated (p := &Pool{}; p.setup()) is construction too.
		if a.localParams(fi, sites) {
			changed = append(changed, fi)
		}
		// The locks held at every informative call site. A site that passes
		// a value it has just allocated (a constructor calling the helper
		// on its new value) needs no lock rooted at that argument.
		informative = informative[:0]
		for _, cs := range sites {
			informed := cs.informed // the caller's entry locks were known when it was walked
			if !informed && (a.unknownEntry[cs.caller] || a.scc[cs.caller] == a.scc[fi] || cs.caller.NotConcurrent != "") || !cs.known {
				continue // says nothing about the callers' locks
			}
			informative = append(informative, cs)
		}
		entry := a.commonEntry(fi, informative)
		paramEntry := a.paramEntries(fi, informative, entry)
		if !entry.Equal(fi.Entry) || !paramEntriesEqual(paramEntry, fi.ParamEntry) {
			if !entry.Equal(fi.Entry) {
				fi.Entry = entry
				fi.EntryWhy = "inferred"
				if lockedHelper && len(entry) > 0 {
					a.callerHolds(fi) // the caller's lock is known now
				}
				if len(entry) == 0 {
					fi.EntryWhy = ""
					if r := fi.CallerLocked; r != "" {
						fi.NotConcurrent = r // its callers' lock is unknown again
						fi.CallerLocked = ""
					}
				}
			}
			fi.ParamEntry = paramEntry
			changed = append(changed, fi)
		}
	}
	a.forgetCallSites(changed)
	return changed
}

// commonEntry returns the locks (in fi's terms) held at every one of the
// call sites. A site that passes a value it has just allocated (a
// constructor calling the helper on its new value) needs no lock rooted at
// that argument.
func (a *analysis_) commonEntry(fi *ls.FuncInfo, sites []callSite) ls.State {
	var common []ls.RelLock
	for _, cs := range sites {
		for _, h := range cs.held {
			common = appendRel(common, h)
		}
	}
	keep := common[:0]
	for _, r := range common {
		ok := len(sites) > 0
		for _, cs := range sites {
			if r.Param >= 0 && r.Param < len(cs.local) && cs.local[r.Param] {
				continue // construction: the value is not shared yet
			}
			found := false
			for _, h := range cs.held {
				if r.Param == h.Param && r.Pkg == h.Pkg && r.Var == h.Var && r.Path == h.Path {
					if h.Mode < r.Mode {
						r.Mode = h.Mode
					}
					found = true
					break
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok {
			keep = append(keep, r)
		}
	}
	var entry ls.State
	for _, r := range keep {
		if k, ok := ls.FromParams(fi.Params, r, a.lookupVar); ok {
			entry = entry.WithHeld(ls.Held{Key: k, Mode: r.Mode, Must: true})
		}
	}
	return entry
}

// paramEntries returns, for each bool parameter of fi that it never
// assigned (nor took the address of) and that some call site passes as a
// constant, the locks held on entry when the parameter is false and when
// it is true: those held at every call site but the ones passing the other
// constant, beyond entry (held at all of them). FP121: doDestroy(p, inLock)
// calls the unlocked p.invalidate() under "if inLock", and only
// InvalidateObject, holding p.lock, passes true.
func (a *analysis_) paramEntries(fi *ls.FuncInfo, sites []callSite, entry ls.State) map[types.Object][2]ls.State {
	var out map[types.Object][2]ls.State
	for i, p := range fi.Params {
		if p == nil || !isBoolType(p.Type()) {
			continue
		}
		passed := false // some site passes a constant
		for _, cs := range sites {
			if i < len(cs.boolArgs) && cs.boolArgs[i] != 0 {
				passed = true
			}
		}
		if !passed {
			continue
		}
		if n, other := ls.Assignments(a.pass.TypesInfo, fi.Decl.Body, p); n > 0 || other {
			continue
		}
		var both [2]ls.State
		extra := false
		for val := 0; val < 2; val++ {
			fails := int8(1) // the constant that fails "p == val"
			if val == 1 {
				fails = -1
			}
			var subset []callSite
			for _, cs := range sites {
				if i < len(cs.boolArgs) && cs.boolArgs[i] == fails {
					continue
				}
				subset = append(subset, cs)
			}
			if len(subset) == 0 || len(subset) == len(sites) {
				continue
			}
			for _, h := range a.commonEntry(fi, subset) {
				if _, ok := entry.Lookup(h.Key); !ok {
					both[val] = both[val].WithHeld(h)
					extra = true
				}
			}
		}
		if extra {
			if out == nil {
				out = map[types.Object][2]ls.State{}
			}
			out[p] = both
		}
	}
	return out
}

func isBoolType(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

func paramEntriesEqual(a, b map[types.Object][2]ls.State) bool {
	if len(a) != len(b) {
		return false
	}
	for p, x := range a {
		y, ok := b[p]
		if !ok || !x[0].Equal(y[0]) || !x[1].Equal(y[1]) {
			return false
		}
	}
	return true
}

// releasedEntries gives the functions that release, at every exit, a lock
// they never take (a transaction's End releasing what its Begin took, an
// unlock helper) that lock on entry: they run holding it until they
// release it (unlocking a mutex that is not held is a run-time error). It
// walks them again. Functions whose entry is declared or whose callers
// cannot be seen are left alone; the entry of an unexported helper is
// then inferred from its call sites, as any other.
func (a *analysis_) releasedEntries(decls []*ls.FuncInfo) {
	var changed []*ls.FuncInfo
	for _, fi := range decls {
		rel := a.releasedOnly[fi]
		if len(rel) == 0 || fi.EntryWhy != "" || fi.UnknownCallers || fi.Test || fi.NotConcurrent != "" {
			continue
		}
		var entry ls.State
		for k, mode := range rel {
			entry = entry.WithHeld(ls.Held{Key: k, Mode: mode, Must: true})
		}
		if len(entry) == 0 {
			continue
		}
		fi.Entry, fi.EntryWhy = entry, ls.EntryReleased
		changed = append(changed, fi)
	}
	a.forgetCallSites(changed)
	for _, fi := range changed {
		a.dropEvents(fi)
		a.walk(fi)
	}
}

// forgetCallSites drops the call sites recorded by the functions about
// to be walked again (the next walks record them anew).
func (a *analysis_) forgetCallSites(changed []*ls.FuncInfo) {
	done := map[*types.Func]bool{}
	for _, fi := range changed {
		for _, callee := range a.callees[fi] {
			if done[callee.Obj] {
				continue
			}
			done[callee.Obj] = true
			sites := a.callSites[callee.Obj]
			keep := sites[:0]
			for _, cs := range sites {
				if !isChanged(changed, cs.caller) {
					keep = append(keep, cs)
				}
			}
			a.callSites[callee.Obj] = keep
		}
	}
}

func lockedName(fi *ls.FuncInfo) string {
	if strings.Contains(strings.ToLower(fi.Decl.Name.Name), "locked") {
		return fi.Decl.Name.Name
	}
	return ""
}

func isChanged(changed []*ls.FuncInfo, fi *ls.FuncInfo) bool {
	for _, c := range changed {
		if c == fi {
			return true
		}
	}
	return false
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

// funcEvents are the events recorded by one walk of a function.
type funcEvents struct {
	accesses []*ls.Access
	ops      []*OpEvent
	calls    []*CallEvent
	exits    []*ExitEvent
	lits     []litEvent // composite literals of this package's struct types, outside function literals
}

// A slab allocates values of T a chunk at a time: events are many, small
// and live as long as the result.
type slab[T any] struct{ buf []T }

func (s *slab[T]) alloc() *T {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]T, 0, 64)
	}
	s.buf = s.buf[:len(s.buf)+1]
	return &s.buf[len(s.buf)-1]
}

func (a *analysis_) eventsOf(fi *ls.FuncInfo) *funcEvents {
	ev := a.events[fi]
	if ev == nil {
		ev = &funcEvents{}
		a.events[fi] = ev
	}
	return ev
}

// dropEvents forgets the events recorded for fi, before walking it again.
func (a *analysis_) dropEvents(fi *ls.FuncInfo) { delete(a.events, fi) }

// visitor records the events of one function walk.
type visitor struct {
	a               *analysis_
	fi              *ls.FuncInfo
	exits           []ls.State
	released        map[ls.Key]ls.Mode
	deferredRelease map[ls.Key]bool
	deferredAcquire map[ls.Key]bool
	acquired        map[ls.Key]bool // locked somewhere in the function (or its literals)
	callbacks       map[int][]ls.RelLock
	exitRets        []*ast.ReturnStmt
	goes            []int              // function-typed parameters started with go
	noRecord        bool               // a summary-only walk: record no events
	ptrParams       map[*types.Var]int // pointer parameters (see derefs.go)
	derefs          map[int]*derefUse
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
			base = base.Child(ls.EmbeddedPath(sel.Recv(), sel.Index()[:len(sel.Index())-1]))
		}
		if c := a.res.Candidates[f]; c != nil && c.Embed != nil {
			// promoted from a guarded embedded struct: the base is the
			// embedding struct's value
			suffix := "." + c.Embed.Name()
			if !hasBase || holder(info, n, sel) != c.Embed || !strings.HasSuffix(base.Path, suffix) {
				return true
			}
			base.Path = strings.TrimSuffix(base.Path, suffix)
		}
		v.record(f, n, base, hasBase, stack, st, ctx)
	case *ast.Ident:
		if v.ptrParams != nil {
			if p, ok := info.Uses[n].(*types.Var); ok {
				if i, ok := v.ptrParams[p]; ok {
					v.paramUse(i, n, stack, st, ctx)
					return true
				}
			}
		}
		if !a.mayDenotePkgVar(n) {
			return true
		}
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
	case *ast.CompositeLit:
		if a.collect && !v.noRecord && ctx.Parent == nil {
			if named := a.localStruct(info.TypeOf(n)); named != nil {
				ev := a.eventsOf(v.fi)
				ev.lits = append(ev.lits, litEvent{lit: n, named: named, held: st})
			}
		}
	case *ast.GoStmt:
		v.callSite(n.Call, nil, ctx, true) // the new goroutine holds nothing
		if id, ok := ast.Unparen(n.Call.Fun).(*ast.Ident); ok && ctx.Parent == nil && len(v.fi.Params) > 0 {
			obj := info.Uses[id]
			for i, p := range v.fi.Params {
				if p != nil && obj == p {
					v.goes = append(v.goes, i)
				}
			}
		}
	case *ast.CallExpr:
		v.callSite(n, st, ctx, false)
		v.startedValues(n, st, ctx)
		if a.collect && !v.noRecord {
			ev := a.eventsOf(v.fi)
			ce := a.callSlab.alloc()
			*ce = CallEvent{Call: n, Before: st, Ctx: ctx, Func: v.fi}
			ev.calls = append(ev.calls, ce)
		}
		if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && ctx.Parent == nil && len(v.fi.Params) > 0 {
			obj := info.Uses[id]
			for i, p := range v.fi.Params {
				if p != nil && obj == p {
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

func (v *visitor) record(obj *types.Var, e ast.Expr, base ls.Key, hasBase bool, stack []ast.Node, st ls.State, ctx *ls.Context) {
	if !v.a.collect || v.noRecord {
		return
	}
	kind, verb, atomic := ls.ClassifyAccess(v.a.pass.TypesInfo, e, stack)
	acc := v.a.accSlab.alloc()
	*acc = ls.Access{
		Obj: obj, Base: base, HasBase: hasBase, Expr: e, Kind: kind, Verb: verb,
		Held: st, Ctx: ctx, Func: v.fi, Atomic: atomic,
	}
	if hasBase && v.fi.Locals[base.Root] {
		acc.Local = true
	}
	if hasBase && len(v.fi.Entry) > 0 && v.fi.CallerLocked != "" {
		acc.BeyondEntry = beyondEntry(v.fi.Entry, base)
	}
	if hasBase && base.Path == "" && optionParam(v.fi, ctx, base.Root) {
		acc.Local = true // a functional option, applied by the constructor
	}
	if atomic {
		if c := v.a.res.Candidates[obj]; c != nil {
			c.Atomic = true
		}
	}
	ev := v.a.eventsOf(v.fi)
	ev.accesses = append(ev.accesses, acc)
}

// holder returns the field whose struct value holds the field selected by
// n (counters for f.hits and f.counters.hits), or nil.
func holder(info *types.Info, n *ast.SelectorExpr, sel *types.Selection) *types.Var {
	if idx := sel.Index(); len(idx) > 1 {
		t := sel.Recv()
		var f *types.Var
		for _, i := range idx[:len(idx)-1] {
			st, ok := derefStruct(t)
			if !ok || i >= st.NumFields() {
				return nil
			}
			f = st.Field(i)
			t = f.Type()
		}
		return f.Origin()
	}
	if x, ok := ast.Unparen(n.X).(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[x]; ok && s.Kind() == types.FieldVal {
			if f, ok := s.Obj().(*types.Var); ok {
				return f.Origin()
			}
		}
	}
	return nil
}

// beyondEntry reports whether base, the struct of a field access, is an
// object that one whose mutex is held on entry points to (c.r, holding
// c.mu), rather than that object itself (c, c.stats).
func beyondEntry(entry ls.State, base ls.Key) bool {
	obj := base.Object()
	beyond := false
	for _, h := range entry {
		p, ok := h.Key.Parent()
		if !ok {
			continue
		}
		lo := p.Object()
		if lo == obj {
			return false
		}
		if lo.Root == obj.Root && strings.HasPrefix(obj.Path, lo.Path+".") {
			beyond = true
		}
	}
	return beyond
}

// callSite records the locks held at a call of a local function.
func (v *visitor) callSite(call *ast.CallExpr, st ls.State, ctx *ls.Context, goStmt bool) {
	a := v.a
	if v.noRecord {
		return
	}
	fn := ls.Callee(a.pass.TypesInfo, call)
	if fn == nil {
		return
	}
	targets := a.callTargets(fn)
	callbacks := a.callbackTargets(call, fn)
	if len(targets) == 0 && len(callbacks) == 0 {
		return
	}
	if v.fi.Test {
		return // tests call helpers single-threaded; they say nothing of the lock protocol
	}
	cs := callSite{caller: v.fi, known: ctx.Kind == ls.CtxNormal || ctx.Kind == ls.CtxGoroutine, informed: v.fi.EntryWhy != ""}
	if goStmt {
		cs.goPos = call.Pos()
	}
	if p := ctx.OutermostGo(); p.IsValid() {
		cs.goPos = p // the outermost goroutine started in the caller's body
	}
	cs.unknown = ctx.Inside(ls.CtxUnknown)
	for _, h := range st {
		// A lock held on some paths only (if !locked { mu.Lock() }) is
		// taken as held: the caller's flag-guarded locking cannot be
		// resolved, and the caller's own accesses are judged at the caller.
		if r, ok := ls.ToCallee(a.pass.TypesInfo, call, h.Key, h.Mode); ok {
			cs.held = append(cs.held, r)
		}
		if h.Must {
			if f := h.Key.LastField(); f != nil {
				cs.fields = append(cs.fields, fieldHeld{f, h.Mode})
			}
		}
	}
	args := ls.CallArgs(a.pass.TypesInfo, call)
	recv := len(args) > len(call.Args)
	for i, arg := range args {
		var b int8
		if tv, ok := a.pass.TypesInfo.Types[arg]; ok && tv.Value != nil && tv.Value.Kind() == constant.Bool && !(call.Ellipsis.IsValid() && i >= len(args)-1) {
			b = -1
			if constant.BoolVal(tv.Value) {
				b = 1
			}
		}
		cs.boolArgs = append(cs.boolArgs, b)
		k, ok := ls.PathOf(a.pass.TypesInfo, arg)
		// a value handed to a new goroutine is shared from then on
		cs.local = append(cs.local, !goStmt && ctx.Kind == ls.CtxNormal &&
			(ok && v.fi.Locals[k.Root] && (k.Path == "" || freshArg(a.pass.TypesInfo, v.fi, call, arg, k, i == 0 && recv)) ||
				!ok && freshLiteral(arg)))
		if i == 0 && ok && !goStmt && v.fi.Locals[k.Root] && ctx.Kind == ls.CtxNormal && len(st.Must()) == 0 {
			cs.fresh = true // s.Root.Add(...) in the constructor of s
		}
	}
	for _, t := range targets {
		a.callSites[t.Obj] = append(a.callSites[t.Obj], cs)
	}
	if len(callbacks) > 0 {
		// sort.Sort(x) calls x.Len() there: the argument is the methods'
		// receiver; the other arguments are not their parameters
		cb := cs
		cb.held = nil
		for _, r := range cs.held {
			if r.Param <= 0 {
				cb.held = append(cb.held, r)
			}
		}
		cb.local = cs.local[:min(len(cs.local), 1)]
		for _, t := range callbacks {
			a.callSites[t.Obj] = append(a.callSites[t.Obj], cb)
		}
	}
}

func (v *visitor) LockOp(pos token.Pos, k ls.Key, op ls.Op, st ls.State, ctx *ls.Context, deferred bool, via *ast.CallExpr) {
	v.fi.Setup = false // an initializer that locks is not run before sharing
	if (op == ls.OpUnlock || op == ls.OpRUnlock) && ctx.Kind == ls.CtxNormal && (deferred || ctx.Parent == nil) {
		if deferred {
			if v.deferredRelease == nil {
				v.deferredRelease = map[ls.Key]bool{}
			}
			v.deferredRelease[k] = true
		} else if h, held := st.Lookup(k); !held || !h.At.IsValid() {
			// the caller's lock: not taken here, or held since entry
			// (declared: "ac.mu must be held by the caller, and this
			// function will guarantee it is released")
			if v.released == nil {
				v.released = map[ls.Key]ls.Mode{}
			}
			v.released[k] = op.Mode()
		}
	}
	if op.IsAcquire() {
		if v.acquired == nil {
			v.acquired = map[ls.Key]bool{}
		}
		v.acquired[k] = true
	}
	if deferred && (op == ls.OpLock || op == ls.OpRLock) {
		if v.deferredAcquire == nil {
			v.deferredAcquire = map[ls.Key]bool{}
		}
		v.deferredAcquire[k] = true
	}
	if !v.a.collect || v.noRecord {
		return
	}
	ev := v.a.eventsOf(v.fi)
	ev.ops = append(ev.ops, &OpEvent{Pos: pos, Key: k, Op: op, Before: st, Ctx: ctx, Deferred: deferred, Via: via, Func: v.fi})
}

func (v *visitor) Exit(ret *ast.ReturnStmt, st ls.State, ctx *ls.Context) {
	if ctx.Parent == nil {
		v.exits = append(v.exits, st)
		v.exitRets = append(v.exitRets, ret)
	}
	if v.a.collect && !v.noRecord {
		ev := v.a.eventsOf(v.fi)
		ex := v.a.exitSlab.alloc()
		*ex = ExitEvent{Ret: ret, State: st, Ctx: ctx, Func: v.fi}
		ev.exits = append(ev.exits, ex)
	}
}

// DeferredAtExit records the deferred lock operations run at the exit
// just reported by Exit.
func (v *visitor) DeferredAtExit(ret *ast.ReturnStmt, ctx *ls.Context, runs []ls.DeferredRun) {
	if len(runs) == 0 || !v.a.collect || v.noRecord {
		return
	}
	ev := v.a.eventsOf(v.fi)
	if n := len(ev.exits); n > 0 && ev.exits[n-1].Ret == ret && ev.exits[n-1].Ctx == ctx {
		ev.exits[n-1].Deferred = runs
	}
}

// optionParam reports whether root is the parameter of a functional option:
// a function literal of one pointer parameter, returned by a function named
// With* or whose result type is named *Option(s)/*Opt, such as
// func WithMetrics(m M) Option { return func(c *store) { c.metrics = m } }.
// Options are applied by the constructor, before the value is shared.
func optionParam(fi *ls.FuncInfo, ctx *ls.Context, root types.Object) bool {
	if ctx == nil || ctx.Parent == nil || ctx.Parent.Parent != nil {
		return false // a literal directly in the declared function
	}
	lit, ok := ctx.Func.(*ast.FuncLit)
	if !ok || len(lit.Type.Params.List) != 1 || len(lit.Type.Params.List[0].Names) != 1 {
		return false
	}
	p, ok := root.(*types.Var)
	if !ok || p.Pos() != lit.Type.Params.List[0].Names[0].Pos() {
		return false
	}
	if _, ok := types.Unalias(p.Type()).(*types.Pointer); !ok {
		return false
	}
	sig, ok := fi.Obj.Type().(*types.Signature)
	if !ok || sig.Results().Len() != 1 {
		return false
	}
	if strings.HasPrefix(fi.Obj.Name(), "With") {
		return true
	}
	if n, ok := types.Unalias(sig.Results().At(0).Type()).(*types.Named); ok {
		name := n.Obj().Name()
		return strings.HasSuffix(name, "Option") || strings.HasSuffix(name, "Options") || strings.HasSuffix(name, "Opt")
	}
	if a, ok := sig.Results().At(0).Type().(*types.Alias); ok {
		name := a.Obj().Name()
		return strings.HasSuffix(name, "Option") || strings.HasSuffix(name, "Opt")
	}
	return false
}

// inferTypeEntries computes, to a fixpoint, the mutex fields every
// informative call site of a function holds on some value, directly or as
// its own caller's (see FuncInfo.TypeEntry). Functions reachable from
// outside the package (exported functions, exported methods of exported
// types), through function values, or exempt are left out; call sites in
// the function's own call-graph cycle count only if there are no others.
func (a *analysis_) inferTypeEntries(decls []*ls.FuncInfo) {
	var fns []*ls.FuncInfo
	for _, fi := range decls {
		if fi.EntryWhy == "declared" || a.valueUsed[fi.Obj] || fi.NotConcurrent != "" || fi.Test || len(a.callSites[fi.Obj]) == 0 {
			continue
		}
		if externallyCallable(fi) && !unexportedRecv(fi) {
			continue
		}
		fns = append(fns, fi)
	}
	for round := 0; round < 8; round++ {
		changed := false
		for _, fi := range fns {
			var common map[*types.Var]ls.Mode
			informative := 0
			for pass := 0; pass < 2 && informative == 0; pass++ {
				for _, cs := range a.callSites[fi.Obj] {
					if !cs.known || cs.caller.Test || a.unknownEntry[cs.caller] {
						continue
					}
					if pass == 0 && a.scc[cs.caller] == a.scc[fi] || cs.fresh {
						continue
					}
					have := map[*types.Var]ls.Mode{}
					add := func(f *types.Var, m ls.Mode) {
						if old, ok := have[f]; !ok || m > old {
							have[f] = m // the strongest mode on some value
						}
					}
					for _, f := range cs.fields {
						add(f.field, f.mode)
					}
					if !cs.goPos.IsValid() {
						// a goroutine the caller starts does not run under
						// the locks the caller's own callers hold
						for f, m := range cs.caller.TypeEntry {
							add(f, m)
						}
					}
					if informative == 0 {
						common = have
					} else {
						for f, m := range common {
							if hm, ok := have[f]; !ok {
								delete(common, f)
							} else if hm < m {
								common[f] = hm // the weakest mode over the call sites
							}
						}
					}
					informative++
				}
			}
			if !sameFields(common, fi.TypeEntry) {
				fi.TypeEntry = common
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// unexportedRecv reports a method of an unexported type.
func unexportedRecv(fi *ls.FuncInfo) bool {
	sig, ok := fi.Obj.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && !n.Obj().Exported()
}

// fieldHeld is a mutex field held at a call site, on some value.
type fieldHeld struct {
	field *types.Var
	mode  ls.Mode
}

func sameFields(a, b map[*types.Var]ls.Mode) bool {
	if len(a) != len(b) {
		return false
	}
	for f, m := range a {
		if bm, ok := b[f]; !ok || bm != m {
			return false
		}
	}
	return true
}
