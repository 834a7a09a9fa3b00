package fuzz

import (
	"fmt"
	"strings"
)

// generate turns arbitrary bytes into a small, valid, registry-like Go
// package: a struct with a mutex (or RWMutex), a second mutex, maps, slices
// and counters, package variables with their own mutex, and methods whose
// bodies lock and unlock in branches, loops, defers, closures, goroutines,
// switches and early returns. The bytes choose every decision; when they run
// out, the choices are all zero, so every input gives a program.
func generate(data []byte) string {
	g := &gen{data: data}
	var b strings.Builder
	b.WriteString("package p\n\nimport \"sync\"\n\n")

	rw := g.bit()
	g.rw = rw
	mutexType := "sync.Mutex"
	if rw {
		mutexType = "sync.RWMutex"
	}
	annotate := g.bit()
	embedded := g.bit()
	g.embedded = embedded
	fmt.Fprintf(&b, "type Registry struct {\n")
	if embedded {
		fmt.Fprintf(&b, "\t%s\n", mutexType)
	} else {
		fmt.Fprintf(&b, "\tmu %s\n", mutexType)
	}
	guard := ""
	if annotate {
		guard = " // guarded by mu"
		if embedded {
			guard = " // guarded by " + strings.TrimPrefix(mutexType, "sync.")
		}
	}
	fmt.Fprintf(&b, "\titems map[string]int%s\n\tlist []int%s\n\tn int%s\n\tname string\n", guard, guard, guard)
	b.WriteString("\tother sync.Mutex\n\tstats map[string]int // guarded by other\n}\n\n")
	b.WriteString("var (\n\tgmu sync.RWMutex\n\tgmap = map[string]int{}\n\tgn int\n)\n\n")
	b.WriteString("func NewRegistry() *Registry {\n\treturn &Registry{items: map[string]int{}, stats: map[string]int{}}\n}\n\n")

	g.methods = 1 + int(g.byte()%4)
	for m := 0; m < g.methods; m++ {
		fmt.Fprintf(&b, "func (r *Registry) M%d(k string, c bool, n int) int {\n\tx := 0\n\t_ = x\n", m)
		g.indent = 1
		g.budget = 40
		g.block(&b, 0, false)
		b.WriteString("\treturn x\n}\n\n")
	}
	return b.String()
}

type gen struct {
	data     []byte
	pos      int
	rw       bool
	embedded bool
	methods  int
	indent   int
	budget   int // statements left in the current method
	closure  int // depth of function literals around the current statement
}

func (g *gen) byte() byte {
	if g.pos >= len(g.data) {
		return 0
	}
	c := g.data[g.pos]
	g.pos++
	return c
}

func (g *gen) bit() bool { return g.byte()&1 == 1 }

func (g *gen) line(b *strings.Builder, format string, args ...any) {
	b.WriteString(strings.Repeat("\t", g.indent))
	fmt.Fprintf(b, format, args...)
	b.WriteByte('\n')
}

func (g *gen) mu() string {
	if g.embedded {
		return "r"
	}
	return "r.mu"
}

// block emits up to a byte's worth of statements at the current indent.
func (g *gen) block(b *strings.Builder, depth int, inLoop bool) {
	n := int(g.byte() % 6)
	if depth == 0 {
		n = 2 + int(g.byte()%12)
	}
	for i := 0; i < n && g.budget > 0; i++ {
		g.budget--
		g.stmt(b, depth, inLoop)
	}
}

func (g *gen) nested(b *strings.Builder, depth int, inLoop bool, open, close string) {
	g.line(b, "%s", open)
	g.indent++
	if depth < 4 {
		g.block(b, depth+1, inLoop)
	}
	g.indent--
	g.line(b, "%s", close)
}

