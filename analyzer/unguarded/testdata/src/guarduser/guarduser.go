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
