package registry

import (
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"

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

var noReleaseRe = regexp.MustCompile(`(?i)` +
	`\bno need to (\w+ )?` + relBase + `\b` +
	`|\b(need not|needn't|do(es)? not need to|do(es)?n't need to)( be)? (\w+ )?(` + relBase + `|` + relPast + `)\b` +
	`|\balready (been )?` + relPast + `\b` +
	`|\b(was|were|has been|have been|had been)( already)? ` + relPast + `\b` +
	`|\bafter\b[^.;]{0,40}?\b(is|are|was|were|has been|have been) (\w+ )?` + relPast + `\b` +
	`|\b(is|are) responsible for (closing|shutting down|stopping|releasing|cancel?ling|freeing|cleaning up)\b`)

// flaggedNoteRe marks comments that are notes to fix something.
var flaggedNoteRe = regexp.MustCompile(`\b(TODO|FIXME|XXX|BUG)\b`)

// conditionalRe matches the end of the text before a phrase that makes it
// a condition or a negation ("if it was not already closed").
var conditionalRe = regexp.MustCompile(`(?i)(\bnot|n't|\bnever|\bif|\bunless|\bwhether)\s+(\w+\s+){0,3}$`)

var lockWordRe = regexp.MustCompile(`(?i)\b(lock|locks|mutex|mu|unlock(ed)?)\b`)

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
