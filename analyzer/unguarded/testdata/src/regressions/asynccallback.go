package regressions

import "sync"

// Formerly a gap (miss), fixed on main: a function literal passed to a
// local helper that starts it with go is treated as called in place, under
// the caller's lock.

type Notifier struct {
	mu   sync.Mutex
	subs map[string]int // guarded by mu
}

func (n *Notifier) async(f func()) {
	go f()
}

func (n *Notifier) Subscribe(k string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.subs[k]++
	n.async(func() {
		delete(n.subs, "stale") // want `subs is guarded by mu \(its comment says "guarded by mu" at line 11\); deleted from in a goroutine started at line 22 while mu was held, but the goroutine does not hold it \(RA1005\)`
	})
}
