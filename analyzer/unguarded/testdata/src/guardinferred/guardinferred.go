// Package guardinferred exercises guards inferred from use, with no
// comments: a field accessed with the same mutex held at >= 3 line sites
// across >= 2 functions and >= 75% of its concurrent accesses, and written
// after construction. Below-threshold fields stay silent.
package guardinferred

import "sync"

// Inferred: m is held at 3 of 4 accesses in three functions.
type Inferred struct {
	mu sync.Mutex
	m  map[string]int
}

func (r *Inferred) Set(k string, v int) {
	r.mu.Lock()
	r.m[k] = v
	r.mu.Unlock()
}

func (r *Inferred) Get(k string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[k]
}

func (r *Inferred) Delete(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, k)
}

func (r *Inferred) BadLen() int {
	return len(r.m) // want `m is guarded by mu \(held at 3 of 4 accesses, e\.g\. lines 17, 24, 30\); read \(len\) here without it \(RA1001\)`
}

// Counted once per line: several accesses on one line are one site.
type PerLine struct {
	mu sync.Mutex
	n  int
}

func (p *PerLine) Inc() {
	p.mu.Lock()
	p.n = p.n + 1
	p.mu.Unlock()
}

func (p *PerLine) Dec() {
	p.mu.Lock()
	p.n = p.n - 1
	p.mu.Unlock()
}

func (p *PerLine) Get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

func (p *PerLine) Twice() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n * 2
}

func (p *PerLine) BadPeek() int {
	return p.n + p.n // want `n is guarded by mu \(held at 4 of 5 accesses, e\.g\. lines 45, 51, 58\); read here without it \(RA1001\)`
}

// TwoHeld: only 2 held accesses: below the minimum of 3, silent.
type TwoHeld struct {
	mu sync.Mutex
	v  int
}

func (t *TwoHeld) Set(v int) {
	t.mu.Lock()
	t.v = v
	t.mu.Unlock()
}

func (t *TwoHeld) Get() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.v
}

func (t *TwoHeld) Peek() int {
	return t.v
}

// Half: held at 3 of 6 accesses (50%): below 75%, silent.
type Half struct {
	mu sync.Mutex
	v  int
}

func (h *Half) A() {
	h.mu.Lock()
	h.v++
	h.mu.Unlock()
}

func (h *Half) B() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.v
}

func (h *Half) C() {
	h.mu.Lock()
	h.v = 0
	h.mu.Unlock()
}

func (h *Half) D() int { return h.v }

func (h *Half) E() int { return h.v * 2 }

func (h *Half) F() { h.v = 1 }

// OneFunc: held at 3 sites, but all in one function: silent.
type OneFunc struct {
	mu sync.Mutex
	v  int
}

func (o *OneFunc) Step() {
	o.mu.Lock()
	o.v++
	if o.v > 10 {
		o.v = 0
	}
	o.mu.Unlock()
}

func (o *OneFunc) Peek() int { return o.v }

// ReadOnly: set in the constructor, read under the lock by habit, never
// written after construction: not guarded, silent.
type ReadOnly struct {
	mu   sync.Mutex
	name string
	n    int
}

func NewReadOnly(name string) *ReadOnly {
	r := &ReadOnly{}
	r.name = name
	return r
}

func (r *ReadOnly) A() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	return r.name
}

func (r *ReadOnly) B() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.name + "b"
}

func (r *ReadOnly) C() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.name + "c"
}

func (r *ReadOnly) Name() string { return r.name }

// Package variables: inferred from a package-level mutex.
var (
	regMu sync.Mutex
	reg   = map[string]int{}
)

func Register(k string, v int) {
	regMu.Lock()
	defer regMu.Unlock()
	reg[k] = v
}

func Lookup(k string) int {
	regMu.Lock()
	defer regMu.Unlock()
	return reg[k]
}

func Unregister(k string) {
	regMu.Lock()
	delete(reg, k)
	regMu.Unlock()
}

func BadCount() int {
	return len(reg) // want `reg is guarded by regMu \(held at 3 of 4 accesses, e\.g\. lines 184, 190, 195\); read \(len\) here without it \(RA1001\)`
}
