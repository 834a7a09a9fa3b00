package lockflow_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

// The lock-flow testdata is about the RA2 family: unguarded accesses that
// the RA1 family would report on the same code are not expected here.
func init() {
	if err := regaudit.Analyzer.Flags.Set("checks", "RA2*"); err != nil {
		panic(err)
	}
}

func TestFlow(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer, "flow")
}

func TestCalls(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer, "calls")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer, "lockhelper", "usehelper")
}

func TestEscape(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), regaudit.Analyzer, "escape", "escapeimp", "escapeold")
}

func TestStdIdioms(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer, "stdidioms")
}
