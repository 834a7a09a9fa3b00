package regaudit

import (
	"flag"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/regaudit/regaudit/internal/checks"
)

func fakeAnalyzer(t *testing.T, flags ...string) *analysis.Analyzer {
	t.Helper()
	a := newAnalyzer([]*analysis.Analyzer{fakeFamily})
	for i := 0; i+1 < len(flags); i += 2 {
		if err := a.Flags.Set(flags[i], flags[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func TestSuppress(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), fakeAnalyzer(t), "suppress")
}

func TestUnusedSuppressions(t *testing.T) {
	a := fakeAnalyzer(t, "unused-suppressions", "true", "checks", "all,-RA1003")
	analysistest.Run(t, analysistest.TestData(), a, "unused")
}

func TestSelection(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), fakeAnalyzer(t, "checks", "all,-unguarded-write"), "selection")
}

func TestBadSelection(t *testing.T) {
	err := Analyzer.Flags.Set("checks", "all,-RA1999")
	if err == nil || err.Error() != `unknown check "RA1999" (see regaudit -explain list)` {
		t.Fatalf("got %v", err)
	}
}

// The composite re-exports its families' flags, since drivers only expose
// the flags of the analyzers they are given.
func TestFamilyFlagsReexported(t *testing.T) {
	fam := &analysis.Analyzer{
		Name:       "famwithflag",
		Doc:        "test family",
		Run:        func(*analysis.Pass) (any, error) { return []checks.Finding(nil), nil },
		ResultType: reflect.TypeFor[[]checks.Finding](),
	}
	threshold := fam.Flags.Int("min-share", 75, "threshold")
	dep := &analysis.Analyzer{
		Name: "famdep",
		Doc:  "an analyzer the family requires",
		Run:  func(*analysis.Pass) (any, error) { return nil, nil },
	}
	depth := dep.Flags.Int("max-depth", 3, "depth")
	fam.Requires = []*analysis.Analyzer{dep}
	a := newAnalyzer([]*analysis.Analyzer{fam, dep})
	if err := a.Flags.Set("min-share", "60"); err != nil {
		t.Fatal(err)
	}
	if err := a.Flags.Set("max-depth", "5"); err != nil {
		t.Fatal(err)
	}
	if *threshold != 60 || *depth != 5 {
		t.Fatalf("family flags = %d, %d after setting the composite's, want 60, 5", *threshold, *depth)
	}
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if want := []string{"checks", "max-depth", "min-share", "unused-suppressions"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("flags %v, want %v", names, want)
	}
}

// Each composite has its own options: setting one does not change another
// (and the exported Analyzer is not touched by the tests above).
func TestOptionsPerAnalyzer(t *testing.T) {
	a := fakeAnalyzer(t, "checks", "RA1001")
	b := fakeAnalyzer(t)
	if got := a.Flags.Lookup("checks").Value.String(); got != "RA1001" {
		t.Fatalf("a: checks = %q", got)
	}
	if got := b.Flags.Lookup("checks").Value.String(); got != checks.DefaultSelection().String() {
		t.Fatalf("b: checks = %q, want the default", got)
	}
}

// Suppressions against real findings of the unguarded family.
func TestSuppressRealFindings(t *testing.T) {
	a := newAnalyzer(families)
	if err := a.Flags.Set("unused-suppressions", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "realsuppress")
}

// Findings in _test.go files are dropped: tests misuse locks on purpose.
func TestTestFilesNotReported(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), Analyzer, "testfiles")
}
