package unguarded

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/regaudit/regaudit/analyzer/lockstate"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// startOrder answers whether an access happens before every other access
// of its field or variable because the function making it starts, after
// it, the goroutines that make all the others (tcpproxy's Run fills
// tp.remotes, then starts the monitor and the connection handlers, the
// only code that uses it):
//
//	func (p *Proxy) Run() {
//		p.remotes = ...   // before any goroutine that uses it exists
//		go p.monitor()
//		for { go p.serve(accept()) }
//	}
//
// The go statement orders what precedes it before the goroutine it starts.
type startOrder struct {
	res     *lockstate.Result
	byObj   map[*types.Var][]*ls.Access
	started map[*ls.FuncInfo]map[*ls.FuncInfo][]token.Pos // starter -> functions run only by its goroutines -> go statements leading there
}

func newStartOrder(res *lockstate.Result) *startOrder {
	o := &startOrder{res: res, byObj: map[*types.Var][]*ls.Access{}, started: map[*ls.FuncInfo]map[*ls.FuncInfo][]token.Pos{}}
	for _, a := range res.Accesses {
		o.byObj[a.Obj] = append(o.byObj[a.Obj], a)
	}
	return o
}

// beforeOthers reports whether a, made in the body of a function F (not in
// a function literal) on an unexported field or variable, precedes every
// other access of it made while the value may be shared: the others are in
// F's own flow, or in goroutines F starts after a (go statements that
// follow a and do not share a loop with it: directly, or in functions that
// only such goroutines call), and F is not called again by them.
func (o *startOrder) beforeOthers(a *ls.Access) bool {
	if a.Obj.Exported() || a.Ctx == nil || a.Ctx.Parent != nil || a.Ctx.Kind != ls.CtxNormal {
		return false
	}
	fn := a.Func
	started := o.startedBy(fn)
	if len(started) == 0 {
		return false
	}
	for _, cs := range o.res.Callers[fn] {
		if started[cs.Func] != nil || (cs.Func == fn && (cs.GoPos.IsValid() || cs.Unknown)) {
			return false // F runs again while its goroutines run
		}
	}
	after := func(p token.Pos) bool { return p > a.Pos() && !inLoopWith(fn.Decl.Body, a.Pos(), p) }
	for _, b := range o.byObj[a.Obj] {
		if b == a || b.Local || b.Func.Construction() || b.Ctx.Inside(ls.CtxOnce) {
			continue
		}
		if b.Func == fn {
			if b.Ctx.Inside(ls.CtxUnknown) {
				return false
			}
			if goPos := b.Ctx.OutermostGo(); goPos.IsValid() && !after(goPos) {
				return false
			}
			continue // F's own flow, or a goroutine it starts after a
		}
		at := started[b.Func]
		if len(at) == 0 {
			return false
		}
		for _, p := range at {
			if !after(p) {
				return false
			}
		}
	}
	return true
}

// startedBy returns the functions of the package that run only in
// goroutines fn starts, with the go statements of fn that lead to each: every
// call site is a go statement of fn, a call in a goroutine literal fn
// starts, or a call in such a function; their callers are all known.
func (o *startOrder) startedBy(fn *ls.FuncInfo) map[*ls.FuncInfo][]token.Pos {
	if s, ok := o.started[fn]; ok {
		return s
	}
	var out map[*ls.FuncInfo][]token.Pos
	defer func() { o.started[fn] = out }()
	starts := false
	for _, sites := range o.res.Callers {
		for _, cs := range sites {
			if cs.Func == fn && cs.GoPos.IsValid() && !cs.Unknown {
				starts = true
			}
		}
	}
	if !starts {
		return nil
	}
	// The largest set whose members are called only from fn's goroutines
	// or from members.
	in := map[*ls.FuncInfo]bool{}
	for g := range o.res.ClosedCallers {
		if g != fn && len(o.res.Callers[g]) > 0 {
			in[g] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for g := range in {
			for _, cs := range o.res.Callers[g] {
				if cs.Func == fn && cs.GoPos.IsValid() && !cs.Unknown || cs.Func != fn && in[cs.Func] {
					continue
				}
				delete(in, g)
				changed = true
				break
			}
		}
	}
	// The go statements of fn leading to each member (none for members
	// called only by members that fn does not reach).
	out = map[*ls.FuncInfo][]token.Pos{}
	seen := map[*ls.FuncInfo]map[token.Pos]bool{}
	add := func(g *ls.FuncInfo, p token.Pos) bool {
		if seen[g] == nil {
			seen[g] = map[token.Pos]bool{}
		}
		if seen[g][p] {
			return false
		}
		seen[g][p] = true
		out[g] = append(out[g], p)
		return true
	}
	for changed := true; changed; {
		changed = false
		for g := range in {
			for _, cs := range o.res.Callers[g] {
				if cs.Func == fn {
					changed = add(g, cs.GoPos) || changed
					continue
				}
				for _, p := range out[cs.Func] {
					changed = add(g, p) || changed
				}
			}
		}
	}
	return out
}

// inLoopWith reports whether a loop of body contains both positions (its
// next iteration runs p before q again).
func inLoopWith(body *ast.BlockStmt, p, q token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil {
			return false
		}
		if n.Pos() > p || n.End() <= p {
			return false // only nodes containing p
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Pos() <= q && q < n.End() {
				found = true
				return false
			}
		case *ast.FuncLit:
			return false
		}
		return true
	})
	return found
}
