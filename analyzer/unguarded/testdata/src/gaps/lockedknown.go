package gaps

import "sync"

// GAP 13 (miss, regression): helpers whose lock is known (declared in the
// doc, "c.mu must be held", or inferred for a *Locked helper from every
// call site) are again exempt instead of checked as ordinary code holding
// that lock. The merge of lifecycle into main (b64dafc) dropped the
// fi.NotConcurrent = "" lines in declaredRequires and inferEntries. The
// same cases passed on main at 34d9cc3 (see also regressions history:
// lockedother.go, lockedhelpers.go).

// A helper documented as called with r.mu held is checked against the
// other guards: touching statsMu's field there is the wrong lock.

type Counter struct {
	mu      sync.Mutex
	m       map[string]int // guarded by mu
	statsMu sync.Mutex
	hits    int // guarded by statsMu
}

// PutLocked stores k. c.mu must be held.
func (c *Counter) PutLocked(k string) {
	c.m[k] = 1
	c.hits = 0 // want `hits is guarded by statsMu \(its comment says "guarded by statsMu" at line 20\); written here with c\.mu held instead \(RA1004\)`
}
