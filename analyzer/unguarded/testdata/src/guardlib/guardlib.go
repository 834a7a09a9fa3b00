// Package guardlib exports a registry type whose exported field is
// explicitly guarded, with lock helpers; package guarduser imports it.
package guardlib

import "sync"

type Table struct {
	Mu   sync.Mutex
	Rows map[string]int // guarded by Mu
}

func NewTable() *Table {
	return &Table{Rows: map[string]int{}}
}

// Lock and Unlock are lock helpers for callers in other packages.
func (t *Table) Lock()   { t.Mu.Lock() }
func (t *Table) Unlock() { t.Mu.Unlock() }

// Do calls f holding the table's lock.
func (t *Table) Do(f func()) {
	t.Mu.Lock()
	defer t.Mu.Unlock()
	f()
}

func (t *Table) Put(k string, v int) {
	t.Mu.Lock()
	defer t.Mu.Unlock()
	t.Rows[k] = v
}

func (t *Table) BadSize() int {
	return len(t.Rows) // want `Rows is guarded by Mu \(its comment says "guarded by Mu" at line 9\); read \(len\) here without it \(RA1001\)`
}
