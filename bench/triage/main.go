// Command triage collects regaudit's diagnostics on the benchmark corpus and
// compares them with the checked-in triage (bench/triage.tsv).
//
// It runs "go vet -vettool=<regaudit> -json" on each selected part of the
// corpus (results are cached by go vet while regaudit does not change),
// writes every diagnostic, deduplicated across test variants, to
// bench/out/diags.tsv as
//
//	<position>  <check ID>  <message>
//
// where position is module-relative, path:line ("net/http/server.go:123",
// "google.golang.org/grpc/server.go:456"), and reports
//
//   - UNTRIAGED: current diagnostics without a line in triage.tsv (also
//     written to bench/out/untriaged.tsv in triage.tsv's format, with
//     verdict "?", ready to be judged and appended)
//   - GONE: triage.tsv lines that no current diagnostic matches (only for
//     the parts that were scanned)
//   - per check: counts per verdict and the precision, the share of real
//     bugs and review points.
//
// It exits 1 if anything is untriaged or gone, 2 on errors. Driven by
// bench/triage.sh.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	regchecks "github.com/regaudit/regaudit/internal/checks"
)

var (
	corpus  = flag.String("corpus", "bench/corpus", "corpus module directory")
	list    = flag.String("list", "bench/corpus.list", "corpus list (name path version)")
	partsF  = flag.String("parts", "all", "comma-separated parts: std, names from the corpus list, or all")
	tool    = flag.String("tool", "", "regaudit binary")
	triageF = flag.String("triage", "bench/triage.tsv", "triage file")
	outDir  = flag.String("out", "bench/out", "output directory")
	checksF = flag.String("checks", "all", "regaudit's -checks for the go vet runs (all: the opt-in checks are measured too)")
	textIn  = flag.String("text", "", "comma-separated go vet text outputs (e.g. bench/out/runs/std-regaudit-0.out) to read instead of running go vet")
)

type part struct{ name, path string } // path "" for std

type diag struct{ pos, check, msg string }

type verdict struct {
	pos, check, verdict, reason string
	line                        int
}

var verdicts = []string{"real-bug", "review-point", "false-positive"}

