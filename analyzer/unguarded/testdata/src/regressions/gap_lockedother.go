package regressions

import "sync"

// GAP 13 (miss, regression, fixed; see gap_lockedknown.go). A *Locked
// helper whose callers all hold r.mu is checked as ordinary code with r.mu
// held on entry: touching a field guarded by another mutex there is the
// wrong lock (RA1004).

type Tally struct {
	mu      sync.Mutex
	m       map[string]int // guarded by mu
	statsMu sync.Mutex
	hits    int // guarded by statsMu
}

func (r *Tally) addLocked(k string) {
	r.m[k]++
	r.hits++ // want `hits is guarded by statsMu \(its comment says "guarded by statsMu" at line 14\); written here with r\.mu held instead \(RA1004\)`
}

func (r *Tally) Add(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addLocked(k)
}

// Negative: a *Locked helper whose callers do not all hold a lock stays
// exempt (its lock is not known).

type Tally2 struct {
	mu      sync.Mutex
	m       map[string]int // guarded by mu
	statsMu sync.Mutex
	hits    int // guarded by statsMu
}

func (r *Tally2) addLocked(k string) {
	r.m[k]++
	r.hits++
}

func (r *Tally2) Add(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addLocked(k)
}

func (r *Tally2) AddStats(k string) {
	r.statsMu.Lock()
	defer r.statsMu.Unlock()
	r.addLocked(k)
}
