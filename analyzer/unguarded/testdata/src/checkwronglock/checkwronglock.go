// Package checkwronglock exercises RA1004, access with the wrong lock held:
// a struct with two mutexes, each guarding its own fields. Accessing one
// mutex's field while holding only the other is reported; holding the right
// one (alone or together with the other) is silent.
package checkwronglock

import "sync"

type Server struct {
	mu    sync.Mutex
	conns map[int]string // guarded by mu

	statsMu sync.Mutex
	served  int // guarded by statsMu
}

// Positive cases.

func (s *Server) BadConnsUnderStats() int {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return len(s.conns) // want `conns is guarded by mu \(its comment says "guarded by mu" at line 11\); read \(len\) here with s\.statsMu held instead \(RA1004\)`
}

func (s *Server) BadServedUnderMu(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, id)
	s.served++ // want `served is guarded by statsMu \(its comment says "guarded by statsMu" at line 14\); written here with s\.mu held instead \(RA1004\)`
}

// Negative cases.

func (s *Server) Add(id int, name string) {
	s.mu.Lock()
	s.conns[id] = name
	s.mu.Unlock()
	s.statsMu.Lock()
	s.served++
	s.statsMu.Unlock()
}

func (s *Server) Both() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return len(s.conns), s.served
}

// Inferred guards (no comments): loaded and hits are each held by one
// mutex at most accesses; the wrong one is reported.
type Loader struct {
	mu     sync.Mutex
	loaded map[string]bool

	hitsMu sync.Mutex
	hits   int
}

func (l *Loader) Mark(k string) {
	l.mu.Lock()
	l.loaded[k] = true
	l.mu.Unlock()
	l.hitsMu.Lock()
	l.hits++
	l.hitsMu.Unlock()
}

func (l *Loader) Has(k string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.loaded[k]
}

func (l *Loader) Forget(k string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.loaded, k)
}

func (l *Loader) Hits() int {
	l.hitsMu.Lock()
	defer l.hitsMu.Unlock()
	return l.hits
}

func (l *Loader) ResetHits() {
	l.hitsMu.Lock()
	l.hits = 0
	l.hitsMu.Unlock()
}

func (l *Loader) BadCheck(k string) bool {
	l.hitsMu.Lock()
	defer l.hitsMu.Unlock()
	l.hits++
	return l.loaded[k] // want `loaded is guarded by mu \(held at 3 of 4 accesses, e\.g\. lines 63, 73, 79\); read here with l\.hitsMu held instead \(RA1004\)`
}
