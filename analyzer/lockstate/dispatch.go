package lockstate

import (
	"github.com/regaudit/regaudit/internal/posorder"
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