func (g *gen) stmt(b *strings.Builder, depth int, inLoop bool) {
	mu := g.mu()
	switch g.byte() % 24 {
	case 0:
		g.line(b, "%s.Lock()", mu)
	case 1:
		g.line(b, "%s.Unlock()", mu)
	case 2:
		if g.rw {
			g.line(b, "%s.RLock()", mu)
		} else {
			g.line(b, "r.other.Lock()")
		}
	case 3:
		if g.rw {
			g.line(b, "%s.RUnlock()", mu)
		} else {
			g.line(b, "r.other.Unlock()")
		}
	case 4:
		g.line(b, "%s.Lock()", mu)
		g.line(b, "defer %s.Unlock()", mu)
	case 5:
		switch g.byte() % 4 {
		case 0:
			g.line(b, "x = r.items[k]")
		case 1:
			g.line(b, "x = r.n")
		case 2:
			g.line(b, "x = len(r.list)")
		case 3:
			g.line(b, "if _, ok := r.items[k]; ok {")
			g.line(b, "\tx++")
			g.line(b, "}")
		}
	case 6:
		switch g.byte() % 6 {
		case 0:
			g.line(b, "r.items[k] = n")
		case 1:
			g.line(b, "r.n++")
		case 2:
			g.line(b, "r.list = append(r.list, n)")
		case 3:
			g.line(b, "delete(r.items, k)")
		case 4:
			g.line(b, "r.items = map[string]int{}")
		case 5:
			g.line(b, "r.name = k")
		}
	case 7:
		switch g.byte() % 4 {
		case 0:
			g.line(b, "gmu.Lock()")
		case 1:
			g.line(b, "gmu.Unlock()")
		case 2:
			g.line(b, "gmap[k] = n")
		case 3:
			g.line(b, "x = gn")
		}
	case 8:
		g.line(b, "r.stats[k]++")
	case 9:
		g.nested(b, depth, inLoop, "if c {", "} else {")
		g.indent++
		if depth < 4 {
			g.block(b, depth+1, inLoop)
		}
		g.indent--
		g.line(b, "}")
	case 10:
		g.nested(b, depth, true, "for i := 0; i < n; i++ {", "}")
	case 11:
		g.nested(b, depth, true, "for key := range r.items {\n"+strings.Repeat("\t", g.indent+1)+"_ = key", "}")
	case 12:
		g.closure++
		g.nested(b, depth, false, "func() {", "}()")
		g.closure--
	case 13:
		g.closure++
		g.nested(b, depth, false, "go func() {", "}()")
		g.closure--
	case 14:
		g.closure++
		g.nested(b, depth, false, "defer func() {", "}()")
		g.closure--
	case 15:
		g.line(b, "switch n {")
		cases := 1 + int(g.byte()%3)
		for i := 0; i < cases; i++ {
			g.line(b, "case %d:", i)
			g.indent++
			if depth < 4 {
				g.block(b, depth+1, inLoop)
			}
			g.indent--
		}
		g.line(b, "default:")
		g.indent++
		if depth < 4 {
			g.block(b, depth+1, inLoop)
		}
		g.indent--
		g.line(b, "}")
	case 16:
		g.line(b, "if c {")
		if g.closure > 0 {
			g.line(b, "\treturn")
		} else {
			g.line(b, "\treturn n")
		}
		g.line(b, "}")
	case 17:
		if inLoop {
			if g.bit() {
				g.line(b, "if c {\n%s\tbreak\n%s}", strings.Repeat("\t", g.indent), strings.Repeat("\t", g.indent))
			} else {
				g.line(b, "if !c {\n%s\tcontinue\n%s}", strings.Repeat("\t", g.indent), strings.Repeat("\t", g.indent))
			}
		} else {
			g.line(b, "x++")
		}
	case 18:
		g.closure++
		defer func() { g.closure-- }()
		g.nested(b, depth, false, "{\n"+strings.Repeat("\t", g.indent+1)+"f := func() {", "}\n"+strings.Repeat("\t", g.indent+1)+"f()\n"+strings.Repeat("\t", g.indent)+"}")
	case 19:
		g.line(b, "x += r.M%d(k, !c, n-1)", int(g.byte())%max(g.methods, 1))
	case 20:
		g.line(b, "if n < 0 {")
		g.line(b, "\tpanic(k)")
		g.line(b, "}")
	case 21:
		g.line(b, "if !%s.TryLock() {", mu)
		if g.closure > 0 {
			g.line(b, "\treturn")
		} else {
			g.line(b, "\treturn 0")
		}
		g.line(b, "}")
	case 22:
		g.closure++
		g.nested(b, depth, false, "go func(r *Registry) {", "}(r)")
		g.closure--
	case 23:
		g.line(b, "{")
		g.line(b, "ch := make(chan int, 1)")
		g.line(b, "select {")
		g.line(b, "case ch <- n:")
		g.indent++
		if depth < 4 {
			g.block(b, depth+1, inLoop)
		}
		g.indent--
		g.line(b, "default:")
		g.line(b, "}")
		g.line(b, "}")
	}
}
