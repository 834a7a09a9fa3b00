package regressions

import "sync"

// Formerly a gap (miss), fixed on main: a closure stored in a local
// variable and called right away without the lock is "stored for later"
// (unknown context) and never reported.

type Index struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (x *Index) Add(k string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.m[k]++
}

func (x *Index) BadAddTwice(k string) {
	add := func() {
		x.m[k]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 11\); written here without it \(RA1002\)`
	}
	add()
	add()
}

// Called once under the lock and once without it: reported.
func (x *Index) BadMixed(k string) {
	add := func() {
		x.m[k]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 11\); written here without it \(RA1002\)`
	}
	x.mu.Lock()
	add()
	x.mu.Unlock()
	add()
}

// Called only under the lock: silent.
func (x *Index) AddTwiceLocked(k string) {
	add := func() {
		x.m[k]++
	}
	x.mu.Lock()
	add()
	add()
	x.mu.Unlock()
}