func main() {
	flag.Parse()
	if *tool == "" && *textIn == "" {
		fatalf("need -tool or -text")
	}
	if abs, err := filepath.Abs(*tool); err == nil {
		*tool = abs
	}
	parts, err := selectParts()
	if err != nil {
		fatalf("%v", err)
	}
	goroot := goEnv("GOROOT")
	modcache := goEnv("GOMODCACHE")

	seen := map[diag]bool{}
	var diags []diag
	for _, p := range parts {
		var ds []diag
		var err error
		if *textIn != "" {
			ds, err = readText(strings.Split(*textIn, ","), goroot, modcache)
		} else {
			ds, err = collect(p, goroot, modcache)
		}
		if err != nil {
			fatalf("%s: %v", p.name, err)
		}
		n := 0
		for _, d := range ds {
			// go vet replays the cached stdout of a package vetted
			// earlier (with -json) when it is needed again only as a
			// dependency (the cache key ignores VetxOnly): keep the
			// diagnostics of this part's own files only.
			if !inParts(d.pos, []part{p}) {
				continue
			}
			if !seen[d] {
				seen[d] = true
				diags = append(diags, d)
				n++
			}
		}
		fmt.Fprintf(os.Stderr, "triage: %-10s %4d diagnostics\n", p.name, n)
	}
	sort.Slice(diags, func(i, j int) bool {
		if diags[i].pos != diags[j].pos {
			return lessPos(diags[i].pos, diags[j].pos)
		}
		if diags[i].check != diags[j].check {
			return diags[i].check < diags[j].check
		}
		return diags[i].msg < diags[j].msg
	})
	var buf bytes.Buffer
	for _, d := range diags {
		fmt.Fprintf(&buf, "%s\t%s\t%s\n", d.pos, d.check, d.msg)
	}
	os.MkdirAll(*outDir, 0o755)
	if err := os.WriteFile(filepath.Join(*outDir, "diags.tsv"), buf.Bytes(), 0o644); err != nil {
		fatalf("%v", err)
	}

	tri, err := readTriage(*triageF)
	if err != nil {
		fatalf("%v", err)
	}
	byKey := map[string]*verdict{}
	for i := range tri {
		byKey[tri[i].pos+"\t"+tri[i].check] = &tri[i]
	}
	matched := map[string]bool{}
	type count struct{ real, review, fp, untriaged int }
	perCheck := map[string]*count{}
	var untriaged bytes.Buffer
	nUntriaged := 0
	for _, d := range diags {
		c := perCheck[d.check]
		if c == nil {
			c = &count{}
			perCheck[d.check] = c
		}
		key := d.pos + "\t" + d.check
		v := byKey[key]
		if v == nil {
			c.untriaged++
			nUntriaged++
			fmt.Printf("UNTRIAGED %s %s %s\n", d.pos, d.check, d.msg)
			fmt.Fprintf(&untriaged, "%s\t%s\t?\t%s\n", d.pos, d.check, d.msg)
			continue
		}
		if matched[key] {
			continue // several diagnostics on one line: one triage line
		}
		matched[key] = true
		switch v.verdict {
		case "real-bug":
			c.real++
		case "review-point":
			c.review++
		case "false-positive":
			c.fp++
		}
	}
	if err := os.WriteFile(filepath.Join(*outDir, "untriaged.tsv"), untriaged.Bytes(), 0o644); err != nil {
		fatalf("%v", err)
	}
	nGone := 0
	for _, v := range tri {
		if !matched[v.pos+"\t"+v.check] && inParts(v.pos, parts) {
			nGone++
			fmt.Printf("GONE %s %s (%s: %s) [%s:%d]\n", v.pos, v.check, v.verdict, v.reason, *triageF, v.line)
		}
	}

	var checks []string
	for c := range perCheck {
		checks = append(checks, c)
	}
	sort.Strings(checks)
	fmt.Printf("\n| check | diagnostic lines | real-bug | review-point | false-positive | untriaged | precision |\n|---|---:|---:|---:|---:|---:|---:|\n")
	var tot, def count
	for _, id := range checks {
		c := perCheck[id]
		name := id
		if ck, ok := regchecks.Lookup(id); ok && ck.OptIn {
			name += " (opt-in)"
		} else {
			def.real += c.real
			def.review += c.review
			def.fp += c.fp
			def.untriaged += c.untriaged
		}
		fmt.Printf("| %s | %d | %d | %d | %d | %d | %s |\n", name, c.real+c.review+c.fp+c.untriaged, c.real, c.review, c.fp, c.untriaged, precision(c.real+c.review, c.real+c.review+c.fp))
		tot.real += c.real
		tot.review += c.review
		tot.fp += c.fp
		tot.untriaged += c.untriaged
	}
	fmt.Printf("| default checks | %d | %d | %d | %d | %d | %s |\n", def.real+def.review+def.fp+def.untriaged, def.real, def.review, def.fp, def.untriaged, precision(def.real+def.review, def.real+def.review+def.fp))
	fmt.Printf("| all | %d | %d | %d | %d | %d | %s |\n", tot.real+tot.review+tot.fp+tot.untriaged, tot.real, tot.review, tot.fp, tot.untriaged, precision(tot.real+tot.review, tot.real+tot.review+tot.fp))
	fmt.Printf("\n(precision: (real-bug + review-point) / triaged; target >= 90%% per check. A line with several diagnostics of one check counts once.)\n")
	fmt.Fprintf(os.Stderr, "triage: %d diagnostics (%s), %d untriaged (%s), %d gone\n", len(diags), filepath.Join(*outDir, "diags.tsv"), nUntriaged, filepath.Join(*outDir, "untriaged.tsv"), nGone)
	if nUntriaged > 0 || nGone > 0 {
		os.Exit(1)
	}
}

func precision(good, all int) string {
	if all == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(good)/float64(all))
}

