package gaps

import "sync"

// GAP 13b (miss; the rest of GAP 13 is fixed, see
// regressions/gap_lockedknown.go): accesses in *Locked helpers (and helpers
// documented as called with the lock held) are not evidence for inference,
// although the lock is known to be held there. A registry whose every
// access goes through such helpers gets no inferred guard, so the one
// unlocked access is missed. Counting them (as 34d9cc3 did) tips the
// inferred guards of fields the callers keep by other protocols on real
// code (sarama broker.conn, klog vmodule, client-go transports).

type Book struct {
	mu      sync.Mutex
	entries map[string]int
}

func (b *Book) addLocked(k string)      { b.entries[k]++ }
func (b *Book) delLocked(k string)      { delete(b.entries, k) }
func (b *Book) getLocked(k string) int  { return b.entries[k] }
func (b *Book) sizeLocked() (n int)     { return len(b.entries) }
func (b *Book) resetLocked(k string)    { b.entries = map[string]int{k: 0} }
func (b *Book) hasLocked(k string) bool { _, ok := b.entries[k]; return ok }

func (b *Book) Add(k string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.hasLocked(k) {
		b.addLocked(k)
	}
}

func (b *Book) Del(k string) {
	b.mu.Lock()
	b.delLocked(k)
	b.mu.Unlock()
}

func (b *Book) Get(k string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.getLocked(k)
}

func (b *Book) Reset(k string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sizeLocked() > 100 {
		b.resetLocked(k)
	}
}

func (b *Book) BadLen() int {
	return len(b.entries) // want `entries is guarded by mu .*; read \(len\) here without it \(RA1001\)`
}
