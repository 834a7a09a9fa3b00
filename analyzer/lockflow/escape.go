package lockflow

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/internal/checks"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// escapeSyntax is what the escape check needs from the syntax.
type escapeSyntax struct {
	aliasOf map[ast.Expr]*types.Var // right-hand side of "v := x" / "v = x" -> local v
	assigns map[*types.Var]int      // number of assignments to each local
	direct  map[ast.Expr]bool       // left-hand sides of assignments (the value itself is replaced)
	copied  map[*types.Var]bool     // variables assigned to another (hand-over-hand: i = parent)
	params  map[*types.Var]bool     // parameters, receivers and named results
}

// reassigned reports whether the variable at the root of a lock key may
// denote different values at different points (assigned after its
// declaration, a range or loop variable, or its address taken), or is
// copied to another variable: the key then does not identify one mutex.
func (es *escapeSyntax) reassigned(k ls.Key) bool {
	v, ok := k.Root.(*types.Var)
	if !ok || ls.IsPackageLevel(v) {
		return false
	}
	if es.copied[v] {
		return true
	}
	n := es.assigns[v]
	if es.params[v] {
		return n > 0
	}
	return n > 1
}

// newEscapeSyntax returns an empty escapeSyntax, which scanSyntax fills in
// the same walk of the files as its own.
func newEscapeSyntax() *escapeSyntax {
	return &escapeSyntax{
		aliasOf: map[ast.Expr]*types.Var{},
		assigns: map[*types.Var]int{},
		direct:  map[ast.Expr]bool{},
		copied:  map[*types.Var]bool{},
		params:  map[*types.Var]bool{},
	}
}

// node records what n (visited in preorder) says about local variables.
func (es *escapeSyntax) node(info *types.Info, n ast.Node) {
	fields := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, name := range f.Names {
				if v, ok := info.Defs[name].(*types.Var); ok {
					es.params[v] = true
				}
			}
		}
	}
	localVar := func(e ast.Expr) *types.Var {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		v, ok := obj.(*types.Var)
		if !ok || v.IsField() || ls.IsPackageLevel(v) {
			return nil
		}
		return v
	}
	switch n := n.(type) {
	case *ast.FuncDecl:
		fields(n.Recv)
		fields(n.Type.Params)
		fields(n.Type.Results)
	case *ast.FuncLit:
		fields(n.Type.Params)
		fields(n.Type.Results)
	case *ast.AssignStmt:
		for i, l := range n.Lhs {
			if isAccessExpr(l) {
				es.direct[ast.Unparen(l)] = true
			}
			if len(n.Lhs) == len(n.Rhs) {
				if rv := localVar(n.Rhs[i]); rv != nil {
					es.copied[rv] = true
				}
			}
			if v := localVar(l); v != nil {
				es.assigns[v]++
				if len(n.Lhs) == len(n.Rhs) {
					if isAccessExpr(n.Rhs[i]) {
						es.aliasOf[ast.Unparen(n.Rhs[i])] = v
					}
				} else {
					es.assigns[v]++ // v, ok := m[k] and the like: not an alias
				}
			}
		}
	case *ast.ValueSpec:
		for i, name := range n.Names {
			if v := localVar(name); v != nil {
				es.assigns[v]++
				if len(n.Names) == len(n.Values) && isAccessExpr(n.Values[i]) {
					es.aliasOf[ast.Unparen(n.Values[i])] = v
				}
			}
		}
	case *ast.RangeStmt:
		for _, e := range []ast.Expr{n.Key, n.Value} {
			if v := localVar(e); v != nil {
				es.assigns[v] += 2
			}
		}
	case *ast.UnaryExpr:
		if n.Op == token.AND {
			if v := localVar(n.X); v != nil {
				es.assigns[v] += 2 // address taken: may be reassigned
			}
		}
	}
}

// isAccessExpr reports whether e (parenthesized or not) is a selector or
// an identifier, which an access's expression is: direct and aliasOf are
// looked up only with those.
func isAccessExpr(e ast.Expr) bool {
	switch ast.Unparen(e).(type) {
	case *ast.SelectorExpr, *ast.Ident:
		return true
	}
	return false
}

