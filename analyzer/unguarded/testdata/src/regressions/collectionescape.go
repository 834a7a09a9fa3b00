package regressions

import "sync"

// Formerly a gap (miss), covered on main by RA2006 (lockflow): escape of
// the guarded collection. A map read under the lock into a local (or
// returned) is the same map: using it after Unlock races with the writers
// (go-idioms.md point 3, a documented blind spot of other tools).

type Peers struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (p *Peers) Put(k string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[k]++
}

func (p *Peers) Add(k string) {
	p.mu.Lock()
	m := p.m
	p.mu.Unlock()
	m[k]++ // want `m aliases p\.m, the map guarded by p\.mu, taken at line 23 under the lock; indexed here after p\.mu is released, racing with writers that modify it in place \(copy it under the lock\) \(RA2006\)`
}

func (p *Peers) All() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m // want `returns p\.m, the map guarded by p\.mu, while holding it \(locked at line 29\): the caller uses it after the lock is released, racing with writers; return a copy \(RA2006\)`
}

func (p *Peers) Len() int {
	p.mu.Lock()
	m := p.m
	p.mu.Unlock()
	return len(m) // want `m aliases p\.m, the map guarded by p\.mu, taken at line 36 under the lock; used by len here after p\.mu is released, racing with writers that modify it in place \(copy it under the lock\) \(RA2006\)`
}

// Detach-then-release is correct: the map is swapped out under the lock.
func (p *Peers) Drain() map[string]int {
	p.mu.Lock()
	m := p.m
	p.m = map[string]int{}
	p.mu.Unlock()
	return m
}
