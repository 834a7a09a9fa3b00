package lifecycle_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

func TestLifecycle(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer,
		"tlsbackend", "tlsbackendreal", "missingcleanup", "incompletecleanup", "removalleak", "registration", "stdidioms", "shapes")
}
