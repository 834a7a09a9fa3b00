// Package guardconvention exercises the standard library convention of a
// mutex comment saying which fields it protects, with its scopes: "the
// following fields", "this group of fields" (up to a blank line), "the
// following 2 fields", "guards x and y", and "stores (but not loads)"
// (writes only). A convention guard must be corroborated by use: the field
// is written after construction and at least half of its accesses hold
// the mutex.
package guardconvention

import "sync"

// Following: every field after mu up to the next mutex.
type Following struct {
	// mu protects the following fields.
	mu    sync.Mutex
	items map[string]int
	order []string
}

func (f *Following) Add(k string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items[k]++
	f.order = append(f.order, k)
}

func (f *Following) Order() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.order...)
}

func (f *Following) BadLen() int {
	return len(f.items) // want `items is guarded by mu \(mu's comment "mu protects the following fields\." at line 14; held at 2 of 3 accesses\); read \(len\) here without it \(RA1001\)`
}

func (f *Following) BadLast() string {
	return f.order[len(f.order)-1] // want `order is guarded by mu \(mu's comment "mu protects the following fields\." at line 14; held at 2 of 3 accesses\); read here without it \(RA1001\)`
}

// Group: "this group of fields" ends at the blank line; late is not
// guarded by the comment (and is held at only half its accesses, too few
// to infer a guard).
type Group struct {
	// mu guards this group of fields.
	mu    sync.Mutex
	conns map[int]string
	count int

	late int
}

func (g *Group) Open(id int, name string) {
	g.mu.Lock()
	g.conns[id] = name
	g.count++
	g.late++
	g.mu.Unlock()
}

func (g *Group) Close(id int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.conns, id)
	g.count--
}

func (g *Group) BadCount() int {
	return g.count // want `count is guarded by mu \(mu's comment "mu guards this group of fields\." at line 45; held at 2 of 3 accesses\); read here without it \(RA1001\)`
}

func (g *Group) Late() int {
	g.late = 0 // outside the group: not reported
	return g.late
}

// Counted: "the following 2 fields" covers a and b but not c.
type Counted struct {
	// mu protects the following 2 fields.
	mu sync.Mutex
	a  int
	b  int
	c  int
}

func (x *Counted) Set(v int) {
	x.mu.Lock()
	x.a, x.b = v, v
	x.c = v
	x.mu.Unlock()
}

func (x *Counted) Get() (int, int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.a, x.b
}

func (x *Counted) BadB() int {
	return x.b // want `b is guarded by mu \(mu's comment "mu protects the following 2 fields\." at line 79; held at 2 of 3 accesses\); read here without it \(RA1001\)`
}

func (x *Counted) C() int {
	x.c++ // third field: not covered
	return x.c
}

// Named: "mu guards x and y" covers only the named fields.
type Named struct {
	mu sync.Mutex // guards x and y
	x  int
	y  int
	z  int
}

func (n *Named) Set(v int) {
	n.mu.Lock()
	n.x, n.y, n.z = v, v, v
	n.mu.Unlock()
}

func (n *Named) Sum() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.x + n.y
}

func (n *Named) BadY() {
	n.y = 0 // want `y is guarded by mu \(mu's comment "guards x and y" at line 110; held at 2 of 3 accesses\); written here without it \(RA1002\)`
}

func (n *Named) Z() int {
	n.z = 1 // not named
	return n.z
}

// WriteOnly: "stores (but not loads)": loads are lock-free by design,
// stores must hold the mutex.
type WriteOnly struct {
	// mu guards stores (but not loads) of the fields below.
	mu      sync.Mutex
	version int
}

func (w *WriteOnly) Bump() {
	w.mu.Lock()
	w.version++
	w.mu.Unlock()
}

func (w *WriteOnly) Set(v int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.version = v
}

func (w *WriteOnly) Version() int {
	return w.version // a load: allowed without the lock
}

func (w *WriteOnly) BadReset() {
	w.version = 0 // want `version is guarded by mu \(mu's comment "mu guards stores \(but not loads\) of the fields below\." at line 140; held at 4 of 5 accesses\); written here without it \(RA1002\)`
}

// Uncorroborated: the comment claims name, but name is only set in the
// constructor and read after (read-only config): nothing is reported.
type Uncorroborated struct {
	// mu protects the fields below.
	mu   sync.Mutex
	name string
	n    int
}

func NewUncorroborated(name string) *Uncorroborated {
	u := &Uncorroborated{}
	u.name = name
	return u
}

func (u *Uncorroborated) Name() string { return u.name }

func (u *Uncorroborated) Inc() {
	u.mu.Lock()
	u.n++
	u.mu.Unlock()
}

func (u *Uncorroborated) N() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.n
}

// Package variables: a mutex comment in a var block.
var (
	// regMu protects the following variables.
	regMu  sync.Mutex
	counts = map[string]int{}
	order  []string
)

func Handle(name string) {
	regMu.Lock()
	defer regMu.Unlock()
	counts[name]++
	order = append(order, name)
}

func Handlers() []string {
	regMu.Lock()
	defer regMu.Unlock()
	return append([]string(nil), order...)
}

func BadCount(name string) int {
	return counts[name] // want `counts is guarded by regMu \(regMu's comment "regMu protects the following variables\." at line 196; held at 2 of 3 accesses\); read here without it \(RA1001\)`
}

// More locked accesses: a convention guard is reported once at least two
// thirds of the field's accesses hold the mutex.

func (f *Following) Has(k string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.items[k] > 0
}

func (w *WriteOnly) Reset() {
	w.mu.Lock()
	w.version = 0
	w.mu.Unlock()
}

func (w *WriteOnly) Add(d int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.version += d
}

func Count(name string) int {
	regMu.Lock()
	defer regMu.Unlock()
	return counts[name]
}

// Loose: the comment claims hint, but hint is read without the mutex as
// often as with it: not corroborated, silent.
type Loose struct {
	// mu protects the following fields.
	mu   sync.Mutex
	hint int
}

func (l *Loose) Set(v int) {
	l.mu.Lock()
	l.hint = v
	l.mu.Unlock()
}

func (l *Loose) Hint() int { return l.hint }
