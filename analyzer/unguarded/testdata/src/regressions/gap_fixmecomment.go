package regressions

import "sync"

// GAP 11 (miss, debatable): a comment near the access that merely
// mentions the lock or a race ("FIXME: racy", "TODO: don't read this
// without the lock") matches the "no lock needed" explanation pattern and
// silences the report, although it flags the bug rather than excusing it.

type Meter struct {
	mu    sync.Mutex
	count map[string]int // guarded by mu
}

func (m *Meter) Inc(k string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.count[k]++
}

func (m *Meter) Peek(k string) int {
	// FIXME: racy, take the lock.
	return m.count[k] // want `count is guarded by mu \(its comment says "guarded by mu" at line 12\); read here without it \(RA1001\)`
}

func (m *Meter) Size() int {
	// TODO: we should not read this without the lock.
	return len(m.count) // want `count is guarded by mu \(its comment says "guarded by mu" at line 12\); read \(len\) here without it \(RA1001\)`
}
