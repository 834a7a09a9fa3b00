package regressions

import (
	"iter"
	"sync"
)

// Formerly a gap (miss), fixed on main: a function literal returned as an
// iterator (or any closure returned or stored for later) is an unknown
// context: its accesses are never reported, so an iterator over a guarded
// map that forgets to lock is missed.

type Routes struct {
	mu sync.RWMutex
	m  map[string]int // guarded by mu
}

func (r *Routes) All() iter.Seq2[string, int] {
	return func(yield func(string, int) bool) {
		r.mu.RLock()
		defer r.mu.RUnlock()
		for k, v := range r.m {
			if !yield(k, v) {
				return
			}
		}
	}
}

func (r *Routes) BadKeys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for k := range r.m { // want `m is guarded by mu \(its comment says "guarded by mu" at line 15\); ranged over here without it \(RA1001\)`
			if !yield(k) {
				return
			}
		}
	}
}
