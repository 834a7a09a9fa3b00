// Command profile measures, in one process, what regaudit's analysis costs
// on top of loading and type-checking, and writes CPU and memory profiles
// of the analysis alone.
//
//	go run ./bench/profile [flags] [packages]
//	go run ./bench/profile -n 5 -cpuprofile /tmp/ra.cpu
//	go tool pprof -top -cum -tagfocus=phase=regaudit /tmp/ra.cpu
//	go run ./bench/profile -analyzers regaudit -memprofile /tmp/ra.mem
//	go tool pprof -sample_index=alloc_space -top -base /tmp/ra.mem.base /tmp/ra.mem
//
// It loads the packages (default: a fixed set of standard library packages,
// some with mutexes and some without) and all their dependencies from
// source with go/packages, which is the type-checking floor, then runs the
// phases of -analyzers -n times, interleaved run by run (so that a change
// in the machine's load affects them alike), each through
// golang.org/x/tools/go/analysis/checker, sequentially. Every loaded
// package is a root, as under go vet, where every unit (dependencies
// included, since regaudit uses facts) runs the whole analyzer graph.
//
// Phases: regaudit (analyzer/regaudit.Analyzer and everything it
// requires), typecheck (type-check every package again from its syntax:
// the floor without parsing, cheap to repeat), noop (does nothing),
// astwalk (one ast.Inspect of every file), inspect (builds the shared
// inspector), or the name of one of regaudit's required analyzers
// (lockstate, guards, lockflow, unguarded, registry, lifecycle: that
// analyzer and what it requires).
//
// With -facts (default true), each regaudit run is followed by what go vet
// does with facts: for each package, its facts (and those it re-exports)
// are encoded as unitchecker does (objectpath and gob), then each
// package's imports' facts are decoded. That costs cpu under go vet even
// though the in-process checker does not need it.
//
// It prints, per phase, the cpu (user+sys of this process), wall time,
// bytes and objects allocated, and the cpu relative to the load and to the
// typecheck phase. The CPU profile (-cpuprofile) covers every phase, each
// labeled: go tool pprof -tagfocus=phase=regaudit shows regaudit alone
// (phase=regaudit+facts the fact encoding). The allocation profile
// (-memprofile, alloc_space and alloc_objects views) covers the -profile
// phase only; -top lists its slowest actions.
package main

