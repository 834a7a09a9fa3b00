package regressions

import "sync"

// Formerly a gap (miss), fixed on main: a deferred closure is walked with
// the lock state at the defer statement, but it runs at return, after an
// explicit Unlock.

type Journal struct {
	mu      sync.Mutex
	entries []string // guarded by mu
}

func (j *Journal) Append(e string) {
	j.mu.Lock()
	defer func() {
		j.entries = append(j.entries, "done") // want `entries is guarded by mu \(its comment says "guarded by mu" at line 11\); written here without it \(RA1002\)`
	}()
	j.entries = append(j.entries, e)
	j.mu.Unlock()
}
