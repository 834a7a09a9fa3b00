// Package lockhelper provides helpers that lock, used from package usehelper.
package lockhelper

import "sync"

type Store struct {
	Mu   sync.Mutex
	data map[string]string
}

// Get locks s.Mu.
func (s *Store) Get(k string) string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.data[k]
}

// Lock is a lock wrapper.
func (s *Store) Lock() { s.Mu.Lock() }

// Unlock is an unlock wrapper.
func (s *Store) Unlock() { s.Mu.Unlock() }

// SetLocked sets k. The caller must hold s.Mu.
func (s *Store) SetLocked(k, v string) {
	s.data[k] = v
}

var mu sync.Mutex

var names []string

// Add locks the package mutex.
func Add(n string) {
	mu.Lock()
	names = append(names, n)
	mu.Unlock()
}

// WithLock calls fn under the package mutex.
func WithLock(fn func()) {
	mu.Lock()
	defer mu.Unlock()
	fn()
}
