package lockstate

import (
	"go/ast"
	"go/types"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Functions used as values are called from places the analysis cannot see,
// holding locks it cannot know (valueUsed): their accesses are not judged
// and no entry lock is inferred for them. One use is an exception: a
// function value handed to a goroutine starter (time.AfterFunc(d,
// r.expire), context.AfterFunc, g.Go(r.run), a function that starts its
// parameter with go, an HTTP handler registration) runs later in a
// goroutine of its own, holding none of the caller's locks, like the
// function of a go statement. Such a use is recorded as a call site made by
// a go statement (startedValues), and a function whose every use as a value
// is such a start is judged as running holding nothing (its callers are
// known: classifyCallers). It stays valueUsed for the rest: no entry lock
// is inferred from its direct call sites (the goroutine holds none), and it
// is not taken for a function whose callers are all in view.

// funcValue returns the identifier naming a function of this package used
// as a value in e (f, r.m; not the method expression T.m, whose receiver is
// an argument), with the function.
func (a *analysis_) funcValue(e ast.Expr) (*ast.Ident, *ls.FuncInfo) {
	info := a.pass.TypesInfo
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[e]; ok && sel.Kind() != types.MethodVal {
			return nil, nil
		}
		id = e.Sel
	case *ast.IndexExpr: // f[T]
		return a.funcValue(e.X)
	case *ast.IndexListExpr:
		return a.funcValue(e.X)
	default:
		return nil, nil
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return nil, nil
	}
	if fi := a.local[fn.Origin()]; fi != nil {
		return id, fi
	}
	return nil, nil
}

// servesHandler reports whether fn registers its i'th argument as an HTTP
// handler, run by the server in the goroutines serving requests.
func servesHandler(fn *types.Func, i int) bool {
	if fn.Name() != "HandleFunc" || i != 1 {
		return false
	}
	switch ls.QualifiedName(fn) {
	case "net/http.HandleFunc", "net/http.ServeMux.HandleFunc":
		return true
	}
	return false
}

// startsArg reports whether the call runs its i'th argument in a goroutine
// of its own, holding none of the locks held at the call (st).
func (a *analysis_) startsArg(call *ast.CallExpr, fn *types.Func, i int, st ls.State) bool {
	if fn == nil {
		return false
	}
	if ls.GoroutineStarter(fn) {
		// wg.Go(f) under a lock, joined before it is released: f may
		// run under it
		return !ls.Joined(fn) || len(st.Must()) == 0
	}
	return servesHandler(fn, i) || a.goes(call, i)
}

// mayStartValue reports whether a call passes a function of this package
// as a value to a function that may start it (the call must be walked).
func (a *analysis_) mayStartValue(call *ast.CallExpr, fn *types.Func) bool {
	for i, arg := range call.Args {
		if id, _ := a.funcValue(arg); id == nil {
			continue
		}
		if ls.GoroutineStarter(fn) || servesHandler(fn, i) {
			return true
		}
		if fn.Pkg() != nil && fn.Pkg() != a.pass.Pkg && a.importsGuarded {
			if s := a.importedSummary(fn.Origin()); s != nil && len(s.Goes) > 0 {
				return true
			}
		}
	}
	return false
}

// startedValues records, for each function of this package the call hands
// as a value to a goroutine starter, a call site like that of a go
// statement: the function runs in a goroutine that holds nothing.
func (v *visitor) startedValues(call *ast.CallExpr, st ls.State, ctx *ls.Context) {
	a := v.a
	if v.noRecord || v.fi.Test || len(call.Args) == 0 {
		return
	}
	fn := ls.Callee(a.pass.TypesInfo, call)
	if fn == nil {
		return
	}
	for i, arg := range call.Args {
		id, target := a.funcValue(arg)
		if id == nil || !a.startsArg(call, fn, i, st) {
			continue
		}
		a.startedIdent[id] = true
		cs := callSite{caller: v.fi, known: ctx.Kind == ls.CtxNormal || ctx.Kind == ls.CtxGoroutine, informed: v.fi.EntryWhy != "", goPos: call.Pos()}
		if p := ctx.OutermostGo(); p.IsValid() {
			cs.goPos = p
		}
		cs.unknown = ctx.Inside(ls.CtxUnknown)
		dup := false
		for _, old := range a.callSites[target.Obj] {
			if old.caller == cs.caller && old.goPos == cs.goPos && old.known == cs.known && old.unknown == cs.unknown {
				dup = true // walked again
				break
			}
		}
		if !dup {
			a.callSites[target.Obj] = append(a.callSites[target.Obj], cs)
		}
	}
}

// startedOnly reports whether every use of fi as a value (there is one) was
// found handing it to a goroutine starter.
func (a *analysis_) startedOnly(fi *ls.FuncInfo) bool {
	uses := a.valueUses[fi.Obj]
	if len(uses) == 0 {
		return false
	}
	for _, id := range uses {
		if !a.startedIdent[id] {
			return false
		}
	}
	return true
}
