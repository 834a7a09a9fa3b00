// Command regaudit runs the regaudit analyzer standalone (regaudit ./...)
// or as a go vet tool (go vet -vettool=$(command -v regaudit) ./...).
//
// With -sarif FILE it uses its own driver (go/packages and
// go/analysis/checker) to also write a SARIF 2.1.0 log; otherwise it is a
// plain x/tools singlechecker. See docs/usage.md for flags and exit codes.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/regaudit/regaudit/analyzer/regaudit"
	"github.com/regaudit/regaudit/internal/checks"
)

// Exit codes, the same as singlechecker's in x/tools v0.52.0, plus 2 for
// bad usage.
const (
	exitOK       = 0
	exitFailure  = 1 // packages did not load or an analysis failed
	exitUsage    = 2 // bad flag, unknown check, unwritable output
	exitFindings = 3 // the analysis succeeded and reported findings
)

// docs/checks.md is rendered from -explain by a test.
//go:generate go test -run TestChecksDoc|TestReadmeChecks -update .

func main() {
	if code, done := explain(os.Args[1:]); done {
		os.Exit(code)
	}
	exitIfReport(os.Args[1:])
	if sarifRequested(os.Args[1:]) {
		os.Exit(runSARIF(os.Args[1:], os.Stderr))
	}
	// Listed by -help, and handled above. They are left out of the list
	// that go vet asks for with -flags, so that go vet rejects them once,
	// instead of passing them to every package's run.
	if !slices.Contains(os.Args[1:], "-flags") {
		flag.String("explain", "", "print the documentation of check `ID` (or list them all with -explain list) and exit")
		flag.String("sarif", "", sarifUsage)
		flag.String("sarif-root", "", sarifRootUsage)
		flag.String("report", "", "write the review of every registry found, as `md` or json, and exit (with -o FILE: to a file)")
	}
	oneLineFlagErrors()
	a := regaudit.Analyzer
	if factsOnlyUnit(os.Args[1:]) {
		a = regaudit.FactsOnly
	}
	singlechecker.Main(a)
}

// factsOnlyUnit reports whether regaudit runs as a go vet tool on a unit
// analysed only for its facts (a dependency of the packages vetted: go vet
// discards its diagnostics), whose config says VetxOnly.
func factsOnlyUnit(args []string) bool {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return false
	}
	data, err := os.ReadFile(args[len(args)-1])
	if err != nil {
		return false // unitchecker reports it
	}
	// The go command writes the config with json.MarshalIndent and a tab:
	// a top-level key is the only one indented by exactly one tab. Reading
	// it there spares decoding the whole config (its import and file maps)
	// a second time in every unit; any other layout is decoded.
	for _, v := range []string{"true", "false"} {
		if bytes.Contains(data, []byte("\n\t\"VetxOnly\": "+v+",\n")) || bytes.Contains(data, []byte("\n\t\"VetxOnly\": "+v+"\n}")) {
			return v == "true"
		}
	}
	var cfg struct{ VetxOnly bool }
	return json.Unmarshal(data, &cfg) == nil && cfg.VetxOnly
}

// explain handles "regaudit -explain ID|list".
func explain(args []string) (code int, done bool) {
	for i, a := range args {
		var what string
		switch {
		case a == "-explain" || a == "--explain":
			if i+1 >= len(args) {
				fmt.Fprintln(os.Stderr, "regaudit: -explain needs a check ID (or list)")
				return exitUsage, true
			}
			what = args[i+1]
		case strings.HasPrefix(a, "-explain=") || strings.HasPrefix(a, "--explain="):
			what = a[strings.Index(a, "=")+1:]
		default:
			continue
		}
		if what == "list" || what == "all" {
			for _, c := range checks.All() {
				title := c.Title
				if c.OptIn {
					title += " (opt-in)"
				}
				fmt.Printf("%s  %-22s %s\n", c.ID, c.Name, title)
			}
			return 0, true
		}
		c, ok := checks.Lookup(what)
		if !ok {
			fmt.Fprintf(os.Stderr, "regaudit: unknown check %q (regaudit -explain list shows them)\n", what)
			return exitUsage, true
		}
		fmt.Print(checks.Explain(c))
		return 0, true
	}
	return 0, false
}

// oneLineFlagErrors makes a bad flag print one line and exit 2, instead of
// the error followed by the whole usage text.
func oneLineFlagErrors() {
	w := &flagErrWriter{}
	flag.CommandLine.SetOutput(w)
	flag.CommandLine.Usage = func() {
		if msg := strings.TrimSpace(w.err.String()); msg != "" {
			fmt.Fprintf(os.Stderr, "regaudit: %s (regaudit -help lists the flags)\n", msg)
			return
		}
		flag.Usage() // -help: the full usage, set by singlechecker
	}
}

// flagErrWriter captures the flag package's error line and passes every
// other output (usage, defaults) through to stderr.
type flagErrWriter struct{ err bytes.Buffer }

func (w *flagErrWriter) Write(p []byte) (int, error) {
	s := string(p)
	for _, prefix := range []string{"flag provided but not defined", "invalid value", "invalid boolean", "bad flag syntax", "flag needs an argument", "parse error"} {
		if strings.HasPrefix(s, prefix) {
			return w.err.Write(p)
		}
	}
	return os.Stderr.Write(p)
}
