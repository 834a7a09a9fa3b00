package fuzz

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

// Pathological inputs: each shape is a function of a size n, and a
// well-behaved analysis takes time roughly linear in n (in the size of the
// source). BenchmarkPathological shows the time per size; TestPathological
// runs each shape once at a moderate size with a generous time bound.

const header = `package p

import "sync"

type R struct {
	mu    sync.Mutex
	other sync.RWMutex
	items map[string]int
	n     int
	list  []int
}

func (r *R) Get(k string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.items[k]
}

`

type shape struct {
	name string
	gen  func(n int) string
}

var shapes = []shape{
	// n sequential if/else statements that lock in one arm only: 2^n paths.
	{"branches", func(n int) string {
		var b strings.Builder
		b.WriteString(header + "func (r *R) F(k string, c int) int {\n\tx := 0\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "\tif c%%%d == %d {\n\t\tr.mu.Lock()\n\t\tr.items[k] = %d\n\t} else {\n\t\tx += r.n\n\t\tr.mu.Lock()\n\t}\n\tr.mu.Unlock()\n", i%7+2, i%3, i)
		}
		b.WriteString("\treturn x\n}\n")
		return b.String()
	}},
	// an if / else-if chain of length n, with unbalanced locking.
	{"elseif", func(n int) string {
		var b strings.Builder
		b.WriteString(header + "func (r *R) F(k string, c int) int {\n\tr.mu.Lock()\n\tif c == -1 {\n\t\tr.n++\n")
		for i := 0; i < n; i++ {
			if i%2 == 0 {
				fmt.Fprintf(&b, "\t} else if c == %d {\n\t\tr.items[k] = %d\n\t\tr.mu.Unlock()\n\t\treturn %d\n", i, i, i)
			} else {
				fmt.Fprintf(&b, "\t} else if c == %d {\n\t\tr.n += %d\n", i, i)
			}
		}
		b.WriteString("\t}\n\tr.mu.Unlock()\n\treturn r.n\n}\n")
		return b.String()
	}},
	// function literals nested n deep, each locking and accessing.
	{"closures", func(n int) string {
		var b strings.Builder
		b.WriteString(header + "func (r *R) F(k string) {\n")
		for i := 0; i < n; i++ {
			ind := strings.Repeat("\t", i+1)
			if i%3 == 2 {
				fmt.Fprintf(&b, "%sgo func() {\n%s\tr.items[k] = %d\n", ind, ind, i)
			} else {
				fmt.Fprintf(&b, "%sfunc() {\n%s\tr.mu.Lock()\n%s\tdefer r.mu.Unlock()\n%s\tr.n++\n", ind, ind, ind, ind)
			}
		}
		for i := n - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "%s}()\n", strings.Repeat("\t", i+1))
		}
		b.WriteString("}\n")
		return b.String()
	}},
	// a switch with n cases, locking, unlocking and falling through.
	{"switch", func(n int) string {
		var b strings.Builder
		b.WriteString(header + "func (r *R) F(k string, c int) int {\n\tr.mu.Lock()\n\tswitch c {\n")
		for i := 0; i < n; i++ {
			switch i % 4 {
			case 0:
				fmt.Fprintf(&b, "\tcase %d:\n\t\tr.items[k] = %d\n\t\tfallthrough\n", i, i)
			case 1:
				fmt.Fprintf(&b, "\tcase %d:\n\t\tr.mu.Unlock()\n\t\tr.n = %d\n\t\tr.mu.Lock()\n", i, i)
			case 2:
				fmt.Fprintf(&b, "\tcase %d:\n\t\tr.mu.Unlock()\n\t\treturn len(r.list)\n", i)
			case 3:
				fmt.Fprintf(&b, "\tcase %d:\n\t\tr.list = append(r.list, %d)\n", i, i)
			}
		}
		b.WriteString("\t}\n\tr.mu.Unlock()\n\treturn 0\n}\n")
		return b.String()
	}},
	// loops nested n deep, locking inside and breaking out.
	{"loops", func(n int) string {
		var b strings.Builder
		b.WriteString(header + "func (r *R) F(k string, c int) {\n")
		for i := 0; i < n; i++ {
			ind := strings.Repeat("\t", i+1)
			fmt.Fprintf(&b, "%sfor i%d := 0; i%d < c; i%d++ {\n%s\tr.mu.Lock()\n%s\tif i%d == %d {\n%s\t\tr.mu.Unlock()\n%s\t\tbreak\n%s\t}\n%s\tr.items[k]++\n%s\tr.mu.Unlock()\n",
				ind, i, i, i, ind, ind, i, i, ind, ind, ind, ind, ind)
		}
		for i := n - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "%s}\n", strings.Repeat("\t", i+1))
		}
		b.WriteString("}\n")
		return b.String()
	}},
	// n methods that all touch the same fields (whole-package inference).
	{"methods", func(n int) string {
		var b strings.Builder
		b.WriteString(header)
		for i := 0; i < n; i++ {
			if i%5 == 4 {
				fmt.Fprintf(&b, "func (r *R) M%d(k string) int {\n\treturn r.items[k] + r.n\n}\n\n", i)
			} else {
				fmt.Fprintf(&b, "func (r *R) M%d(k string) {\n\tr.mu.Lock()\n\tr.items[k] = %d\n\tr.n++\n\tr.mu.Unlock()\n}\n\n", i, i)
			}
		}
		return b.String()
	}},
	// a struct with n guarded fields, all written under the lock.
	{"fields", func(n int) string {
		var b strings.Builder
		b.WriteString("package p\n\nimport \"sync\"\n\ntype S struct {\n\tmu sync.Mutex\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "\tf%d int\n", i)
		}
		b.WriteString("}\n\nfunc (s *S) Set(v int) {\n\ts.mu.Lock()\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "\ts.f%d = v\n", i)
		}
		b.WriteString("\ts.mu.Unlock()\n}\n\nfunc (s *S) Sum() int {\n\tt := 0\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "\tt += s.f%d\n", i)
		}
		b.WriteString("\treturn t\n}\n")
		return b.String()
	}},
}

