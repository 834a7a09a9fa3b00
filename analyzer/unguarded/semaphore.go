package unguarded

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// A channel of capacity 1 used as a semaphore serializes the functions
// that hold it (net's nsswitchConfig.tryUpdate: only one update at a time
// rechecks the file):
//
//	if !conf.tryAcquireSema() { return }   // conf.ch <- struct{}{} (or select with default)
//	defer conf.releaseSema()               // <-conf.ch
//	... conf.nssConf.mtime ...             // read without conf.mu
//	conf.mu.Lock(); conf.nssConf = n; conf.mu.Unlock()
//
// A read in such a section of a field whose every write after construction
// is made in the same section (same function, same value) cannot overlap
// a write: the section runs once at a time.

// semaphores finds the channel semaphores held by functions.
type semaphores struct {
	pass  *analysis.Pass
	funcs map[*types.Func]*ls.FuncInfo
	held  map[*ls.FuncInfo]*semSection // nil: none
	cap1  map[*types.Var]bool          // channel fields and variables made only with capacity 1
}

// semSection is a semaphore on the channel key held from the end of the
// acquiring statement to the function's exit.
type semSection struct {
	key   ls.Key
	start token.Pos
}

func newSemaphores(pass *analysis.Pass, funcs []*ls.FuncInfo) *semaphores {
	s := &semaphores{pass: pass, funcs: map[*types.Func]*ls.FuncInfo{}, held: map[*ls.FuncInfo]*semSection{}}
	for _, fi := range funcs {
		s.funcs[fi.Obj] = fi
	}
	return s
}

// serialized reports whether a, a read, is made in a semaphore section of
// its function and every write of its field after construction (ws) is
// made in the same section, on the same value.
func (s *semaphores) serialized(a *ls.Access, ws []*ls.Access) bool {
	if a.Kind != ls.Read || len(ws) == 0 || !a.HasBase || a.Ctx == nil || a.Ctx.Parent != nil {
		return false
	}
	sec := s.section(a.Func)
	if sec == nil || a.Pos() < sec.start || a.Base.Root != sec.key.Root {
		return false
	}
	for _, w := range ws {
		if w.Func != a.Func || w.Ctx == nil || w.Ctx.Parent != nil || w.Pos() < sec.start || !w.HasBase || w.Base.Root != sec.key.Root {
			return false
		}
	}
	return true
}

func (s *semaphores) section(fi *ls.FuncInfo) *semSection {
	if sec, ok := s.held[fi]; ok {
		return sec
	}
	var sec *semSection
	defer func() { s.held[fi] = sec }()
	if fi.Decl.Body == nil {
		return nil
	}
	var acq *ls.Key
	var start token.Pos
	released := false
	for _, st := range fi.Decl.Body.List {
		if acq == nil {
			if k, ok := s.acquire(st); ok {
				acq, start = &k, st.End()
			}
			continue
		}
		if d, ok := st.(*ast.DeferStmt); ok {
			if k, ok := s.release(d.Call); ok && k == *acq {
				released = true
				break
			}
		}
	}
	if acq == nil || !released || !s.capacityOne(*acq) {
		return nil
	}
	sec = &semSection{key: *acq, start: start}
	return sec
}

// acquire recognizes a statement taking a semaphore: ch <- v; select {
// case ch <- v: default: return }; a call of a helper that sends (t.acquire());
// if !t.tryAcquire() { return } with a helper whose send is in a select
// with a default.
func (s *semaphores) acquire(st ast.Stmt) (ls.Key, bool) {
	switch st := st.(type) {
	case *ast.SendStmt:
		return ls.PathOf(s.pass.TypesInfo, st.Chan)
	case *ast.SelectStmt:
		return s.trySend(st, func(body []ast.Stmt) bool { return len(body) == 0 }, returns)
	case *ast.ExprStmt:
		if call, ok := st.X.(*ast.CallExpr); ok {
			return s.viaHelper(call, func(b *ast.BlockStmt) (ls.Key, bool) {
				if len(b.List) == 1 {
					if send, ok := b.List[0].(*ast.SendStmt); ok {
						return ls.PathOf(s.pass.TypesInfo, send.Chan)
					}
				}
				return ls.Key{}, false
			})
		}
	case *ast.IfStmt:
		u, ok := ast.Unparen(st.Cond).(*ast.UnaryExpr)
		if !ok || u.Op != token.NOT || st.Init != nil || st.Else != nil || !returns(st.Body.List) {
			return ls.Key{}, false
		}
		call, ok := ast.Unparen(u.X).(*ast.CallExpr)
		if !ok {
			return ls.Key{}, false
		}
		return s.viaHelper(call, func(b *ast.BlockStmt) (ls.Key, bool) {
			if len(b.List) == 1 {
				if sel, ok := b.List[0].(*ast.SelectStmt); ok {
					return s.trySend(sel, returnsTrue, returnsFalse)
				}
			}
			return ls.Key{}, false
		})
	}
	return ls.Key{}, false
}

