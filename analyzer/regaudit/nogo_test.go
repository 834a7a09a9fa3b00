package regaudit

// Constraints that Bazel's nogo (and go vet's unitchecker) put on
// analyzers, which run one package at a time, with facts passed between
// packages in gob encoding, and possibly several analyses in one process.
// See docs/nogo.md.

import (
	"bytes"
	"encoding/gob"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// closure returns a and every analyzer it requires, transitively.
func closure(a *analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	seen := map[*analysis.Analyzer]bool{}
	var visit func(*analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		out = append(out, a)
	}
	visit(a)
	return out
}

func TestValid(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{Analyzer}); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, a := range closure(Analyzer) {
		if names[a.Name] {
			t.Errorf("two analyzers are named %s: nogo's config keys them by name", a.Name)
		}
		names[a.Name] = true
	}
}

// Every fact type must survive a gob round trip through the analysis.Fact
// interface, as nogo and unitchecker serialize facts between packages.
func TestFactsGob(t *testing.T) {
	n := 0
	for _, a := range closure(Analyzer) {
		for _, f := range a.FactTypes {
			n++
			if err := gobRoundTrip(f); err != nil {
				t.Errorf("%s fact %T: %v", a.Name, f, err)
			}
		}
	}
	t.Logf("%d fact types", n)
}

type goodFact struct {
	Guards map[string][]int
	Name   string
}

func (*goodFact) AFact() {}

type badFact struct{ guards map[string]int }

func (*badFact) AFact() {}

type funcFact struct{ F func() }

func (*funcFact) AFact() {}

// The round trip check itself tells good facts from bad ones.
func TestGobRoundTripCheck(t *testing.T) {
	if err := gobRoundTrip(new(goodFact)); err != nil {
		t.Errorf("good fact rejected: %v", err)
	}
	if err := gobRoundTrip(new(badFact)); err == nil {
		t.Error("fact without exported fields accepted")
	}
	if err := gobRoundTrip(new(funcFact)); err == nil {
		t.Error("fact with a func field accepted")
	}
}

func gobRoundTrip(f analysis.Fact) error {
	if reflect.TypeOf(f).Kind() != reflect.Pointer {
		return fmt.Errorf("a fact type must be a pointer")
	}
	gob.Register(f)
	// The zero value, and a value with every field set, where possible.
	for _, v := range []analysis.Fact{f, filled(f)} {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(&v); err != nil {
			return fmt.Errorf("gob encode: %v", err)
		}
		var back analysis.Fact
		if err := gob.NewDecoder(&buf).Decode(&back); err != nil {
			return fmt.Errorf("gob decode: %v", err)
		}
		if reflect.TypeOf(back) != reflect.TypeOf(v) {
			return fmt.Errorf("decoded as %T", back)
		}
		if !isZero(v) && !reflect.DeepEqual(back, v) {
			return fmt.Errorf("round trip changed %#v into %#v", v, back)
		}
	}
	return nil
}

func isZero(f analysis.Fact) bool { return reflect.ValueOf(f).Elem().IsZero() }

// filled returns a new fact of f's type with its exported fields of simple
// kinds set to non-zero values (gob drops zero fields, so a round trip of
// the zero value alone would miss fields gob cannot encode).
func filled(f analysis.Fact) analysis.Fact {
	v := reflect.New(reflect.TypeOf(f).Elem())
	fill(v.Elem(), 0)
	return v.Interface().(analysis.Fact)
}

func fill(v reflect.Value, depth int) {
	if depth > 3 || !v.CanSet() {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5)
	case reflect.String:
		v.SetString("x")
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), depth+1)
		v.Set(p)
	}
}

// analyze runs the analyzer with the x/tools checker on the demo module and
// this package's suppression fixtures, and returns its diagnostics.
func analyze(t *testing.T, opts *checker.Options) []string {
	t.Helper()
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Tests: true}
	var pkgs []*packages.Package
	for _, dir := range []string{"../../testdata/plugin", "testdata/src/suppress"} {
		cfg.Dir = dir
		ps, err := packages.Load(cfg, ".")
		if err != nil {
			t.Fatal(err)
		}
		if packages.PrintErrors(ps) > 0 {
			t.Fatalf("%s does not load", dir)
		}
		pkgs = append(pkgs, ps...)
	}
	g, err := checker.Analyze([]*analysis.Analyzer{Analyzer}, pkgs, opts)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for act := range g.All() {
		if act.Err != nil {
			t.Fatalf("%s: %v", act, act.Err)
		}
		if act.IsRoot {
			for _, d := range act.Diagnostics {
				p := act.Package.Fset.Position(d.Pos)
				out = append(out, fmt.Sprintf("%s:%d:%d: %s", filepath.Base(p.Filename), p.Line, p.Column, d.Message))
			}
		}
	}
	slices.Sort(out)
	return out
}

// The analyzer keeps no state between runs in one process (nogo and
// gopls run many packages and analyses in one process), its results do not
// depend on scheduling, and its facts encode deterministically
// (SanityCheck re-encodes each fact and compares).
func TestRepeatable(t *testing.T) {
	first := analyze(t, &checker.Options{SanityCheck: true})
	if len(first) == 0 {
		t.Fatal("no diagnostics at all: the fixtures are broken")
	}
	second := analyze(t, &checker.Options{SanityCheck: true, Sequential: true})
	third := analyze(t, nil)
	if !slices.Equal(first, second) || !slices.Equal(first, third) {
		t.Fatalf("runs differ:\nfirst:  %q\nsecond: %q\nthird:  %q", first, second, third)
	}
}

// docs/nogo.md names every analyzer that nogo will run for regaudit.
func TestNogoDocListsAnalyzers(t *testing.T) {
	doc, err := os.ReadFile("../../docs/nogo.md")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, a := range closure(Analyzer) {
		names[a.Name] = true
		if !strings.Contains(string(doc), "`"+a.Name+"`") {
			t.Errorf("docs/nogo.md does not mention the analyzer `%s`, which regaudit requires", a.Name)
		}
	}
	// The analyzers it names as requirements, as "`name` (`analyzer/...`)".
	for _, m := range regexp.MustCompile("`([a-z]+)` \\(`analyzer/").FindAllStringSubmatch(string(doc), -1) {
		if !names[m[1]] {
			t.Errorf("docs/nogo.md names `%s` as a requirement of regaudit, but it is not one any more", m[1])
		}
	}
}

// FactsOnly, run by cmd/regaudit in go vet's facts-only units, must export
// every fact that Analyzer does (importers decode them with Analyzer), and
// accept the same flags.
func TestFactsOnly(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{FactsOnly}); err != nil {
		t.Fatal(err)
	}
	in := map[*analysis.Analyzer]bool{}
	for _, a := range closure(FactsOnly) {
		in[a] = true
	}
	for _, a := range closure(Analyzer) {
		if len(a.FactTypes) > 0 && !in[a] {
			t.Errorf("%s exports facts but FactsOnly does not run it", a.Name)
		}
	}
	if FactsOnly.Name != Analyzer.Name {
		t.Errorf("FactsOnly is named %s, not %s", FactsOnly.Name, Analyzer.Name)
	}
	Analyzer.Flags.VisitAll(func(f *flag.Flag) {
		if g := FactsOnly.Flags.Lookup(f.Name); g == nil || g.Value != f.Value {
			t.Errorf("FactsOnly lacks Analyzer's flag -%s", f.Name)
		}
	})
}
