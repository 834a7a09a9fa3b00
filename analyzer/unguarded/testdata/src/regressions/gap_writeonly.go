package regressions

import "sync"

// GAP 9 (miss): a write-only convention guard ("guards stores (but not
// loads)") is corroborated like any other: the lock-free loads, correct by
// the comment, count as unheld accesses, so with more loads than locked
// stores the guard is never reportable and the unlocked store is missed.

type Version struct {
	// mu guards stores (but not loads) of the fields below.
	mu sync.Mutex
	v  int
}

func (x *Version) Bump() {
	x.mu.Lock()
	x.v++
	x.mu.Unlock()
}

func (x *Version) Set(v int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.v = v
}

func (x *Version) Get() int       { return x.v }
func (x *Version) IsZero() bool   { return x.v == 0 }
func (x *Version) String() string { return string(rune('0' + x.v)) }

func (x *Version) BadReset() {
	x.v = 0 // want `v is guarded by mu \(mu's comment "mu guards stores \(but not loads\) of the fields below\." at line 11; held at \d+ of \d+ accesses\); written here without it \(RA1002\)`
}
