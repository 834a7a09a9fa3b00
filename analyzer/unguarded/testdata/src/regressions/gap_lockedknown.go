package regressions

import "sync"

// GAP 13 (miss, regression, fixed): helpers whose lock is known (declared
// in the doc, "c.mu must be held", or inferred for a *Locked helper from
// every call site) were again exempt instead of checked holding that lock:
// the merge of lifecycle into main (b64dafc) had dropped the lines that
// make them concurrent code (see also gap_lockedother.go; the evidence
// part stays a gap, gaps/lockedhelpers.go). What b64dafc wanted stays: the
// objects the locked one points to (c.r, holding c.mu) are the callers'.

// A helper documented as called with c.mu held is checked against the
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

// Negative: the helper takes the other guard itself.
func (c *Counter) HitLocked(k string) {
	c.m[k]++
	c.statsMu.Lock()
	c.hits++
	c.statsMu.Unlock()
}

// Negative: an object the locked one points to has its own protocol, which
// the callers arrange (net/http's hijackLocked reads c.r.hasByte after
// stopping the background read); the helper's name speaks for c.mu only.

type lkReader struct {
	mu      sync.Mutex
	hasByte bool // guarded by mu
}

func (r *lkReader) set(b bool) {
	r.mu.Lock()
	r.hasByte = b
	r.mu.Unlock()
}

type lkConn struct {
	mu       sync.Mutex
	r        *lkReader
	hijacked bool // guarded by mu
}

// hijackLocked hijacks the connection. c.mu must be held.
func (c *lkConn) hijackLocked() bool {
	c.hijacked = true
	return c.r.hasByte
}

func (c *lkConn) Hijack() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hijackLocked()
}

// Positive control: the same read in ordinary code holding c.mu.
func (c *lkConn) Peek() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.r.hasByte // want `hasByte is guarded by mu .*; read here with c\.mu held instead \(RA1004\)`
}

// Negative: what the helper does with the fields of the lock its callers
// hold stays theirs, as before (pkg/sftp's readAt starts a goroutine that
// reads f.handle, and returns only after it ended, through a chain of
// channels the analysis does not follow; FP90).
func (c *Counter) fanLocked(k string, n int) int {
	work := make(chan int)
	go func() {
		defer close(work)
		for i := 0; i < n; i++ {
			work <- c.m[k]
		}
	}()
	var wg sync.WaitGroup
	res := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for v := range work {
			res <- v
		}
	}()
	go func() { wg.Wait(); close(res) }()
	t := 0
	for v := range res {
		t += v
	}
	return t
}

func (c *Counter) Fan(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fanLocked(k, 3)
}
