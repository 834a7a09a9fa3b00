package gaps

import "sync"

// GAP 13 (miss, regression; see lockedknown.go). A *Locked helper whose callers all hold r.mu is checked as ordinary code
// with r.mu held on entry: touching a field guarded by another mutex there
// is the wrong lock (RA1004).

type Tally struct {
	mu      sync.Mutex
	m       map[string]int // guarded by mu
	statsMu sync.Mutex
	hits    int // guarded by statsMu
}

func (r *Tally) addLocked(k string) {
	r.m[k]++
	r.hits++ // want `hits is guarded by statsMu \(its comment says "guarded by statsMu" at line 13\); written here with r\.mu held instead \(RA1004\)`
}

func (r *Tally) Add(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addLocked(k)
}
