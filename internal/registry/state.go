package registry

import (
	"github.com/regaudit/regaudit/internal/posorder"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"github.com/regaudit/regaudit/internal/lazyre"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// --- state set by cleanups and tested by other operations -----------------
//
// A cleanup that releases the entries of a collection but keeps them in it
// is only a problem when the entries can still be reached afterwards. A
// registry whose cleanup sets a state (closed = true, a closed flag's
// Store(true), an event's Fire(), close(done), another field set to nil)
// that every other operation tests before it touches the collection is
// dead after the cleanup: the released entries are never handed out again.
// The summaries below record, per function of the package, the state it
// sets and the state it tests.

// funcState is the state summary of one function.
type funcState struct {
	fn        *types.Func
	decl      *ast.FuncDecl
	sets      map[*types.Var]token.Pos // fields and package variables set here (closures included)
	tests     []stateTest              // state tested in a condition here
	calls     []calleeAt               // calls of local functions
	recvCalls []calleeAt               // calls of local methods on the receiver (or of package functions)
	escapes   bool                     // referenced other than by a call (a method value, a func value)
	test      bool                     // declared in a test file
}

// A stateTest is a read of a field or package variable in a condition (an
// if, for or switch condition, a case, an operand of !, &&, ||, == or !=, a
// receive, a returned value) or a call of a local function at pos.
type stateTest struct {
	v          *types.Var  // the variable tested (nil for a call)
	fn         *types.Func // the local function called (nil for a read)
	pos        token.Pos
	start, end token.Pos // the scope of the test: the function, or the closure it is in
}

// readLikeRe matches the methods that read a value rather than set it.
var readLikeRe = lazyre.New(`^(Load|Get|Is|Has|Err|Value|String|Wait|Len|Lock|Unlock|RLock|RUnlock|TryLock|TryRLock|Done|Do|Add|Lookup|Range|Front|Back|Peek|Deadline)`)

// stateVar returns the field or package variable e denotes (the last field
// of a selector chain), or nil.
func (b *builder) stateVar(e ast.Expr) *types.Var {
	switch x := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if s, ok := b.info.Selections[x]; ok {
			if s.Kind() == types.FieldVal {
				return s.Obj().(*types.Var).Origin()
			}
			return nil
		}
		if v, ok := b.info.Uses[x.Sel].(*types.Var); ok && ls.IsPackageLevel(v) {
			return v
		}
	case *ast.Ident:
		if v, ok := b.info.Uses[x].(*types.Var); ok && !v.IsField() && ls.IsPackageLevel(v) {
			return v
		}
	}
	return nil
}

func isMutexType(t types.Type) bool {
	n, ok := types.Unalias(deref(t)).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return false
	}
	switch n.Obj().Name() {
	case "Mutex", "RWMutex", "WaitGroup", "Once", "Cond":
		return true
	}
	return false
}

// stateSummaries computes the state summary of every local function.
func (b *builder) stateSummaries() {
	b.states = map[*types.Func]*funcState{}
	for _, fi := range b.gm.LS.Funcs {
		b.states[fi.Obj] = &funcState{fn: fi.Obj, decl: fi.Decl, sets: map[*types.Var]token.Pos{}, test: fi.Test}
	}
	for _, fi := range b.gm.LS.Funcs {
		b.summarizeState(b.states[fi.Obj])
	}
	// a local function named outside every function body (a package-level
	// var initializer: var handlers = map[string]func(){"a": a}) escapes
	// too. (lockstate's UnknownCallers is not used: it also marks the
	// functions whose callers' callers are unknown, but the call sites of
	// such a function are all known, and CheckedBefore follows them up
	// itself.)
	var bodies [][2]token.Pos
	for _, fi := range b.gm.LS.Funcs {
		if fi.Decl != nil && fi.Decl.Body != nil {
			bodies = append(bodies, [2]token.Pos{fi.Decl.Body.Pos(), fi.Decl.Body.End()})
		}
	}
	sort.Slice(bodies, func(i, j int) bool { return bodies[i][0] < bodies[j][0] })
	inBody := func(p token.Pos) bool {
		i := sort.Search(len(bodies), func(i int) bool { return bodies[i][0] > p }) - 1
		return i >= 0 && p < bodies[i][1]
	}
	for id, obj := range b.info.Uses {
		if fn, ok := obj.(*types.Func); ok {
			if fst := b.states[fn.Origin()]; fst != nil && !inBody(id.Pos()) {
				fst.escapes = true
			}
		}
	}
	b.m.states = b.states
	b.m.callers = map[*types.Func][]calleeAt{}
	for _, st := range b.states {
		for _, c := range st.calls {
			b.m.callers[c.fn] = append(b.m.callers[c.fn], calleeAt{fn: st.fn, pos: c.pos})
		}
	}
	for _, cs := range b.m.callers {
		sort.Slice(cs, func(i, j int) bool { return posorder.Less(b.fset, cs[i].pos, cs[j].pos) })
	}
}