// collection returns "map" or "slice" for guarded values that can be
// aliased, and the clone function's package.
func collection(t types.Type) (string, string) {
	switch t.Underlying().(type) {
	case *types.Map:
		return "map", "maps"
	case *types.Slice:
		return "slice", "slices"
	}
	return "", ""
}

// escapes reports guarded maps and slices returned while their lock is
// held, and local aliases of them used after the lock is released
// (RA2006).
func (c *checker) escapes() {
	es := c.es
	// fields mutated in place somewhere in the package
	inPlace := map[*types.Var]bool{}
	for _, a := range c.res.Accesses {
		if a.Kind == ls.Write && !es.direct[a.Expr] {
			inPlace[a.Obj] = true
		}
	}
	type aliasCand struct {
		a   *ls.Access
		v   *types.Var
		key ls.Key
		g   *guards.Guard
	}
	var aliases []aliasCand
	for _, a := range c.res.Accesses {
		g := c.model.Guards[a.Obj]
		if g == nil || !g.Reportable() || g.WriteOnly || !guards.Concurrent(a) {
			continue
		}
		kind, pkg := collection(a.Obj.Type())
		if kind == "" {
			continue
		}
		key, ok := g.KeyAt(a)
		if !ok || guards.CallersGuard(a, key) {
			continue
		}
		h, ok := a.Held.Lookup(key)
		if !ok || !h.Must || !h.At.IsValid() {
			continue
		}
		if ret, ok := c.returned[a.Expr]; ok && inPlace[a.Obj] {
			c.returnEscape(a, ret, g, key, h, kind, pkg)
			continue
		}
		if v := es.aliasOf[a.Expr]; v != nil && es.assigns[v] == 1 && inPlace[a.Obj] {
			if c.reassigned(a, es) {
				continue // detach-then-release: the field gets a new value
			}
			aliases = append(aliases, aliasCand{a, v, key, g})
		}
	}
	if len(aliases) == 0 {
		return
	}
	// Walk the functions with aliases again, looking at the alias uses.
	viaEffects := map[*ast.CallExpr][]ls.Effect{}
	for _, op := range c.res.Ops {
		if op.Via != nil {
			viaEffects[op.Via] = appendEffect(viaEffects[op.Via], ls.Effect{Key: op.Key, Op: op.Op})
		}
	}
	byFunc := map[*ls.FuncInfo][]aliasCand{}
	var order []*ls.FuncInfo
	for _, al := range aliases {
		if byFunc[al.a.Func] == nil {
			order = append(order, al.a.Func)
		}
		byFunc[al.a.Func] = append(byFunc[al.a.Func], al)
	}
	for _, fi := range order {
		cands := byFunc[fi]
		reported := map[*types.Var]bool{}
		e := &ls.Engine{Info: c.pass.TypesInfo, Effects: func(call *ast.CallExpr) []ls.Effect { return viaEffects[call] }}
		v := &useVisitor{fn: func(id *ast.Ident, stack []ast.Node, st ls.State, ctx *ls.Context) {
			obj, _ := c.pass.TypesInfo.Uses[id].(*types.Var)
			if obj == nil {
				return
			}
			for _, al := range cands {
				if al.v != obj || reported[obj] || id.Pos() <= al.a.Expr.End() {
					continue
				}
				if _, held := st.Lookup(al.key); held {
					continue
				}
				verb := useVerb(c.pass.TypesInfo, id, stack)
				if verb == "" {
					continue
				}
				reported[obj] = true
				kind, _ := collection(al.a.Obj.Type())
				c.report(checks.GuardedEscape, id.Pos(), id.End(),
					"%s aliases %s, the %s guarded by %s, taken at %s under the lock; %s here after %s is released, racing with writers that modify it in place (copy it under the lock)",
					obj.Name(), types.ExprString(al.a.Expr), kind, al.key, c.line(al.a.Pos(), id.Pos()), verb, al.key)
			}
		}}
		e.Walk(fi.Decl, fi.Decl.Body, fi.Entry, &ls.Context{Kind: ls.CtxNormal, Func: fi.Decl}, v)
	}
}

