package lockstate

import (
	"github.com/regaudit/regaudit/internal/posorder"
	"go/ast"
	"go/types"
	"sort"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// callTargets returns the local functions a call of fn runs: fn itself if
// it is local, or, for an unexported method of an interface of this
// package (cond.match), the local methods implementing it. No other
// package can call or implement a method with an unexported name, so
// the interface calls (with the direct calls) are all of their call
// sites: x/net/trace's Finish calls b.Cond.match(tr) with tr.mu held,
// the only calls of minCond.match.
func (a *analysis_) callTargets(fn *types.Func) []*ls.FuncInfo {
	fn = fn.Origin()
	if fi := a.local[fn]; fi != nil {
		return []*ls.FuncInfo{fi}
	}
	if fn.Pkg() != a.pass.Pkg || fn.Exported() {
		return nil
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return nil
	}
	iface, ok := sig.Recv().Type().Underlying().(*types.Interface)
	if !ok || generic(sig.Recv().Type()) {
		return nil
	}
	if ts, done := a.dispatch[fn]; done {
		return ts
	}
	var ts []*ls.FuncInfo
	for _, fi := range a.local {
		if fi.Obj.Name() != fn.Name() {
			continue
		}
		msig := fi.Obj.Type().(*types.Signature)
		if msig.Recv() == nil {
			continue
		}
		t := msig.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if generic(t) {
			continue // Implements is unspecified for uninstantiated types
		}
		if types.Implements(t, iface) || types.Implements(types.NewPointer(t), iface) {
			ts = append(ts, fi)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return posorder.Less(a.pass.Fset, ts[i].Decl.Pos(), ts[j].Decl.Pos()) })
	if a.dispatch == nil {
		a.dispatch = map[*types.Func][]*ls.FuncInfo{}
	}
	a.dispatch[fn] = ts
	return ts
}

// generic reports whether t is a named type with type parameters.
func generic(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.TypeParams().Len() > 0
}

// allTargets returns the local functions a call runs there: callTargets
// and callbackTargets.
func (a *analysis_) allTargets(call *ast.CallExpr, fn *types.Func) []*ls.FuncInfo {
	cbs := a.callbackTargets(call, fn)
	if len(cbs) == 0 {
		return a.callTargets(fn)
	}
	return append(append([]*ls.FuncInfo(nil), a.callTargets(fn)...), cbs...)
}

// callbacks lists, for the standard-library functions that call methods of
// their first argument before they return, the methods they call.
var callbacks = map[string]map[string][]string{
	"sort": {
		"Sort":     {"Len", "Less", "Swap"},
		"Stable":   {"Len", "Less", "Swap"},
		"IsSorted": {"Len", "Less"},
	},
	"container/heap": {
		"Init":   {"Len", "Less", "Swap"},
		"Push":   {"Push", "Len", "Less", "Swap"},
		"Pop":    {"Len", "Swap", "Less", "Pop"},
		"Fix":    {"Len", "Less", "Swap"},
		"Remove": {"Len", "Swap", "Less", "Pop"},
	},
}

// callbackTargets returns the local methods a call of a standard-library
// function that calls its argument's interface methods synchronously runs:
// sort.Sort(lf), with lf of a named type of this package (or a pointer to
// one), calls lf.Len, lf.Less and lf.Swap there, with the locks held at
// the call; heap.Push(h, x) calls h.Push, h.Len, h.Less and h.Swap. Only
// methods declared on the argument's type itself count (not promoted ones,
// whose receiver is another value).
func (a *analysis_) callbackTargets(call *ast.CallExpr, fn *types.Func) []*ls.FuncInfo {
	if fn == nil || fn.Pkg() == nil || len(call.Args) == 0 {
		return nil
	}
	names := callbacks[fn.Pkg().Path()][fn.Name()]
	if len(names) == 0 {
		return nil
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Recv() != nil {
		return nil
	}
	t := a.pass.TypesInfo.TypeOf(call.Args[0])
	if t == nil {
		return nil
	}
	base := types.Unalias(t)
	if p, ok := base.Underlying().(*types.Pointer); ok {
		base = types.Unalias(p.Elem())
	}
	n, ok := base.(*types.Named)
	if !ok || n.Obj().Pkg() != a.pass.Pkg {
		return nil
	}
	var ts []*ls.FuncInfo
	for _, name := range names {
		obj, index, _ := types.LookupFieldOrMethod(t, true, a.pass.Pkg, name)
		m, ok := obj.(*types.Func)
		if !ok || len(index) != 1 {
			continue
		}
		if fi := a.local[m.Origin()]; fi != nil {
			ts = append(ts, fi)
		}
	}
	return ts
}