import (
	"bytes"
	"context"
	"encoding/gob"
	"flag"
	"fmt"
	"go/ast"
	"go/types"
	"log"
	"maps"
	"os"
	"reflect"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

// defaultPkgs mixes packages with mutexes and registries and packages with
// none; their dependencies are analysed too.
var defaultPkgs = []string{
	"net/http", "crypto/tls", "database/sql", "go/types", "runtime",
	"encoding/json", "log/slog", "os/exec", "expvar", "text/template",
	"net/rpc", "mime", "go/parser", "go/printer", "image/png",
	"math/big", "regexp", "compress/gzip", "strconv", "archive/zip",
}

var noop = &analysis.Analyzer{
	Name: "noop",
	Doc:  "does nothing",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() {
	var (
		analyzers  = flag.String("analyzers", "typecheck,regaudit", "comma-separated phases to run, in this order")
		n          = flag.Int("n", 3, "runs of each phase")
		profiled   = flag.String("profile", "regaudit", "the phase whose slowest actions -top lists")
		cpuprofile = flag.String("cpuprofile", "", "write a CPU profile of all phases, labeled phase=NAME, to `file`")
		memprofile = flag.String("memprofile", "", "write an allocation profile to `file` (and its base, after the load, to file.base)")
		memrate    = flag.Int("memprofilerate", 64<<10, "runtime.MemProfileRate with -memprofile")
		factsFlag  = flag.Bool("facts", true, "after each regaudit run, encode and decode the facts as go vet does")
		tests      = flag.Bool("tests", false, "load test packages too")
		dir        = flag.String("C", "", "load packages from this directory (a module, e.g. bench/corpus)")
		showFacts  = flag.Bool("factstats", false, "print what the vet fact encoding encodes (facts by type, bytes)")
		top        = flag.Int("top", 0, "print the `N` slowest actions (analyzer and package) of the -profile analyzer's last run")
	)
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: profile [flags] [packages]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *memprofile != "" {
		runtime.MemProfileRate = *memrate
	}
	log.SetFlags(0)
	log.SetPrefix("profile: ")
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = defaultPkgs
	}

	// 1. Load: parse and type-check every package from source.
	runtime.GC()
	m0 := measure()
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Tests: *tests, Dir: *dir}
	roots, err := packages.Load(cfg, patterns...)
	if err != nil {
		log.Fatal(err)
	}
	load := measure().sub(m0)
	if packages.PrintErrors(roots) > 0 {
		log.Fatal("packages contain errors")
	}
	var all []*packages.Package
	packages.Visit(roots, nil, func(p *packages.Package) {
		if p.Types != nil && len(p.Syntax) > 0 {
			all = append(all, p)
		}
	})
	lines := 0
	for _, p := range all {
		for _, f := range p.Syntax {
			lines += p.Fset.Position(f.End()).Line
		}
	}
	fmt.Printf("loaded %d packages (%d roots, %d lines)\n", len(all), len(roots), lines)
	fmt.Printf("%-12s %9s %9s %10s %11s %9s %9s\n", "phase", "cpu", "wall", "alloc MB", "allocs", "cpu/load", "cpu/tc")
	load.print("load", load, nil)

	var cpuOut *os.File
	if *cpuprofile != "" {
		cpuOut, err = os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(cpuOut); err != nil {
			log.Fatal(err)
		}
	}
	if *showFacts {
		factStats = &struct {
			pkgs, bytes, decodedBytes int
			count                     map[string]int
		}{count: map[string]int{}}
	}

	if *memprofile != "" {
		writeAllocs(*memprofile + ".base")
	}

	// 2. Run the phases, interleaved run by run (so that a change in the
	// machine's load affects them alike), each after a GC.
	names := strings.Split(*analyzers, ",")
	for _, name := range names {
		if name != "typecheck" && lookup(name) == nil {
			log.Fatalf("unknown analyzer %q", name)
		}
	}
	total := make([]stats, len(names))
	facts := make([]stats, len(names))
	var last []*checker.Action
	for range *n {
		for i, name := range names {
			runtime.GC()
			// pprof -tagfocus=phase=NAME shows one phase of the CPU profile
			pprof.Do(context.Background(), pprof.Labels("phase", name), func(context.Context) {
				if name == "typecheck" {
					m0 := measure()
					typecheck(all)
					total[i] = total[i].add(measure().sub(m0))
					return
				}
				a := lookup(name)
				m0 := measure()
				g, err := checker.Analyze([]*analysis.Analyzer{a}, all, &checker.Options{Sequential: true})
				if err != nil {
					log.Fatal(err)
				}
				total[i] = total[i].add(measure().sub(m0))
				var acts []*checker.Action
				for act := range g.All() {
					if act.Err != nil {
						log.Fatalf("%s: %v", act, act.Err)
					}
					acts = append(acts, act)
				}
				if name == *profiled {
					last = acts
				}
				if *factsFlag && usesFacts(a) {
					pprof.Do(context.Background(), pprof.Labels("phase", name+"+facts"), func(context.Context) {
						m0 := measure()
						vetFacts(g)
						facts[i] = facts[i].add(measure().sub(m0))
					})
				}
			})
		}
	}
	if cpuOut != nil {
		pprof.StopCPUProfile()
	}
	var tc *stats
	for i, name := range names {
		if name == "typecheck" {
			t := total[i].div(*n)
			tc = &t
			tc.print(name, load, nil)
		}
	}
	for i, name := range names {
		if name == "typecheck" {
			continue
		}
		total[i].div(*n).print(name, load, tc)
		if facts[i].cpu > 0 {
			facts[i].div(*n).print("  +vet facts", load, tc)
			total[i].add(facts[i]).div(*n).print("  =total", load, tc)
		}
	}

	if factStats != nil {
		fmt.Printf("\nvet facts (all runs): %d packages encode %d bytes, decode %d bytes\n", factStats.pkgs, factStats.bytes, factStats.decodedBytes)
		for _, k := range slices.Sorted(maps.Keys(factStats.count)) {
			fmt.Printf("%8d  %s\n", factStats.count[k], k)
		}
	}
	if *top > 0 && len(last) > 0 {
		sort.Slice(last, func(i, j int) bool { return last[i].Duration > last[j].Duration })
		byAnalyzer := map[string]time.Duration{}
		for _, act := range last {
			byAnalyzer[act.Analyzer.Name] += act.Duration
		}
		fmt.Printf("\nwall time per analyzer (sequential, last run):")
		for _, a := range slices.Sorted(maps.Keys(byAnalyzer)) {
			fmt.Printf(" %s %.2fs", a, byAnalyzer[a].Seconds())
		}
		fmt.Printf("\nslowest actions:\n")
		for _, act := range last[:min(*top, len(last))] {
			fmt.Printf("%8.1fms  %s\n", float64(act.Duration.Microseconds())/1000, act)
		}
	}

	if cpuOut != nil {
		if err := cpuOut.Close(); err != nil {
			log.Fatal(err)
		}
	}
	if *memprofile != "" {
		writeAllocs(*memprofile)
	}
}

