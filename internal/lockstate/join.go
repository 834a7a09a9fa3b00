package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// Joins recognizes how a starter joins the goroutines it starts: the
// signal a goroutine gives at every exit (a WaitGroup's Done, a send on or
// close of a channel) and the starter's wait for it on every path to a
// point (wg.Wait(), a receive from the channel). The lock-state engine
// uses it for a goroutine its lock-holding starter joins before releasing
// the lock (the lock is lent to it), the unguarded analyzer for a read in
// a goroutine its starter waits for (FP63).
type Joins struct {
	Info *types.Info
	cfgs map[*ast.BlockStmt]*cfg.CFG
}

// NewJoins returns a Joins for the package of info.
func NewJoins(info *types.Info) *Joins {
	return &Joins{Info: info, cfgs: map[*ast.BlockStmt]*cfg.CFG{}}
}

// A Signal is how a goroutine tells its end: a WaitGroup's Done or a send
// on (or close of) a channel, named by the same expression (wg, doneChan,
// s.wg) in the goroutine and in its starter.
type Signal struct {
	WG   bool
	Name string
	Root types.Object
}

// GoSignal returns the signal the goroutine literal lit, started by call
// (go lit(args)), gives at every exit, named in the starter's terms: a
// parameter of the literal stands for the argument passed to it
// (go func(wg *sync.WaitGroup) { defer wg.Done() }(&wg)).
func (j *Joins) GoSignal(call *ast.CallExpr, lit *ast.FuncLit) (Signal, bool) {
	s, ok := j.Signals(lit)
	if !ok {
		return s, false
	}
	i := 0
	for _, f := range lit.Type.Params.List {
		for _, name := range f.Names {
			if j.Info.Defs[name] == s.Root {
				if i >= len(call.Args) || call.Ellipsis.IsValid() {
					return Signal{}, false
				}
				arg, ok := j.Named(call.Args[i], s.WG)
				if !ok {
					return Signal{}, false
				}
				arg.Name += s.Name[len(name.Name):]
				return arg, true
			}
			i++
		}
		if len(f.Names) == 0 {
			i++
		}
	}
	return s, true
}

