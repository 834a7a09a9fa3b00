// Package escapeimp already imports slices and maps.
package escapeimp

import (
	"maps"
	"slices"
	"sync"
)

var (
	mu    sync.RWMutex
	names []string       // guarded by mu
	index map[string]int // guarded by mu
)

func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	return names // want `returns names, the slice guarded by mu, while holding it \(read-locked at line 17\)`
}

func Index() map[string]int {
	mu.RLock()
	defer mu.RUnlock()
	return index // want `returns index, the map guarded by mu`
}

func Add(n string) {
	mu.Lock()
	defer mu.Unlock()
	names = append(names, n)
	slices.Sort(names)
	index[n] = len(names)
}

var _ = maps.Keys[map[int]int]