func appendEffect(efs []ls.Effect, ef ls.Effect) []ls.Effect {
	for _, x := range efs {
		if x == ef {
			return efs
		}
	}
	return append(efs, ef)
}

// reassigned reports whether the aliased field is assigned a new value in
// the same function after the alias was taken (detach-then-release).
func (c *checker) reassigned(al *ls.Access, es *escapeSyntax) bool {
	// helpers called after the alias was taken, with the lock still held
	// (cc.initIdleStateLocked() making a new cc.conns)
	callees := map[*ls.FuncInfo]bool{}
	for _, ce := range c.res.Calls {
		if ce.Func != al.Func || ce.Call.Pos() < al.Pos() || len(ce.Before.Must()) == 0 {
			continue
		}
		if fn := ls.Callee(c.pass.TypesInfo, ce.Call); fn != nil {
			if fi := c.local[fn.Origin()]; fi != nil && fi != al.Func {
				callees[fi] = true
			}
		}
	}
	for _, a := range c.res.Accesses {
		if a.Obj != al.Obj || a.Kind != ls.Write || !es.direct[a.Expr] {
			continue
		}
		if a.Func == al.Func && a.Pos() > al.Pos() || callees[a.Func] {
			return true
		}
	}
	return false
}

// useVerb classifies a use of an alias, "" if it does not read the
// collection (e.g. a comparison with nil).
func useVerb(info *types.Info, id *ast.Ident, stack []ast.Node) string {
	var child ast.Node = id
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
			child = p
			continue
		case *ast.RangeStmt:
			if p.X == child {
				return "ranged over"
			}
		case *ast.IndexExpr:
			if p.X == child {
				return "indexed"
			}
		case *ast.SliceExpr:
			if p.X == child {
				return "sliced"
			}
		case *ast.ReturnStmt:
			return "returned"
		case *ast.CallExpr:
			for _, a := range p.Args {
				if a == child {
					if fid, ok := ast.Unparen(p.Fun).(*ast.Ident); ok {
						if b, ok := info.Uses[fid].(*types.Builtin); ok {
							return "used by " + b.Name()
						}
					}
					return "passed to " + types.ExprString(p.Fun)
				}
			}
		}
		return ""
	}
	return ""
}

// useVisitor calls fn for each identifier, with the lock state there.
type useVisitor struct {
	fn func(id *ast.Ident, stack []ast.Node, st ls.State, ctx *ls.Context)
}

func (u *useVisitor) Node(n ast.Node, stack []ast.Node, st ls.State, ctx *ls.Context) bool {
	if id, ok := n.(*ast.Ident); ok {
		u.fn(id, stack, st, ctx)
	}
	return true
}

func (u *useVisitor) LockOp(token.Pos, ls.Key, ls.Op, ls.State, *ls.Context, bool, *ast.CallExpr) {}
func (u *useVisitor) Exit(*ast.ReturnStmt, ls.State, *ls.Context)                                 {}

// returnEscape reports a guarded map or slice returned while its lock is
// held, with a fix returning a copy.
func (c *checker) returnEscape(a *ls.Access, ret *ast.ReturnStmt, g *guards.Guard, key ls.Key, h ls.Held, kind, pkg string) {
	name := types.ExprString(a.Expr)
	f := c.report(checks.GuardedEscape, a.Expr.Pos(), a.Expr.End(),
		"returns %s, the %s guarded by %s, while holding it (%s): the caller uses it after the lock is released, racing with writers; return a copy",
		name, kind, key, c.heldWhere(h, a.Pos()))
	if fix, ok := c.cloneFix(a, pkg); ok {
		f.Fixes = []analysis.SuggestedFix{fix}
	}
}

