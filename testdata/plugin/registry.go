// Package demo has known lock bugs for regaudit's output tests.
package demo

import (
	"errors"
	"sync"
)

type Backend interface{ Name() string }

var errDuplicate = errors.New("duplicate backend")

// Registry holds backends by name.
type Registry struct {
	mu       sync.Mutex
	backends map[string]Backend // guarded by mu
}

// Add reads the map before taking the lock.
func (r *Registry) Add(name string, b Backend) error {
	if _, dup := r.backends[name]; dup {
		return errDuplicate
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.backends[name] = b
	return nil
}

// Get is correct.
func (r *Registry) Get(name string) Backend {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.backends[name]
}

// Len reads without the lock, but the finding is silenced for golangci-lint.
func (r *Registry) Len() int {
	return len(r.backends) //nolint:regaudit // demo: golangci-lint must honour this
}

// Names reads without the lock, suppressed by regaudit's own comment.
func (r *Registry) Names() []string {
	var out []string
	//regaudit:ignore RA1001 demo: regaudit's own suppression covers the loop
	for name := range r.backends {
		out = append(out, name)
	}
	return out
}
