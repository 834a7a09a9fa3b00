package guards

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/internal/lazyre"
)

// explainedRe matches comments in which the author says an access needs no
// lock ("no need to lock because the reader has exited").
var explainedRe = lazyre.New(`(?i)no need to (lock|hold|take)|without (holding |taking )?(the |a |any )?(lock|mutex|mu\b)|lock[- ]free|\b(benign|intentional(ly)?) (data )?rac|\bracy\b|(don't|doesn't|do not|does not|not) need (the |a |to )?(lock|mutex|hold)|safe without|no lock (is )?(needed|required)|unlocked read|lock is not (needed|required)|(do not|don't|deliberately not|intentionally not) (lock|acquire|take)|(no|not|without) (need (for )?|needing )?(any |further |additional |extra )?(synchroni[sz]ation|locking)|\bsafe to (read|access|use|call)\b|(do not|don't|does not|doesn't|not) need to (obtain|acquire|take|hold|grab) (the |a |an |any )?(\w+ )?(lock|mutex)`)

// flaggedRe matches comments that flag a problem rather than explain a
// decision ("FIXME: racy, take the lock").
var flaggedRe = lazyre.New(`\b(TODO|FIXME|XXX|BUG|HACK)\b|(?i)\bshould (take|hold|lock)\b|(?i)\bnot (thread[- ])?safe\b`)

// docExplainedRe matches a function's doc comment saying the function
// needs no lock (narrower than explainedRe: a doc saying what a function
// does "without the lock" often describes a bug).
var docExplainedRe = lazyre.New(`(?i)no need to (lock|hold|take|obtain|acquire)|(do not|don't|does not|doesn't|not) need (to )?(lock|hold|take|obtain|acquire|grab)\b|no lock (is )?(needed|required)|lock is not (needed|required)|safe without (holding |taking )?(the |a |any )?(lock|mutex)`)

// ExplainedText reports whether a comment says that no lock is needed.
func ExplainedText(t string) bool {
	return explainedRe.MatchString(t) && !flaggedRe.MatchString(t)
}

// Explained reports whether a comment on the line at pos, or in the comment
// block just above it (within the same function), says that no lock is
// needed there. Such accesses are the author's documented decision: no
// check reports them.
func Explained(pass *analysis.Pass, pos token.Pos) bool {
	for _, f := range pass.Files {
		if pos < f.FileStart || pos > f.FileEnd {
			continue
		}
		var body *ast.BlockStmt
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && fd.Body.Pos() <= pos && pos <= fd.Body.End() {
				body = fd.Body
				if fd.Doc != nil && docExplainedRe.MatchString(fd.Doc.Text()) && !flaggedRe.MatchString(fd.Doc.Text()) {
					return true // "clone ... do not need to obtain internal lock"
				}
				break
			}
		}
		if body == nil {
			return false
		}
		line := pass.Fset.Position(pos).Line
		for _, cg := range f.Comments {
			if cg.End() < body.Pos() || cg.Pos() > body.End() {
				continue
			}
			start := pass.Fset.Position(cg.Pos()).Line
			end := pass.Fset.Position(cg.End()).Line
			if (start <= line && line <= end) || (end < line && line-end <= 4) {
				if ExplainedText(cg.Text()) {
					return true
				}
			}
		}
		return false
	}
	return false
}
