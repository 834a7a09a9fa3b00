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

// Roster's members are guarded by its exported Mu.
type Roster struct {
	Mu      sync.Mutex
	members map[int]string // guarded by Mu
}

func NewRoster() *Roster { return &Roster{members: map[int]string{}} }

func (r *Roster) Add(id int, name string) {
	r.Mu.Lock()
	defer r.Mu.Unlock()
	r.members[id] = name
}

func (r *Roster) Len() int {
	r.Mu.Lock()
	defer r.Mu.Unlock()
	return len(r.members)
}

// Renumber rebuilds r's members without r's lock and has no caller here:
// its callers own r (a roster being assembled) or hold r.Mu (FP60).
func Renumber(r *Roster, ids []int) {
	old := r.members
	r.members = map[int]string{}
	for i, id := range ids {
		r.members[id] = old[i]
	}
}

// NewRosterFrom is a constructor with an error result.
func NewRosterFrom(names []string) (*Roster, error) {
	return &Roster{members: map[int]string{}}, nil
}

// GetOpt locks s.Mu only if lock is true (FP91).
func (s *Store) GetOpt(k string, lock bool) string {
	if lock {
		s.Mu.Lock()
		defer s.Mu.Unlock()
	}
	return s.data[k]
}
