package lifecycle_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

// allChecks selects every check, the opt-in RA3001..RA3003 included, for
// the rest of the test.
func allChecks(t *testing.T) {
	t.Helper()
	f := regaudit.Analyzer.Flags.Lookup("checks")
	prev := f.Value.String()
	if err := f.Value.Set("all"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(prev) })
}

func TestLifecycle(t *testing.T) {
	allChecks(t)
	analysistest.Run(t, analysistest.TestData(), regaudit.Analyzer,
		"missingcleanup", "incompletecleanup", "removalleak", "registration", "stdidioms", "shapes", "closedstate", "wrappers", "scopedcleanup", "explained", "preconditions", "regapi/...", "partialrelease", "releasedentry", "closecontract", "heldout2", "terminal", "restartable")
}

// The TLS backend registries are shared with analyzer/unguarded: the
// careful one must stay silent for the lifecycle checks too, and the real
// one reports exactly its two unguarded reads.
func TestTLSBackendRegistries(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "unguarded", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	allChecks(t)
	analysistest.Run(t, dir, regaudit.Analyzer, "tlsbackend", "tlsbackendreal")
}
