package gaps

import "sync"

// GAP 2 (miss): an explicit guard on an embedded struct field: the
// promoted fields are not candidates.

type Front struct {
	mu       sync.Mutex
	counters // guarded by mu
}

func (f *Front) Add(k string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits[k]++
}

func (f *Front) BadGet(k string) int {
	return f.hits[k] // want `hits is guarded by mu .*read here without it \(RA1001\)`
}

type counters struct {
	hits map[string]int
}
