package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regaudit/regaudit/internal/checks"
)

var update = flag.Bool("update", false, "rewrite docs/checks.md from regaudit -explain")

const checksDocPath = "../../docs/checks.md"

const regenerate = "go generate ./cmd/regaudit (which runs: go test ./cmd/regaudit -run TestChecksDoc -update)"

// checksDoc renders docs/checks.md from what the binary prints for
// -explain list and -explain ID, so the page and -explain cannot disagree.
func checksDoc(t *testing.T) string {
	list := run(t, ".", binary, "-explain", "list")
	if list.code != 0 {
		t.Fatalf("-explain list: exit %d: %s", list.code, list.stderr)
	}
	var b strings.Builder
	b.WriteString("# regaudit checks\n\n")
	fmt.Fprintf(&b, "<!-- Generated from internal/checks by %s. Do not edit. -->\n\n", regenerate)
	b.WriteString("Each check has a stable ID, used in `-checks`, in suppression comments\n")
	b.WriteString("(`//regaudit:ignore RA1001 reason`), as the diagnostic category and as the SARIF\n")
	b.WriteString("rule ID. `regaudit -explain ID` prints the same text as the sections below.\n\n")
	b.WriteString("| ID | Name | Title |\n|---|---|---|\n")
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(list.stdout), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			t.Fatalf("-explain list: bad line %q", line)
		}
		ids = append(ids, f[0])
		fmt.Fprintf(&b, "| [%s](#%s) | `%s` | %s |\n", f[0], strings.ToLower(f[0]), f[1], strings.Join(f[2:], " "))
	}
	for _, id := range ids {
		r := run(t, ".", binary, "-explain", id)
		if r.code != 0 {
			t.Fatalf("-explain %s: exit %d: %s", id, r.code, r.stderr)
		}
		fmt.Fprintf(&b, "\n## %s\n\n```text\n%s```\n", id, r.stdout)
	}
	return b.String()
}

func TestChecksDoc(t *testing.T) {
	want := checksDoc(t)
	if *update {
		if err := os.WriteFile(checksDocPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(checksDocPath)
	if err != nil {
		t.Fatalf("%v; create it with: %s", err, regenerate)
	}
	if string(got) != want {
		p, _ := filepath.Abs(checksDocPath)
		t.Fatalf("%s differs from regaudit -explain (a check was added or its docs changed in internal/checks).\nRegenerate it with: %s\nFirst difference: %s", p, regenerate, firstDiff(string(got), want))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: have %q, want %q", i+1, gl, wl)
		}
	}
	return "none"
}

const readmePath = "../../README.md"

const (
	readmeBegin = "<!-- BEGIN CHECKS: generated from internal/checks by go generate ./cmd/regaudit; do not edit -->"
	readmeEnd   = "<!-- END CHECKS -->"
)

// readmeChecks renders the README's per-check section (a bad and a good
// example for every check) from the check table.
func readmeChecks() string {
	var b strings.Builder
	b.WriteString(readmeBegin + "\n")
	for _, c := range checks.All() {
		name := c.Name
		if c.OptIn {
			name += " (opt-in)"
		}
		fmt.Fprintf(&b, "\n#### %s %s: %s\n\n", c.ID, name, c.Title)
		fmt.Fprintf(&b, "Bad:\n\n```go\n%s\n```\n\nGood:\n\n```go\n%s\n```\n", strings.Trim(c.Bad, "\n"), strings.Trim(c.Good, "\n"))
	}
	b.WriteString("\n" + readmeEnd)
	return b.String()
}

func TestReadmeChecks(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i, j := strings.Index(s, readmeBegin), strings.Index(s, readmeEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q ... %q markers", readmeBegin, readmeEnd)
	}
	want := s[:i] + readmeChecks() + s[j+len(readmeEnd):]
	if *update {
		if err := os.WriteFile(readmePath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != s {
		t.Fatalf("README.md's check examples differ from internal/checks.\nRegenerate them with: go test ./cmd/regaudit -run TestReadmeChecks -update\nFirst difference: %s", firstDiff(s, want))
	}
}
