// Command noop is a go vet tool whose only analyzer does nothing. Timing
// "go vet -vettool=noop" measures the floor of any unitchecker-based vet
// tool: parsing and type-checking every package (and writing its vetx file)
// with no analysis at all. bench/run.sh compares regaudit against it.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
)

var analyzer = &analysis.Analyzer{
	Name: "noop",
	Doc:  "does nothing (the type-checking floor of a vet tool)",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { unitchecker.Main(analyzer) }
