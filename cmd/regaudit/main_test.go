package main

// These tests build the regaudit binary and run it as a user would, on the
// demo module in ../../testdata/plugin (shared with plugin/gcltest/run.sh).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/reviewdog/errorformat"

	"github.com/regaudit/regaudit/internal/sarif"
)

var binary string // built by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "regaudit-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "regaudit")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building regaudit: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// demoDir is the demo module with known findings.
func demoDir(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "plugin"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs the binary (or, with name "go", the go command) in dir.
func run(t *testing.T, dir string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, stdout.String(), stderr.String()}
}

// The findings in testdata/plugin: RA9001 in meta.go, RA1001 in
// registry.go (line 39 is hidden only by golangci-lint's //nolint, line 46
// by a //regaudit:ignore). (file:line:col, check)
var metaFindings = []string{
	"meta.go:6:2 RA9001",
	"meta.go:11:2 RA9001",
	"meta.go:17:2 RA9001",
	"meta.go:22:16 RA9001",
	"registry.go:21:15 RA1001",
	"registry.go:39:13 RA1001",
}

func rejectAny(t *testing.T, got []string, prefixes ...string) {
	t.Helper()
	for _, g := range got {
		for _, p := range prefixes {
			if strings.HasPrefix(g, p) {
				t.Errorf("unexpected finding %s", g)
			}
		}
	}
}

var idSuffix = regexp.MustCompile(` \((RA\d{4})\)$`)

// parseErrorformat reads text output with Vim's errorformat %f:%l:%c: %m,
// as editors do, and returns "file:line:col ID" for each entry. Lines that
// do not match must be go vet's "# package" headers.
func parseErrorformat(t *testing.T, dir, output string) []string {
	return parseWith(t, `%f:%l:%c: %m`, dir, output)
}

func parseWith(t *testing.T, format, dir, output string) []string {
	t.Helper()
	efm, err := errorformat.NewErrorformat([]string{format})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	s := efm.NewScanner(strings.NewReader(output))
	for s.Scan() {
		e := s.Entry()
		if !e.Valid {
			if !strings.HasPrefix(strings.Join(e.Lines, "\n"), "# ") {
				t.Errorf("line does not match %%f:%%l:%%c: %%m: %q", e.Lines)
			}
			continue
		}
		m := idSuffix.FindStringSubmatch(e.Text)
		if m == nil {
			t.Errorf("message does not end with its check ID: %q", e.Text)
			continue
		}
		file := e.Filename
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file) // go vet prints paths relative to its directory
		}
		if _, err := os.Stat(file); err != nil {
			t.Errorf("file %q of an entry does not exist", e.Filename)
		}
		if e.Lnum < 1 || e.Col < 1 {
			t.Errorf("bad position in %q", e.Lines)
		}
		if msg := strings.TrimSuffix(e.Text, m[0]); msg == "" || msg[0] != strings.ToLower(msg[:1])[0] || strings.HasSuffix(msg, ".") {
			t.Errorf("message not lowercase or ends with a period: %q", msg)
		}
		got = append(got, fmt.Sprintf("%s:%d:%d %s", filepath.Base(e.Filename), e.Lnum, e.Col, m[1]))
	}
	return got
}

func containsAll(t *testing.T, got, want []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing finding %s in %v", w, got)
		}
	}
}

func TestPlainOutputErrorformat(t *testing.T) {
	r := run(t, demoDir(t), binary, "./...")
	if r.code != exitFindings {
		t.Fatalf("exit code %d, want %d (findings); stderr:\n%s", r.code, exitFindings, r.stderr)
	}
	got := parseErrorformat(t, demoDir(t), r.stderr)
	containsAll(t, got, metaFindings)
	rejectAny(t, got, "registry.go:46:", "registry.go:33:")
	if len(got) != len(metaFindings) {
		t.Errorf("got %d findings, want %d: %v", len(got), len(metaFindings), got)
	}
}

