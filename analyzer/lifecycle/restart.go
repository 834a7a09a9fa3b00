package lifecycle

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	reg "github.com/regaudit/regaudit/internal/registry"
)

// restartable reports whether the entries of coll that cleanup releases
// (at rel) are left in a state the registry keeps entries in during its
// normal operation, so that leaving them in the collection is no stale
// state: the release is a method M of the entry type, declared in the
// package, that
//
//   - another operation of the registry (not a cleanup, not a test) applies
//     to an entry of the collection that it keeps: it neither removes from
//     nor resets the collection (grpc priority's
//     stopSubBalancersLowerThanPriority stopping the lower children in
//     place), and
//   - another method of the entry type undoes: M sets a field of its
//     receiver to a constant, the other method sets it to a different
//     constant (stop: started = false; start: started = true), and the
//     package calls that method outside the entry type's own methods.
//
// A stopped entry is then one the registry stops and restarts in place:
// every operation that finds one already meets it in normal operation,
// and resetting the collection in the cleanup would change nothing for an
// operation that finds the entries (one that adds instead makes fresh,
// equally stopped ones).
func (c *checker) restartable(r *reg.Registry, cleanup *reg.Op, coll *reg.Collection, rel reg.Site) bool {
	m := rel.Method
	if m == nil || m.Pkg() != c.pass.Pkg {
		return false
	}
	sig, ok := m.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	recvType := namedOf(sig.Recv().Type())
	if recvType == nil {
		return false
	}
	inPlace := false
	for _, o := range r.Ops {
		if o == cleanup || o.Has(reg.Cleanup) || o.Info.Test || !c.keeps(o, coll) {
			continue
		}
		for _, s := range o.Releases {
			if s.Method == m && c.sameColl(s, coll) {
				inPlace = true
			}
		}
	}
	if !inPlace {
		return false
	}
	decls := c.methodDecls(recvType)
	md := decls[m]
	if md == nil {
		return false
	}
	sets := c.constFieldSets(md)
	if len(sets) == 0 {
		return false
	}
	for fn, d := range decls {
		if fn == m || isReleaseMethodName(fn.Name()) {
			continue
		}
		undoes := false
		for f, v := range c.constFieldSets(d) {
			if w, ok := sets[f]; ok && !constant.Compare(v, token.EQL, w) {
				undoes = true
			}
		}
		if undoes && c.calledOutside(fn, decls) {
			return true
		}
	}
	return false
}

// sameColl reports whether the release site s releases entries of coll.
func (c *checker) sameColl(s reg.Site, coll *reg.Collection) bool {
	for _, x := range coll.Releases {
		if x.Pos == s.Pos {
			return true
		}
	}
	return false
}

// keeps reports whether o neither removes entries from coll nor resets it.
func (c *checker) keeps(o *reg.Op, coll *reg.Collection) bool {
	for _, rm := range o.Removes {
		if rm.Coll == coll {
			return false
		}
	}
	for _, s := range coll.Resets {
		if s.Op == o {
			return false
		}
	}
	return true
}

func isReleaseMethodName(name string) bool {
	return reg.IsCleanupName(name) || strings.HasPrefix(strings.ToLower(name), "cancel")
}

// namedOf returns the named type of t or *t.
func namedOf(t types.Type) *types.Named {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	if n != nil {
		n = n.Origin()
	}
	return n
}

// methodDecls returns the declarations of the methods of t in the
// package's non-test files.
func (c *checker) methodDecls(t *types.Named) map[*types.Func]*ast.FuncDecl {
	out := map[*types.Func]*ast.FuncDecl{}
	for _, f := range c.pass.Files {
		if strings.HasSuffix(c.pass.Fset.File(f.Pos()).Name(), "_test.go") {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Body == nil {
				continue
			}
			fn, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil && namedOf(sig.Recv().Type()) == t {
				out[fn] = fd
			}
		}
	}
	return out
}

// constFieldSets returns the fields of its receiver that the method fd
// sets to a constant in its own body (not in function literals):
// cb.started = false.
func (c *checker) constFieldSets(fd *ast.FuncDecl) map[*types.Var]constant.Value {
	if len(fd.Recv.List) == 0 || len(fd.Recv.List[0].Names) == 0 {
		return nil
	}
	recv := c.pass.TypesInfo.Defs[fd.Recv.List[0].Names[0]]
	if recv == nil {
		return nil
	}
	out := map[*types.Var]constant.Value{}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if x.Tok != token.ASSIGN || len(x.Lhs) != len(x.Rhs) {
				return true
			}
			for i, l := range x.Lhs {
				sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
				if !ok {
					continue
				}
				id, ok := ast.Unparen(sel.X).(*ast.Ident)
				if !ok || c.pass.TypesInfo.Uses[id] != recv {
					continue
				}
				f, ok := c.pass.TypesInfo.Uses[sel.Sel].(*types.Var)
				if !ok || !f.IsField() {
					continue
				}
				if tv, ok := c.pass.TypesInfo.Types[x.Rhs[i]]; ok && tv.Value != nil {
					out[f] = tv.Value
				}
			}
		}
		return true
	})
	return out
}

// calledOutside reports whether fn is called in the package's non-test
// files outside the methods in decls.
func (c *checker) calledOutside(fn *types.Func, decls map[*types.Func]*ast.FuncDecl) bool {
	own := map[*ast.FuncDecl]bool{}
	for _, d := range decls {
		own[d] = true
	}
	found := false
	for _, f := range c.pass.Files {
		if strings.HasSuffix(c.pass.Fset.File(f.Pos()).Name(), "_test.go") {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && own[fd] {
				continue
			}
			ast.Inspect(d, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if g, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func); ok && g.Origin() == fn {
						found = true
					}
				}
				return !found
			})
			if found {
				return true
			}
		}
	}
	return false
}
