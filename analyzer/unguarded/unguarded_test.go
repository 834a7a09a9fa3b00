package unguarded_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

func TestTLSBackendRegistry(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer, "tlsbackend", "tlsbackendreal")
}

func TestStdlibRegressions(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer, "stdregress")
}

func TestHelpers(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer, "helpers")
}
