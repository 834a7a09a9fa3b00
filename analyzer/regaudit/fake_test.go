package regaudit

import (
	"go/ast"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/internal/checks"
)

// fakeFamily is a test-only check family: every call of a function named
// like a check ID in lower case (ra1001()) is a finding of that check. It
// lets the reporting, selection and suppression logic be tested on exact,
// known findings independently of the real families.
var fakeFamily = &analysis.Analyzer{
	Name:       "fake",
	Doc:        "test-only family: calls of ra1001() etc. are findings",
	ResultType: reflect.TypeFor[[]checks.Finding](),
	Run: func(pass *analysis.Pass) (any, error) {
		var out []checks.Finding
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				id, ok := call.Fun.(*ast.Ident)
				if !ok || !strings.HasPrefix(id.Name, "ra") {
					return true
				}
				out = append(out, checks.Finding{
					ID:      strings.ToUpper(id.Name),
					Pos:     call.Pos(),
					End:     call.End(),
					Message: "synthetic " + id.Name + " finding",
				})
				return true
			})
		}
		return out, nil
	},
}
