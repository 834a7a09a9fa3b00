// Package registry defines an analyzer that finds the registries of a
// package: struct types (or the package itself) holding a lock-guarded
// map, slice, array or container/list, with the operations on it and the
// lifecycle of its entries (see internal/registry).
//
// It reports nothing; its Result is a *registry.Model, used by
// analyzer/lifecycle and by the review report (regaudit -report).
package registry

import (
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/internal/registry"
)

var Analyzer = &analysis.Analyzer{
	Name:       "registry",
	Doc:        "find registries (guarded collections with add/remove/lookup/cleanup operations) and model their lifecycle",
	Run:        run,
	Requires:   []*analysis.Analyzer{guards.Analyzer},
	ResultType: reflect.TypeFor[*registry.Model](),
}

func run(pass *analysis.Pass) (any, error) {
	gm := pass.ResultOf[guards.Analyzer].(*guards.Model)
	return registry.Build(pass.Fset, pass.Pkg, pass.TypesInfo, gm), nil
}
