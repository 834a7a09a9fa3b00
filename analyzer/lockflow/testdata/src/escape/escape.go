// Package escape exercises guarded maps and slices escaping their lock.
package escape

import (
	"sort"
	"sync"
)

type Registry struct {
	mu    sync.Mutex
	items map[string]int   // guarded by mu
	order []string         // guarded by mu
	conns map[string]*Conn // guarded by mu
}

type Conn struct{}

func (*Conn) Close() {}

// RA2006: the map itself is returned.
func (r *Registry) Items() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.items // want `returns r\.items, the map guarded by r\.mu, while holding it \(locked at line 22\): the caller uses it after the lock is released, racing with writers; return a copy \(RA2006\)`
}

func (r *Registry) Add(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items[k]++
	r.order = append(r.order, k)
	sort.Strings(r.order)
}

// RA2006: an alias used after Unlock.
func (r *Registry) Sum() int {
	r.mu.Lock()
	m := r.items
	r.mu.Unlock()
	n := 0
	for _, v := range m { // want `m aliases r\.items, the map guarded by r\.mu, taken at line 38 under the lock; ranged over here after r\.mu is released, racing with writers that modify it in place \(copy it under the lock\) \(RA2006\)`
		n += v
	}
	return n
}

// RA2006: alias of a slice sorted in place, passed to a call after Unlock.
func (r *Registry) First() string {
	r.mu.Lock()
	o := r.order
	r.mu.Unlock()
	return first(o) // want `o aliases r\.order, the slice guarded by r\.mu, taken at line 50 under the lock; passed to first here`
}

func first(s []string) string { return s[0] }

// RA2006: an alias indexed after Unlock.
func (r *Registry) Get(k string) int {
	r.mu.Lock()
	m := r.items
	r.mu.Unlock()
	if len(m) == 0 { // want `m aliases r\.items, the map guarded by r\.mu, taken at line 60 under the lock; used by len here after r\.mu is released`
		return 0
	}
	return m[k]
}

// Good: used under the lock.
func (r *Registry) Sum2() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.items
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// Good: detach-then-release.
func (r *Registry) CloseAll() {
	r.mu.Lock()
	old := r.conns
	r.conns = make(map[string]*Conn)
	r.mu.Unlock()
	for _, c := range old {
		c.Close()
	}
}

func (r *Registry) AddConn(k string, c *Conn) {
	r.mu.Lock()
	r.conns[k] = c
	r.mu.Unlock()
}

type Handlers struct {
	mu sync.Mutex
	hs []func() // guarded by mu
}

// Good: copy-on-write slice (never modified in place).
func (h *Handlers) Add(f func()) {
	h.mu.Lock()
	h.hs = append(h.hs, f)
	h.mu.Unlock()
}

func (h *Handlers) Run() {
	h.mu.Lock()
	hs := h.hs
	h.mu.Unlock()
	for _, f := range hs {
		f()
	}
}

// Good: a copy is returned.
func (r *Registry) Order() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.order...)
}
