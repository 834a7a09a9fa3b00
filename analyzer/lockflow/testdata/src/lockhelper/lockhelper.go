// Package lockhelper provides helpers that lock, used from package usehelper.
package lockhelper

import "sync"

type Store struct {
	Mu   sync.Mutex
	data map[string]string
}

// Get locks s.Mu.
func (s *Store) Get(k string) string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.data[k]
}

// Lock is a lock wrapper.
func (s *Store) Lock() { s.Mu.Lock() }

// Unlock is an unlock wrapper.
func (s *Store) Unlock() { s.Mu.Unlock() }

// SetLocked sets k. The caller must hold s.Mu.
func (s *Store) SetLocked(k, v string) {
	s.data[k] = v
}

var mu sync.Mutex

var names []string

// Add locks the package mutex.
func Add(n string) {
	mu.Lock()
	names = append(names, n)
	mu.Unlock()
}

// WithLock calls fn under the package mutex.
func WithLock(fn func()) {
	mu.Lock()
	defer mu.Unlock()
	fn()
}

// Table's mutex is unexported: importers can hold it only through the
// Lock wrapper.
type Table struct {
	mu   sync.Mutex
	rows map[string]int
}

func (t *Table) Lock()   { t.mu.Lock() }
func (t *Table) Unlock() { t.mu.Unlock() }

// Len locks t.mu.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.rows)
}

// Hooked calls its hook holding its unexported mutex.
type Hooked struct {
	mu   sync.Mutex
	n    int
	hook func(*Hooked)
}

func NewHooked(f func(*Hooked)) *Hooked { return &Hooked{hook: f} }

func (h *Hooked) Fire() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hook(h)
}

// Count locks h.mu.
func (h *Hooked) Count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// Private's mutex is unexported and never held outside its methods:
// importers cannot hold it, its lock sites are not exported.
type Private struct {
	mu sync.Mutex
	n  int
}

func (p *Private) Inc() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}