// The recipes of docs/editors.md parse the output: the Vim and nvim-lint
// errorformats, and the VS Code problem matcher's regular expression.
func TestEditorRecipes(t *testing.T) {
	doc, err := os.ReadFile("../../docs/editors.md")
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, demoDir(t), binary, "./...")
	var formats []string
	for _, m := range regexp.MustCompile(`(?m)from_errorformat\("([^"]+)"|^set errorformat=(.+)$`).FindAllStringSubmatch(string(doc), -1) {
		formats = append(formats, m[1]+strings.ReplaceAll(m[2], `\ `, " "))
	}
	if len(formats) != 2 {
		t.Fatalf("found %d errorformats in docs/editors.md, want 2 (nvim-lint, Vim)", len(formats))
	}
	for _, f := range formats {
		if got := parseWith(t, f, demoDir(t), r.stderr); len(got) != len(metaFindings) {
			t.Errorf("errorformat %q: %d findings, want %d", f, len(got), len(metaFindings))
		}
	}

	m := regexp.MustCompile(`"regexp": ("(?:[^"\\]|\\.)*")`).FindStringSubmatch(string(doc))
	if m == nil {
		t.Fatal("no problem matcher regexp in docs/editors.md")
	}
	var pattern string
	if err := json.Unmarshal([]byte(m[1]), &pattern); err != nil {
		t.Fatal(err)
	}
	rx := regexp.MustCompile(pattern)
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		g := rx.FindStringSubmatch(line)
		if g == nil {
			t.Errorf("problem matcher %s does not match %q", pattern, line)
			continue
		}
		if _, err := os.Stat(g[1]); err != nil {
			t.Errorf("problem matcher: file group %q: %v", g[1], err)
		}
		got = append(got, fmt.Sprintf("%s:%s:%s %s", filepath.Base(g[1]), g[2], g[3], g[5]))
	}
	containsAll(t, got, metaFindings)
}

