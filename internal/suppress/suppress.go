// Package suppress implements regaudit's suppression comments:
//
//	//regaudit:ignore RA1001 reason
//	//regaudit:file-ignore RA1001,unguarded-write reason
//
// An ignore comment written at the end of a line covers that line; one that
// stands on its own line covers the line after its comment group. Either way,
// when a statement, declaration, spec or struct field starts on the covered
// line, the whole of the outermost such node is covered (so a comment above
// a function declaration covers the function). A file-ignore comment covers
// its whole file, wherever it is written.
//
// Checks are named by ID (RA1001), name (unguarded-read) or ID prefix
// (RA1*), separated by commas. The reason is mandatory. Malformed comments
// suppress nothing and are returned as Problems, reported by the regaudit
// analyzer as RA9001.
package suppress

import (
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strings"

	"github.com/regaudit/regaudit/internal/checks"
)

const (
	prefix     = "regaudit:"
	verbIgnore = "ignore"
	verbFile   = "file-ignore"
)

// A Directive is one well-formed suppression comment.
type Directive struct {
	Pos, End token.Pos // the comment
	File     bool      // file-ignore
	Checks   []string  // check IDs it names, sorted, after resolving names and prefixes
	Reason   string
	From, To token.Pos // covered range, inclusive
	used     bool
}

// Used reports whether the directive suppressed at least one finding.
func (d *Directive) Used() bool { return d.used }

func (d *Directive) covers(id string, pos token.Pos) bool {
	if pos < d.From || pos > d.To {
		return false
	}
	for _, c := range d.Checks {
		if c == id {
			return true
		}
	}
	return false
}

// A Problem is a malformed suppression comment.
type Problem struct {
	Pos, End token.Pos
	Message  string
}

// A Set holds the directives of a package's files.
type Set struct {
	dirs []*Directive
}

// Parse collects the suppression comments of files. Files must have been
// parsed with comments (parser.ParseComments).
func Parse(fset *token.FileSet, files []*ast.File) (*Set, []Problem) {
	s := &Set{}
	var problems []Problem
	for _, f := range files {
		tf := fset.File(f.Pos())
		if tf == nil {
			continue
		}
		var idx *fileIndex // built on the first directive only
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				d, p := parseComment(c)
				if p != nil {
					problems = append(problems, *p)
					continue
				}
				if d == nil {
					continue
				}
				if d.File {
					d.From = token.Pos(tf.Base())
					d.To = token.Pos(tf.Base() + tf.Size())
				} else {
					if idx == nil {
						idx = indexFile(tf, f)
					}
					d.From, d.To = idx.cover(c, cg)
				}
				s.dirs = append(s.dirs, d)
			}
		}
	}
	return s, problems
}

// Suppressed reports whether a finding of check id at pos is suppressed, and
// marks the directives that suppress it as used. Meta checks are never
// suppressed.
func (s *Set) Suppressed(id string, pos token.Pos) bool {
	if checks.Meta(id) {
		return false
	}
	hit := false
	for _, d := range s.dirs {
		if d.covers(id, pos) {
			d.used = true
			hit = true
		}
	}
	return hit
}

// Unused returns the directives that suppressed nothing and name only checks
// for which enabled returns true (a directive naming a disabled check may be
// needed when that check is turned on again).
func (s *Set) Unused(enabled func(id string) bool) []*Directive {
	var out []*Directive
outer:
	for _, d := range s.dirs {
		if d.used {
			continue
		}
		for _, id := range d.Checks {
			if !enabled(id) {
				continue outer
			}
		}
		out = append(out, d)
	}
	return out
}

// Directives returns every well-formed directive, in source order.
func (s *Set) Directives() []*Directive { return s.dirs }

