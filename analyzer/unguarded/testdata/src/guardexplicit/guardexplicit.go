// Package guardexplicit exercises explicit guard comments on a field or
// variable: "guarded by mu", "protected by mu", checklocks' "+checklocks:mu",
// in a line comment or a doc comment, and a doc comment opening a group.
// An explicit guard needs no corroboration: one unguarded access is enough.
package guardexplicit

import "sync"

type Table struct {
	mu sync.Mutex
	a  map[string]int // guarded by mu
	b  []string       // protected by mu
	c  int            // +checklocks:mu
	// d is the generation, guarded by mu.
	d int
	// Protected by mu.
	e []int

	// The next fields are guarded by mu.
	f int
	g string

	h int // not guarded: accessed any way
}

// Positive cases: one unguarded access each.

func (t *Table) BadA() int {
	return t.a["x"] // want `a is guarded by mu \(its comment says "guarded by mu" at line 11\); read here without it \(RA1001\)`
}

func (t *Table) BadB(s string) {
	t.b = append(t.b, s) // want `b is guarded by mu \(its comment says "protected by mu" at line 12\); written here without it \(RA1002\)`
}

func (t *Table) BadC() int {
	return t.c // want `c is guarded by mu \(its comment says "\+checklocks:mu" at line 13\); read here without it \(RA1001\)`
}

func (t *Table) BadD() {
	t.d++ // want `d is guarded by mu \(its comment says "guarded by mu\." at line 14\); written here without it \(RA1002\)`
}

func (t *Table) BadE() int {
	return len(t.e) // want `e is guarded by mu \(its comment says "Protected by mu\." at line 16\); read \(len\) here without it \(RA1001\)`
}

func (t *Table) BadF() int {
	return t.f // want `f is guarded by mu \(its comment says "guarded by mu\." at line 19\); read here without it \(RA1001\)`
}

func (t *Table) BadG(s string) {
	t.g = s // want `g is guarded by mu \(its comment says "guarded by mu\." at line 19\); written here without it \(RA1002\)`
}

// Negative cases.

func (t *Table) Update(k, s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.a[k] = len(t.b)
	t.b = append(t.b, s)
	t.c++
	t.d++
	t.e = append(t.e, t.c)
	t.f = t.d
	t.g = s
}

func (t *Table) H() int {
	t.h++
	return t.h
}

// Package variables with explicit comments.
var (
	mu sync.Mutex
	// cache is protected by mu.
	cache = map[string]string{}
	hits  int // guarded by mu
	other int
)

func BadCache(k string) string {
	return cache[k] // want `cache is guarded by mu \(its comment says "protected by mu\." at line 78\); read here without it \(RA1001\)`
}

func BadHits() {
	hits++ // want `hits is guarded by mu \(its comment says "guarded by mu" at line 80\); written here without it \(RA1002\)`
}

func Cache(k, v string) {
	mu.Lock()
	defer mu.Unlock()
	cache[k] = v
	hits++
}

func Other() int {
	other++
	return other
}

// A field guarded by a package-level mutex.
type Node struct {
	peers []string // guarded by mu
}

func (n *Node) AddPeer(p string) {
	mu.Lock()
	n.peers = append(n.peers, p)
	mu.Unlock()
}

func (n *Node) BadPeers() int {
	return len(n.peers) // want `peers is guarded by mu \(its comment says "guarded by mu" at line 106\); read \(len\) here without it \(RA1001\)`
}

// checklocks' read form on a field: reads need at least the read lock.
type Conf struct {
	mu   sync.RWMutex
	vals map[string]string // +checklocksread:mu
}

func (c *Conf) Get(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.vals[k]
}

func (c *Conf) BadGet(k string) string {
	return c.vals[k] // want `vals is guarded by mu \(its comment says "\+checklocksread:mu" at line 122\); read here without it \(RA1001\)`
}
