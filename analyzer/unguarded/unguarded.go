// Package unguarded finds accesses to lock-guarded fields and package
// variables made without their guard (RA1001-RA1005). Its Result is a
// []checks.Finding reported by the regaudit analyzer.
package unguarded

import (
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/internal/checks"
)

var Analyzer = &analysis.Analyzer{
	Name:       "unguarded",
	Doc:        "find accesses to lock-guarded state made without the guard",
	Run:        run,
	ResultType: reflect.TypeFor[[]checks.Finding](),
}

func run(pass *analysis.Pass) (any, error) {
	return []checks.Finding(nil), nil
}
