package unguarded

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/lockstate"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// A function started once as its value's goroutine, making every write of
// a field of that value, reads its own writes (olahol/melody's hub: New
// allocates the hub and starts its loop, the only writer of sessions, which
// it writes under the lock for the readers len and all):
//
//	func New() *M { h := newHub(); go h.run(); return &M{hub: h} }
//	func (h *hub) run() {
//		for s := range h.unregister {
//			if _, ok := h.sessions[s]; ok {   // read without h.mu
//				h.mu.Lock(); delete(h.sessions, s); h.mu.Unlock()
//			}
//		}
//	}
//
// A read in run of a field whose every write after construction is made in
// run's own body on the same value cannot overlap a write: for one value,
// run is one goroutine, the only one that writes.

// soleOwners finds the functions run as the one goroutine of a value.
type soleOwners struct {
	pass    *analysis.Pass
	res     *lockstate.Result
	byObj   map[*types.Var][]*ls.Access
	started map[*ls.FuncInfo]*onceStart // nil: not started once
	addr    map[*types.Var]bool         // fields whose address is taken
}

// onceStart is the one go statement starting a function, with the index
// of the parameter (receiver first) given a value allocated by the
// starter.
type onceStart struct {
	caller *ls.FuncInfo
	goPos  token.Pos
	param  int
}

func newSoleOwners(pass *analysis.Pass, res *lockstate.Result) *soleOwners {
	o := &soleOwners{pass: pass, res: res, byObj: map[*types.Var][]*ls.Access{}, started: map[*ls.FuncInfo]*onceStart{}}
	for _, a := range res.Accesses {
		o.byObj[a.Obj] = append(o.byObj[a.Obj], a)
	}
	return o
}

// ownWrites reports whether a, a read of an unexported field in the body
// of a function R (not in a function literal) through one of R's
// parameters, which R never reassigns, reads a field whose every write
// after construction is made in R's body through the same parameter,
// when R runs only as one goroutine per value: R is unexported, never used
// as a value, and its only call site is a go statement, outside any loop
// that does not also allocate the value, passing for that parameter a local
// variable assigned once, with a value allocated there (&T{}, new(T),
// newT(...)), and not written through after the go statement.
func (o *soleOwners) ownWrites(a *ls.Access) bool {
	if a.Kind != ls.Read || a.Obj.Exported() || !a.HasBase || a.Base.Path != "" || a.Ctx == nil || a.Ctx.Parent != nil || a.Ctx.Kind != ls.CtxNormal {
		return false
	}
	r := a.Func
	st := o.start(r)
	if st == nil || st.param >= len(r.Params) || r.Params[st.param] == nil || any(r.Params[st.param]) != a.Base.Root {
		return false
	}
	if o.addressTaken(a.Obj) {
		return false
	}
	writes := 0
	for _, w := range o.byObj[a.Obj] {
		if w.Kind != ls.Write || w.Func.Construction() && !w.Func.Setup {
			continue // init, sync.Once bodies, test files; a Start or Init method may run beside the goroutine
		}
		if w.Local {
			if w.Func == st.caller && w.Pos() > st.goPos {
				return false // written by the starter once the goroutine runs
			}
			continue
		}
		if w.Func != r || w.Ctx == nil || w.Ctx.Parent != nil || w.Ctx.Kind != ls.CtxNormal || !w.HasBase || w.Base != a.Base {
			return false
		}
		writes++
	}
	return writes > 0
}

