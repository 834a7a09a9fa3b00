package unguarded

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"

	"github.com/regaudit/regaudit/analyzer/lockstate"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// waits answers whether a goroutine started while a lock was held runs
// inside its starter's critical section: the starter keeps the lock until
// it has waited for the goroutine's end (lib/pq's resync, called with
// l.lock held, ranging over l.channels in a goroutine and returning only
// once it received the goroutine's result; a sentinel lookup holding c.mu
// that starts one goroutine per address and waits for them):
//
//	doneChan := make(chan error)
//	go func() {
//		for ch := range l.channels { ... if err != nil { doneChan <- err; return } }
//		doneChan <- nil
//	}()
//	return <-doneChan
//
// The goroutine must not take the lock (it would wait for its starter,
// which waits for it), and no other holder of the lock can run meanwhile:
// its reads are ordered with every write made under the lock.
type waits struct {
	res  *lockstate.Result
	info *types.Info
	cfgs map[*ast.BlockStmt]*cfg.CFG
}

func newWaits(res *lockstate.Result, info *types.Info) *waits {
	return &waits{res: res, info: info, cfgs: map[*ast.BlockStmt]*cfg.CFG{}}
}

// A signal is how a goroutine tells its end: a WaitGroup's Done or a send
// on (or close of) a channel, named by the same expression (wg, doneChan,
// s.wg) in the goroutine and in its starter.
type signal struct {
	wg   bool
	name string
	root types.Object
}

// heldThrough reports whether the read a, in goroutine context g (a
// function literal started by a go statement in the body of a's function,
// while key was held), runs while the starter holds key: the goroutine
// signals at every exit (defer wg.Done(), or a send on or close of a
// channel right before each return and at the end of its body), and every
// path of the starter from the go statement to a release of key (an
// unlock, a call releasing it, the function's exit) first waits for that
// signal (wg.Wait(), a receive from the channel, or a select case
// receiving from it; a channel's go statement is not reached again
// before). Neither the starter after the go statement nor a goroutine it
// starts writes the field in its own code.
func (w *waits) heldThrough(a *ls.Access, g *ls.Context, key ls.Key) bool {
	if a.Kind != ls.Read || g.Parent == nil || g.Parent.Parent != nil || g.Parent.Kind != ls.CtxNormal {
		return false
	}
	lit, ok := g.Func.(*ast.FuncLit)
	fi := a.Func
	if !ok || fi == nil || fi.Decl == nil || fi.Decl.Body == nil {
		return false
	}
	var goStmt *ast.GoStmt
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		if gs, ok := n.(*ast.GoStmt); ok && gs.Pos() == g.GoPos && ast.Unparen(gs.Call.Fun) == lit {
			goStmt = gs
		}
		return goStmt == nil
	})
	if goStmt == nil {
		return false
	}
	sig, ok := w.signals(lit)
	if !ok {
		return false
	}
	for _, b := range w.res.Accesses {
		if b.Obj != a.Obj || b.Kind != ls.Write || b.Func != fi || b.Local {
			continue
		}
		if b.Ctx.Inside(ls.CtxGoroutine) || b.Pos() > goStmt.Pos() {
			return false // a write racing with the read inside the section
		}
	}
	var releases []token.Pos
	for _, op := range w.res.Ops {
		if op.Func == fi && op.Key == key && !op.Deferred && (op.Op == ls.OpUnlock || op.Op == ls.OpRUnlock) && !op.Ctx.Inside(ls.CtxGoroutine) {
			releases = append(releases, op.Pos)
		}
	}
	return w.waitsFirst(fi.Decl.Body, goStmt, sig, releases)
}

// signals returns the signal a goroutine literal gives at every exit.
func (w *waits) signals(lit *ast.FuncLit) (signal, bool) {
	// defer wg.Done() (or defer close(ch)) before any return
	for _, st := range lit.Body.List {
		if d, ok := st.(*ast.DeferStmt); ok {
			if s, ok := w.signalCall(d.Call); ok {
				return s, true
			}
		}
		if hasReturn(st) {
			break
		}
	}
	// ch <- v (or close(ch)) right before each return and at the end
	var sig signal
	found, bad := false, false
	same := func(s signal, ok bool) bool {
		if !ok || s.wg {
			return false
		}
		if !found {
			sig, found = s, true
			return true
		}
		return s == sig
	}
	var checkList func(list []ast.Stmt, end bool)
	checkList = func(list []ast.Stmt, end bool) {
		for i, st := range list {
			if _, ok := st.(*ast.ReturnStmt); ok {
				if i == 0 || !same(w.sendStmt(list[i-1])) {
					bad = true
				}
			}
		}
		if end {
			if len(list) == 0 {
				bad = true
				return
			}
			last := list[len(list)-1]
			if _, ok := last.(*ast.ReturnStmt); !ok && !same(w.sendStmt(last)) {
				bad = true
			}
		}
	}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Tok == token.GOTO {
				bad = true
			}
		case *ast.BlockStmt:
			checkList(n.List, n == lit.Body)
		case *ast.CaseClause:
			checkList(n.Body, false)
		case *ast.CommClause:
			checkList(n.Body, false)
		}
		return !bad
	})
	return sig, found && !bad
}