func (b *builder) summarizeState(st *funcState) {
	info := b.info
	if st.decl == nil || st.decl.Body == nil {
		return
	}
	body := st.decl.Body
	var recv types.Object
	if sig := st.fn.Type().(*types.Signature); sig.Recv() != nil {
		if fi := b.local[st.fn]; fi != nil && len(fi.Params) > 0 {
			recv = fi.Params[0]
		}
	}
	// own reports whether e is the receiver's state (a field reached from
	// the receiver) or a package variable, not an entry's
	own := func(e ast.Expr) bool {
		id := rootIdent(info, e)
		if id == nil {
			return false
		}
		if recv != nil && info.Uses[id] == recv {
			return true
		}
		v, ok := info.Uses[id].(*types.Var)
		return ok && !v.IsField() && ls.IsPackageLevel(v)
	}
	set := func(e ast.Expr, pos token.Pos) {
		if !own(e) {
			return
		}
		if v := b.stateVar(e); v != nil && !isMutexType(v.Type()) {
			if _, ok := st.sets[v]; !ok {
				st.sets[v] = pos
			}
		}
	}
	// scopes: the function, and each closure in it
	type scope struct{ start, end token.Pos }
	test := func(e ast.Node, sc scope) {
		ast.Inspect(e, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.SelectorExpr, *ast.Ident:
				if v := b.stateVar(x.(ast.Expr)); v != nil {
					st.tests = append(st.tests, stateTest{v: v, pos: x.Pos(), start: sc.start, end: sc.end})
				}
			case *ast.CallExpr:
				if fn := ls.Callee(info, x); fn != nil && b.local[fn.Origin()] != nil {
					st.tests = append(st.tests, stateTest{fn: fn.Origin(), pos: x.Pos(), start: sc.start, end: sc.end})
				}
			}
			return true
		})
	}
	var scopes []scope
	// local functions referenced other than by a call escape: their callers
	// are not all known (the identifiers naming a call's callee are marked
	// at the call, which the walk visits before them)
	calledID := map[*ast.Ident]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			return true
		}
		for len(scopes) > 0 && n.Pos() >= scopes[len(scopes)-1].end {
			scopes = scopes[:len(scopes)-1]
		}
		sc := scope{body.Pos(), body.End()}
		if len(scopes) > 0 {
			sc = scopes[len(scopes)-1]
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			scopes = append(scopes, scope{x.Pos(), x.End()})
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				set(l, x.Pos())
			}
		case *ast.IncDecStmt:
			set(x.X, x.Pos())
		case *ast.Ident:
			if !calledID[x] {
				if fn, ok := info.Uses[x].(*types.Func); ok {
					if fst := b.states[fn.Origin()]; fst != nil {
						fst.escapes = true
					}
				}
			}
		case *ast.CallExpr:
			markCalled(calledID, ast.Unparen(x.Fun))
			if isBuiltin(info, x.Fun, "close") && len(x.Args) == 1 {
				set(x.Args[0], x.Pos())
			}
			if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok {
				if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal && !readLikeRe.MatchString(sel.Sel.Name) {
					set(sel.X, x.Pos()) // closed.Store(true), done.Fire()
				}
			}
			if fn := ls.Callee(info, x); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "sync/atomic" && !readLikeRe.MatchString(fn.Name()) && len(x.Args) > 0 {
				if u, ok := ast.Unparen(x.Args[0]).(*ast.UnaryExpr); ok && u.Op == token.AND {
					set(u.X, x.Pos()) // atomic.StoreInt32(&r.closed, 1)
				}
			}
			if fn := ls.Callee(info, x); fn != nil && b.local[fn.Origin()] != nil {
				st.calls = append(st.calls, calleeAt{fn: fn.Origin(), pos: x.Pos()})
				if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && fn.Type().(*types.Signature).Recv() != nil {
					if own(sel.X) {
						st.recvCalls = append(st.recvCalls, calleeAt{fn: fn.Origin(), pos: x.Pos()})
					}
				} else if fn.Type().(*types.Signature).Recv() == nil {
					st.recvCalls = append(st.recvCalls, calleeAt{fn: fn.Origin(), pos: x.Pos()})
				}
			}
		case *ast.IfStmt:
			if x.Init != nil {
				test(x.Init, sc)
			}
			test(x.Cond, sc)
		case *ast.ForStmt:
			if x.Cond != nil {
				test(x.Cond, sc)
			}
		case *ast.SwitchStmt:
			if x.Init != nil {
				test(x.Init, sc)
			}
			if x.Tag != nil {
				test(x.Tag, sc)
			}
		case *ast.CaseClause:
			for _, e := range x.List {
				test(e, sc)
			}
		case *ast.CommClause:
			if x.Comm != nil {
				test(x.Comm, sc)
			}
		case *ast.BinaryExpr:
			switch x.Op {
			case token.LAND, token.LOR, token.EQL, token.NEQ:
				test(x, sc)
			}
		case *ast.UnaryExpr:
			if x.Op == token.NOT || x.Op == token.ARROW {
				test(x, sc)
			}
		case *ast.ReturnStmt:
			for _, r := range x.Results {
				test(r, sc)
			}
		}
		return true
	})
}

