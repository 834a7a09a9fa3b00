package regressions

import "sync"

// Formerly a gap (miss), fixed on main: a method started with go from a
// constructor (go t.loop() on the freshly allocated value) was taken for a
// setup helper on an unshared value, so its accesses were neither judged
// nor evidence. The loop below clears the map without the lock while Set
// writes it under the lock.

type Ticker struct {
	mu   sync.Mutex
	rows map[string]int // guarded by mu
	stop chan struct{}
}

func NewTicker() *Ticker {
	t := &Ticker{rows: map[string]int{}, stop: make(chan struct{})}
	go t.loop()
	return t
}

func (t *Ticker) loop() {
	for {
		select {
		case <-t.stop:
			return
		default:
		}
		clear(t.rows) // want `rows is guarded by mu \(its comment says "guarded by mu" at line 13\); cleared here without it \(RA1002\)`
	}
}

func (t *Ticker) Set(k string, v int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rows[k] = v
}
