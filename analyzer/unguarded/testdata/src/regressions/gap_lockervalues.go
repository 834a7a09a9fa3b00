package regressions

import "sync"

// GAP 7 (false positive): sync.Locker values made from the guard are not
// recognized as the guard except in the "var l sync.Locker = &r.mu" form:
// r.mu.RLocker() and a conversion sync.Locker(&r.mu) become locks of
// their own, and the accesses are reported as made with the wrong lock.

type Lockers struct {
	mu sync.RWMutex
	m  map[string]int // guarded by mu
}

func (r *Lockers) Put(k string) {
	var l sync.Locker = &r.mu
	l.Lock()
	r.m[k]++
	l.Unlock()
}

func (r *Lockers) Get(k string) int {
	rl := r.mu.RLocker()
	rl.Lock()
	defer rl.Unlock()
	return r.m[k]
}

func (r *Lockers) Delete(k string) {
	l := sync.Locker(&r.mu)
	l.Lock()
	defer l.Unlock()
	delete(r.m, k)
}
