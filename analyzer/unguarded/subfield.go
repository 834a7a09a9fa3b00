package unguarded

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// The fields of a struct-valued field are variables of their own: a guard
// inferred for the field (nats.go Conn.Opts: the Set*Handler setters write
// nc.Opts.ClosedCB under nc.mu) protects the fields written under it, not
// the ones set at construction and never again (nc.Opts.InboxPrefix, read
// freely by NewInbox):
//
//	nc.mu.Lock(); nc.Opts.ClosedCB = cb; nc.mu.Unlock()   // after construction
//	return nc.Opts.InboxPrefix + nuid.Next()              // not reported
//
// A read of x.F.G (F a field of struct type, G a field of it) is not
// reported when no access of F after construction writes G (x.F.G = v, or
// a write into it, x.F.G.H = v), takes its address (&x.F.G, or calls a
// method on it), or acts on F as a whole in a way that may write G: a
// write of F itself (x.F = v), its address (&x.F) or a method call on it.

// subfields answers, for the struct-valued fields of a package, which of
// their fields are written after construction.
type subfields struct {
	pass   *analysis.Pass
	parent map[ast.Expr]ast.Node        // made on first use: parent of each selector and identifier
	late   map[*types.Var]*lateSubWrite // per struct-valued field
}

// lateSubWrite is what the accesses of a struct-valued field after
// construction may write: some of its fields, or all of them.
type lateSubWrite struct {
	whole bool
	subs  map[*types.Var]bool
}

func newSubfields(pass *analysis.Pass) *subfields {
	return &subfields{pass: pass, late: map[*types.Var]*lateSubWrite{}}
}

// immutable reports whether a, a read, reads a field of a struct-valued
// field that no access after construction writes (accs: all the accesses
// of the package).
func (s *subfields) immutable(a *ls.Access, accs []*ls.Access) bool {
	if a.Kind != ls.Read || !a.HasBase || !isStructValue(a.Obj.Type()) {
		return false
	}
	g, _, ok := s.sub(a.Expr)
	if !ok {
		return false
	}
	lw := s.late[a.Obj]
	if lw == nil {
		lw = s.lateWrites(a.Obj, accs)
		s.late[a.Obj] = lw
	}
	return !lw.whole && !lw.subs[g]
}

// lateWrites collects the fields of the struct-valued field v that its
// accesses after construction may write.
func (s *subfields) lateWrites(v *types.Var, accs []*ls.Access) *lateSubWrite {
	lw := &lateSubWrite{subs: map[*types.Var]bool{}}
	for _, w := range accs {
		if w.Obj != v || w.Local || w.Func.Construction() || w.InLazyInit() || w.Ctx.Inside(ls.CtxOnce) {
			continue
		}
		g, addr, ok := s.sub(w.Expr)
		if !ok {
			// F used as a whole: a read of it (a copy, a comparison)
			// writes nothing; anything else may write every field.
			if w.Kind == ls.Write || s.mayWriteWhole(w.Expr) {
				lw.whole = true
			}
			continue
		}
		if w.Kind == ls.Write || addr {
			lw.subs[g] = true
		}
	}
	return lw
}

// sub returns the field G that the expression x.F (e) is the base of, in
// x.F.G, and whether the address of x.F.G is taken (&x.F.G, or a method
// called on it).
func (s *subfields) sub(e ast.Expr) (g *types.Var, addr bool, ok bool) {
	p, child := s.up(e)
	sel, isSel := p.(*ast.SelectorExpr)
	if !isSel || sel.X != child {
		return nil, false, false
	}
	selection, found := s.pass.TypesInfo.Selections[sel]
	if !found || selection.Kind() != types.FieldVal {
		return nil, false, false
	}
	g, ok = selection.Obj().(*types.Var)
	if !ok {
		return nil, false, false
	}
	pp, child := s.up(sel)
	switch pp := pp.(type) {
	case *ast.UnaryExpr:
		addr = pp.Op == token.AND
	case *ast.SelectorExpr:
		// a method called on x.F.G may write it (through its address)
		if m, ok := s.pass.TypesInfo.Selections[pp]; ok && pp.X == child && m.Kind() == types.MethodVal {
			addr = true
		}
	}
	return g, addr, true
}

// mayWriteWhole reports whether the use of the struct value e (x.F) as a
// whole may write its fields: its address is taken, or a method is
// called on it (a pointer method through the addressable value).
func (s *subfields) mayWriteWhole(e ast.Expr) bool {
	p, child := s.up(e)
	switch p := p.(type) {
	case *ast.UnaryExpr:
		return p.Op == token.AND
	case *ast.SelectorExpr:
		if p.X == child {
			if sel, ok := s.pass.TypesInfo.Selections[p]; ok && sel.Kind() == types.MethodVal {
				return true
			}
		}
	}
	return false
}

// up returns the parent of e, above any parentheses, and the child of it
// that contains e.
func (s *subfields) up(e ast.Expr) (ast.Node, ast.Expr) {
	if s.parent == nil {
		s.parent = map[ast.Expr]ast.Node{}
		for _, f := range s.pass.Files {
			var stack []ast.Node
			ast.Inspect(f, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				if len(stack) > 0 {
					switch n := n.(type) {
					case *ast.SelectorExpr, *ast.Ident, *ast.ParenExpr:
						s.parent[n.(ast.Expr)] = stack[len(stack)-1]
					}
				}
				stack = append(stack, n)
				return true
			})
		}
	}
	child := e
	p := s.parent[e]
	for {
		par, ok := p.(*ast.ParenExpr)
		if !ok {
			return p, child
		}
		child = par
		p = s.parent[par]
	}
}

// isStructValue reports whether t is a struct type (not a pointer to one).
func isStructValue(t types.Type) bool {
	_, ok := t.Underlying().(*types.Struct)
	return ok
}
