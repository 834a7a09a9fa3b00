package regressions

import "sync"

// Formerly a gap (miss), fixed on main: a generic helper called with
// explicit type arguments, f[K, V](x) (an IndexListExpr), is taken for a
// function value, so its accesses are not judged (main: "reached only
// through function values"). Called here without the lock, its unguarded
// read is missed. (Before the merge of main it was the opposite: no entry
// lock was inferred when the callers held it, a false positive.)

type Bag[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V // guarded by mu
}

func count[K comparable, V any](b *Bag[K, V]) int {
	return len(b.m) // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); read \(len\) here without it \(RA1001\)`
}

func Count(b *Bag[string, int]) int {
	return count[string, int](b)
}