// cloneFix wraps the returned expression in maps.Clone or slices.Clone,
// importing the package if needed.
func (c *checker) cloneFix(a *ls.Access, pkg string) (analysis.SuggestedFix, bool) {
	file := a.Func.File
	if file == nil {
		return analysis.SuggestedFix{}, false
	}
	for _, v := range []string{c.pass.TypesInfo.FileVersions[file], file.GoVersion, c.pass.Pkg.GoVersion()} {
		if v != "" && version.Compare(v, "go1.21") < 0 {
			return analysis.SuggestedFix{}, false // maps.Clone and slices.Clone are in Go 1.21
		}
	}
	qual := ""
	var edits []analysis.TextEdit
	for _, imp := range file.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if path != pkg {
			continue
		}
		qual = pkg
		if imp.Name != nil {
			if imp.Name.Name == "_" || imp.Name.Name == "." {
				return analysis.SuggestedFix{}, false
			}
			qual = imp.Name.Name
		}
	}
	if qual == "" {
		// the name must not be taken where the fix uses it
		if scope := c.pass.Pkg.Scope().Innermost(a.Pos()); scope != nil {
			if _, obj := scope.LookupParent(pkg, a.Pos()); obj != nil {
				return analysis.SuggestedFix{}, false
			}
		}
		for _, imp := range file.Imports {
			if imp.Name != nil && imp.Name.Name == pkg {
				return analysis.SuggestedFix{}, false
			}
		}
		edits = append(edits, importEdit(file, pkg)...)
		qual = pkg
	} else if scope := c.pass.Pkg.Scope().Innermost(a.Pos()); scope != nil {
		if _, obj := scope.LookupParent(qual, a.Pos()); obj != nil {
			if _, isPkg := obj.(*types.PkgName); !isPkg {
				return analysis.SuggestedFix{}, false // shadowed
			}
		}
	}
	edits = append(edits,
		analysis.TextEdit{Pos: a.Expr.Pos(), End: a.Expr.Pos(), NewText: []byte(qual + ".Clone(")},
		analysis.TextEdit{Pos: a.Expr.End(), End: a.Expr.End(), NewText: []byte(")")},
	)
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("return %s.Clone(%s)", qual, types.ExprString(a.Expr)),
		TextEdits: edits,
	}, true
}

// importEdit adds an import of a standard package to a file, among the
// standard imports of its first import declaration.
func importEdit(file *ast.File, pkg string) []analysis.TextEdit {
	quoted := strconv.Quote(pkg)
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		if !gd.Lparen.IsValid() {
			// import "sync" -> import ( "maps"; "sync" )
			spec := gd.Specs[0].(*ast.ImportSpec)
			path, _ := strconv.Unquote(spec.Path.Value)
			if pkg < path {
				return []analysis.TextEdit{
					{Pos: spec.Pos(), End: spec.Pos(), NewText: []byte("(\n\t" + quoted + "\n\t")},
					{Pos: spec.End(), End: spec.End(), NewText: []byte("\n)")},
				}
			}
			return []analysis.TextEdit{
				{Pos: spec.Pos(), End: spec.Pos(), NewText: []byte("(\n\t")},
				{Pos: spec.End(), End: spec.End(), NewText: []byte("\n\t" + quoted + "\n)")},
			}
		}
		var lastStd *ast.ImportSpec
		for _, s := range gd.Specs {
			spec := s.(*ast.ImportSpec)
			path, _ := strconv.Unquote(spec.Path.Value)
			if strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
				continue
			}
			if path > pkg {
				return []analysis.TextEdit{{Pos: spec.Pos(), End: spec.Pos(), NewText: []byte(quoted + "\n\t")}}
			}
			lastStd = spec
		}
		if lastStd != nil {
			return []analysis.TextEdit{{Pos: lastStd.End(), End: lastStd.End(), NewText: []byte("\n\t" + quoted)}}
		}
		return []analysis.TextEdit{{Pos: gd.Lparen + 1, End: gd.Lparen + 1, NewText: []byte("\n\t" + quoted + "\n")}}
	}
	return []analysis.TextEdit{{Pos: file.Name.End(), End: file.Name.End(), NewText: []byte("\n\nimport " + quoted)}}
}
