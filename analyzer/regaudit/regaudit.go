// Package regaudit defines the regaudit analyzer: the single reporting pass
// that composes regaudit's check families (see ../unguarded and the other
// packages under analyzer/), applies check selection (-checks) and
// suppression comments, and reports each finding with its check ID as the
// diagnostic category.
package regaudit

import (
	"fmt"
	"reflect"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/lifecycle"
	"github.com/regaudit/regaudit/analyzer/unguarded"
	"github.com/regaudit/regaudit/internal/checks"
)

const doc = `report misuse of lock-guarded registries

regaudit infers, without annotations, which fields and package variables each
mutex guards, and reports accesses made without the guard, with the wrong lock
or under a read lock for writes. Run "regaudit -explain list" for the checks.`

// Analyzer is the regaudit analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "regaudit",
	Doc:      doc,
	URL:      "https://github.com/regaudit/regaudit",
	Run:      run,
	Requires: families,
}

// families are the check families whose Result is []checks.Finding.
var families = []*analysis.Analyzer{unguarded.Analyzer, lifecycle.Analyzer}

var selection = selectionFlag{sel: checks.DefaultSelection()}

func init() {
	Analyzer.Flags.Var(&selection, "checks", "comma-separated checks to run, staticcheck-style: all,-RA1001,RA2*")
}

type selectionFlag struct{ sel checks.Selection }

func (f *selectionFlag) String() string {
	if f == nil || f.sel == nil {
		return ""
	}
	return f.sel.String()
}

func (f *selectionFlag) Set(v string) error {
	s, err := checks.ParseSelection(v)
	if err != nil {
		return err
	}
	f.sel = s
	return nil
}

func run(pass *analysis.Pass) (any, error) {
	var all []checks.Finding
	for _, fam := range families {
		res, ok := pass.ResultOf[fam].([]checks.Finding)
		if !ok {
			return nil, fmt.Errorf("internal error: %s returned %v", fam.Name, reflect.TypeOf(pass.ResultOf[fam]))
		}
		all = append(all, res...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Pos < all[j].Pos })
	for _, f := range all {
		if !selection.sel[f.ID] {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:            f.Pos,
			End:            f.End,
			Category:       f.ID,
			Message:        f.Message + " (" + f.ID + ")",
			Related:        f.Related,
			SuggestedFixes: f.Fixes,
		})
	}
	return nil, nil
}
