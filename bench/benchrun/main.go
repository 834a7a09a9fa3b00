// Command benchrun times go vet tools on the benchmark corpus, cold.
//
// For every run, corpus part and tool it runs
//
//	go vet -vettool=vetwrap <packages of the part>
//
// in the corpus module, with a fresh VETWRAP_NONCE so that go vet's analysis
// cache misses for every package (see ../vetwrap), while the compiled export
// data stays warm (an untimed warm-up run per part builds it first). The
// order of the tools rotates from run to run. It prints, per part and tool,
// the medians of
//
//   - cpu: user+sys of the whole go vet process tree (go command + tool units)
//   - wall: elapsed time of go vet
//   - unit cpu: user+sys summed over the tool's analysis units only
//   - peak RSS: the largest resident set of any one tool unit
//
// and the ratios regaudit/vet and regaudit/floor (the no-op tool).
//
// It is driven by bench/run.sh; see bench/README.md.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type toolFlag []tool

type tool struct{ name, path string }

func (t *toolFlag) String() string { return fmt.Sprint(*t) }
func (t *toolFlag) Set(v string) error {
	name, path, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want name=path, got %q", v)
	}
	*t = append(*t, tool{name, path})
	return nil
}

var (
	corpus  = flag.String("corpus", "bench/corpus", "corpus module directory")
	list    = flag.String("list", "bench/corpus.list", "corpus list (name path version)")
	partsF  = flag.String("parts", "all", "comma-separated parts: std, names from the corpus list, or all")
	runs    = flag.Int("runs", 3, "measured runs per part and tool")
	wrap    = flag.String("wrap", "", "vetwrap binary")
	outDir  = flag.String("out", "bench/out", "directory for logs and results")
	mdOut   = flag.String("md", "", "write the markdown summary to this file too")
	noWarm  = flag.Bool("nowarm", false, "skip the untimed warm-up run per part")
	tools   toolFlag
	results []result
)

type part struct {
	name string
	pkgs []string
}

type result struct {
	Part, Tool        string
	Run               int
	Exit              int
	CPU, Wall         float64 // seconds, whole go vet tree
	TreeRSS           int64   // KiB, max over the go vet tree
	UnitCPU           float64 // seconds, tool units only
	UnitRSS           int64   // KiB, max over tool units
	Units, VetxOnly   int
	UnitFailures      int    // units that exited other than 0 or 1
	Panics            int    // "panic:" or "internal error" lines in the output
	Diagnostics       int    // lines that look like file:line:col: diagnostics
	Load              string // /proc/loadavg before the run (other work on the machine)
	OutFile, UnitFile string
}

func main() {
	flag.Var(&tools, "tool", "name=path of a vet tool to time (repeatable; the names vet, regaudit and noop get ratios)")
	flag.Parse()
	if *wrap == "" || len(tools) == 0 {
		fatalf("need -wrap and at least one -tool")
	}
	parts, err := selectParts()
	if err != nil {
		fatalf("%v", err)
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fatalf("%v", err)
	}
	jl, err := os.Create(filepath.Join(*outDir, "results.jsonl"))
	if err != nil {
		fatalf("%v", err)
	}
	defer jl.Close()

	for _, p := range parts {
		if !*noWarm {
			fmt.Fprintf(os.Stderr, "benchrun: %s: warm-up (builds export data)\n", p.name)
			r := measure(p, tools[len(tools)-1], -1)
			fmt.Fprintf(os.Stderr, "benchrun: %s: warm-up done in %.1fs wall\n", p.name, r.Wall)
		}
		for i := 0; i < *runs; i++ {
			for j := range tools {
				t := tools[(i+j)%len(tools)] // rotate the order run by run
				r := measure(p, t, i)
				results = append(results, r)
				b, _ := json.Marshal(r)
				jl.Write(append(b, '\n'))
				fmt.Fprintf(os.Stderr, "benchrun: %-10s %-9s run %d: cpu %7.2fs wall %7.2fs unit-cpu %7.2fs peak-rss %6.0fMiB units %d exit %d diags %d panics %d load %s\n",
					p.name, t.name, i, r.CPU, r.Wall, r.UnitCPU, float64(r.UnitRSS)/1024, r.Units, r.Exit, r.Diagnostics, r.Panics, r.Load)
			}
		}
	}
	md := summary(parts)
	fmt.Print(md)
	if *mdOut != "" {
		if err := os.WriteFile(*mdOut, []byte(md), 0o644); err != nil {
			fatalf("%v", err)
		}
	}
	for _, r := range results {
		if r.Panics > 0 || r.UnitFailures > 0 || (r.Exit != 0 && r.Exit != 1) {
			fatalf("%s/%s run %d: go vet exit %d, %d failed units, %d panic lines: see %s", r.Part, r.Tool, r.Run, r.Exit, r.UnitFailures, r.Panics, r.OutFile)
		}
	}
}