func selectParts() ([]part, error) {
	all := []part{{name: "std"}}
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
		all = append(all, part{name: fs[0], path: fs[1]})
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

// inParts reports whether a triage position belongs to one of parts.
func inParts(pos string, parts []part) bool {
	for _, p := range parts {
		if p.path == "" {
			first, _, _ := strings.Cut(pos, "/")
			if !strings.Contains(first, ".") {
				return true
			}
		} else if strings.HasPrefix(pos, p.path+"/") {
			return true
		}
	}
	return false
}

func collect(p part, goroot, modcache string) ([]diag, error) {
	pattern := "std"
	if p.path != "" {
		pattern = p.path + "/..."
	}
	cmd := exec.Command("go", "vet", "-vettool="+*tool, "-checks="+*checksF, "-json", pattern)
	cmd.Dir = *corpus
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=readonly")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if s := stderr.String(); strings.Contains(s, "panic:") || strings.Contains(s, "internal error") || err != nil {
		return nil, fmt.Errorf("go vet -json %s: %v\n%s", pattern, err, tail(s, 40))
	}
	var out []diag
	dec := json.NewDecoder(&stdout)
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("decoding go vet -json output: %v", err)
		}
		for pkg, byAnalyzer := range tree {
			for name, raw := range byAnalyzer {
				var ds []struct {
					Category, Posn, Message string
				}
				if err := json.Unmarshal(raw, &ds); err != nil {
					return nil, fmt.Errorf("%s: %s: %s", pkg, name, raw)
				}
				for _, d := range ds {
					out = append(out, diag{pos: normalize(d.Posn, goroot, modcache), check: d.Category, msg: d.Message})
				}
			}
		}
	}
	return out, nil
}

// textDiag matches a diagnostic line of go vet's text output; regaudit
// ends every message with its check ID in parentheses.
var textDiag = regexp.MustCompile(`^(.+\.go:\d+:\d+): (.*\((RA\d{4})\))$`)

// readText reads diagnostics from go vet text outputs (as saved by
// benchrun), for a triage of the diagnostics of a timed run.
func readText(files []string, goroot, modcache string) ([]diag, error) {
	var out []diag
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(data), "\n") {
			m := textDiag.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			out = append(out, diag{pos: normalize(m[1], goroot, modcache), check: m[3], msg: m[2]})
		}
	}
	return out, nil
}

// normalize turns an absolute file:line:col into a module-relative
// path:line: the import path of the file's directory plus its name.
func normalize(posn, goroot, modcache string) string {
	file, line := posn, ""
	if i := strings.LastIndex(file, ":"); i >= 0 { // column
		file = file[:i]
	}
	if i := strings.LastIndex(file, ":"); i >= 0 {
		file, line = file[:i], file[i+1:]
	}
	switch {
	case strings.HasPrefix(file, goroot+"/src/"):
		file = strings.TrimPrefix(file, goroot+"/src/")
	case strings.HasPrefix(file, modcache+"/"):
		rel := strings.TrimPrefix(file, modcache+"/")
		if at := strings.Index(rel, "@"); at >= 0 {
			slash := strings.Index(rel[at:], "/")
			if slash >= 0 {
				rel = rel[:at] + rel[at+slash:]
			}
		}
		file = unescape(rel)
	}
	return file + ":" + line
}

// unescape undoes the module cache's case encoding ("!a" for "A").
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '!' && i+1 < len(s) {
			b.WriteString(strings.ToUpper(s[i+1 : i+2]))
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// lessPos orders path:line positions by path, then numerically by line.
func lessPos(a, b string) bool {
	fa, la := splitPos(a)
	fb, lb := splitPos(b)
	if fa != fb {
		return fa < fb
	}
	return la < lb
}

func splitPos(p string) (string, int) {
	i := strings.LastIndex(p, ":")
	if i < 0 {
		return p, 0
	}
	n := 0
	fmt.Sscanf(p[i+1:], "%d", &n)
	return p[:i], n
}

func readTriage(name string) ([]verdict, error) {
	data, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []verdict
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.SplitN(line, "\t", 4)
		if len(fs) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 tab-separated columns (position, check, verdict, reason)", name, i+1)
		}
		ok := false
		for _, v := range verdicts {
			ok = ok || fs[2] == v
		}
		if !ok {
			return nil, fmt.Errorf("%s:%d: verdict %q is not one of %s", name, i+1, fs[2], strings.Join(verdicts, ", "))
		}
		if strings.TrimSpace(fs[3]) == "" {
			return nil, fmt.Errorf("%s:%d: empty reason", name, i+1)
		}
		out = append(out, verdict{pos: fs[0], check: fs[1], verdict: fs[2], reason: fs[3], line: i + 1})
	}
	return out, nil
}

func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "triage: "+format+"\n", args...)
	os.Exit(2)
}
