package registry

import (
	"go/ast"
	"go/token"
	"go/types"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// storedHere explains a removal of the entry the function itself stored
// under that key (nsqio/go-nsq's ConnectToNSQD keeps the connection it
// made in pendingConnections[addr] while it connects):
//
//	r.pending[addr] = conn
//	...
//	delete(r.pending, addr); conn.Close()          // failed: released
//	delete(r.pending, addr); r.conns[addr] = conn  // connected: moved
//
// The key and the value are variables the function never reassigns, the
// store comes first, at the level of a block enclosing the removal (it
// ran whenever the removal runs), and after the removal, in the same
// block or an enclosing one with no return or branch in between, the
// function releases the value or stores it under the same key in another
// collection of the same registry. "" if not.
func (s *fnScan) storedHere(rm *Removal) string {
	info := s.b.info
	if rm.key == nil {
		return ""
	}
	k, ok := info.Uses[rm.key].(*types.Var)
	if !ok || k.IsField() || !s.fixed(k) {
		return ""
	}
	sameKey := func(st *Store) bool {
		id, ok := ast.Unparen(st.Key).(*ast.Ident)
		return ok && info.Uses[id] == k
	}
	body := s.fi.Decl.Body
	for _, st := range s.op.Stores {
		if st.Coll != rm.Coll || st.Key == nil || st.entryObj == nil || st.Pos >= rm.Pos || !sameKey(st) || !s.fixed(st.entryObj) {
			continue
		}
		if !dominates(body, st.Pos, rm.Pos) {
			continue
		}
		v := st.entryObj
		// released after the removal
		var rel token.Pos
		ast.Inspect(body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || rel.IsValid() {
				return !rel.IsValid()
			}
			if call.Pos() > rm.Pos && followsIn(body, rm.Pos, call.Pos()) {
				for _, x := range s.b.releasedBy(call) {
					if id := rootIdent(info, x); id != nil && info.Uses[id] == v {
						rel = call.Pos()
					}
				}
			}
			return true
		})
		if rel.IsValid() {
			rm.Released = rel
			return "the entry stored here (" + s.b.lineOf(st.Pos) + ") is released at " + s.b.lineOf(rel)
		}
		// moved to another collection of the registry, under the same key
		for _, st2 := range s.op.Stores {
			if st2.Coll != rm.Coll && st2.entryObj == v && st2.Key != nil && sameKey(st2) &&
				s.b.regOf[st2.Coll] == s.b.regOf[rm.Coll] && st2.Pos > rm.Pos && followsIn(body, rm.Pos, st2.Pos) {
				return "the entry stored here (" + s.b.lineOf(st.Pos) + ") moves to " + st2.Coll.Obj.Name() + " at " + s.b.lineOf(st2.Pos)
			}
		}
	}
	return ""
}

// fixed reports whether the local variable or parameter v keeps one value
// in the function: a parameter never assigned, or a local assigned once
// (at its definition); its address is never taken.
func (s *fnScan) fixed(v types.Object) bool {
	info := s.b.info
	if v.Parent() == nil || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return false
	}
	assigned, changed := ls.Assignments(info, s.fi.Decl.Body, v)
	ok := !changed
	if s.params[v] || v == s.recv {
		return ok && assigned == 0
	}
	return ok && assigned == 1
}

// stmtLists returns the statement lists enclosing pos in body, innermost
// first, up to the innermost function literal containing pos, each with
// the index of the statement containing pos.
func stmtLists(body *ast.BlockStmt, pos token.Pos) (lists [][]ast.Stmt, idx []int) {
	all := allLists(body, pos)
	for i := len(all) - 1; i >= 0; i-- {
		lists = append(lists, all[i].list)
		idx = append(idx, all[i].idx)
		if all[i].lit {
			break // the literal's own flow
		}
	}
	return lists, idx
}

// dominates reports whether p is in an assignment that is a statement of
// a list enclosing q (across function literals: one made after the
// assignment runs after it), before the statement containing q: when q
// runs, p ran.
func dominates(body *ast.BlockStmt, p, q token.Pos) bool {
	for _, l := range allLists(body, q) {
		for i, st := range l.list[:l.idx] {
			if st.Pos() <= p && p < st.End() {
				_, assign := st.(*ast.AssignStmt)
				return assign && i < l.idx
			}
		}
	}
	return false
}

type listAt struct {
	list []ast.Stmt
	idx  int  // the statement containing pos
	lit  bool // list is the body of a function literal
}

// allLists returns every statement list enclosing pos in body, across
// function literals, outermost first.
func allLists(body *ast.BlockStmt, pos token.Pos) []listAt {
	var out []listAt
	var add func(list []ast.Stmt, lit bool)
	var visit func(root ast.Node)
	add = func(list []ast.Stmt, lit bool) {
		for i, st := range list {
			if st.Pos() <= pos && pos < st.End() {
				out = append(out, listAt{list, i, lit})
				visit(st)
				return
			}
		}
	}
	visit = func(root ast.Node) {
		ast.Inspect(root, func(n ast.Node) bool {
			if n == nil || n == root {
				return n != nil
			}
			if pos < n.Pos() || pos >= n.End() {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				add(n.Body.List, true)
				return false
			case *ast.BlockStmt:
				add(n.List, false)
				return false
			case *ast.CaseClause:
				add(n.Body, false)
				return false
			case *ast.CommClause:
				add(n.Body, false)
				return false
			}
			return true
		})
	}
	add(body.List, false)
	return out
}

// followsIn reports whether p is in a simple statement (an expression or
// assignment) of a statement list enclosing q within q's function literal
// (if any), after the statement containing q, with no return or branch
// statement in between: it runs after q whenever q runs and does not
// panic.
func followsIn(body *ast.BlockStmt, q, p token.Pos) bool {
	lists, idx := stmtLists(body, q)
	for n, list := range lists {
		for i := idx[n] + 1; i < len(list); i++ {
			st := list[i]
			if st.Pos() <= p && p < st.End() {
				switch st.(type) {
				case *ast.ExprStmt, *ast.AssignStmt:
					return true
				}
				return false
			}
			if jumps(st) {
				return false
			}
		}
		// the rest of this list runs only if nothing in it jumped
	}
	return false
}

// jumps reports whether st contains a return, a goto, or a break or
// continue (which may leave the enclosing lists), outside function
// literals.
func jumps(st ast.Stmt) bool {
	return ls.Contains(st, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.ReturnStmt, *ast.BranchStmt:
			return true
		}
		return false
	})
}