var noop = &analysis.Analyzer{Name: "noop", Doc: "nothing", Run: func(*analysis.Pass) (any, error) { return nil, nil }}

func BenchmarkPathological(b *testing.B) {
	for _, s := range shapes {
		sizes := []int{250, 1000, 4000}
		if s.name == "closures" || s.name == "loops" {
			sizes = []int{25, 100, 400}
		}
		for _, n := range sizes {
			src := s.gen(n)
			if _, ok, err := analyze(noop, src); !ok || err != nil {
				b.Fatalf("%s/%d: invalid source (%v)", s.name, n, err)
			}
			for _, a := range []*analysis.Analyzer{noop, regaudit.Analyzer} {
				b.Run(fmt.Sprintf("%s/n=%d/%s", s.name, n, a.Name), func(b *testing.B) {
					for b.Loop() {
						if _, _, err := analyze(a, src); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// TestPathological runs regaudit once on each shape at a moderate size, and
// at twice that size, and fails if either takes longer than a generous
// bound (a blow-up, not a slowdown, is what it is for). It logs the times.
func TestPathological(t *testing.T) {
	const bound = 60 * time.Second
	analyze(noop, header) // type-check the standard library imports first
	for _, s := range shapes {
		n := 500
		if s.name == "closures" || s.name == "loops" {
			n = 60
		}
		if testing.Short() {
			n /= 5
		}
		var took [2]time.Duration
		for i, size := range []int{n, 2 * n} {
			src := s.gen(size)
			start := time.Now()
			_, ok, err := analyze(regaudit.Analyzer, src)
			took[i] = time.Since(start)
			if !ok {
				t.Fatalf("%s/%d: invalid source", s.name, size)
			}
			if err != nil {
				t.Fatalf("%s/%d: %v", s.name, size, err)
			}
			if took[i] > bound {
				t.Errorf("%s/%d: took %v (bound %v)", s.name, size, took[i], bound)
			}
		}
		t.Logf("%-9s n=%-4d %8v   n=%-4d %8v", s.name, n, took[0].Round(time.Microsecond), 2*n, took[1].Round(time.Microsecond))
	}
}