// markCalled marks the identifier naming a callee (f, x.f, f[T], x.f[K, V]).
func markCalled(calledID map[*ast.Ident]bool, e ast.Expr) {
	for {
		switch x := e.(type) {
		case *ast.IndexExpr:
			e = ast.Unparen(x.X)
			continue
		case *ast.IndexListExpr:
			e = ast.Unparen(x.X)
			continue
		case *ast.Ident:
			calledID[x] = true
		case *ast.SelectorExpr:
			calledID[x.Sel] = true
		}
		return
	}
}

// setsT returns the state fn sets, directly or through the local methods it
// calls on its receiver and the package functions it calls (up to depth 4),
// with where fn sets it (the call, for a callee's).
func (m *Model) setsT(fn *types.Func) map[*types.Var]token.Pos {
	out := map[*types.Var]token.Pos{}
	seen := map[*types.Func]bool{}
	var visit func(f *types.Func, at token.Pos, depth int)
	visit = func(f *types.Func, at token.Pos, depth int) {
		st := m.states[f]
		if st == nil || seen[f] || depth > 4 {
			return
		}
		seen[f] = true
		for v, p := range st.sets {
			if at.IsValid() {
				p = at
			}
			if prev, ok := out[v]; !ok || p < prev {
				out[v] = p
			}
		}
		for _, c := range st.recvCalls {
			next := at
			if !next.IsValid() {
				next = c.pos
			}
			visit(c.fn, next, depth+1)
		}
	}
	visit(fn, token.NoPos, 0)
	return out
}

// StateSets returns the state (fields and package variables) that fn sets,
// directly, in its closures or through the local functions it calls, with
// where it sets them in fn (the call, for a callee's).
func (m *Model) StateSets(fn *types.Func) map[*types.Var]token.Pos {
	if m.states == nil {
		return nil
	}
	return m.setsT(fn)
}

// testsBefore reports whether fn tests one of state (directly, or through
// a local function it calls) before pos, in a scope containing pos.
func (m *Model) testsBefore(fn *types.Func, state map[*types.Var]token.Pos, pos token.Pos, depth int, seen map[*types.Func]bool) bool {
	st := m.states[fn]
	if st == nil || depth > 3 || seen[fn] {
		return false
	}
	seen[fn] = true
	defer delete(seen, fn)
	for _, t := range st.tests {
		if pos.IsValid() && (t.pos >= pos || pos < t.start || pos >= t.end) {
			continue
		}
		if t.v != nil {
			if _, ok := state[t.v]; ok {
				return true
			}
		} else if m.testsBefore(t.fn, state, token.NoPos, depth+1, seen) {
			return true
		}
	}
	// a helper that only returns after checking (ensureOpen) is called as a
	// statement: its tests count wherever they are
	if pos.IsValid() {
		for _, c := range st.calls {
			if c.pos < pos && m.testsBefore(c.fn, state, token.NoPos, depth+1, seen) {
				return true
			}
		}
	}
	return false
}

// CheckedBefore reports whether the operation fn tests one of state before
// pos: itself (directly or through a local function it calls first), or,
// for an unexported function whose callers are all known, at each of its
// call sites (recursively). Call sites in the functions of skip (the
// cleanup itself, constructors) count as checked.
func (m *Model) CheckedBefore(fn *types.Func, state map[*types.Var]token.Pos, pos token.Pos, skip func(*types.Func) bool) bool {
	if m.states == nil || len(state) == 0 {
		return false
	}
	return m.checkedBefore(fn, state, pos, skip, 0, map[*types.Func]bool{})
}

