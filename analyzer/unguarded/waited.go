package unguarded

import (
	"go/ast"
	"go/token"
	"go/types"

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
//
// The signals and waits are lockstate.Joins', which the lock-state engine
// also uses for a goroutine joined through a WaitGroup (FP90): that one
// runs holding the locks its starter lends it, read or write.
type waits struct {
	res *lockstate.Result
	j   *ls.Joins
}

func newWaits(res *lockstate.Result, info *types.Info) *waits {
	return &waits{res: res, j: ls.NewJoins(info)}
}

// heldThrough reports whether the read a, in goroutine context g (a
// function literal started by a go statement in the body of a's function,
// while key was held), runs while the starter holds key: the goroutine
// signals at every exit (defer wg.Done(), after a wg.Add that precedes the
// go statement, or a send on or close of a channel right before each
// return and at the end of its body), and every
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
		if gs, ok := n.(*ast.GoStmt); ok && gs.Pos() == g.GoPos && ls.GoLit(w.j.Info, gs, fi.Started) == lit {
			goStmt = gs
		}
		return goStmt == nil
	})
	if goStmt == nil {
		return false
	}
	sig, ok := w.j.GoSignal(goStmt.Call, lit)
	if !ok || sig.WG && !w.j.AddedBefore(fi.Decl.Body, goStmt, sig) {
		return false // a WaitGroup's count raised in the goroutine: Wait may return first
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
	return w.j.WaitsFirst(fi.Decl.Body, goStmt, sig, releases)
}
