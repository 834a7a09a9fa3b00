package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/regaudit/regaudit/internal/report"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The TLS backend registries of analyzer/unguarded/testdata: tlsbackend is
// the careful rendering of the reviewed code, tlsbackendreal the real code
// with its two unguarded reads; incompletecleanup has the lifecycle
// findings (goroutines, forgotten collections, unguarded cleanup).
func TestGolden(t *testing.T) {
	for _, name := range []string{"tlsbackend", "tlsbackendreal", "incompletecleanup"} {
		t.Run(name, func(t *testing.T) {
			dir := "../../analyzer/lifecycle/testdata/src"
			if name != "incompletecleanup" {
				dir = "../../analyzer/unguarded/testdata/src"
			}
			rep, err := report.Collect(dir, []string{"./" + name}, "")
			if err != nil {
				t.Fatal(err)
			}
			var md, js bytes.Buffer
			if err := report.Markdown(&md, rep); err != nil {
				t.Fatal(err)
			}
			if err := report.JSON(&js, rep); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", name+".md"), md.Bytes())
			golden(t, filepath.Join("testdata", name+".json"), js.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", path, got)
	}
}
