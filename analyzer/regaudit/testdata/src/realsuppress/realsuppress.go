// Package realsuppress checks suppression comments against real findings of
// the unguarded family.
package realsuppress

import "sync"

type Registry struct {
	mu       sync.Mutex
	backends map[string]int // guarded by mu
	hits     int            // guarded by mu
}

func (r *Registry) Add(name string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.backends[name]; dup {
		return
	}
	r.backends[name] = v
	r.hits++
}

func (r *Registry) Unguarded() int {
	return len(r.backends) // want `backends is guarded by mu .*read \(len\) here without it \(RA1001\)`
}

func (r *Registry) Trailing() int {
	return len(r.backends) //regaudit:ignore RA1001 read only for a debug counter
}

//regaudit:ignore unguarded-read,unguarded-write the whole method: called before the registry is shared
func (r *Registry) Reset() {
	n := len(r.backends)
	r.backends = nil
	r.hits = n
}

func (r *Registry) OnlyRead() {
	//regaudit:ignore RA1001 the write below is still reported
	r.hits = len(r.backends) // want `hits is guarded by mu .* \(RA1002\)`
}

func (r *Registry) Block() {
	//regaudit:ignore RA1002 covers the whole if statement
	if len(r.backends) == 0 { // want `backends is guarded by mu .* \(RA1001\)`
		r.hits = 0
	}
}

// want +2 `suppression of RA1001 needs a reason: //regaudit:ignore RA1001 <why it is safe> \(RA9001\)`
//
//regaudit:ignore RA1001
func (r *Registry) NoReason() int {
	return len(r.backends) // want `backends is guarded by mu .* \(RA1001\)`
}

// want +2 `suppression of RA1003 suppresses nothing \(RA9002\)`
//
//regaudit:ignore RA1003 stale: there is no RLock here any more
func (r *Registry) Stale() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hits
}
