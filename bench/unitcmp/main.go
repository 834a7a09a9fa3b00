// Command unitcmp compares two go vet tools unit by unit, interleaved: on a
// shared machine, where the load changes from minute to minute, it gives a
// far steadier cpu ratio than timing whole go vet runs one after the other.
//
//	go run ./bench/unitcmp -C bench/corpus -a regaudit=bench/out/bin/regaudit -b noop=bench/out/bin/noop std
//
// For each tool it runs go vet -work through vetwrap (a fresh cache nonce,
// so that every unit is analysed) on the packages, which leaves every
// analysis unit's config (vet.cfg) and its dependencies' vetx files in a
// work directory. Then, -n times, it runs every unit again with each tool,
// in a random order and alternating at random which tool goes first,
// and sums each tool's user+sys cpu. Rerunning a unit rewrites its own
// vetx file with the same content, so the order of the units does not
// matter. It prints the totals and their ratio (the analysis units only:
// bench/run.sh's "unit cpu"), the excess by size of unit, and the units
// with the largest excess.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

type toolFlag struct{ name, path string }

func (t *toolFlag) String() string { return t.name + "=" + t.path }
func (t *toolFlag) Set(v string) error {
	name, path, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want name=path, got %q", v)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	t.name, t.path = name, abs
	return nil
}

type unit struct {
	cfg, importPath string
	vetxOnly        bool
	files           int
}

func main() {
	var a, b toolFlag
	flag.Var(&a, "a", "the tool measured, `name=path`")
	flag.Var(&b, "b", "the reference tool (the floor), `name=path`")
	dir := flag.String("C", ".", "run go vet in this directory")
	wrap := flag.String("wrap", "bench/out/bin/vetwrap", "the vetwrap binary")
	n := flag.Int("n", 1, "runs of every unit with each tool")
	top := flag.Int("top", 15, "list the `N` units with the largest excess")
	keep := flag.Bool("keep", false, "keep the work directories")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("unitcmp: ")
	if a.path == "" || b.path == "" || flag.NArg() == 0 {
		log.Fatal("usage: unitcmp -a name=tool -b name=tool [-C dir] [-n runs] packages")
	}
	wrapper, err := filepath.Abs(*wrap)
	if err != nil {
		log.Fatal(err)
	}

	workA := vetWork(*dir, wrapper, a.path, flag.Args())
	workB := vetWork(*dir, wrapper, b.path, flag.Args())
	if !*keep {
		defer os.RemoveAll(workA)
		defer os.RemoveAll(workB)
	}
	ua, ub := units(workA), units(workB)
	var keys []string
	for k, u := range ua {
		if v, ok := ub[k]; ok && u.importPath == v.importPath && u.vetxOnly == v.vetxOnly && u.files == v.files {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	fmt.Printf("%d units (%d and %d in the work directories)\n", len(keys), len(ua), len(ub))

	cpuA, cpuB := map[string]time.Duration{}, map[string]time.Duration{}
	var totA, totB time.Duration
	start := time.Now()
	for range *n {
		rand.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		for _, k := range keys {
			if rand.Intn(2) == 0 {
				cpuA[k] += run(a.path, ua[k].cfg)
				cpuB[k] += run(b.path, ub[k].cfg)
			} else {
				cpuB[k] += run(b.path, ub[k].cfg)
				cpuA[k] += run(a.path, ua[k].cfg)
			}
		}
	}
	for _, k := range keys {
		totA += cpuA[k]
		totB += cpuB[k]
	}
	per := func(d time.Duration) float64 { return d.Seconds() / float64(*n) }
	fmt.Printf("unit cpu per run: %s %.1fs, %s %.1fs, ratio %s/%s %.3f (%d runs in %s)\n",
		a.name, per(totA), b.name, per(totB), a.name, b.name, totA.Seconds()/totB.Seconds(), *n, time.Since(start).Round(time.Second))

	// excess by size of unit (the reference tool's cpu)
	type bucket struct {
		name     string
		max      float64
		units    int
		ref, exc float64
	}
	buckets := []*bucket{{name: "< 50ms", max: 0.05}, {name: "< 100ms", max: 0.1}, {name: "< 300ms", max: 0.3}, {name: ">= 300ms", max: 1e9}}
	for _, k := range keys {
		ref, exc := per(cpuB[k]), per(cpuA[k]-cpuB[k])
		for _, bk := range buckets {
			if ref < bk.max {
				bk.units++
				bk.ref += ref
				bk.exc += exc
				break
			}
		}
	}
	for _, bk := range buckets {
		if bk.units > 0 {
			fmt.Printf("  units %-9s %4d: %s %.1fs, excess %+.1fs (%+.0f%%, %+.1fms a unit)\n", bk.name, bk.units, b.name, bk.ref, bk.exc, 100*bk.exc/bk.ref, 1000*bk.exc/float64(bk.units))
		}
	}
	sort.Slice(keys, func(i, j int) bool { return cpuA[keys[i]]-cpuB[keys[i]] > cpuA[keys[j]]-cpuB[keys[j]] })
	for _, k := range keys[:min(*top, len(keys))] {
		u := ua[k]
		kind := ""
		if u.vetxOnly {
			kind = " (facts only)"
		}
		fmt.Printf("  %+7.1fms  %s %6.1fms  %s %6.1fms  %s%s\n", 1000*per(cpuA[k]-cpuB[k]), a.name, 1000*per(cpuA[k]), b.name, 1000*per(cpuB[k]), u.importPath, kind)
	}
}

// vetWork runs go vet -work with the tool and returns the work directory.
func vetWork(dir, wrapper, tool string, patterns []string) string {
	cmd := exec.Command("go", append([]string{"vet", "-work", "-vettool=" + wrapper}, patterns...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "VETWRAP_TOOL="+tool, "VETWRAP_NONCE="+strconv.FormatInt(time.Now().UnixNano(), 36), "VETWRAP_LOG=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run() // findings make go vet fail
	for _, line := range strings.Split(stderr.String(), "\n") {
		if w, ok := strings.CutPrefix(line, "WORK="); ok {
			return w
		}
	}
	log.Fatalf("go vet with %s: no work directory:\n%s", tool, stderr.String())
	return ""
}

// units reads the analysis units' configs of a work directory, by action
// directory (b001...: the same for the same packages).
func units(work string) map[string]unit {
	cfgs, err := filepath.Glob(filepath.Join(work, "b*", "vet.cfg"))
	if err != nil {
		log.Fatal(err)
	}
	out := map[string]unit{}
	for _, f := range cfgs {
		data, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		var c struct {
			ImportPath string
			GoFiles    []string
			VetxOnly   bool
		}
		if err := json.Unmarshal(data, &c); err != nil {
			log.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(filepath.Dir(f))] = unit{cfg: f, importPath: c.ImportPath, vetxOnly: c.VetxOnly, files: len(c.GoFiles)}
	}
	return out
}

// run runs one unit and returns its cpu.
func run(tool, cfg string) time.Duration {
	cmd := exec.Command(tool, cfg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run() // findings make the unit fail
	if bytes.Contains(stderr.Bytes(), []byte("panic:")) || bytes.Contains(stderr.Bytes(), []byte("internal error")) {
		log.Fatalf("%s %s:\n%s", tool, cfg, stderr.String())
	}
	if cmd.ProcessState == nil {
		log.Fatalf("%s %s: did not run", tool, cfg)
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}
