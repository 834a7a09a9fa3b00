package registry

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/regaudit/regaudit/internal/lazyre"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// --- comments explaining why entries need no release ----------------------
//
// A cleanup that releases only some entries, or a removal that drops an
// entry without releasing it, is the author's documented decision when a
// comment there says why: "There's no need to shut down SubConns",
// "already closed", "This is only done after the balancer is actually
// closed", "the parent is responsible for closing them". TODO, FIXME and
// XXX comments explain nothing, and a phrase under a condition or a
// negation ("if it was not already closed") or about a lock does not
// count.

const (
	relBase = `(shut ?down|close|stop|release|cancel|free|clean ?up|dispose)`
	relPast = `(shut ?down|closed|stopped|released|cancel?led|freed|cleaned up|disposed|terminated)`
)

var noReleaseRe = lazyre.New(`(?i)` +
	`\bno need to (\w+ )?` + relBase + `\b` +
	`|\b(need not|needn't|do(es)? not need to|do(es)?n't need to)( be)? (\w+ )?(` + relBase + `|` + relPast + `)\b` +
	`|\balready (been )?` + relPast + `\b` +
	`|\b(was|were|has been|have been|had been)( already)? ` + relPast + `\b` +
	`|\bafter\b[^.;]{0,40}?\b(is|are|was|were|has been|have been) (\w+ )?` + relPast + `\b` +
	`|\b(is|are) responsible for (closing|shutting down|stopping|releasing|cancel?ling|freeing|cleaning up)\b`)

// flaggedNoteRe marks comments that are notes to fix something.
var flaggedNoteRe = lazyre.New(`\b(TODO|FIXME|XXX|BUG)\b`)

// conditionalRe matches the end of the text before a phrase that makes it
// a condition or a negation ("if it was not already closed").
var conditionalRe = lazyre.New(`(?i)(\bnot|n't|\bnever|\bif|\bunless|\bwhether)\s+(\w+\s+){0,3}$`)

var lockWordRe = lazyre.New(`(?i)\b(lock|locks|mutex|mu|unlock(ed)?)\b`)

// ExplainsNoRelease reports whether a comment's text says that entries
// need no release (or were already released).
func ExplainsNoRelease(text string) bool {
	if flaggedNoteRe.MatchString(text) {
		return false
	}
	text = strings.Join(strings.Fields(text), " ")
	for _, sentence := range splitSentences(text) {
		if lockWordRe.MatchString(sentence) {
			continue
		}
		for _, m := range noReleaseRe.FindAllStringIndex(sentence, -1) {
			if !conditionalRe.MatchString(sentence[:m[0]]) {
				return true
			}
		}
	}
	return false
}

func splitSentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if (text[i] == '.' || text[i] == ';' || text[i] == '!' || text[i] == '?') && (i+1 == len(text) || text[i+1] == ' ') {
			out = append(out, text[start:i+1])
			start = i + 1
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// explainedCleanup returns the first comment in fi's body or doc that
// explains why entries need no release, or NoPos.
func (b *builder) explainedCleanup(fi *ls.FuncInfo) token.Pos {
	if fi.File == nil || fi.Decl.Body == nil {
		return token.NoPos
	}
	if fi.Decl.Doc != nil && ExplainsNoRelease(fi.Decl.Doc.Text()) {
		return fi.Decl.Doc.Pos()
	}
	for _, cg := range fi.File.Comments {
		if cg.Pos() < fi.Decl.Body.Pos() || cg.End() > fi.Decl.Body.End() {
			continue
		}
		if ExplainsNoRelease(cg.Text()) {
			return cg.Pos()
		}
	}
	return token.NoPos
}

// explainedAt returns the comment that explains why the entry removed at
// pos needs no release: on the line of pos, or just above (on the line
// before) a statement of fi's body that contains pos; NoPos if none.
func (b *builder) explainedAt(fi *ls.FuncInfo, pos token.Pos) token.Pos {
	if fi.File == nil || fi.Decl.Body == nil {
		return token.NoPos
	}
	line := func(p token.Pos) int { return b.fset.Position(p).Line }
	lines := map[int]bool{line(pos): true}
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		if st, ok := n.(ast.Stmt); ok && st != ast.Stmt(fi.Decl.Body) {
			lines[line(st.Pos())-1] = true
		}
		return true
	})
	for _, cg := range fi.File.Comments {
		if cg.Pos() < fi.Decl.Body.Pos() || cg.End() > fi.Decl.Body.End() {
			continue
		}
		if (lines[line(cg.End())] || line(cg.Pos()) == line(pos)) && ExplainsNoRelease(cg.Text()) {
			return cg.Pos()
		}
	}
	return token.NoPos
}

// --- partial releases -------------------------------------------------------

