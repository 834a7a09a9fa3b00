package gaps

import "sync"

// GAP 3 (miss): "go r.refresh()" is not a call site for entry-lock
// inference, so a helper called under the lock elsewhere is assumed locked
// even though the goroutine runs without the lock.

type Cache struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (c *Cache) refresh() {
	c.m["gen"]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 11\); written here without it \(RA1002\)`
}

func (c *Cache) Update() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refresh()
}

func (c *Cache) Kick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	go c.refresh()
}