// typecheck type-checks every package again from its syntax, against the
// loaded packages it imports: the core of the type-checking floor (without
// parsing and export data), cheap enough to repeat run by run.
func typecheck(all []*packages.Package) {
	for _, p := range all {
		info := &types.Info{
			Types:        make(map[ast.Expr]types.TypeAndValue),
			Defs:         make(map[*ast.Ident]types.Object),
			Uses:         make(map[*ast.Ident]types.Object),
			Implicits:    make(map[ast.Node]types.Object),
			Instances:    make(map[*ast.Ident]types.Instance),
			Scopes:       make(map[ast.Node]*types.Scope),
			Selections:   make(map[*ast.SelectorExpr]*types.Selection),
			FileVersions: make(map[*ast.File]string),
		}
		conf := types.Config{
			Importer: importerFunc(func(path string) (*types.Package, error) {
				if path == "unsafe" {
					return types.Unsafe, nil
				}
				if imp := p.Imports[path]; imp != nil {
					return imp.Types, nil
				}
				return nil, fmt.Errorf("no package %q", path)
			}),
			Sizes: p.TypesSizes,
			Error: func(error) {},
		}
		if p.Module != nil && p.Module.GoVersion != "" {
			conf.GoVersion = "go" + p.Module.GoVersion
		}
		conf.Check(p.PkgPath, p.Fset, p.Syntax, info)
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// astwalk visits every node of every file once: the cost of one full
// ast.Inspect walk, to compare passes with.
var astwalk = &analysis.Analyzer{
	Name: "astwalk",
	Doc:  "walks every file with ast.Inspect",
	Run: func(pass *analysis.Pass) (any, error) {
		n := 0
		for _, f := range pass.Files {
			ast.Inspect(f, func(ast.Node) bool { n++; return true })
		}
		return n, nil
	},
	ResultType: reflect.TypeFor[int](),
}

func writeAllocs(file string) {
	runtime.GC() // the profile is as of the last GC
	f, err := os.Create(file)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// lookup returns the analyzer to run for a name.
func lookup(name string) *analysis.Analyzer {
	switch name {
	case "noop":
		return noop
	case "astwalk":
		return astwalk
	case "inspect":
		return inspect.Analyzer
	}
	var found *analysis.Analyzer
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if a.Name == name && found == nil {
			found = a
		}
		for _, r := range a.Requires {
			visit(r)
		}
	}
	visit(regaudit.Analyzer)
	return found
}

func usesFacts(a *analysis.Analyzer) bool {
	if len(a.FactTypes) > 0 {
		return true
	}
	return slices.ContainsFunc(a.Requires, usesFacts)
}

type stats struct {
	cpu, wall      time.Duration
	bytes, mallocs uint64
}

func measure() stats {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return stats{cpu: cpu, wall: time.Duration(time.Now().UnixNano()), bytes: ms.TotalAlloc, mallocs: ms.Mallocs}
}

func (s stats) sub(t stats) stats {
	return stats{s.cpu - t.cpu, s.wall - t.wall, s.bytes - t.bytes, s.mallocs - t.mallocs}
}

func (s stats) add(t stats) stats {
	return stats{s.cpu + t.cpu, s.wall + t.wall, s.bytes + t.bytes, s.mallocs + t.mallocs}
}

func (s stats) div(n int) stats {
	d := uint64(n)
	return stats{s.cpu / time.Duration(n), s.wall / time.Duration(n), s.bytes / d, s.mallocs / d}
}

func (s stats) print(name string, load stats, tc *stats) {
	fmt.Printf("%-12s %8.2fs %8.2fs %10.1f %11d %8.1f%%", name, s.cpu.Seconds(), s.wall.Seconds(),
		float64(s.bytes)/(1<<20), s.mallocs, 100*s.cpu.Seconds()/load.cpu.Seconds())
	if tc != nil {
		fmt.Printf(" %8.1f%%", 100*s.cpu.Seconds()/tc.cpu.Seconds())
	}
	fmt.Println()
}

// factStats, if not nil, counts what vetFacts encodes.
var factStats *struct {
	pkgs, bytes, decodedBytes int
	count                     map[string]int
}

// gobFact is unitchecker's (internal/facts) serial form of a fact.
type gobFact struct {
	PkgPath string
	Object  objectpath.Path
	Fact    analysis.Fact
}

// vetFacts does with the facts of g what go vet's unitchecker does, per
// package: encode the package's fact set (its own facts, and those of
// other packages' fields, methods and types that it re-exports) with
// objectpath and gob, then decode its imports' sets.
func vetFacts(g *checker.Graph) {
	type set struct {
		obj map[objKey]analysis.Fact
		pkg map[*types.Package][]analysis.Fact
	}
	sets := map[*packages.Package]*set{}
	registered := map[reflect.Type]bool{}
	for act := range g.All() {
		s := sets[act.Package]
		if s == nil {
			s = &set{obj: map[objKey]analysis.Fact{}, pkg: map[*types.Package][]analysis.Fact{}}
			sets[act.Package] = s
		}
		for _, f := range act.AllObjectFacts() {
			s.obj[objKey{f.Object, reflect.TypeOf(f.Fact)}] = f.Fact
		}
		for _, f := range act.AllPackageFacts() {
			s.pkg[f.Package] = append(s.pkg[f.Package], f.Fact)
		}
		for _, f := range act.Analyzer.FactTypes {
			if t := reflect.TypeOf(f); !registered[t] {
				registered[t] = true
				gob.Register(f)
			}
		}
	}
	encoded := map[string][]byte{}
	for p, s := range sets {
		encoded[p.PkgPath] = encodeFacts(p.Types, s.obj, s.pkg)
	}
	if factStats != nil {
		factStats.pkgs = len(sets)
		for p := range sets {
			factStats.bytes += len(encoded[p.PkgPath])
			for _, imp := range p.Imports {
				factStats.decodedBytes += len(encoded[imp.PkgPath])
			}
		}
	}
	for p := range sets {
		pkgs := map[string]*types.Package{}
		var add func(p *types.Package)
		add = func(p *types.Package) {
			if pkgs[p.Path()] == nil {
				pkgs[p.Path()] = p
				for _, imp := range p.Imports() {
					add(imp)
				}
			}
		}
		add(p.Types)
		for _, imp := range p.Imports {
			decodeFacts(pkgs, encoded[imp.PkgPath])
		}
	}
}

type objKey struct {
	obj types.Object
	t   reflect.Type
}

// encodeFacts is internal/facts.(*Set).Encode.
func encodeFacts(pkg *types.Package, obj map[objKey]analysis.Fact, pkgFacts map[*types.Package][]analysis.Fact) []byte {
	enc := new(objectpath.Encoder)
	var gobFacts []gobFact
	for k, fact := range obj {
		if k.obj.Pkg() != pkg {
			if _, isType := k.obj.(*types.TypeName); !isType && k.obj.Parent() == k.obj.Pkg().Scope() {
				continue // imported fact about package-level non-type object
			}
		}
		path, err := enc.For(k.obj)
		if err != nil {
			continue
		}
		gobFacts = append(gobFacts, gobFact{PkgPath: k.obj.Pkg().Path(), Object: path, Fact: fact})
	}
	for fp, fs := range pkgFacts {
		if fp != pkg {
			continue
		}
		for _, f := range fs {
			gobFacts = append(gobFacts, gobFact{PkgPath: fp.Path(), Fact: f})
		}
	}
	sort.Slice(gobFacts, func(i, j int) bool {
		x, y := gobFacts[i], gobFacts[j]
		if x.PkgPath != y.PkgPath {
			return x.PkgPath < y.PkgPath
		}
		if x.Object != y.Object {
			return x.Object < y.Object
		}
		return reflect.TypeOf(x.Fact).String() < reflect.TypeOf(y.Fact).String()
	})
	if factStats != nil {
		for _, f := range gobFacts {
			kind := "own"
			if f.PkgPath != pkg.Path() {
				kind = "re-exported"
			}
			factStats.count[fmt.Sprintf("%T %s", f.Fact, kind)]++
		}
	}
	if len(gobFacts) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(gobFacts); err != nil {
		log.Fatalf("encoding facts of %s: %v", pkg.Path(), err)
	}
	return buf.Bytes()
}

// decodeFacts is the part of internal/facts.(*Decoder).Decode for one
// import (pkgs: the packages the importer can see, by path).
func decodeFacts(pkgs map[string]*types.Package, data []byte) {
	if len(data) == 0 {
		return
	}
	var gobFacts []gobFact
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&gobFacts); err != nil {
		log.Fatalf("decoding facts: %v", err)
	}
	for _, f := range gobFacts {
		fp := pkgs[f.PkgPath]
		if fp == nil || f.Object == "" {
			continue
		}
		_, _ = objectpath.Object(fp, f.Object)
	}
}
