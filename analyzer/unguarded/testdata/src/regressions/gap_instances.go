package regressions

import "sync"

// GAP 5 (miss): a.mu and b.mu are different locks. Holding a.mu and
// writing b.m must be reported (the issue requires it), but main's
// unguarded check now stays silent whenever "the same mutex field of
// another value" is held (sameMutexField: the two may be aliases).
// A distinct-parameters case like this one is the bug it hides.

type Shard struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (s *Shard) Put(k string, v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
}

func Move(a, b *Shard, k string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	v := a.m[k]
	delete(a.m, k)
	b.m[k] = v // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); written here with a\.mu held instead \(RA1004\)`
}

// The everyday form: merging another registry while holding only its lock.
func (s *Shard) Merge(other *Shard) {
	other.mu.Lock()
	defer other.mu.Unlock()
	for k, v := range other.m {
		s.m[k] = v // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); written here with other\.mu held instead \(RA1004\)`
	}
}
