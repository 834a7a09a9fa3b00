package regressions

import "sync"

// Formerly a gap (false positive), fixed on main: locking through a local
// pointer to the mutex (mu := &s.mu) is a different lock key from s.mu.

type Stats struct {
	mu   sync.Mutex
	hits int // guarded by mu
}

func (s *Stats) Hit() {
	mu := &s.mu
	mu.Lock()
	s.hits++
	mu.Unlock()
}