// partialRelease reports whether x, released as (a part of) an entry of c,
// is a field of the entry (s.writePipe) that the entry type's own release
// method (c.ReleaseName, declared in the package) does not release: the
// entry is half-closed, not released. Unknown release methods count as
// releasing everything.
func (s *fnScan) partialRelease(c *Collection, x ast.Expr) bool {
	info := s.b.info
	var field *types.Var
	for e := ast.Unparen(x); e != nil; e = operand(info, e) {
		if ix, ok := e.(*ast.IndexExpr); ok && s.collOrAlias(ix.X) != nil {
			break
		}
		if sel, ok := e.(*ast.SelectorExpr); ok {
			if so, ok := info.Selections[sel]; ok && so.Kind() == types.FieldVal {
				field = so.Obj().(*types.Var).Origin()
			}
		}
	}
	if field == nil || c.Entry == nil || c.ReleaseName == "" {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(c.Entry, true, s.b.pkg, c.ReleaseName)
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	fi := s.b.local[fn.Origin()]
	if fi == nil {
		return false
	}
	return !s.b.releasedFields(fi, 0, map[*types.Func]bool{})[field]
}

// releasedFields returns the fields of its receiver that the method fi
// releases (the first field of a released receiver part: s.conn for
// s.conn.Close() or close(s.conn.done)), directly or through the methods
// it calls on its receiver.
func (b *builder) releasedFields(fi *ls.FuncInfo, depth int, seen map[*types.Func]bool) map[*types.Var]bool {
	out := map[*types.Var]bool{}
	if fi == nil || fi.Decl.Body == nil || len(fi.Params) == 0 || fi.Params[0] == nil || seen[fi.Obj] || depth > 3 {
		return out
	}
	seen[fi.Obj] = true
	recv := fi.Params[0]
	topField := func(e ast.Expr) *types.Var {
		var field *types.Var
		for e = ast.Unparen(e); e != nil; e = operand(b.info, e) {
			if id, ok := e.(*ast.Ident); ok {
				if b.info.Uses[id] == recv {
					return field
				}
				return nil
			}
			if sel, ok := e.(*ast.SelectorExpr); ok {
				if so, ok := b.info.Selections[sel]; ok && so.Kind() == types.FieldVal {
					field = so.Obj().(*types.Var).Origin()
				}
			}
		}
		return nil
	}
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		for _, x := range b.releasedBy(call) {
			if f := topField(x); f != nil {
				out[f] = true
			}
		}
		// a method called on the receiver (s.closeLocked())
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && b.info.Uses[id] == recv {
				if fn, ok := b.info.Uses[sel.Sel].(*types.Func); ok {
					for f := range b.releasedFields(b.local[fn.Origin()], depth+1, seen) {
						out[f] = true
					}
				}
			}
		}
		return true
	})
	return out
}

// --- removals of entries shown released ------------------------------------

