package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/regaudit/regaudit/analyzer/regaudit"
	"github.com/regaudit/regaudit/internal/sarif"
)

const (
	sarifUsage     = "write the findings as SARIF 2.1.0 to `FILE` (- for standard output), besides the text output"
	sarifRootUsage = "with -sarif: make file URIs relative to `DIR` (default: the root of the module being analyzed)"
)

// sarifRequested reports whether args ask for the SARIF driver. Package
// patterns never start with "-", so any argument before "--" will do.
func sarifRequested(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "sarif" || name == "sarif-root") {
			return true
		}
	}
	return false
}

// runSARIF is the driver used with -sarif: it loads the packages with
// go/packages, runs the analyzer with go/analysis/checker, prints the
// findings as text like the standard driver and writes the SARIF log.
func runSARIF(args []string, stderr io.Writer) int {
	code, err := sarifMain(args, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "regaudit: %v\n", err)
	}
	return code
}

func sarifMain(args []string, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("regaudit", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("sarif", "", sarifUsage)
	root := fs.String("sarif-root", "", sarifRootUsage)
	tests := fs.Bool("test", true, "also analyze the packages' tests")
	regaudit.Analyzer.Flags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	if err := fs.Parse(args); err != nil {
		return exitUsage, fmt.Errorf("%v (regaudit -help lists the flags)", err)
	}
	if *out == "" {
		return exitUsage, errors.New("-sarif-root needs -sarif FILE")
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		return exitUsage, errors.New("-sarif needs package patterns, e.g. regaudit -sarif out.sarif ./...")
	}
	if len(patterns) == 1 && strings.HasSuffix(patterns[0], ".cfg") {
		return exitUsage, errors.New("-sarif does not work under go vet; run regaudit -sarif FILE ./... directly")
	}
	if *root != "" {
		if st, err := os.Stat(*root); err != nil || !st.IsDir() {
			return exitUsage, fmt.Errorf("-sarif-root %s is not a directory", *root)
		}
	}

	// Open the output first, so that a bad path fails before the analysis.
	w := os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return exitUsage, fmt.Errorf("cannot write SARIF: %v", err)
		}
		w = f
	}

	// The log is written even when the analysis fails, with the errors as
	// notifications, so that a CI step uploading it finds a valid file.
	findings, failures, modRoot, err := analyze(patterns, *tests, stderr)
	if err != nil {
		failures = append(failures, err.Error())
	}
	if *root == "" {
		*root = modRoot
	}
	werr := sarif.Write(w, findings, sarif.Options{Root: *root, ToolVersion: version(), Failures: failures})
	if w != os.Stdout {
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
	}
	switch {
	case err != nil:
		return exitFailure, err
	case werr != nil:
		return exitFailure, fmt.Errorf("writing SARIF: %v", werr)
	case len(failures) > 0:
		return exitFailure, nil
	case len(findings) > 0:
		return exitFindings, nil
	}
	return exitOK, nil
}

// analyze loads the packages and runs the analyzer on them, printing
// package errors and findings to stderr as the standard driver does. It
// returns the findings, the package and analysis errors, and the root of
// the main module (or "."); err is set when nothing could be analyzed.
func analyze(patterns []string, tests bool, stderr io.Writer) (findings []sarif.Finding, failures []string, root string, err error) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Tests: tests}
	pkgs, err := packages.Load(cfg, patterns...)
	if err == nil && len(pkgs) == 0 {
		err = fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	if err != nil {
		return nil, nil, ".", err
	}
	root = moduleRoot(pkgs)
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			fmt.Fprintln(stderr, e)
			failures = append(failures, e.Error())
		}
	})
	graph, err := checker.Analyze([]*analysis.Analyzer{regaudit.Analyzer}, pkgs, nil)
	if err != nil {
		return nil, failures, root, err
	}
	if err := graph.PrintText(stderr, -1); err != nil {
		return nil, failures, root, err
	}
	findings, failed := collect(graph)
	return findings, append(failures, failed...), root, nil
}

// version is the module version regaudit was built from, without its "v"
// (SARIF consumers compare versions that start with a number), or
// 0.0.0-devel for a build from a work tree.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(bi.Main.Version, "v") {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "0.0.0-devel"
}

// collect returns the root diagnostics, without the duplicates that a file
// compiled into both a package and its test variant produces, and the
// analysis errors.
func collect(graph *checker.Graph) (findings []sarif.Finding, failures []string) {
	type key struct {
		file              string
		line, col         int
		category, message string
	}
	seen := map[key]bool{}
	for act := range graph.All() {
		if act.Err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", act, act.Err))
			continue
		}
		if !act.IsRoot {
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			pos, end := fset.Position(d.Pos), fset.Position(d.End)
			k := key{pos.Filename, pos.Line, pos.Column, d.Category, d.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			f := sarif.Finding{
				CheckID:  d.Category,
				Message:  strings.TrimSuffix(d.Message, " ("+d.Category+")"),
				Filename: pos.Filename,
				Line:     pos.Line,
				Column:   pos.Column,
			}
			if end.IsValid() {
				f.EndLine, f.EndColumn = end.Line, end.Column
			}
			findings = append(findings, f)
		}
	}
	sort.Strings(failures)
	return findings, failures
}

// moduleRoot returns the directory of the main module of the analyzed
// packages, or the current directory.
func moduleRoot(pkgs []*packages.Package) string {
	for _, p := range pkgs {
		if p.Module != nil && p.Module.Main && p.Module.Dir != "" {
			return p.Module.Dir
		}
	}
	return "."
}
