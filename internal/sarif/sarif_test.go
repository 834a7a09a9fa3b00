package sarif

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regaudit/regaudit/internal/checks"
)

const src = `package p

func f() {
	r.backends["x"] = b
	r.backends["x"] = b
	_ = "é😀"; _ = r.backends
}
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func build(t *testing.T, root string, fs []Finding) *Log {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, fs, Options{Root: root, ToolVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	// Round-trip through JSON, as a consumer would read it.
	var log Log
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	return &log
}

func TestLog(t *testing.T) {
	root := t.TempDir()
	file := writeFile(t, root, "pkg/sub/p.go", src)
	outside := writeFile(t, t.TempDir(), "q.go", src)
	log := build(t, root, []Finding{
		{CheckID: "RA1002", Message: "second write", Filename: file, Line: 5, Column: 2, EndLine: 5, EndColumn: 12},
		{CheckID: "RA1002", Message: "first write", Filename: file, Line: 4, Column: 2, EndLine: 4, EndColumn: 12},
		{CheckID: "RA1001", Message: "read", Filename: file, Line: 6, Column: 22, EndLine: 6, EndColumn: 32},
		{CheckID: "RA9002", Message: "outside", Filename: outside, Line: 4, Column: 2},
	})
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("bad header: version %q schema %q runs %d", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]

	// One rule per check, in the table's order, with its documentation.
	all := checks.All()
	if len(run.Tool.Driver.Rules) != len(all) {
		t.Fatalf("%d rules, want %d", len(run.Tool.Driver.Rules), len(all))
	}
	for i, c := range all {
		r := run.Tool.Driver.Rules[i]
		if r.ID != c.ID || r.Name != c.Name || r.ShortDescription.Text != c.Title ||
			r.FullDescription.Text != strings.TrimSpace(c.Doc) || r.Help == nil || r.Help.Text != checks.Explain(c) ||
			r.DefaultConfiguration == nil || r.DefaultConfiguration.Level != string(c.Severity) {
			t.Errorf("rule %d does not describe %s: %+v", i, c.ID, r)
		}
	}

	if got := run.OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file://"+filepath.ToSlash(root)+"/" {
		t.Errorf("%%SRCROOT%% = %q", got)
	}
	if len(run.Results) != 4 {
		t.Fatalf("%d results, want 4", len(run.Results))
	}
	type row struct {
		uri, base, rule string
		line, col       int
	}
	var got []row
	for _, r := range run.Results {
		l := r.Locations[0].PhysicalLocation
		got = append(got, row{l.ArtifactLocation.URI, l.ArtifactLocation.URIBaseID, r.RuleID, l.Region.StartLine, l.Region.StartColumn})
		if rule := run.Tool.Driver.Rules[r.RuleIndex]; rule.ID != r.RuleID {
			t.Errorf("result %s has ruleIndex %d, which is %s", r.RuleID, r.RuleIndex, rule.ID)
		}
	}
	want := []row{
		{"file://" + filepath.ToSlash(outside), "", "RA9002", 4, 2},
		{"pkg/sub/p.go", "%SRCROOT%", "RA1002", 4, 2},
		{"pkg/sub/p.go", "%SRCROOT%", "RA1002", 5, 2},
		// Byte column 22 is after "é" (2 bytes, 1 unit) and "😀" (4 bytes, 2 units).
		{"pkg/sub/p.go", "%SRCROOT%", "RA1001", 6, 19},
	}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("results (sorted by file and line):\n got %v\nwant %v", got, want)
		}
	}
	if s := run.Results[1].Locations[0].PhysicalLocation.Region.Snippet; s == nil || s.Text != "\tr.backends[\"x\"] = b" {
		t.Errorf("snippet %+v, want the text of line 4", s)
	}
	if run.Results[0].Level != "note" || run.Results[1].Level != "error" {
		t.Errorf("levels %q %q, want the checks' severities note, error", run.Results[0].Level, run.Results[1].Level)
	}
	if !run.Invocations[0].ExecutionSuccessful {
		t.Error("executionSuccessful false without failures")
	}
}

func fingerprint(t *testing.T, root, file string, f Finding) string {
	t.Helper()
	f.Filename = file
	return build(t, root, []Finding{f}).Runs[0].Results[0].PartialFingerprints[FingerprintKey]
}

func TestFingerprints(t *testing.T) {
	root := t.TempDir()
	file := writeFile(t, root, "p.go", src)
	base := Finding{CheckID: "RA1002", Message: "m", Line: 4, Column: 2}
	fp := fingerprint(t, root, file, base)
	if !strings.HasSuffix(fp, ":1") || len(fp) != 34 {
		t.Fatalf("fingerprint %q: want 32 hex digits and an occurrence number", fp)
	}

	// Lines inserted above and the line re-indented: same fingerprint.
	writeFile(t, root, "p.go", "// a new comment\n\n"+strings.Replace(src, "\tr.backends[\"x\"] = b\n\tr.backends", "    r.backends[\"x\"]   =   b\n\tr.backends", 1))
	moved := base
	moved.Line, moved.Column = 6, 5
	if got := fingerprint(t, root, file, moved); got != fp {
		t.Errorf("fingerprint changed when the line moved: %s, was %s", got, fp)
	}
	// The message is not part of it either (messages may be reworded).
	moved.Message = "reworded"
	if got := fingerprint(t, root, file, moved); got != fp {
		t.Errorf("fingerprint changed with the message: %s, was %s", got, fp)
	}

	// Each of check, path and line text changes it.
	other := moved
	other.CheckID = "RA1001"
	if got := fingerprint(t, root, file, other); got == fp {
		t.Error("fingerprint ignores the check ID")
	}
	copyFile := writeFile(t, root, "q.go", "// a new comment\n\n"+src)
	if got := fingerprint(t, root, copyFile, moved); got == fp {
		t.Error("fingerprint ignores the path")
	}
	other = moved
	other.Line = 8
	if got := fingerprint(t, root, file, other); got == fp {
		t.Error("fingerprint ignores the line text")
	}

	// Two findings on identical lines are told apart by occurrence.
	log := build(t, root, []Finding{
		{CheckID: "RA1002", Message: "m", Filename: copyFile, Line: 6, Column: 2},
		{CheckID: "RA1002", Message: "m", Filename: copyFile, Line: 7, Column: 2},
	})
	a := log.Runs[0].Results[0].PartialFingerprints[FingerprintKey]
	b := log.Runs[0].Results[1].PartialFingerprints[FingerprintKey]
	if a == b || strings.TrimSuffix(a, ":1") != strings.TrimSuffix(b, ":2") {
		t.Errorf("identical lines: fingerprints %s and %s, want the same hash with :1 and :2", a, b)
	}
}

func TestFailures(t *testing.T) {
	log := build(t, t.TempDir(), nil)
	if log.Runs[0].Results == nil {
		t.Error("no findings must still write \"results\": []")
	}
	var buf bytes.Buffer
	if err := Write(&buf, nil, Options{Root: ".", Failures: []string{"p: failed prerequisites"}}); err != nil {
		t.Fatal(err)
	}
	var got Log
	json.Unmarshal(buf.Bytes(), &got)
	inv := got.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 || inv.ToolExecutionNotifications[0].Message.Text != "p: failed prerequisites" {
		t.Errorf("invocation %+v, want unsuccessful with the failure", inv)
	}
	if err := Write(&buf, []Finding{{CheckID: "RA0000", Filename: "x.go", Line: 1}}, Options{Root: "."}); err == nil {
		t.Error("a finding of an unknown check was accepted")
	}
}

func TestUTF16Column(t *testing.T) {
	for _, c := range []struct {
		line      string
		byteCol   int
		wantCol16 int
	}{
		{"abc", 1, 1},
		{"abc", 3, 3},
		{"abc", 4, 4}, // just past the end
		{"é=x", 3, 2}, // é is 2 bytes, 1 unit
		{"😀=x", 5, 3}, // 😀 is 4 bytes, 2 units
		{"😀", 7, 5},   // 2 bytes past the end
		{"", 5, 5},    // unknown text: unchanged
	} {
		if got := utf16Column(c.line, c.byteCol); got != c.wantCol16 {
			t.Errorf("utf16Column(%q, %d) = %d, want %d", c.line, c.byteCol, got, c.wantCol16)
		}
	}
}
