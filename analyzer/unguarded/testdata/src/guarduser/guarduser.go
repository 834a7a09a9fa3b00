// Package guarduser uses guardlib's table: the guard declared there
// applies here, and guardlib's lock helpers count as locking.
package guarduser

import "guardlib"

func BadCount(t *guardlib.Table) int {
	return len(t.Rows) // want `Rows is guarded by Mu \(its comment says "guarded by Mu" at guardlib\.go:9\); read \(len\) here without it \(RA1001\)`
}

func BadSet(t *guardlib.Table, k string) {
	t.Rows[k] = 1 // want `Rows is guarded by Mu \(its comment says "guarded by Mu" at guardlib\.go:9\); written here without it \(RA1002\)`
}

func Count(t *guardlib.Table) int {
	t.Lock()
	defer t.Unlock()
	return len(t.Rows)
}

func Get(t *guardlib.Table, k string) int {
	t.Mu.Lock()
	defer t.Mu.Unlock()
	return t.Rows[k]
}

func Inc(t *guardlib.Table, k string) {
	t.Do(func() {
		t.Rows[k]++
	})
}

func BadPeek(q *guardlib.Queue) string {
	return q.Items[0] // want `Items is guarded by mu \(held at 3 of 3 accesses, e\.g\. guardlib\.go:45, guardlib\.go:52, guardlib\.go:53\); read here without it \(RA1001\)`
}

func Drain(q *guardlib.Queue) (out []string) {
	guardlib.WithQueue(q, func() {
		out = q.Items
		q.Items = nil
	})
	return out
}

func BadLookup(k string) string {
	return guardlib.Registry[k] // want `Registry is guarded by RegMu \(its comment says "guarded by RegMu" at guardlib\.go:67\); read here without it \(RA1001\)`
}

func Lookup(k string) string {
	guardlib.RegMu.RLock()
	defer guardlib.RegMu.RUnlock()
	return guardlib.Registry[k]
}

func BadRegisterUnderRLock(k, v string) {
	guardlib.RegMu.RLock()
	defer guardlib.RegMu.RUnlock()
	guardlib.Registry[k] = v // want `Registry is guarded by RegMu \(its comment says "guarded by RegMu" at guardlib\.go:67\); written here with only the read lock held \(RLock at line 56\) \(RA1003\)`
}

// A local type embedding the imported table.
type Local struct {
	guardlib.Table
	name string
}

func (l *Local) Put(k string) {
	l.Mu.Lock()
	defer l.Mu.Unlock()
	l.Rows[k]++
}

func (l *Local) BadGet(k string) int {
	return l.Rows[k] // want `Rows is guarded by Mu \(its comment says "guarded by Mu" at guardlib\.go:9\); read here without it \(RA1001\)`
}

func BadCacheLen(c *guardlib.Cache[string, int]) int {
	return len(c.Entries) // want `Entries is guarded by mu \(its comment says "guarded by mu" at guardlib\.go:79\); read \(len\) here without it \(RA1001\)`
}

func CacheLen(c *guardlib.Cache[string, int]) int {
	c.RLock()
	defer c.RUnlock()
	return len(c.Entries)
}

// A snapshot of a guard the importer cannot take: not reported.
func TraceLen(t *guardlib.Trace) int {
	return len(t.Copy().Events)
}

func Dump(t *guardlib.Trace) []string {
	return t.Events
}
