package gaps

import "sync"

// GAP 13 (miss): escape of the guarded collection. A map or slice read
// under the lock into a local (or returned) is the same collection: using
// it after Unlock is unguarded, but only the field access itself is
// checked. (go-idioms.md point 3: a documented blind spot of other tools.)

type Peers struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (p *Peers) Add(k string) {
	p.mu.Lock()
	m := p.m
	p.mu.Unlock()
	m[k]++ // want `m is guarded by mu .*written .*without it`
}

func (p *Peers) All() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m // want `m is guarded by mu .*returned`
}
