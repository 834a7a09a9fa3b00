package lifecycle_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

func TestLifecycle(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer,
		"missingcleanup", "incompletecleanup", "removalleak", "registration", "stdidioms", "shapes", "closedstate", "wrappers", "scopedcleanup", "explained", "preconditions", "regapi/...", "partialrelease", "releasedentry", "closecontract", "heldout2", "terminal")
}

// The TLS backend registries are shared with analyzer/unguarded: the
// careful one must stay silent for the lifecycle checks too, and the real
// one reports exactly its two unguarded reads.
func TestTLSBackendRegistries(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "unguarded", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, regaudit.Analyzer, "tlsbackend", "tlsbackendreal")
}