func hasReturn(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		}
		return !found
	})
	return found
}

// sendStmt returns the channel signal of a statement: ch <- v or close(ch).
func (w *waits) sendStmt(st ast.Stmt) (signal, bool) {
	switch st := st.(type) {
	case *ast.SendStmt:
		return w.named(st.Chan, false)
	case *ast.ExprStmt:
		if call, ok := ast.Unparen(st.X).(*ast.CallExpr); ok {
			if s, ok := w.signalCall(call); ok && !s.wg {
				return s, true
			}
		}
	}
	return signal{}, false
}

// signalCall recognizes wg.Done() and close(ch).
func (w *waits) signalCall(call *ast.CallExpr) (signal, bool) {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && len(call.Args) == 1 {
		if b, ok := w.info.Uses[id].(*types.Builtin); ok && b.Name() == "close" {
			return w.named(call.Args[0], false)
		}
		return signal{}, false
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && w.calls(call, "sync.WaitGroup.Done") {
		return w.named(sel.X, true)
	}
	return signal{}, false
}

// calls reports whether call calls the function or method named name
// ("sync.WaitGroup.Wait", as lockstate.QualifiedName gives it).
func (w *waits) calls(call *ast.CallExpr, name string) bool {
	fn := ls.Callee(w.info, call)
	return fn != nil && ls.QualifiedName(fn) == name
}

// named identifies the WaitGroup or channel of a signal by its expression
// and root variable.
func (w *waits) named(e ast.Expr, wg bool) (signal, bool) {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	root := e
	for {
		sel, ok := root.(*ast.SelectorExpr)
		if !ok {
			break
		}
		root = ast.Unparen(sel.X)
	}
	id, ok := root.(*ast.Ident)
	if !ok {
		return signal{}, false
	}
	obj := w.info.Uses[id]
	if obj == nil {
		obj = w.info.Defs[id]
	}
	if _, ok := obj.(*types.Var); !ok {
		return signal{}, false
	}
	return signal{wg: wg, name: types.ExprString(e), root: obj}, true
}

// waitsFirst reports whether every path of body from the go statement to a
// release (a node containing one of the positions, or an exit) passes
// through a wait for sig.
func (w *waits) waitsFirst(body *ast.BlockStmt, goStmt *ast.GoStmt, sig signal, releases []token.Pos) bool {
	g := w.cfgs[body]
	if g == nil {
		g = cfg.New(body, func(*ast.CallExpr) bool { return true })
		w.cfgs[body] = g
	}
	comms := map[ast.Node]bool{} // select cases: a wait only in their own case body
	ast.Inspect(body, func(n ast.Node) bool {
		if cc, ok := n.(*ast.CommClause); ok && cc.Comm != nil {
			comms[cc.Comm] = true
		}
		return true
	})
	releasing := func(n ast.Node) bool {
		for _, p := range releases {
			if n.Pos() <= p && p < n.End() {
				return true
			}
		}
		return false
	}
	var start *cfg.Block
	startAt := 0
	for _, b := range g.Blocks {
		for i, n := range b.Nodes {
			if n == goStmt {
				start, startAt = b, i+1
			}
		}
	}
	if start == nil {
		return false
	}
	visited := map[*cfg.Block]bool{}
	// path follows b from node index i; false if a release or an exit is
	// reached before a wait.
	var path func(b *cfg.Block, i int) bool
	path = func(b *cfg.Block, i int) bool {
		for ; i < len(b.Nodes); i++ {
			n := b.Nodes[i]
			if n == goStmt && !sig.wg {
				return false // a second goroutine before the first is waited for
			}
			if comms[n] {
				continue
			}
			if releasing(n) {
				return false
			}
			if w.waitsIn(n, sig) {
				return true
			}
		}
		if len(b.Succs) == 0 {
			// the function's exit, unless past the last case of a select
			// without default, which blocks until a case is ready
			return b.Kind == cfg.KindSelectAfterCase
		}
		for _, s := range b.Succs {
			if !s.Live {
				continue
			}
			if cc, ok := s.Stmt.(*ast.CommClause); ok && s.Kind == cfg.KindSelectCaseBody && cc.Comm != nil && w.waitsIn(cc.Comm, sig) {
				continue // this case received the signal
			}
			if visited[s] {
				if s == start && !sig.wg {
					return false
				}
				continue
			}
			visited[s] = true
			if !path(s, 0) {
				return false
			}
		}
		return true
	}
	return path(start, startAt)
}

// waitsIn reports whether node n waits for sig: wg.Wait() or a receive
// from the channel (not inside a function literal).
func (w *waits) waitsIn(n ast.Node, sig signal) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sig.wg && w.calls(n, "sync.WaitGroup.Wait") {
				if s, ok := w.named(sel.X, true); ok && s == sig {
					found = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !sig.wg {
				if s, ok := w.named(n.X, false); ok && s == sig {
					found = true
				}
			}
		}
		return !found
	})
	return found
}