func (m *Model) checkedBefore(fn *types.Func, state map[*types.Var]token.Pos, pos token.Pos, skip func(*types.Func) bool, depth int, seen map[*types.Func]bool) bool {
	if m.testsBefore(fn, state, pos, 0, map[*types.Func]bool{}) {
		return true
	}
	st := m.states[fn]
	if st == nil || st.escapes || fn.Exported() || depth > 3 || seen[fn] {
		return false
	}
	callers := m.callers[fn]
	if len(callers) == 0 {
		return false
	}
	seen[fn] = true
	defer delete(seen, fn)
	for _, c := range callers {
		if skip(c.fn) || (m.states[c.fn] != nil && m.states[c.fn].test) {
			continue // the cleanup, a constructor, a test
		}
		if !m.checkedBefore(c.fn, state, c.pos, skip, depth+1, seen) {
			return false
		}
	}
	return true
}

// A Reach is an operation that can still hand out or use the entries of a
// collection, or add to it, after a cleanup released them.
type Reach struct {
	Op   *Op
	Pos  token.Pos // its first read of the collection (or store, for Adds)
	Adds bool      // it does not read the entries, it only stores into the collection
}

// Reaches returns the operations of r that read the entries of c (index,
// range, list access, a lookup or listing) or store into c, in source
// order: all but its cleanups, constructors, init functions, test helpers
// and the removal path (functions that take entries out without storing or
// returning any).
func (r *Registry) Reaches(c *Collection) []Reach {
	var out []Reach
	for _, op := range r.Ops {
		if op.Has(Cleanup) || op.Has(Construct) || op.Info.Test || (op.Decl.Recv == nil && op.Obj.Name() == "init") {
			continue
		}
		var read, store token.Pos
		for _, rd := range op.reads {
			if rd.coll == c && (!read.IsValid() || rd.pos < read) {
				read = rd.pos
			}
		}
		for _, st := range op.Stores {
			if st.Coll == c && (!store.IsValid() || st.Pos < store) {
				store = st.Pos
			}
		}
		if !read.IsValid() && !store.IsValid() {
			continue
		}
		removes := false
		for _, rm := range op.Removes {
			if rm.Coll == c {
				removes = true
			}
		}
		if removes && !store.IsValid() && !op.returnsEntry {
			continue // the removal path
		}
		if read.IsValid() {
			out = append(out, Reach{Op: op, Pos: read})
		} else {
			out = append(out, Reach{Op: op, Pos: store, Adds: true})
		}
	}
	return out
}

// CallerStateSets returns the state that every call of the cleanup fn is
// accompanied by: the state its callers set (themselves or through the
// local functions they call), and, for a caller that is itself unexported
// with known callers, the state set around every call of that caller. This
// is the owner's closed mark: a part's close called only from its owner's
// Close, which marks the owner closed. fn must be unexported and called
// only directly (not as a func value), outside tests; else, or when the
// callers share no state, it returns nil. The callers returned are the
// direct callers outside tests, for the diagnostic.
func (m *Model) CallerStateSets(fn *types.Func) (map[*types.Var]token.Pos, []*types.Func) {
	if m.states == nil {
		return nil, nil
	}
	var callers []*types.Func
	for _, c := range m.callers[fn] {
		if st := m.states[c.fn]; st != nil && !st.test {
			callers = append(callers, c.fn)
		}
	}
	state := m.callerStateSets(fn, 0, map[*types.Func]bool{})
	if len(state) == 0 {
		return nil, nil
	}
	return state, callers
}

func (m *Model) callerStateSets(fn *types.Func, depth int, seen map[*types.Func]bool) map[*types.Var]token.Pos {
	st := m.states[fn]
	if st == nil || st.escapes || fn.Exported() || depth > 3 || seen[fn] {
		return nil
	}
	seen[fn] = true
	defer delete(seen, fn)
	var out map[*types.Var]token.Pos
	for _, c := range m.callers[fn] {
		cst := m.states[c.fn]
		if cst == nil || cst.test || c.fn == fn {
			continue // a test, a recursive call
		}
		sets := m.setsT(c.fn)
		for v, p := range sets {
			if p == c.pos {
				delete(sets, v) // the call of fn (routes.close() "sets" routes)
			}
		}
		for v, p := range m.callerStateSets(c.fn, depth+1, seen) {
			if _, ok := sets[v]; !ok {
				sets[v] = p
			}
		}
		if out == nil {
			out = sets
			continue
		}
		for v := range out {
			if _, ok := sets[v]; !ok {
				delete(out, v)
			}
		}
	}
	return out
}