// Signals returns the signal a goroutine literal gives at every exit:
// a deferred wg.Done() (or close(ch)) registered before any return, a
// wg.Done() that is the last statement of a body without return, or a
// send on (or close of) one channel right before each return and at the
// end of the body.
func (j *Joins) Signals(lit *ast.FuncLit) (Signal, bool) {
	// defer wg.Done() (or defer close(ch)) before any return
	for _, st := range lit.Body.List {
		if d, ok := st.(*ast.DeferStmt); ok {
			if s, ok := j.SignalCall(d.Call); ok {
				return s, true
			}
		}
		if hasReturn(st) {
			break
		}
	}
	var sig Signal
	found, bad := false, false
	// wg.Done() last, with no return or goto before it
	if n := len(lit.Body.List); n > 0 {
		if es, ok := lit.Body.List[n-1].(*ast.ExprStmt); ok {
			if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
				if s, ok := j.SignalCall(call); ok && s.WG {
					for _, st := range lit.Body.List {
						if hasReturn(st) || hasGoto(st) {
							return Signal{}, false
						}
					}
					return s, true
				}
			}
		}
	}
	// ch <- v (or close(ch)) right before each return and at the end
	same := func(s Signal, ok bool) bool {
		if !ok || s.WG {
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
				if i == 0 || !same(j.sendStmt(list[i-1])) {
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
			if _, ok := last.(*ast.ReturnStmt); !ok && !same(j.sendStmt(last)) {
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

// hasReturn reports whether st contains a return statement outside
// function literals.
func hasReturn(st ast.Stmt) bool {
	return Contains(st, func(n ast.Node) bool {
		_, ok := n.(*ast.ReturnStmt)
		return ok
	})
}

// hasGoto reports whether st contains a goto outside function literals.
func hasGoto(st ast.Stmt) bool {
	return Contains(st, func(n ast.Node) bool {
		br, ok := n.(*ast.BranchStmt)
		return ok && br.Tok == token.GOTO
	})
}

// sendStmt returns the channel signal of a statement: ch <- v or close(ch).
func (j *Joins) sendStmt(st ast.Stmt) (Signal, bool) {
	switch st := st.(type) {
	case *ast.SendStmt:
		return j.Named(st.Chan, false)
	case *ast.ExprStmt:
		if call, ok := ast.Unparen(st.X).(*ast.CallExpr); ok {
			if s, ok := j.SignalCall(call); ok && !s.WG {
				return s, true
			}
		}
	}
	return Signal{}, false
}

// SignalCall recognizes wg.Done() and close(ch).
func (j *Joins) SignalCall(call *ast.CallExpr) (Signal, bool) {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && len(call.Args) == 1 {
		if b, ok := j.Info.Uses[id].(*types.Builtin); ok && b.Name() == "close" {
			return j.Named(call.Args[0], false)
		}
		return Signal{}, false
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && j.Calls(call, "sync.WaitGroup.Done") {
		return j.Named(sel.X, true)
	}
	return Signal{}, false
}

// Calls reports whether call calls the function or method named name
// ("sync.WaitGroup.Wait", as QualifiedName gives it).
func (j *Joins) Calls(call *ast.CallExpr, name string) bool {
	fn := Callee(j.Info, call)
	return fn != nil && QualifiedName(fn) == name
}

// Named identifies the WaitGroup or channel of a signal by its expression
// and root variable.
func (j *Joins) Named(e ast.Expr, wg bool) (Signal, bool) {
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
		return Signal{}, false
	}
	obj := j.Info.Uses[id]
	if obj == nil {
		obj = j.Info.Defs[id]
	}
	if _, ok := obj.(*types.Var); !ok {
		return Signal{}, false
	}
	return Signal{WG: wg, Name: types.ExprString(e), Root: obj}, true
}

// AddedBefore reports whether a wg.Add on the WaitGroup of sig is a
// statement of a block enclosing start (in body), before the statement
// that contains start: the count is raised before the goroutine can end.
func (j *Joins) AddedBefore(body *ast.BlockStmt, start ast.Node, sig Signal) bool {
	found, done := false, false
	var lists func(n ast.Node) [][]ast.Stmt
	lists = func(n ast.Node) [][]ast.Stmt {
		switch n := n.(type) {
		case *ast.BlockStmt:
			return [][]ast.Stmt{n.List}
		case *ast.CaseClause:
			return [][]ast.Stmt{n.Body}
		case *ast.CommClause:
			return [][]ast.Stmt{n.Body}
		}
		return nil
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if done || n == nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if n.End() <= start.Pos() || start.End() <= n.Pos() {
			return false // does not contain start
		}
		for _, list := range lists(n) {
			for _, st := range list {
				if st.Pos() > start.Pos() {
					break
				}
				if es, ok := st.(*ast.ExprStmt); ok {
					if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && j.Calls(call, "sync.WaitGroup.Add") {
						if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
							if s, ok := j.Named(sel.X, true); ok && s == sig {
								found = true
							}
						}
					}
				}
			}
		}
		if n == start {
			done = true
			return false
		}
		return true
	})
	return found
}

// WaitsFirst reports whether every path of body from the CFG node
// containing start to a release (a node containing one of the positions,
// or an exit) passes through a wait for sig. For a channel, start is not
// reached again before the wait.
func (j *Joins) WaitsFirst(body *ast.BlockStmt, start ast.Node, sig Signal, releases []token.Pos) bool {
	g := j.cfgs[body]
	if g == nil {
		g = cfg.New(body, func(*ast.CallExpr) bool { return true })
		j.cfgs[body] = g
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
	var first *cfg.Block
	var startNode ast.Node
	startAt := 0
	for _, b := range g.Blocks {
		for i, n := range b.Nodes {
			if n.Pos() <= start.Pos() && start.End() <= n.End() {
				first, startAt, startNode = b, i+1, n
			}
		}
	}
	if first == nil {
		return false
	}
	visited := map[*cfg.Block]bool{}
	// path follows b from node index i; false if a release or an exit is
	// reached before a wait.
	var path func(b *cfg.Block, i int) bool
	path = func(b *cfg.Block, i int) bool {
		for ; i < len(b.Nodes); i++ {
			n := b.Nodes[i]
			if n == startNode && !sig.WG {
				return false // a second goroutine before the first is waited for
			}
			if comms[n] {
				continue
			}
			if releasing(n) {
				return false
			}
			if j.WaitsIn(n, sig) {
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
			if cc, ok := s.Stmt.(*ast.CommClause); ok && s.Kind == cfg.KindSelectCaseBody && cc.Comm != nil && j.WaitsIn(cc.Comm, sig) {
				continue // this case received the signal
			}
			if visited[s] {
				if s == first && !sig.WG {
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
	return path(first, startAt)
}

// WaitsIn reports whether node n waits for sig: wg.Wait() or a receive
// from the channel (not inside a function literal).
func (j *Joins) WaitsIn(n ast.Node, sig Signal) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sig.WG && j.Calls(n, "sync.WaitGroup.Wait") {
				if s, ok := j.Named(sel.X, true); ok && s == sig {
					found = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !sig.WG {
				if s, ok := j.Named(n.X, false); ok && s == sig {
					found = true
				}
			}
		}
		return !found
	})
	return found
}
