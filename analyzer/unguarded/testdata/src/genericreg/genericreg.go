// Package genericreg exercises a generic registry Registry[K, V]: guards
// inferred or declared on fields of a generic type apply to every
// instantiation, inside generic methods and in non-generic code using an
// instantiated type.
package genericreg

import "sync"

type Registry[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func New[K comparable, V any]() *Registry[K, V] {
	return &Registry[K, V]{m: map[K]V{}}
}

func (r *Registry[K, V]) Put(k K, v V) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[k] = v
}

func (r *Registry[K, V]) Get(k K) (V, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.m[k]
	return v, ok
}

func (r *Registry[K, V]) Delete(k K) {
	r.mu.Lock()
	delete(r.m, k)
	r.mu.Unlock()
}

func (r *Registry[K, V]) Each(f func(K, V)) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for k, v := range r.m {
		f(k, v)
	}
}

// Keys is a generic function over the registry, holding the lock.
func Keys[K comparable, V any](r *Registry[K, V]) []K {
	r.mu.RLock()
	defer r.mu.RUnlock()
	keys := make([]K, 0, len(r.m))
	for k := range r.m {
		keys = append(keys, k)
	}
	return keys
}

// Positive cases.

func (r *Registry[K, V]) BadLen() int {
	return len(r.m) // want `m is guarded by mu \(held at 11 of 13 accesses, e\.g\. lines 21, 27, 33\); read \(len\) here without it \(RA1001\)`
}

func (r *Registry[K, V]) BadDeleteUnderRLock(k K) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	delete(r.m, k) // want `m is guarded by mu \(held at 11 of 13 accesses, e\.g\. lines 21, 27, 33\); deleted from here with only the read lock held \(RLock at line 63\) \(RA1003\)`
}

func BadInstantiated(r *Registry[string, int]) int {
	return r.m["x"] // want `m is guarded by mu \(held at 11 of 13 accesses, e\.g\. lines 21, 27, 33\); read here without it \(RA1001\)`
}

func Instantiated(r *Registry[string, int]) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.m["x"]
}

// Set is a generic set with an explicit guard.
type Set[T comparable] struct {
	mu    sync.Mutex
	items map[T]struct{} // guarded by mu
}

func (s *Set[T]) Add(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[v] = struct{}{}
}

func (s *Set[T]) BadHas(v T) bool {
	_, ok := s.items[v] // want `items is guarded by mu \(its comment says "guarded by mu" at line 81\); read here without it \(RA1001\)`
	return ok
}

// A generic helper called only under the lock inherits it.
func snapshot[K comparable, V any](r *Registry[K, V]) map[K]V {
	out := make(map[K]V, len(r.m))
	for k, v := range r.m {
		out[k] = v
	}
	return out
}

func (r *Registry[K, V]) Snapshot() map[K]V {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return snapshot(r)
}

// A generic helper called with explicit type arguments, only under the
// lock, inherits it.
func size[K comparable, V any](r *Registry[K, V]) int {
	return len(r.m)
}

func Size(r *Registry[string, int]) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return size[string, int](r)
}

// Lock wrappers on a generic type.
func (s *Set[T]) lock()   { s.mu.Lock() }
func (s *Set[T]) unlock() { s.mu.Unlock() }

func (s *Set[T]) Remove(v T) {
	s.lock()
	defer s.unlock()
	delete(s.items, v)
}

func RemoveAll(s *Set[string], vs []string) {
	s.lock()
	defer s.unlock()
	for _, v := range vs {
		delete(s.items, v)
	}
}