func selectParts() ([]part, error) {
	all := []part{{name: "std", pkgs: []string{"std"}}}
	f, err := os.Open(*list)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 3 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		all = append(all, part{name: fs[0], pkgs: []string{fs[1] + "/..."}})
	}
	if *partsF == "all" {
		return all, nil
	}
	var out []part
	for _, name := range strings.Split(*partsF, ",") {
		found := false
		for _, p := range all {
			if p.name == name {
				out = append(out, p)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown part %q", name)
		}
	}
	return out, nil
}

func measure(p part, t tool, run int) result {
	tag := fmt.Sprintf("%s-%s-%d", p.name, t.name, run)
	if run < 0 {
		tag = fmt.Sprintf("%s-%s-warm", p.name, t.name)
	}
	dir := filepath.Join(*outDir, "runs")
	os.MkdirAll(dir, 0o755)
	outFile, _ := filepath.Abs(filepath.Join(dir, tag+".out"))
	unitFile, _ := filepath.Abs(filepath.Join(dir, tag+".units"))
	os.Remove(unitFile)
	out, err := os.Create(outFile)
	if err != nil {
		fatalf("%v", err)
	}
	defer out.Close()

	args := append([]string{"vet", "-vettool=" + *wrap}, p.pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = *corpus
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(),
		"GOTOOLCHAIN=local",
		"GOFLAGS=-mod=readonly",
		"VETWRAP_TOOL="+t.path,
		"VETWRAP_LOG="+unitFile,
		fmt.Sprintf("VETWRAP_NONCE=%s-%d-%d", tag, time.Now().UnixNano(), os.Getpid()),
	)
	load, _ := os.ReadFile("/proc/loadavg")
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	r := result{Part: p.name, Tool: t.name, Run: run, Wall: wall.Seconds(), OutFile: outFile, UnitFile: unitFile}
	if fs := strings.Fields(string(load)); len(fs) >= 3 {
		r.Load = strings.Join(fs[:3], " ")
	}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			fatalf("go vet: %v", err)
		}
		r.Exit = ee.ExitCode()
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.CPU = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
		r.TreeRSS = ru.Maxrss
	}
	readUnits(&r)
	scanOutput(&r)
	return r
}

func readUnits(r *result) {
	data, err := os.ReadFile(r.UnitFile)
	if err != nil {
		return
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		fs := strings.Fields(line)
		if len(fs) < 6 {
			continue
		}
		cpu, _ := strconv.ParseInt(fs[0], 10, 64)
		rss, _ := strconv.ParseInt(fs[1], 10, 64)
		r.UnitCPU += float64(cpu) / 1e6
		r.UnitRSS = max(r.UnitRSS, rss)
		r.Units++
		if fs[3] == "1" {
			r.VetxOnly++
		}
		if fs[4] != "0" && fs[4] != "1" {
			r.UnitFailures++
		}
	}
}

func scanOutput(r *result) {
	f, err := os.Open(r.OutFile)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "panic:") || strings.Contains(line, "internal error") {
			r.Panics++
		}
		if isDiagnostic(line) {
			r.Diagnostics++
		}
	}
}