func TestGoVet(t *testing.T) {
	r := run(t, demoDir(t), "go", "vet", "-vettool="+binary, "./...")
	// unitchecker exits 1 when there are findings, and go vet passes it on.
	if r.code != 1 {
		t.Fatalf("go vet exit code %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	containsAll(t, parseErrorformat(t, demoDir(t), r.stderr), metaFindings)

	// The analyzer's flags go through go vet.
	r = run(t, demoDir(t), "go", "vet", "-vettool="+binary, "-checks=all,-RA9001", "./...")
	if strings.Contains(r.stderr, "RA9001") {
		t.Errorf("-checks=all,-RA9001 through go vet still reports RA9001:\n%s", r.stderr)
	}

	// -sarif needs regaudit's own driver: go vet rejects it once, up front.
	r = run(t, demoDir(t), "go", "vet", "-vettool="+binary, "-sarif=x.sarif", "./...")
	if r.code != 2 || !strings.HasPrefix(r.stderr, "flag provided but not defined: -sarif\n") {
		t.Errorf("go vet -sarif: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestJSON(t *testing.T) {
	r := run(t, demoDir(t), binary, "-json", "./...")
	if r.code != exitOK {
		t.Fatalf("-json exit code %d, want 0 (as x/tools does); stderr:\n%s", r.code, r.stderr)
	}
	var tree map[string]map[string][]struct {
		Category, Posn, Message string
	}
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("-json output does not parse: %v\n%s", err, r.stdout)
	}
	var got []string
	for _, byAnalyzer := range tree {
		for _, d := range byAnalyzer["regaudit"] {
			if !strings.HasSuffix(d.Message, " ("+d.Category+")") {
				t.Errorf("category %q does not match message %q", d.Category, d.Message)
			}
			got = append(got, filepath.Base(d.Posn)+" "+d.Category)
		}
	}
	containsAll(t, got, metaFindings)
}

func readSARIF(t *testing.T, data []byte) *sarif.Log {
	t.Helper()
	var log sarif.Log
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("SARIF does not parse: %v\n%s", err, data)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("not a SARIF 2.1.0 log with one run")
	}
	return &log
}

func sarifFindings(log *sarif.Log) []string {
	var got []string
	for _, r := range log.Runs[0].Results {
		l := r.Locations[0].PhysicalLocation
		got = append(got, fmt.Sprintf("%s:%d:%d %s", l.ArtifactLocation.URI, l.Region.StartLine, l.Region.StartColumn, r.RuleID))
	}
	return got
}

func TestSARIF(t *testing.T) {
	dir := demoDir(t)
	out := filepath.Join(t.TempDir(), "out.sarif")
	r := run(t, dir, binary, "-sarif", out, "./...")
	if r.code != exitFindings {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", r.code, exitFindings, r.stderr)
	}
	// The text output is there too, as without -sarif.
	containsAll(t, parseErrorformat(t, demoDir(t), r.stderr), metaFindings)

	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	log := readSARIF(t, data)
	run0 := log.Runs[0]
	if got, want := run0.OriginalURIBaseIDs["%SRCROOT%"].URI, "file://"+filepath.ToSlash(dir)+"/"; got != want {
		t.Errorf("%%SRCROOT%% = %s, want the module root %s", got, want)
	}
	// Byte column 16 of line 22 is UTF-16 column 13 ("é" and "😀" before it).
	containsAll(t, sarifFindings(log), []string{"meta.go:6:2 RA9001", "meta.go:11:2 RA9001", "meta.go:17:2 RA9001", "meta.go:22:13 RA9001", "registry.go:21:15 RA1001"})
	rejectAny(t, sarifFindings(log), "registry.go:46:")
	for _, res := range run0.Results {
		if idSuffix.MatchString(res.Message.Text) {
			t.Errorf("SARIF message keeps the (ID) suffix: %q", res.Message.Text)
		}
		if res.PartialFingerprints[sarif.FingerprintKey] == "" {
			t.Errorf("result without fingerprint: %+v", res)
		}
	}

	// -sarif-root, and - for standard output.
	repo := filepath.Join(dir, "..", "..")
	r = run(t, dir, binary, "-sarif-root", repo, "-sarif=-", "-checks=RA9001", "./...")
	if r.code != exitFindings {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", r.code, exitFindings, r.stderr)
	}
	containsAll(t, sarifFindings(readSARIF(t, []byte(r.stdout))), []string{"testdata/plugin/meta.go:6:2 RA9001"})
}

func TestSARIFFingerprintsSurviveEdits(t *testing.T) {
	dir := t.TempDir()
	write := func(src string) {
		if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/fp\n\ngo 1.26.0\n"), 0o644)
	fingerprints := func() []string {
		r := run(t, dir, binary, "-sarif=-", "./...")
		var fps []string
		for _, res := range readSARIF(t, []byte(r.stdout)).Runs[0].Results {
			fps = append(fps, res.PartialFingerprints[sarif.FingerprintKey])
		}
		return fps
	}
	write("package p\n\nfunc f() {\n\t//regaudit:ignore RA1001\n}\n")
	before := fingerprints()
	write("package p\n\ntype T int\n\nvar _ T\n\nfunc f() {\n\t  //regaudit:ignore RA1001\n}\n")
	after := fingerprints()
	if len(before) != 1 || !slices.Equal(before, after) {
		t.Errorf("fingerprints %v changed to %v when the line moved", before, after)
	}
}

func TestExitCodes(t *testing.T) {
	clean := t.TempDir()
	os.WriteFile(filepath.Join(clean, "go.mod"), []byte("module example.com/clean\n\ngo 1.26.0\n"), 0o644)
	os.WriteFile(filepath.Join(clean, "p.go"), []byte("package p\n\nfunc F() int { return 1 }\n"), 0o644)
	broken := t.TempDir()
	os.WriteFile(filepath.Join(broken, "go.mod"), []byte("module example.com/broken\n\ngo 1.26.0\n"), 0o644)
	os.WriteFile(filepath.Join(broken, "p.go"), []byte("package p\n\nfunc F() int { return \"x\" }\n"), 0o644)

	for _, c := range []struct {
		name string
		dir  string
		args []string
		want int
	}{
		{"no findings", clean, []string{"./..."}, exitOK},
		{"no findings, sarif", clean, []string{"-sarif", os.DevNull, "./..."}, exitOK},
		{"findings", demoDir(t), []string{"./..."}, exitFindings},
		{"findings, json", demoDir(t), []string{"-json", "./..."}, exitOK},
		{"type error", broken, []string{"./..."}, exitFailure},
		{"type error, sarif", broken, []string{"-sarif", os.DevNull, "./..."}, exitFailure},
		{"no such package", clean, []string{"./nosuchdir"}, exitFailure},
		{"no such package, sarif", clean, []string{"-sarif", os.DevNull, "./nosuchdir"}, exitFailure},
	} {
		if r := run(t, c.dir, binary, c.args...); r.code != c.want {
			t.Errorf("%s: regaudit %s: exit code %d, want %d; stderr:\n%s", c.name, strings.Join(c.args, " "), r.code, c.want, r.stderr)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := demoDir(t)
	for _, c := range []struct {
		args []string
		want string // the whole stderr, one line
	}{
		{[]string{"-checks=all,-RA1999", "./..."}, `regaudit: invalid value "all,-RA1999" for flag -checks: unknown check "RA1999" (see regaudit -explain list) (regaudit -help lists the flags)`},
		{[]string{"-nosuchflag", "./..."}, `regaudit: flag provided but not defined: -nosuchflag (regaudit -help lists the flags)`},
		{[]string{"-explain", "RA1999"}, `regaudit: unknown check "RA1999" (regaudit -explain list shows them)`},
		{[]string{"-explain"}, `regaudit: -explain needs a check ID (or list)`},
		{[]string{"-sarif", "/nonexistent/dir/x.sarif", "./..."}, `regaudit: cannot write SARIF: open /nonexistent/dir/x.sarif: no such file or directory`},
		{[]string{"-sarif", os.DevNull, "-checks=RA1999", "./..."}, `regaudit: invalid value "RA1999" for flag -checks: unknown check "RA1999" (see regaudit -explain list) (regaudit -help lists the flags)`},
		{[]string{"-sarif", os.DevNull, "-json", "./..."}, `regaudit: flag provided but not defined: -json (regaudit -help lists the flags)`},
		{[]string{"-sarif-root", ".", "./..."}, `regaudit: -sarif-root needs -sarif FILE`},
		{[]string{"-sarif", os.DevNull, "-sarif-root", "/nonexistent", "./..."}, `regaudit: -sarif-root /nonexistent is not a directory`},
		{[]string{"-sarif", os.DevNull}, `regaudit: -sarif needs package patterns, e.g. regaudit -sarif out.sarif ./...`},
	} {
		r := run(t, dir, binary, c.args...)
		if r.code != exitUsage {
			t.Errorf("regaudit %s: exit code %d, want %d", strings.Join(c.args, " "), r.code, exitUsage)
		}
		if got := strings.TrimSuffix(r.stderr, "\n"); got != c.want {
			t.Errorf("regaudit %s: stderr\n got %q\nwant %q", strings.Join(c.args, " "), r.stderr, c.want)
		}
	}
}

func TestHelpListsSARIF(t *testing.T) {
	r := run(t, demoDir(t), binary, "-help")
	for _, flag := range []string{"-sarif FILE", "-sarif-root DIR", "-checks", "-unused-suppressions"} {
		if !strings.Contains(r.stderr, flag) {
			t.Errorf("-help does not list %s:\n%s", flag, r.stderr)
		}
	}
}

// A failed analysis still writes a valid log, saying it failed.
func TestSARIFOnFailure(t *testing.T) {
	broken := t.TempDir()
	os.WriteFile(filepath.Join(broken, "go.mod"), []byte("module example.com/broken\n\ngo 1.26.0\n"), 0o644)
	os.WriteFile(filepath.Join(broken, "p.go"), []byte("package p\n\nfunc F() int { return \"x\" }\n"), 0o644)
	for _, pattern := range []string{"./...", "./nosuchdir"} {
		out := filepath.Join(t.TempDir(), "out.sarif")
		r := run(t, broken, binary, "-sarif", out, pattern)
		if r.code != exitFailure {
			t.Errorf("%s: exit code %d, want %d", pattern, r.code, exitFailure)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		inv := readSARIF(t, data).Runs[0].Invocations
		if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) == 0 {
			t.Errorf("%s: invocations %+v, want one unsuccessful with notifications", pattern, inv)
		}
	}
}

func TestFactsOnlyUnit(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	facts := write("facts.cfg", `{"ID":"p","VetxOnly":true}`)
	full := write("full.cfg", `{"ID":"p","VetxOnly":false}`)
	// the go command's layout (json.MarshalIndent with a tab), where only a
	// top-level key is indented by one tab
	indentedFacts := write("ifacts.cfg", "{\n\t\"ID\": \"p\",\n\t\"ImportMap\": {\n\t\t\"VetxOnly\": \"VetxOnly\"\n\t},\n\t\"VetxOnly\": true,\n\t\"VetxOutput\": \"x\"\n}\n")
	indentedFull := write("ifull.cfg", "{\n\t\"ID\": \"p\",\n\t\"ImportMap\": {\n\t\t\"VetxOnly\": true\n\t},\n\t\"VetxOnly\": false\n}\n")
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"-checks=all", facts}, true},
		{[]string{full}, false},
		{[]string{indentedFacts}, true},
		{[]string{indentedFull}, false},
		{[]string{"./..."}, false},
		{nil, false},
		{[]string{filepath.Join(dir, "missing.cfg")}, false},
	} {
		if got := factsOnlyUnit(c.args); got != c.want {
			t.Errorf("factsOnlyUnit(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}

// An opt-in check (RA3002) reports nothing unless -checks selects it; the
// review report includes it without -checks.
func TestOptInChecks(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	const pkg = "./analyzer/lifecycle/testdata/src/incompletecleanup"
	count := func(args ...string) int {
		r := run(t, root, binary, append(args, pkg)...)
		if r.code != exitOK && r.code != exitFindings {
			t.Fatalf("regaudit %v: exit %d: %s", args, r.code, r.stderr)
		}
		return strings.Count(r.stderr, "(RA3002)")
	}
	if n := count(); n != 0 {
		t.Errorf("RA3002 is opt-in, yet the default run reports it %d times", n)
	}
	if n := count("-checks=default,RA3002"); n == 0 {
		t.Errorf("-checks=default,RA3002 reports no RA3002")
	}
	if n := count("-checks=all"); n == 0 {
		t.Errorf("-checks=all reports no RA3002")
	}
	r := run(t, root, binary, "-report=md", pkg)
	if r.code != exitOK || !strings.Contains(r.stdout, "RA3002") {
		t.Errorf("-report=md: exit %d, no RA3002 in the review:\n%s%s", r.code, r.stdout, r.stderr)
	}
}
