package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/regaudit/regaudit/analyzer/regaudit"
	"github.com/regaudit/regaudit/analyzer/registry"
	reg "github.com/regaudit/regaudit/internal/registry"
)

// Collect loads the packages matching patterns (relative to dir, "" for
// the current directory), runs the regaudit analyzer and the registry
// analyzer over them with the analysis checker, and builds the report of
// the packages that have registries or findings. checks selects the
// findings as regaudit's -checks flag does; "" means all of them, the
// opt-in checks included: a review judges every finding beside the
// registry's whole model. (It sets the flag of regaudit.Analyzer: a
// command-line tool's one analysis run.)
func Collect(dir string, patterns []string, checks string) (*Report, error) {
	if checks == "" {
		checks = "all"
	}
	if err := regaudit.Analyzer.Flags.Set("checks", checks); err != nil {
		return nil, fmt.Errorf("-checks: %v", err)
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Tests: false}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		return nil, fmt.Errorf("%d errors loading packages", n)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{regaudit.Analyzer, registry.Analyzer}, pkgs, nil)
	if err != nil {
		return nil, err
	}
	type perPkg struct {
		pkg   *packages.Package
		model *reg.Model
		diags []analysis.Diagnostic
	}
	byPkg := map[*packages.Package]*perPkg{}
	get := func(p *packages.Package) *perPkg {
		if byPkg[p] == nil {
			byPkg[p] = &perPkg{pkg: p}
		}
		return byPkg[p]
	}
	for _, act := range graph.Roots {
		if act.Err != nil {
			return nil, fmt.Errorf("%s: %v", act, act.Err)
		}
		switch act.Analyzer {
		case registry.Analyzer:
			get(act.Package).model = act.Result.(*reg.Model)
		case regaudit.Analyzer:
			get(act.Package).diags = act.Diagnostics
		}
	}
	var list []*perPkg
	for _, p := range byPkg {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].pkg.PkgPath < list[j].pkg.PkgPath })
	rep := &Report{Tool: "regaudit", Version: 1, Packages: []*Package{}}
	for _, p := range list {
		if p.model == nil || (len(p.model.Registries) == 0 && len(p.diags) == 0) {
			continue
		}
		rep.Packages = append(rep.Packages, BuildPackage(p.pkg.PkgPath, p.model, p.pkg.Syntax, p.diags))
	}
	return rep, nil
}

// JSON renders the report as indented JSON.
func JSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
