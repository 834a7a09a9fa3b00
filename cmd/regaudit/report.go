package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/regaudit/regaudit/internal/checks"
	"github.com/regaudit/regaudit/internal/report"
)

// exitIfReport runs the report mode and exits when -report is among the
// arguments; otherwise it returns and the analyzer runs as usual.
func exitIfReport(args []string) {
	if code, done := reportMode(args); done {
		os.Exit(code)
	}
}

// reportMode handles "regaudit -report=md|json [-o file] [-checks=...]
// packages...": it loads the packages, runs the regaudit analyzer and the
// registry analyzer over them, and renders the review of every registry
// found. It returns done=false when -report is not among the arguments.
func reportMode(args []string) (code int, done bool) {
	found := false
	for _, a := range args {
		if a == "-report" || a == "--report" || strings.HasPrefix(a, "-report=") || strings.HasPrefix(a, "--report=") {
			found = true
		}
	}
	if !found {
		return 0, false
	}
	fs := flag.NewFlagSet("regaudit -report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("report", "md", "render the registry review: md or json")
	out := fs.String("o", "", "write the review to this file instead of standard output")
	sel := fs.String("checks", "", "comma-separated checks to include as findings (see -explain list; default all, opt-in checks included)")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(os.Stderr, "regaudit: %v (usage: regaudit -report=md|json [-o file] [-checks=...] packages...)\n", err)
		return 2, true
	}
	if *format != "md" && *format != "json" {
		fmt.Fprintf(os.Stderr, "regaudit: -report must be md or json, not %q\n", *format)
		return 2, true
	}
	if _, err := checks.ParseSelection(*sel); *sel != "" && err != nil {
		fmt.Fprintf(os.Stderr, "regaudit: -checks: %v\n", err)
		return 2, true
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	rep, err := report.Collect("", patterns, *sel)
	if err != nil {
		fmt.Fprintf(os.Stderr, "regaudit: %v\n", err)
		return 1, true
	}
	var buf bytes.Buffer
	if *format == "json" {
		err = report.JSON(&buf, rep)
	} else {
		err = report.Markdown(&buf, rep)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "regaudit: %v\n", err)
		return 1, true
	}
	if *out == "" {
		os.Stdout.Write(buf.Bytes())
		return 0, true
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "regaudit: %v\n", err)
		return 1, true
	}
	return 0, true
}