// start returns how fn is started once per value, or nil.
func (o *soleOwners) start(fn *ls.FuncInfo) *onceStart {
	if st, ok := o.started[fn]; ok {
		return st
	}
	var st *onceStart
	defer func() { o.started[fn] = st }()
	sites := o.res.Callers[fn]
	if !o.res.ClosedCallers[fn] || fn.UnknownCallers || len(sites) != 1 || fn.Decl.Body == nil {
		return nil
	}
	cs := sites[0]
	if cs.Func == fn || !cs.GoPos.IsValid() || cs.Unknown || cs.Func.Decl.Body == nil {
		return nil
	}
	info := o.pass.TypesInfo
	body := cs.Func.Decl.Body
	var g *ast.GoStmt
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // run when the literal is, maybe more than once
		case *ast.GoStmt:
			if n.Call.Pos() == cs.GoPos {
				g = n
			}
		}
		return g == nil
	})
	if g == nil {
		return nil
	}
	if callee := ls.Callee(info, g.Call); callee == nil || callee.Origin() != fn.Obj {
		return nil
	}
	for i, arg := range ls.CallArgs(info, g.Call) {
		if i >= len(fn.Params) || fn.Params[i] == nil || reassigned(info, fn.Decl.Body, fn.Params[i]) {
			continue
		}
		id, ok := ast.Unparen(arg).(*ast.Ident)
		if !ok {
			continue
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || ls.IsPackageLevel(v) {
			continue
		}
		if at, ok := allocatedOnce(info, body, v); ok && !inLoopWithout(body, g.Pos(), at) {
			st = &onceStart{caller: cs.Func, goPos: g.Pos(), param: i}
			return st
		}
	}
	return nil
}

// allocatedOnce reports whether the local variable v is assigned once in
// body, outside function literals, with a value allocated there, and its
// address is never taken; it returns where.
func allocatedOnce(info *types.Info, body *ast.BlockStmt, v *types.Var) (token.Pos, bool) {
	var at token.Pos
	n, ok := 0, true
	is := func(e ast.Expr) bool {
		id, isID := ast.Unparen(e).(*ast.Ident)
		return isID && (info.Defs[id] == v || info.Uses[id] == v)
	}
	var visit func(n ast.Node, inLit bool)
	visit = func(root ast.Node, inLit bool) {
		ast.Inspect(root, func(nd ast.Node) bool {
			switch nd := nd.(type) {
			case *ast.FuncLit:
				if nd != root {
					visit(nd.Body, true)
					return false
				}
			case *ast.AssignStmt:
				for i, l := range nd.Lhs {
					if !is(l) {
						continue
					}
					n++
					if inLit || len(nd.Lhs) != len(nd.Rhs) || !ls.IsAlloc(info, nd.Rhs[i]) {
						ok = false
					}
					at = nd.Pos()
				}
			case *ast.ValueSpec:
				for i, name := range nd.Names {
					if !is(name) {
						continue
					}
					n++
					if inLit || i >= len(nd.Values) || !ls.IsAlloc(info, nd.Values[i]) {
						ok = false
					}
					at = nd.Pos()
				}
			case *ast.RangeStmt:
				if (nd.Key != nil && is(nd.Key)) || (nd.Value != nil && is(nd.Value)) {
					ok = false
				}
			case *ast.UnaryExpr:
				if nd.Op == token.AND && is(nd.X) {
					ok = false
				}
			}
			return true
		})
	}
	visit(body, false)
	return at, ok && n == 1
}

// reassigned reports whether the parameter p is assigned, or its address
// taken, in body.
func reassigned(info *types.Info, body *ast.BlockStmt, p *types.Var) bool {
	n, other := ls.Assignments(info, body, p)
	return n > 0 || other
}

// inLoopWithout reports whether a loop of body contains p but not q (p
// runs again with the value q made).
func inLoopWithout(body *ast.BlockStmt, p, q token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() > p || n.End() <= p {
			return false // only nodes containing p
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if q < n.Pos() || q >= n.End() {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// addressTaken reports whether &x.f is taken anywhere in the package for
// the field f: a pointer to it may be written through elsewhere.
func (o *soleOwners) addressTaken(f *types.Var) bool {
	if o.addr == nil {
		o.addr = map[*types.Var]bool{}
		for _, file := range o.pass.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND {
					if sel, ok := ast.Unparen(u.X).(*ast.SelectorExpr); ok {
						if v, ok := o.pass.TypesInfo.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
							o.addr[v.Origin()] = true
						}
					}
				}
				return true
			})
		}
	}
	return o.addr[f]
}
