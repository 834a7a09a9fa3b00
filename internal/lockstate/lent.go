package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A lock lent to a goroutine its holder joins (FP90). The starter of a
// goroutine, holding L, keeps it until the goroutine has ended:
//
//	wg := sync.WaitGroup{}
//	for _, link := range c.links {
//		wg.Add(1)
//		go func(link *ToxicLink) {
//			defer wg.Done()
//			link.AddToxic(toxic) // runs under the caller's c.Lock
//		}(link)
//	}
//	wg.Wait()
//
// Every other holder of L waits for the starter's release, which comes
// after the goroutine's end: the goroutine's accesses are ordered with
// theirs, as if it held L. The goroutine runs holding the locks its starter
// lends it (for guard inference and for the checks, in its own code and,
// through its call sites, in the functions it calls) when:
//
//   - it is joined through a WaitGroup: wg.Add on the same WaitGroup is a
//     statement before the go statement, in a block enclosing it, and the
//     goroutine's wg.Done() is deferred before any return or is the last
//     statement of a body without return (a goroutine started with
//     wg.Go(f) is joined by construction);
//   - every path of the starter from the go statement to a release of L
//     (an unlock, direct or through a callee, or the function's exit, after
//     which a caller releases it) first calls wg.Wait();
//   - the goroutine neither locks nor unlocks L itself (an unlock hands the
//     lock over, see handedOver; a lock would wait for the starter);
//   - the lending does not hide a race inside the section: between the go
//     statement and the last wg.Wait (or anywhere in a loop around the go
//     statement), neither the starter nor any goroutine it starts (the
//     goroutine itself included when started in a loop) writes, in its own
//     code, a field or package variable the goroutine accesses, nor
//     accesses one the goroutine writes. Accesses in callees are not
//     followed.
func (u *unit) lent(start ast.Node, call *ast.CallExpr, lit *ast.FuncLit, st State, wgGo bool) State {
	var must []Held
	for _, h := range st {
		if h.Must {
			must = append(must, h)
		}
	}
	if len(must) == 0 {
		return nil
	}
	j := u.e.joins()
	var sig Signal
	if wgGo {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		if sig, ok = j.Named(sel.X, true); !ok {
			return nil
		}
	} else {
		var ok bool
		sig, ok = j.GoSignal(call, lit)
		if !ok || !sig.WG || !j.AddedBefore(u.body, start, sig) {
			return nil
		}
	}
	var out State
	for _, h := range must {
		if u.touches(lit, h.Key) {
			continue
		}
		if !j.WaitsFirst(u.body, start, sig, u.releasesOf(h.Key)) {
			continue
		}
		if out == nil && u.racesInSection(start, lit, sig) {
			return nil
		}
		out = out.with(h)
	}
	return out
}

// joins returns the engine's Joins, made on first use.
func (e *Engine) joins() *Joins {
	if e.joinsCache == nil {
		e.joinsCache = NewJoins(e.Info)
	}
	return e.joinsCache
}

// touches reports whether lit locks or unlocks k in its own code.
func (u *unit) touches(lit *ast.FuncLit, k Key) bool {
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if k2, _, ok := u.e.lockCall(call); ok && k2 == k {
				found = true
			}
		}
		return !found
	})
	return found
}

// releasesOf returns the positions of the calls of the unit's body that
// release k (an unlock, or a call whose effects unlock it), deferred ones
// left out (they run at the exit, itself a release).
func (u *unit) releasesOf(k Key) []token.Pos {
	var out []token.Pos
	ast.Inspect(u.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt:
			return false
		case *ast.CallExpr:
			for _, o := range u.callOps(n) {
				if o.key == k && (o.op == OpUnlock || o.op == OpRUnlock) {
					out = append(out, n.Pos())
				}
			}
		}
		return true
	})
	return out
}

// racesInSection reports whether, between the go statement (start) and
// the last wait for sig, or in a loop around start, the starter or a
// goroutine it starts writes a field or package variable lit accesses, or
// accesses one lit writes, in its own code.
func (u *unit) racesInSection(start ast.Node, lit *ast.FuncLit, sig Signal) bool {
	j := u.e.joins()
	var loop ast.Node
	lastWait := token.NoPos
	ast.Inspect(u.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if loop == nil && n.Pos() <= start.Pos() && start.End() <= n.End() {
				loop = n // the outermost loop around start
			}
		case *ast.CallExpr:
			if j.Calls(n, "sync.WaitGroup.Wait") && j.WaitsIn(n, sig) && n.End() > lastWait {
				lastWait = n.End()
			}
		}
		return true
	})
	inSection := func(p token.Pos) bool {
		if loop != nil && loop.Pos() <= p && p < loop.End() {
			return true
		}
		return p >= start.End() && p < lastWait
	}
	litReads, litWrites := map[types.Object]bool{}, map[types.Object]bool{}
	u.sharedAccesses(lit.Body, func(obj types.Object, write bool, _ token.Pos) {
		litReads[obj] = true
		if write {
			litWrites[obj] = true
		}
	})
	if loop != nil && len(litWrites) > 0 && !(loop.Pos() <= lit.Pos() && lit.End() <= loop.End()) {
		return true // a literal bound outside the loop (go f()), started more than once, races with itself
	}
	race := false
	u.sharedAccesses(u.body, func(obj types.Object, write bool, p token.Pos) {
		if !inSection(p) || loop == nil && lit.Pos() <= p && p < lit.End() {
			return // the goroutine's own code, started once
		}
		if litWrites[obj] || write && litReads[obj] {
			race = true
		}
	})
	return race
}

// sharedAccesses calls f for each access to a field or package-level
// variable in n (function literals included), saying whether it writes
// it: assigned (the variable itself, an element, a field of it), incremented,
// deleted from, cleared or having its address taken.
func (u *unit) sharedAccesses(n ast.Node, f func(obj types.Object, write bool, p token.Pos)) {
	info := u.e.Info
	writes := map[ast.Node]bool{}
	target := func(e ast.Expr) {
		for {
			switch x := e.(type) {
			case *ast.ParenExpr:
				e = x.X
				continue
			case *ast.IndexExpr:
				e = x.X
				continue
			case *ast.IndexListExpr:
				e = x.X
				continue
			case *ast.StarExpr:
				e = x.X
				continue
			case *ast.SliceExpr:
				e = x.X
				continue
			case *ast.SelectorExpr:
				writes[x.Sel] = true
			case *ast.Ident:
				writes[x] = true
			}
			return
		}
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					target(l)
				}
			}
		case *ast.IncDecStmt:
			target(n.X)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				target(n.X)
			}
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && len(n.Args) > 0 {
				if b, ok := info.Uses[id].(*types.Builtin); ok && (b.Name() == "delete" || b.Name() == "clear") {
					target(n.Args[0])
				}
			}
		}
		return true
	})
	ast.Inspect(n, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || !(v.IsField() || v.Pkg() != nil && v.Parent() == v.Pkg().Scope()) {
			return true
		}
		f(v, writes[id], id.Pos())
		return true
	})
}
