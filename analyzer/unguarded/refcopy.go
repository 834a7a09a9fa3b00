package unguarded

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/regaudit/regaudit/analyzer/lockstate"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// refCopies answers whether a read of a guarded map variable only copies
// its reference, which never changes, into a local value that reaches the
// map's contents only where the guard is held (x/net/trace's Render):
//
//	var completedTraces = make(map[string]*family) // never reassigned
//
//	data := &struct{ ...; CompletedTraces map[string]*family }{
//		CompletedTraces: completedTraces, // a constant reference, read without the lock
//	}
//	... data.Family = ...                 // other fields
//	completedMu.RLock()
//	defer completedMu.RUnlock()
//	tmpl.Execute(w, data)                 // the contents, reached under the lock
//
// The mutex guards the map's contents; the variable itself is written
// only at initialization, so reading it races with nothing.
type refCopies struct {
	pass  *analysis.Pass
	byObj map[*types.Var][]*ls.Access
	calls map[*ast.CallExpr]*lockstate.CallEvent
	fixed map[*types.Var]bool // memo of neverReassigned
}

func newRefCopies(pass *analysis.Pass, res *lockstate.Result) *refCopies {
	r := &refCopies{
		pass:  pass,
		byObj: map[*types.Var][]*ls.Access{},
		calls: map[*ast.CallExpr]*lockstate.CallEvent{},
		fixed: map[*types.Var]bool{},
	}
	for _, a := range res.Accesses {
		r.byObj[a.Obj] = append(r.byObj[a.Obj], a)
	}
	for _, c := range res.Calls {
		r.calls[c.Call] = c
	}
	return r
}

// confined reports whether the read a of an unexported package-level map
// variable that is never reassigned after initialization (its writes
// store into the map: m[k] = v, delete, clear) nor has its address taken
// copies the reference into a local variable (v := m), or into a field of
// a composite literal assigned to one (data := &T{F: m}), whose every use
// either selects another field of it or passes it to a call made holding
// the guard (key).
func (r *refCopies) confined(a *ls.Access, key ls.Key) bool {
	if a.Kind != ls.Read || a.HasBase || a.Obj.Exported() || a.Obj.Parent() != a.Obj.Pkg().Scope() {
		return false
	}
	if _, ok := a.Obj.Type().Underlying().(*types.Map); !ok {
		return false
	}
	if !r.neverReassigned(a.Obj) {
		return false
	}
	holder, field := r.copyTarget(a)
	if holder == nil {
		return false
	}
	return r.usesHold(a.Func.Decl.Body, holder, field, key)
}

// neverReassigned reports whether the package variable v is assigned
// only at initialization (in its declaration or in construction code):
// every other write stores into the map, and its address is never taken.
func (r *refCopies) neverReassigned(v *types.Var) bool {
	if done, ok := r.fixed[v]; ok {
		return done
	}
	ok := true
	for _, b := range r.byObj[v] {
		if b.Func.File == nil {
			ok = false
			break
		}
		path, _ := astutil.PathEnclosingInterval(b.Func.File, b.Expr.Pos(), b.Expr.End())
		parent, child := parentOf(path, b.Expr)
		if u, isUnary := parent.(*ast.UnaryExpr); isUnary && u.Op == token.AND {
			ok = false // &m: it may be assigned through the pointer
			break
		}
		if b.Kind != ls.Write || b.Func.Construction() {
			continue
		}
		if ix, isIndex := parent.(*ast.IndexExpr); isIndex && ix.X == child {
			continue // m[k] = v
		}
		if call, isCall := parent.(*ast.CallExpr); isCall && len(call.Args) > 0 && call.Args[0] == child {
			continue // delete(m, k), clear(m), maps.DeleteFunc(m, f)
		}
		ok = false
		break
	}
	r.fixed[v] = ok
	return ok
}

