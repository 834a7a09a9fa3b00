//go:build go1.20

// Package escapeold is built for a Go version without maps.Clone: no fix.
package escapeold

import "sync"

type R struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (r *R) M() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m // want `returns r\.m, the map guarded by r\.mu`
}

func (r *R) Put(k string) {
	r.mu.Lock()
	r.m[k] = 1
	r.mu.Unlock()
}
