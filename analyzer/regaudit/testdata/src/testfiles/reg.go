// Package testfiles checks that findings in _test.go files are not
// reported (tests misuse locks on purpose), while suppression comments in
// them are still checked.
package testfiles

import "sync"

type Registry struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (r *Registry) Put(k string, v int) {
	r.mu.Lock()
	r.m[k] = v
	r.mu.Unlock()
}

func (r *Registry) Len() int {
	return len(r.m) // want `m is guarded by mu .*read \(len\) here without it \(RA1001\)`
}
