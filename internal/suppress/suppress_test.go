package suppress

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/regaudit/regaudit/internal/checks"
)

// In these sources every identifier S_<ID> is a synthetic finding of check
// <ID> that must be suppressed, and every K_<ID> one that must be kept.
const coverageSrc = `package p

//regaudit:ignore RA1001 the whole declaration is covered
func covered() {
	_ = S_RA1001
	_ = K_RA1002
}

func lines() {
	_ = S_RA1001 //regaudit:ignore RA1001 trailing covers its line
	_ = K_RA1001

	//regaudit:ignore RA1002 covers the next statement, all of it
	if K_RA1001 {
		_ = S_RA1002
	}
	_ = K_RA1002

	// A doc comment first.
	//regaudit:ignore unguarded-read,RA1002 names work too
	// and a comment after it.
	_, _ = S_RA1001, S_RA1002
	_ = K_RA1001

	for { //regaudit:ignore RA1003 a trailing comment on a line where a statement starts covers it
		_ = S_RA1003
	}
	_ = K_RA1003

	f(1,
		S_RA1004, //regaudit:ignore RA1004 line only, inside an expression
		K_RA1004)
}

type T struct {
	//regaudit:ignore RA1* a prefix covers a struct field
	a, b int "` + "`S_RA1005`" + `"
	c    int
}

var (
	//regaudit:ignore RA1001 a spec inside a group
	v = S_RA1001
	w = K_RA1001
)

//regaudit:ignore RA1001 a blank line after the comment: covers nothing

var z = K_RA1001
`

func TestCoverage(t *testing.T) {
	fset, f := parse(t, coverageSrc)
	s, problems := Parse(fset, []*ast.File{f})
	for _, p := range problems {
		t.Errorf("%s: unexpected problem: %s", fset.Position(p.Pos), p.Message)
	}
	n := 0
	for pos, name := range findings(f) {
		want, id, _ := strings.Cut(name, "_")
		if got := s.Suppressed(id, pos); got != (want == "S") {
			t.Errorf("%s: %s suppressed = %v, want %v", fset.Position(pos), name, got, !got)
		}
		n++
	}
	if n != 18 {
		t.Fatalf("found %d synthetic findings, want 18: the test source is broken", n)
	}
	var unused []int
	for _, d := range s.Unused(func(string) bool { return true }) {
		unused = append(unused, fset.Position(d.Pos).Line)
	}
	if len(unused) != 1 || unused[0] != 47 {
		t.Errorf("unused directives on lines %v, want [47]", unused)
	}
}

// The struct tag trick above puts S_RA1005 in a string; findings also picks
// up identifiers inside tags so a field-level finding can be expressed.
func findings(f *ast.File) map[token.Pos]string {
	out := map[token.Pos]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if strings.HasPrefix(n.Name, "S_") || strings.HasPrefix(n.Name, "K_") {
				out[n.Pos()] = n.Name
			}
		case *ast.BasicLit:
			if v := strings.Trim(n.Value, "`\""); strings.HasPrefix(v, "S_") || strings.HasPrefix(v, "K_") {
				out[n.Pos()] = v
			}
		}
		return true
	})
	return out
}