// trySend recognizes select { case ch <- v: <sent>; default: <full> }.
func (s *semaphores) trySend(sel *ast.SelectStmt, sent, full func([]ast.Stmt) bool) (ls.Key, bool) {
	if len(sel.Body.List) != 2 {
		return ls.Key{}, false
	}
	var k ls.Key
	okSend, okDefault := false, false
	for _, c := range sel.Body.List {
		cc := c.(*ast.CommClause)
		switch comm := cc.Comm.(type) {
		case nil:
			okDefault = full(cc.Body)
		case *ast.SendStmt:
			var ok bool
			k, ok = ls.PathOf(s.pass.TypesInfo, comm.Chan)
			okSend = ok && sent(cc.Body)
		}
	}
	return k, okSend && okDefault
}

// release recognizes a deferred call releasing a semaphore: a literal or
// a helper whose body is <-ch.
func (s *semaphores) release(call *ast.CallExpr) (ls.Key, bool) {
	recv := func(b *ast.BlockStmt) (ls.Key, bool) {
		if len(b.List) == 1 {
			if es, ok := b.List[0].(*ast.ExprStmt); ok {
				if u, ok := ast.Unparen(es.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
					return ls.PathOf(s.pass.TypesInfo, u.X)
				}
			}
		}
		return ls.Key{}, false
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && len(call.Args) == 0 {
		return recv(lit.Body)
	}
	return s.viaHelper(call, recv)
}

// viaHelper applies body to the body of the method called (x.m(), no
// arguments, declared in the package) and maps the channel key it finds,
// rooted at the method's receiver, to the caller's x.
func (s *semaphores) viaHelper(call *ast.CallExpr, body func(*ast.BlockStmt) (ls.Key, bool)) (ls.Key, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || len(call.Args) != 0 {
		return ls.Key{}, false
	}
	fn := ls.Callee(s.pass.TypesInfo, call)
	if fn == nil {
		return ls.Key{}, false
	}
	fi := s.funcs[fn.Origin()]
	if fi == nil || fi.Decl.Recv == nil || fi.Decl.Body == nil || len(fi.Params) == 0 || fi.Params[0] == nil {
		return ls.Key{}, false
	}
	k, ok := body(fi.Decl.Body)
	if !ok || k.Root != fi.Params[0] || k.Path == "" {
		return ls.Key{}, false
	}
	x, ok := ls.PathOf(s.pass.TypesInfo, sel.X)
	if !ok || x.Path != "" {
		return ls.Key{}, false
	}
	return ls.Key{Root: x.Root, Path: k.Path}, true
}

// capacityOne reports whether the channel k denotes (a field or a package
// variable) is made only with make(chan T, 1): a binary semaphore.
func (s *semaphores) capacityOne(k ls.Key) bool {
	var v *types.Var
	if k.Path == "" {
		v, _ = k.Root.(*types.Var)
		if v == nil || !ls.IsPackageLevel(v) {
			return false
		}
	} else {
		v = k.LastField()
	}
	if v == nil {
		return false
	}
	if s.cap1 == nil {
		s.cap1 = map[*types.Var]bool{}
	}
	if ok, seen := s.cap1[v]; seen {
		return ok
	}
	info := s.pass.TypesInfo
	made, other := 0, 0
	check := func(rhs ast.Expr) {
		if isMakeCap1(info, rhs) {
			made++
		} else {
			other++
		}
	}
	target := func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			return info.Uses[e] == v || info.Defs[e] == v
		case *ast.SelectorExpr:
			return info.Uses[e.Sel] == v
		}
		return false
	}
	for _, f := range s.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if target(l) {
						if len(n.Lhs) == len(n.Rhs) {
							check(n.Rhs[i])
						} else {
							other++
						}
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && info.Uses[id] == v {
					check(n.Value)
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if info.Defs[name] == v && i < len(n.Values) {
						check(n.Values[i])
					}
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND && target(n.X) {
					other++ // its address escapes: written elsewhere
				}
			}
			return true
		})
	}
	ok := made > 0 && other == 0
	s.cap1[v] = ok
	return ok
}

func isMakeCap1(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	if b, ok := info.Uses[id].(*types.Builtin); !ok || b.Name() != "make" {
		return false
	}
	tv, ok := info.Types[call.Args[1]]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Int && constant.Compare(tv.Value, token.EQL, constant.MakeInt64(1))
}

func returns(body []ast.Stmt) bool {
	if len(body) != 1 {
		return false
	}
	_, ok := body[0].(*ast.ReturnStmt)
	return ok
}

func returnsBool(body []ast.Stmt, want string) bool {
	if len(body) != 1 {
		return false
	}
	r, ok := body[0].(*ast.ReturnStmt)
	if !ok || len(r.Results) != 1 {
		return false
	}
	id, ok := ast.Unparen(r.Results[0]).(*ast.Ident)
	return ok && id.Name == want
}

func returnsTrue(body []ast.Stmt) bool  { return returnsBool(body, "true") }
func returnsFalse(body []ast.Stmt) bool { return returnsBool(body, "false") }
