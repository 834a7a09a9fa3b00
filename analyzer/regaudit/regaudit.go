// Package regaudit defines the regaudit analyzer: the single reporting pass
// that composes regaudit's check families (see ../unguarded and the other
// packages under analyzer/), applies check selection (-checks) and
// suppression comments, and reports each finding with its check ID as the
// diagnostic category.
package regaudit

import (
	"flag"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/lifecycle"
	"github.com/regaudit/regaudit/analyzer/lockflow"
	"github.com/regaudit/regaudit/analyzer/unguarded"
	"github.com/regaudit/regaudit/internal/checks"
	"github.com/regaudit/regaudit/internal/suppress"
)

const doc = `report misuse of lock-guarded registries

regaudit infers, without annotations, which fields and package variables each
mutex guards, and reports accesses made without the guard, with the wrong lock
or under a read lock for writes. Run "regaudit -explain list" for the checks.
Findings are suppressed with "//regaudit:ignore RA1001 reason" on or above
the statement, or "//regaudit:file-ignore RA1001 reason" for a whole file.`

// families are the check families whose Result is []checks.Finding
// (*unguarded.Result for the unguarded family).
var families = []*analysis.Analyzer{unguarded.Analyzer, lockflow.Analyzer, lifecycle.Analyzer}

// Analyzer is the regaudit analyzer.
var Analyzer = newAnalyzer(families)

// FactsOnly stands in for Analyzer in go vet's facts-only units (VetxOnly
// in the unit's config: the dependencies of the packages vetted, whose
// diagnostics go vet discards): it runs only the analyzers that export
// facts (lockflow and what it requires), not the check families that only
// report (unguarded, registry, lifecycle). unitchecker itself keeps there
// every analyzer that requires one with facts, i.e. all of regaudit (see
// the TODO on its filter in unitchecker.run), so cmd/regaudit chooses. It
// has Analyzer's name and flags (go vet passes the same flags to every
// unit), and exports the same facts.
var FactsOnly = newFactsOnly(Analyzer, lockflow.Analyzer)

func newFactsOnly(full *analysis.Analyzer, facts ...*analysis.Analyzer) *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:     full.Name,
		Doc:      full.Doc,
		URL:      full.URL,
		Run:      func(*analysis.Pass) (any, error) { return nil, nil },
		Requires: facts,
	}
	full.Flags.VisitAll(func(f *flag.Flag) { a.Flags.Var(f.Value, f.Name, f.Usage) })
	return a
}

// options are the composite analyzer's settings. Its only mutable state is
// held here and set through the analyzer's flags.
type options struct {
	selection selectionFlag
	unused    bool
}

// newAnalyzer returns a composite analyzer over the given families. Its
// flags are -checks, -unused-suppressions, and every flag of the families
// and of the analyzers they require, transitively: singlechecker, go vet,
// nogo and the golangci-lint plugin only see the composite's flags.
func newAnalyzer(fams []*analysis.Analyzer) *analysis.Analyzer {
	opts := &options{selection: selectionFlag{sel: checks.DefaultSelection()}}
	a := &analysis.Analyzer{
		Name:     "regaudit",
		Doc:      doc,
		URL:      "https://github.com/regaudit/regaudit",
		Run:      opts.run,
		Requires: fams,
	}
	a.Flags.Var(&opts.selection, "checks", "comma-separated checks to run, staticcheck-style: all,-RA1001,RA2*")
	a.Flags.BoolVar(&opts.unused, "unused-suppressions", false, "report suppression comments that suppress nothing (RA9002)")
	seen := map[*analysis.Analyzer]bool{}
	var reexport func(*analysis.Analyzer)
	reexport = func(req *analysis.Analyzer) {
		if seen[req] {
			return
		}
		seen[req] = true
		req.Flags.VisitAll(func(f *flag.Flag) {
			if a.Flags.Lookup(f.Name) != nil {
				panic(fmt.Sprintf("regaudit: flag -%s of %s conflicts with another flag", f.Name, req.Name))
			}
			a.Flags.Var(f.Value, f.Name, f.Usage)
		})
		for _, r := range req.Requires {
			reexport(r)
		}
	}
	for _, fam := range fams {
		reexport(fam)
	}
	return a
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

func (o *options) run(pass *analysis.Pass) (any, error) {
	var all []checks.Finding
	for _, fam := range pass.Analyzer.Requires {
		res, ok := pass.ResultOf[fam].([]checks.Finding)
		if u, isU := pass.ResultOf[fam].(*unguarded.Result); isU {
			res, ok = u.Findings, true
		}
		if !ok {
			return nil, fmt.Errorf("internal error: %s returned %v", fam.Name, reflect.TypeOf(pass.ResultOf[fam]))
		}
		for _, f := range res {
			// Test files drive the code from one goroutine, poke at
			// internals and misuse locks on purpose (deadlock tests): their
			// lock discipline is not the package's. Suppression comments
			// in them are still checked (RA9xxx).
			if strings.HasSuffix(pass.Fset.Position(f.Pos).Filename, "_test.go") {
				continue
			}
			all = append(all, f)
		}
	}

	sup, problems := suppress.Parse(pass.Fset, pass.Files)
	for _, p := range problems {
		all = append(all, checks.Finding{ID: checks.BadSuppression, Pos: p.Pos, End: p.End, Message: p.Message})
	}

	sel := o.selection.sel
	var kept []checks.Finding
	for _, f := range all {
		// Suppressions are matched before selection: a suppression whose
		// check -checks turned off still counts as used.
		if sup.Suppressed(f.ID, f.Pos) || !sel[f.ID] {
			continue
		}
		kept = append(kept, f)
	}
	if o.unused && sel[checks.UnusedSuppression] {
		for _, d := range sup.Unused(func(id string) bool { return sel[id] }) {
			kept = append(kept, checks.Finding{
				ID:      checks.UnusedSuppression,
				Pos:     d.Pos,
				End:     d.End,
				Message: fmt.Sprintf("suppression of %s suppresses nothing", strings.Join(d.Checks, ",")),
			})
		}
	}
	// Order by file name and position, not token.Pos: Pos values depend on
	// the order in which the driver added files to the FileSet, which
	// varies between runs when packages are loaded in parallel.
	sort.SliceStable(kept, func(i, j int) bool {
		pi, pj := pass.Fset.Position(kept[i].Pos), pass.Fset.Position(kept[j].Pos)
		if pi.Filename != pj.Filename {
			return pi.Filename < pj.Filename
		}
		if pi.Offset != pj.Offset {
			return pi.Offset < pj.Offset
		}
		if kept[i].ID != kept[j].ID {
			return kept[i].ID < kept[j].ID
		}
		return kept[i].Message < kept[j].Message
	})
	for _, f := range kept {
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
