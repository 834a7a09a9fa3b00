// Package releasedentry tests RA3003 on removals of an entry that a test
// just above shows released (client-go NewInformerName deletes a name
// whose reserved flag, which Release clears, is false).
package releasedentry

import (
	"errors"
	"sync"
	"sync/atomic"
)

// Name is a reserved name.
type Name struct {
	name     string
	reserved atomic.Bool
	closed   bool
}

// Release frees the name for reuse.
func (n *Name) Release() {
	n.reserved.Store(false)
	n.closed = true
}

// Names reserves names; a released name stays until it is reserved again.
type Names struct {
	mu    sync.Mutex
	names map[string]*Name
}

// Reserve reserves name, reusing a released entry's name.
func (r *Names) Reserve(name string) (*Name, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if existing, ok := r.names[name]; ok {
		if existing.reserved.Load() {
			return nil, errors.New("name already reserved")
		}
		delete(r.names, name)
	}
	n := &Name{name: name}
	n.reserved.Store(true)
	r.names[name] = n
	return n, nil
}

// Reopen replaces a closed entry.
func (r *Names) Reopen(name string) (*Name, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	existing := r.names[name]
	if existing != nil && !existing.closed {
		return nil, errors.New("still open")
	}
	delete(r.names, name)
	n := &Name{name: name}
	r.names[name] = n
	return n, nil
}

// Steal takes a name that is still reserved: the test shows the entry is
// not released.
func (r *Names) Steal(name string) (*Name, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if existing, ok := r.names[name]; ok {
		if !existing.reserved.Load() {
			return nil, errors.New("name released")
		}
		delete(r.names, name) // want `Steal removes an entry of names without releasing it or returning it, but Names owns the entries: its cleanup ResetForTesting releases them \(line \d+\) \(RA3003\)`
	}
	n := &Name{name: name}
	n.reserved.Store(true)
	r.names[name] = n
	return n, nil
}

// Replace tests the entry only to log it: the removal is not under the
// test.
func (r *Names) Replace(name string) *Name {
	r.mu.Lock()
	defer r.mu.Unlock()
	if existing, ok := r.names[name]; ok {
		if existing.reserved.Load() {
			println("replacing", name)
		}
		delete(r.names, name) // want `Replace removes an entry of names without releasing it or returning it, but Names owns the entries: its cleanup ResetForTesting releases them \(line \d+\) \(RA3003\)`
	}
	n := &Name{name: name}
	r.names[name] = n
	return n
}

// ResetForTesting releases every name.
func (r *Names) ResetForTesting() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.names {
		n.Release()
	}
	r.names = map[string]*Name{}
}