// isDiagnostic reports whether line looks like "file.go:12:3: message".
func isDiagnostic(line string) bool {
	i := strings.Index(line, ".go:")
	if i < 0 {
		return false
	}
	rest := line[i+4:]
	j := strings.Index(rest, ": ")
	if j < 0 {
		return false
	}
	for _, c := range rest[:j] {
		if (c < '0' || c > '9') && c != ':' {
			return false
		}
	}
	return true
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

type stats struct{ cpu, wall, unitCPU, unitRSS, treeRSS float64 }

func medians(part, tool string) (stats, bool) {
	var cpu, wall, ucpu, urss, trss []float64
	for _, r := range results {
		if r.Part == part && r.Tool == tool {
			cpu = append(cpu, r.CPU)
			wall = append(wall, r.Wall)
			ucpu = append(ucpu, r.UnitCPU)
			urss = append(urss, float64(r.UnitRSS)/1024)
			trss = append(trss, float64(r.TreeRSS)/1024)
		}
	}
	if len(cpu) == 0 {
		return stats{}, false
	}
	return stats{median(cpu), median(wall), median(ucpu), median(urss), median(trss)}, true
}

func summary(parts []part) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("\n### Medians of %d cold runs per tool (cpu = user+sys, seconds; RSS in MiB)\n\n", *runs)
	w("| part | tool | cpu | wall | unit cpu | peak RSS (unit) | peak RSS (tree) | units (facts-only) | diagnostics |\n")
	w("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	tot := map[string]*stats{}
	for _, p := range parts {
		for _, t := range tools {
			s, ok := medians(p.name, t.name)
			if !ok {
				continue
			}
			var units, vetx, diags int
			for _, r := range results {
				if r.Part == p.name && r.Tool == t.name {
					units, vetx, diags = r.Units, r.VetxOnly, r.Diagnostics
				}
			}
			w("| %s | %s | %.2f | %.2f | %.2f | %.0f | %.0f | %d (%d) | %d |\n", p.name, t.name, s.cpu, s.wall, s.unitCPU, s.unitRSS, s.treeRSS, units, vetx, diags)
			if tot[t.name] == nil {
				tot[t.name] = &stats{}
			}
			a := tot[t.name]
			a.cpu += s.cpu
			a.wall += s.wall
			a.unitCPU += s.unitCPU
			a.unitRSS = max(a.unitRSS, s.unitRSS)
			a.treeRSS = max(a.treeRSS, s.treeRSS)
		}
	}
	if len(parts) > 1 {
		for _, t := range tools {
			if a := tot[t.name]; a != nil {
				w("| **total** | %s | %.2f | %.2f | %.2f | %.0f | %.0f | | |\n", t.name, a.cpu, a.wall, a.unitCPU, a.unitRSS, a.treeRSS)
			}
		}
	}

	if !hasTools("regaudit", "vet", "noop") {
		return b.String()
	}
	w("\n### Ratios (targets: cpu regaudit/vet <= 1.00, cpu regaudit/floor <= 1.15, peak RSS regaudit/vet <= 1.20)\n\n")
	w("| part | cpu regaudit/vet | cpu regaudit/floor | peak RSS regaudit/vet | wall regaudit/vet | wall regaudit/floor | unit cpu regaudit/vet | unit cpu regaudit/floor |\n")
	w("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	row := func(name string, ra, ve, no stats) {
		w("| %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f |\n", name,
			mark(ra.cpu/ve.cpu, 1.00), mark(ra.cpu/no.cpu, 1.15), mark(ra.unitRSS/ve.unitRSS, 1.20),
			ra.wall/ve.wall, ra.wall/no.wall, ra.unitCPU/ve.unitCPU, ra.unitCPU/no.unitCPU)
	}
	for _, p := range parts {
		ra, _ := medians(p.name, "regaudit")
		ve, _ := medians(p.name, "vet")
		no, _ := medians(p.name, "noop")
		row(p.name, ra, ve, no)
	}
	if len(parts) > 1 {
		row("**total**", *tot["regaudit"], *tot["vet"], *tot["noop"])
	}
	w("\n(cpu and wall: the whole `go vet` process tree; unit cpu: the analysis units of the tool only, summed; peak RSS: the largest single analysis unit. Targets are marked ok/OVER.)\n")
	return b.String()
}

func mark(ratio, limit float64) string {
	if ratio <= limit {
		return fmt.Sprintf("%.2f ok", ratio)
	}
	return fmt.Sprintf("%.2f OVER", ratio)
}

func hasTools(names ...string) bool {
	for _, n := range names {
		found := false
		for _, t := range tools {
			found = found || t.name == n
		}
		if !found {
			return false
		}
	}
	return true
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "benchrun: "+format+"\n", args...)
	os.Exit(1)
}