// parseComment returns the directive written in c, a problem if c is a
// malformed directive, or neither if c is an ordinary comment.
func parseComment(c *ast.Comment) (*Directive, *Problem) {
	if !strings.HasPrefix(c.Text, "//") {
		return nil, nil
	}
	body := c.Text[2:]
	problem := func(format string, args ...any) (*Directive, *Problem) {
		return nil, &Problem{Pos: c.Pos(), End: c.End(), Message: fmt.Sprintf(format, args...)}
	}
	if !strings.HasPrefix(body, prefix) {
		// A directive with a space after // is ignored by the Go tools'
		// directive conventions; say so rather than silently not suppressing.
		trimmed := strings.TrimLeft(body, " \t")
		if trimmed != body && (hasVerb(trimmed, verbIgnore) || hasVerb(trimmed, verbFile)) {
			return problem("suppression comment must start with //regaudit: with no space after //")
		}
		return nil, nil
	}
	fields := strings.Fields(body[len(prefix):])
	verb := ""
	if len(fields) > 0 {
		verb, fields = fields[0], fields[1:]
	}
	var file bool
	switch verb {
	case verbIgnore:
	case verbFile:
		file = true
	default:
		return problem("unknown directive //regaudit:%s (want //regaudit:ignore or //regaudit:file-ignore)", verb)
	}
	if len(fields) == 0 {
		return problem("suppression needs checks and a reason: //regaudit:%s RA1001 <why it is safe>", verb)
	}
	ids, err := resolve(fields[0])
	if err != nil {
		return problem("%v", err)
	}
	if len(fields) == 1 {
		return problem("suppression of %s needs a reason: //regaudit:%s %s <why it is safe>", strings.Join(ids, ","), verb, fields[0])
	}
	return &Directive{
		Pos:    c.Pos(),
		End:    c.End(),
		File:   file,
		Checks: ids,
		Reason: strings.Join(fields[1:], " "),
	}, nil
}

func hasVerb(s, verb string) bool {
	rest, ok := strings.CutPrefix(s, prefix+verb)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// resolve turns a comma-separated list of check IDs, names and ID prefixes
// ending in * into sorted check IDs.
func resolve(list string) ([]string, error) {
	set := map[string]bool{}
	for _, item := range strings.Split(list, ",") {
		if item == "" {
			continue
		}
		var matched []string
		if p, ok := strings.CutSuffix(item, "*"); ok {
			p = strings.ToUpper(p)
			for _, c := range checks.All() {
				if strings.HasPrefix(c.ID, p) && !checks.Meta(c.ID) {
					matched = append(matched, c.ID)
				}
			}
		} else if c, ok := checks.Lookup(item); ok {
			if checks.Meta(c.ID) {
				return nil, fmt.Errorf("suppression cannot silence meta check %s", c.ID)
			}
			matched = append(matched, c.ID)
		}
		if len(matched) == 0 {
			return nil, fmt.Errorf("suppression names unknown check %q (regaudit -explain list shows them)", item)
		}
		for _, id := range matched {
			set[id] = true
		}
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("suppression names no check")
	}
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, nil
}

// fileIndex knows, per line of one file, where its first token starts and
// how far the outermost statement or declaration starting there extends.
type fileIndex struct {
	tf       *token.File
	firstCol map[int]int       // line -> column of the first token on it
	nodeEnd  map[int]token.Pos // line -> end of the outermost node starting on it
}

func indexFile(tf *token.File, f *ast.File) *fileIndex {
	idx := &fileIndex{tf: tf, firstCol: map[int]int{}, nodeEnd: map[int]token.Pos{}}
	note := func(p token.Pos) {
		if !p.IsValid() {
			return
		}
		pos := tf.Position(p)
		if c, ok := idx.firstCol[pos.Line]; !ok || pos.Column < c {
			idx.firstCol[pos.Line] = pos.Column
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n.(type) {
		case nil, *ast.Comment, *ast.CommentGroup:
			return false
		case ast.Stmt, ast.Decl, ast.Spec, *ast.Field:
			line := tf.Line(n.Pos())
			if n.End() > idx.nodeEnd[line] {
				idx.nodeEnd[line] = n.End()
			}
		}
		note(n.Pos())
		if n.End() > n.Pos() {
			note(n.End() - 1)
		}
		return true
	})
	return idx
}

// cover returns the range covered by the ignore comment c of group cg.
func (idx *fileIndex) cover(c *ast.Comment, cg *ast.CommentGroup) (from, to token.Pos) {
	pos := idx.tf.Position(c.Pos())
	line := pos.Line
	if col, ok := idx.firstCol[line]; !ok || col >= pos.Column {
		// The comment stands on its own line: it covers the line after its group.
		line = idx.tf.Line(cg.End()) + 1
	}
	if line > idx.tf.LineCount() {
		return token.NoPos, token.NoPos // nothing after the comment
	}
	from = idx.tf.LineStart(line)
	if line < idx.tf.LineCount() {
		to = idx.tf.LineStart(line+1) - 1
	} else {
		to = token.Pos(idx.tf.Base() + idx.tf.Size())
	}
	if end := idx.nodeEnd[line]; end > to {
		to = end
	}
	return from, to
}
