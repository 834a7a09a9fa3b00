// Package registry is regaudit's example: a Go rendering of a reviewed TLS
// backend registry that mirrors the real code behind the reviewed registry:
// the duplicate check reads the collection before taking the lock, and the
// populate step checks its length under a different mutex.
package registry

import (
	"errors"
	"sort"
	"sync"
)

// Backend is a TLS implementation.
type Backend interface {
	Name() string
	Close() error
}

// BackendCollection is the registry of TLS backends.
type BackendCollection struct {
	mu       sync.Mutex
	backends []Backend
	loaded   bool

	populateMu sync.Mutex
	loader     func() []Backend
}

var (
	errNil       = errors.New("nil backend")
	errDuplicate = errors.New("backend already added")
)

// NewBackendCollection returns an empty collection.
func NewBackendCollection(loader func() []Backend) *BackendCollection {
	c := &BackendCollection{}
	c.loader = loader
	c.backends = make([]Backend, 0, 4)
	return c
}

// AddBackend registers b, rejecting nil and duplicates.
func (c *BackendCollection) AddBackend(b Backend) error {
	if b == nil {
		return errNil
	}
	for _, x := range c.backends {
		if x == b {
			return errDuplicate
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.backends = append(c.backends, b)
	return nil
}

// RemoveBackend unregisters b.
func (c *BackendCollection) RemoveBackend(b Backend) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.backends {
		if x == b {
			c.backends = append(c.backends[:i], c.backends[i+1:]...)
			return true
		}
	}
	return false
}

// tryPopulate loads the backends once, under populateMu, and checks the
// collection under its own mutex.
func (c *BackendCollection) tryPopulate() {
	c.populateMu.Lock()
	defer c.populateMu.Unlock()
	if len(c.backends) > 0 {
		return
	}
	loaded := c.loader()
	c.mu.Lock()
	c.backends = append(c.backends, loaded...)
	c.loaded = true
	c.mu.Unlock()
}

// BackendNames copies the names out under the lock.
func (c *BackendCollection) BackendNames() []string {
	c.tryPopulate()
	c.mu.Lock()
	names := make([]string, 0, len(c.backends))
	for _, b := range c.backends {
		names = append(names, b.Name())
	}
	c.mu.Unlock()
	sort.Strings(names)
	return names
}

// Backend looks a backend up by name.
func (c *BackendCollection) Backend(name string) Backend {
	c.tryPopulate()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range c.backends {
		if b.Name() == name {
			return b
		}
	}
	return nil
}

// Cleanup releases every backend and resets the collection.
func (c *BackendCollection) Cleanup() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range c.backends {
		b.Close()
	}
	c.backends = nil
	c.loaded = false
}