// parentOf returns the node enclosing e in path (from
// PathEnclosingInterval), skipping parentheses, and the child of it that
// contains e.
func parentOf(path []ast.Node, e ast.Expr) (ast.Node, ast.Node) {
	for i, n := range path {
		if n != ast.Node(e) {
			continue
		}
		child := ast.Node(e)
		for j := i + 1; j < len(path); j++ {
			if _, paren := path[j].(*ast.ParenExpr); paren {
				child = path[j]
				continue
			}
			return path[j], child
		}
		return nil, child
	}
	return nil, nil
}

// copyTarget returns the local variable that the read a copies the map
// reference into and, when the reference is the value of a field in a
// composite literal assigned to it, that field.
func (r *refCopies) copyTarget(a *ls.Access) (*types.Var, *types.Var) {
	info := r.pass.TypesInfo
	path, _ := astutil.PathEnclosingInterval(a.Func.File, a.Expr.Pos(), a.Expr.End())
	parent, child := parentOf(path, a.Expr)
	var field *types.Var
	if kv, ok := parent.(*ast.KeyValueExpr); ok && kv.Value == child {
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			return nil, nil
		}
		f, ok := info.Uses[key].(*types.Var)
		if !ok || !f.IsField() {
			return nil, nil
		}
		field = f
		lit, ok := parentNode(path, kv).(*ast.CompositeLit)
		if !ok {
			return nil, nil
		}
		parent, child = parentOf(path, lit)
		if u, ok := parent.(*ast.UnaryExpr); ok && u.Op == token.AND {
			parent, child = parentOf(path, u)
		}
	}
	local := func(id *ast.Ident) *types.Var {
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() || v.Name() == "_" {
			return nil
		}
		return v
	}
	switch p := parent.(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) != len(p.Rhs) {
			return nil, nil
		}
		for i, rhs := range p.Rhs {
			if rhs == child {
				if id, ok := p.Lhs[i].(*ast.Ident); ok {
					if v := local(id); v != nil {
						return v, field
					}
				}
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) != len(p.Values) {
			return nil, nil
		}
		for i, val := range p.Values {
			if val == child {
				if v := local(p.Names[i]); v != nil {
					return v, field
				}
			}
		}
	}
	return nil, nil
}

// parentNode returns the node enclosing n in path.
func parentNode(path []ast.Node, n ast.Node) ast.Node {
	for i := range path {
		if path[i] == n && i+1 < len(path) {
			return path[i+1]
		}
	}
	return nil
}

// usesHold reports whether every use of holder in body selects a field
// other than field, or passes holder (or its address) as an argument of
// a call made holding key on every path.
func (r *refCopies) usesHold(body *ast.BlockStmt, holder, field *types.Var, key ls.Key) bool {
	info := r.pass.TypesInfo
	ok := true
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		if !ok {
			return false
		}
		id, isIdent := n.(*ast.Ident)
		if !isIdent || info.Uses[id] != holder {
			return true
		}
		var child ast.Node = id
		i := len(stack) - 1
		parent := func() ast.Node {
			for ; i >= 0; i-- {
				if _, paren := stack[i].(*ast.ParenExpr); !paren {
					return stack[i]
				}
				child = stack[i]
			}
			return nil
		}
		p := parent()
		if sel, isSel := p.(*ast.SelectorExpr); isSel && sel.X == child {
			s := info.Selections[sel]
			if field != nil && s != nil && s.Kind() == types.FieldVal && s.Obj() != field {
				return true // data.Family: another field
			}
			ok = false
			return false
		}
		if u, isUnary := p.(*ast.UnaryExpr); isUnary && u.Op == token.AND {
			child = u
			i--
			p = parent()
		}
		call, isCall := p.(*ast.CallExpr)
		if !isCall || call.Fun == child {
			ok = false
			return false
		}
		ev := r.calls[call]
		if ev == nil {
			ok = false // a go or defer statement's call, or not walked
			return false
		}
		if _, held := ev.Before.MustHold(key); !held {
			ok = false
		}
		return ok
	})
	return ok
}
