// Package checkread exercises RA1001, unguarded read: every shape of read
// of a guarded collection (len, cap, range, index, slice expression, a
// method call on it, a plain copy) without the lock is reported, and the
// same reads under Lock or RLock stay silent.
package checkread

import (
	"container/list"
	"sync"
)

type Registry struct {
	mu sync.RWMutex
	m  map[string]int // guarded by mu
	s  []int          // guarded by mu
	l  *list.List     // guarded by mu
}

func New() *Registry {
	return &Registry{m: map[string]int{}, l: list.New()}
}

// Positive cases: reads without the lock.

func (r *Registry) BadLen() int {
	return len(r.m) // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); read \(len\) here without it \(RA1001\)`
}

func (r *Registry) BadCap() int {
	return cap(r.s) // want `s is guarded by mu \(its comment says "guarded by mu" at line 15\); read \(cap\) here without it \(RA1001\)`
}

func (r *Registry) BadRange() (n int) {
	for _, v := range r.s { // want `s is guarded by mu \(its comment says "guarded by mu" at line 15\); ranged over here without it \(RA1001\)`
		n += v
	}
	return n
}

func (r *Registry) BadRangeMap() (keys []string) {
	for k := range r.m { // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); ranged over here without it \(RA1001\)`
		keys = append(keys, k)
	}
	return keys
}

func (r *Registry) BadIndex(k string) int {
	return r.m[k] // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); read here without it \(RA1001\)`
}

func (r *Registry) BadCommaOK(k string) bool {
	_, ok := r.m[k] // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); read here without it \(RA1001\)`
	return ok
}

func (r *Registry) BadSliceIndex(i int) int {
	return r.s[i] // want `s is guarded by mu \(its comment says "guarded by mu" at line 15\); read here without it \(RA1001\)`
}

func (r *Registry) BadSliceExpr() []int {
	return r.s[1:] // want `s is guarded by mu \(its comment says "guarded by mu" at line 15\); read here without it \(RA1001\)`
}

func (r *Registry) BadMethodCall() int {
	return r.l.Len() // want `l is guarded by mu \(its comment says "guarded by mu" at line 16\); read here without it \(RA1001\)`
}

func (r *Registry) BadFront() any {
	if e := r.l.Front(); e != nil { // want `l is guarded by mu \(its comment says "guarded by mu" at line 16\); read here without it \(RA1001\)`
		return e.Value
	}
	return nil
}

func (r *Registry) BadCopyOut() map[string]int {
	m := r.m // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); read here without it \(RA1001\)`
	return m
}

func (r *Registry) BadCompare() bool {
	return r.m == nil // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); read here without it \(RA1001\)`
}

func (r *Registry) BadArg() {
	consume(r.s) // want `s is guarded by mu \(its comment says "guarded by mu" at line 15\); read here without it \(RA1001\)`
}

func (r *Registry) BadAfterUnlock(k string) int {
	r.mu.RLock()
	n := len(r.m)
	r.mu.RUnlock()
	return n + r.m[k] // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); read here without it \(RA1001\)`
}

func consume([]int) {}

// Negative cases: the same reads holding the lock.

func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.m)
}

func (r *Registry) Cap() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return cap(r.s)
}

func (r *Registry) Sum() (n int) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, v := range r.s {
		n += v
	}
	return n
}

func (r *Registry) Get(k string) (int, bool) {
	r.mu.RLock()
	v, ok := r.m[k]
	r.mu.RUnlock()
	return v, ok
}

func (r *Registry) Window(i, j int) []int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]int(nil), r.s[i:j]...)
}

func (r *Registry) Count() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.l.Len() + r.s[0]
}

func (r *Registry) Put(k string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[k] = v
	r.s = append(r.s, v)
	r.l.PushBack(k)
}
