package regressions

import "sync"

// GAP 2 (miss, fixed): an explicit guard on an embedded struct field: the
// promoted fields were not candidates. They are now guarded by the
// embedding struct's mutex, whether reached as f.hits or f.counters.hits.

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

// Negative: the lock held; the embedded struct's own methods, called under
// it, are not judged (their callers hold the embedding struct's lock).
func (f *Front) Get(k string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counters.hits[k] + f.count(k)
}

func (c *counters) count(k string) int { return c.hits[k] }

// Positive control: the explicit path without the lock.
func (f *Front) BadDel(k string) {
	delete(f.counters.hits, k) // want `hits is guarded by mu .*deleted from here without it \(RA1002\)`
}

// Negative: a struct embedded without a guard comment: nothing is declared
// for its fields (and nothing is inferred for them).

type Back struct {
	mu sync.Mutex
	tallies
}

type tallies struct {
	n map[string]int
}

func (b *Back) Add(k string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n[k]++
}

func (b *Back) Get(k string) int {
	return b.n[k]
}