// releasedBefore returns the position of a test, in a statement before the
// removal rm that leaves the function (or loop iteration) unless the entry
// is released: "if existing.reserved.Load() { return err }" before
// "delete(m, name)", where existing is m[name] and the entry type's release
// method sets reserved to false. The test is a bool field (or an
// atomic.Bool's Load) of the entry, possibly negated, possibly in a
// conjunction with a nil check of the entry; the release method must set
// that field to the value the removal runs with. NoPos if none.
func (s *fnScan) releasedBefore(rm *Removal) token.Pos {
	info := s.b.info
	c := rm.Coll
	if rm.key == nil || c.Entry == nil || c.ReleaseName == "" {
		return token.NoPos
	}
	key := info.Uses[rm.key]
	if key == nil {
		return token.NoPos
	}
	obj, _, _ := types.LookupFieldOrMethod(c.Entry, true, s.b.pkg, c.ReleaseName)
	fn, ok := obj.(*types.Func)
	if !ok || s.b.local[fn.Origin()] == nil {
		return token.NoPos
	}
	sets := s.b.boolSets(s.b.local[fn.Origin()], 0, map[*types.Func]bool{})
	if len(sets) == 0 {
		return token.NoPos
	}
	body := s.fi.Decl.Body
	// the variables holding c[key]
	entry := map[types.Object]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || as.Pos() > rm.Pos {
			return true
		}
		ix, ok := ast.Unparen(as.Rhs[0]).(*ast.IndexExpr)
		if !ok || s.b.collOf(ix.X) != c {
			return true
		}
		if k, ok := ast.Unparen(ix.Index).(*ast.Ident); !ok || info.Uses[k] != key {
			return true
		}
		if id, ok := as.Lhs[0].(*ast.Ident); ok {
			if o := objOf(info, id); o != nil {
				entry[o] = true
			}
		}
		return true
	})
	if len(entry) == 0 {
		return token.NoPos
	}
	// test returns the value the field must have for the removal to run
	// (the negation of cond), if cond tests a field the release sets
	var test func(cond ast.Expr, neg bool) (*types.Var, bool, bool)
	test = func(cond ast.Expr, neg bool) (*types.Var, bool, bool) {
		switch x := ast.Unparen(cond).(type) {
		case *ast.UnaryExpr:
			if x.Op == token.NOT {
				return test(x.X, !neg)
			}
		case *ast.CallExpr:
			// existing.reserved.Load()
			if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Load" && len(x.Args) == 0 {
				return test(sel.X, neg)
			}
		case *ast.SelectorExpr:
			so, ok := info.Selections[x]
			if !ok || so.Kind() != types.FieldVal {
				return nil, false, false
			}
			if id, ok := ast.Unparen(x.X).(*ast.Ident); ok && entry[info.Uses[id]] {
				f := so.Obj().(*types.Var).Origin()
				return f, neg, true
			}
		}
		return nil, false, false
	}
	// nilCheck reports whether e is "v != nil" (or "ok") for an entry v
	nilCheck := func(e ast.Expr) bool {
		switch x := ast.Unparen(e).(type) {
		case *ast.BinaryExpr:
			if x.Op == token.NEQ && isNil(info, x.Y) {
				if id, ok := ast.Unparen(x.X).(*ast.Ident); ok && entry[info.Uses[id]] {
					return true
				}
			}
		}
		return false
	}
	var found token.Pos
	ast.Inspect(body, func(n ast.Node) bool {
		if found.IsValid() {
			return false
		}
		list, ok := ls.StmtList(n)
		if !ok {
			return true
		}
		for _, st := range list {
			if st.Pos() > rm.Pos {
				break
			}
			is, ok := st.(*ast.IfStmt)
			if !ok || is.Else != nil || st.End() > rm.Pos || !terminates(is.Body) {
				continue
			}
			cond := is.Cond
			// v != nil && v.f: the removal runs when v is nil or !v.f
			if be, ok := ast.Unparen(cond).(*ast.BinaryExpr); ok && be.Op == token.LAND && nilCheck(be.X) {
				cond = be.Y
			}
			if f, neg, ok := test(cond, false); ok {
				// the removal runs when the field is !cond's value
				if v, set := sets[f]; set && v == neg {
					found = is.Pos()
					return false
				}
			}
		}
		return true
	})
	return found
}

// terminates reports whether a block ends with return, continue, break,
// goto or a panic.
func terminates(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch x := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		return ls.IsPanic(x)
	}
	return false
}

// boolSets returns the bool fields of its receiver that the method fi sets
// to a constant (r.closed = true, r.reserved.Store(false)), directly or
// through the methods it calls on its receiver, with the value set.
func (b *builder) boolSets(fi *ls.FuncInfo, depth int, seen map[*types.Func]bool) map[*types.Var]bool {
	out := map[*types.Var]bool{}
	if fi == nil || fi.Decl.Body == nil || len(fi.Params) == 0 || fi.Params[0] == nil || seen[fi.Obj] || depth > 3 {
		return out
	}
	seen[fi.Obj] = true
	recv := fi.Params[0]
	field := func(e ast.Expr) *types.Var {
		v, sel := b.selectedField(e)
		if v == nil {
			return nil
		}
		if id, ok := ast.Unparen(sel.X).(*ast.Ident); !ok || b.info.Uses[id] != recv {
			return nil
		}
		return v
	}
	boolLit := func(e ast.Expr) (bool, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false, false
		}
		if c, ok := b.info.Uses[id].(*types.Const); ok && c.Val().Kind() == constant.Bool {
			return constant.BoolVal(c.Val()), true
		}
		return false, false
	}
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if x.Tok == token.ASSIGN && len(x.Lhs) == len(x.Rhs) {
				for i, l := range x.Lhs {
					if f := field(l); f != nil {
						if v, ok := boolLit(x.Rhs[i]); ok {
							out[f] = v
						}
					}
				}
			}
		case *ast.CallExpr:
			sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if sel.Sel.Name == "Store" && len(x.Args) == 1 {
				if f := field(sel.X); f != nil {
					if v, ok := boolLit(x.Args[0]); ok {
						out[f] = v
					}
				}
			}
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && b.info.Uses[id] == recv {
				if fn, ok := b.info.Uses[sel.Sel].(*types.Func); ok {
					for f, v := range b.boolSets(b.local[fn.Origin()], depth+1, seen) {
						out[f] = v
					}
				}
			}
		}
		return true
	})
	return out
}

// selectedField returns the field (its generic origin) that e selects, and
// the selector, or nil if e is not a field selection.
func (b *builder) selectedField(e ast.Expr) (*types.Var, *ast.SelectorExpr) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, nil
	}
	so, ok := b.info.Selections[sel]
	if !ok || so.Kind() != types.FieldVal {
		return nil, nil
	}
	return so.Obj().(*types.Var).Origin(), sel
}
