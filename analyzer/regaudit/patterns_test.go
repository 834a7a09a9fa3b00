package regaudit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/regaudit/regaudit/internal/lazyre"
)

// The regular expressions of every package are compiled on first use
// (internal/lazyre): make sure they all compile.
func TestPatternsCompile(t *testing.T) {
	if err := lazyre.CompileAll(); err != nil {
		t.Fatal(err)
	}
}

// Under go vet regaudit starts once per package: a package-level
// regexp.MustCompile costs every run, whether or not it needs the
// pattern. Package-level patterns use lazyre.New.
func TestNoEagerPatterns(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, dir := range []string{"analyzer", "internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				ast.Inspect(gd, func(n ast.Node) bool {
					if sel, ok := n.(*ast.SelectorExpr); ok {
						if x, ok := sel.X.(*ast.Ident); ok && x.Name == "regexp" && (sel.Sel.Name == "MustCompile" || sel.Sel.Name == "Compile") {
							t.Errorf("%s: package-level regexp.%s: use lazyre.New (compiled on first use)", fset.Position(sel.Pos()), sel.Sel.Name)
						}
					}
					return true
				})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// The prefilter of lazyre (a match contains one of the literals of the
// pattern's alternatives) never changes a result: every pattern gives the
// same results as its plain regexp on the comments of this repository
// (testdata included) and of lock-heavy standard library packages.
func TestPatternsPrefilter(t *testing.T) {
	var texts []string
	collect := func(root string) {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				return nil
			}
			for _, cg := range f.Comments {
				texts = append(texts, cg.Text())
			}
			return nil
		})
	}
	collect(filepath.Join("..", ".."))
	goroot := runtime.GOROOT()
	for _, pkg := range []string{"sync", "context", "net/http", "database/sql", "crypto/tls", "expvar"} {
		collect(filepath.Join(goroot, "src", pkg))
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d comments found", len(texts))
	}
	for _, r := range lazyre.All() {
		re := r.Regexp()
		for _, s := range texts {
			if got, want := r.MatchString(s), re.MatchString(s); got != want {
				t.Errorf("%s: MatchString(%q) = %v with the prefilter, %v without", r, s, got, want)
			}
			if got, want := r.FindAllStringIndex(s, -1), re.FindAllStringIndex(s, -1); !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("%s: FindAllStringIndex(%q) = %v with the prefilter, %v without", r, s, got, want)
			}
		}
	}
}