func TestFileIgnore(t *testing.T) {
	fset, f := parse(t, `package p

var a = S_RA1001
var b = K_RA1002

//regaudit:file-ignore RA1001 generated code, written once at init
var c = S_RA1001
`)
	s, problems := Parse(fset, []*ast.File{f})
	if len(problems) > 0 {
		t.Fatalf("unexpected problems: %v", problems)
	}
	for pos, name := range findings(f) {
		want, id, _ := strings.Cut(name, "_")
		if got := s.Suppressed(id, pos); got != (want == "S") {
			t.Errorf("%s: %s suppressed = %v", fset.Position(pos), name, got)
		}
	}
	// Another file of the same package is not covered.
	fset2 := fset
	g, err := parser.ParseFile(fset2, "other.go", "package p\n\nvar d = K_RA1001\n", parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	s, _ = Parse(fset2, []*ast.File{f, g})
	for pos, name := range findings(g) {
		if s.Suppressed("RA1001", pos) {
			t.Errorf("%s: %s in another file suppressed by a file-ignore", fset.Position(pos), name)
		}
	}
}

func TestProblems(t *testing.T) {
	cases := []struct{ comment, want string }{
		{"//regaudit:ignore RA1001", "suppression of RA1001 needs a reason: //regaudit:ignore RA1001 <why it is safe>"},
		{"//regaudit:file-ignore unguarded-write", "suppression of RA1002 needs a reason: //regaudit:file-ignore unguarded-write <why it is safe>"},
		{"//regaudit:ignore", "suppression needs checks and a reason: //regaudit:ignore RA1001 <why it is safe>"},
		{"//regaudit:ignore RA1234 some reason", `suppression names unknown check "RA1234" (regaudit -explain list shows them)`},
		{"//regaudit:ignore RA8* some reason", `suppression names unknown check "RA8*" (regaudit -explain list shows them)`},
		{"//regaudit:ignore RA9001 some reason", "suppression cannot silence meta check RA9001"},
		{"//regaudit:ignore , some reason", "suppression names no check"},
		{"// regaudit:ignore RA1001 some reason", "suppression comment must start with //regaudit: with no space after //"},
		{"//\tregaudit:file-ignore RA1001 some reason", "suppression comment must start with //regaudit: with no space after //"},
		{"//regaudit:nolint RA1001 some reason", "unknown directive //regaudit:nolint (want //regaudit:ignore or //regaudit:file-ignore)"},
		{"//regaudit:", "unknown directive //regaudit: (want //regaudit:ignore or //regaudit:file-ignore)"},
	}
	for _, c := range cases {
		fset, f := parse(t, "package p\n\n"+c.comment+"\nvar x = 1\n")
		s, problems := Parse(fset, []*ast.File{f})
		if len(problems) != 1 {
			t.Errorf("%s: got %d problems, want 1", c.comment, len(problems))
			continue
		}
		if problems[0].Message != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.comment, problems[0].Message, c.want)
		}
		if got := fset.Position(problems[0].Pos).Line; got != 3 {
			t.Errorf("%s: problem on line %d, want 3", c.comment, got)
		}
		if len(s.Directives()) != 0 {
			t.Errorf("%s: a malformed comment became a directive", c.comment)
		}
	}

	// Ordinary comments that merely mention the syntax are not directives.
	for _, ok := range []string{
		"// Use //regaudit:ignore RA1001 reason to suppress.",
		"//	//regaudit:ignore RA1001 reason (indented example in a doc comment)",
		"// regaudit:ignored is not the verb",
		"//regaudit:ignore RA1001\treason after a tab",
	} {
		fset, f := parse(t, "package p\n\n"+ok+"\nvar x = 1\n")
		if _, problems := Parse(fset, []*ast.File{f}); len(problems) != 0 {
			t.Errorf("%q: unexpected problem %s", ok, problems[0].Message)
		}
	}
}

func TestMetaNeverSuppressed(t *testing.T) {
	fset, f := parse(t, "package p\n\n//regaudit:file-ignore RA1* reason\nvar x = 1\n")
	s, _ := Parse(fset, []*ast.File{f})
	var ra1 []string
	for _, c := range checks.All() {
		if strings.HasPrefix(c.ID, "RA1") {
			ra1 = append(ra1, c.ID)
		}
	}
	if d := s.Directives(); len(ra1) < 5 || len(d) != 1 || strings.Join(d[0].Checks, ",") != strings.Join(ra1, ",") {
		t.Fatalf("RA1* resolved to %v, want %v", d, ra1)
	}
	pos := f.Decls[0].Pos()
	if s.Suppressed("RA9001", pos) || s.Suppressed("RA9002", pos) {
		t.Error("a meta check was suppressed")
	}
	if !s.Suppressed("RA1003", pos) {
		t.Error("RA1003 not suppressed by RA1*")
	}
}

func TestUnusedRespectsSelection(t *testing.T) {
	fset, f := parse(t, "package p\n\n//regaudit:ignore RA1001,RA1002 reason\nvar x = 1\n\n//regaudit:ignore RA1003 reason\nvar y = 1\n")
	s, _ := Parse(fset, []*ast.File{f})
	enabled := func(id string) bool { return id != "RA1002" }
	unused := s.Unused(enabled)
	if len(unused) != 1 || fset.Position(unused[0].Pos).Line != 6 {
		t.Fatalf("unused = %v, want only the RA1003 directive on line 6", unused)
	}
	s.Suppressed("RA1003", f.Decls[1].Pos())
	if u := s.Unused(enabled); len(u) != 0 {
		t.Fatalf("a used directive is reported unused: %v", u)
	}
}

func parse(t *testing.T, src string) (*token.FileSet, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	return fset, f
}
