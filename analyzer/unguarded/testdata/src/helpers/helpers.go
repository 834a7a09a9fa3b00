// Package helpers exercises lock summaries of helper functions: callbacks
// run synchronously or as goroutines, helpers that lock on success, mutex
// address aliases, and setup helpers on unshared values.
package helpers

import (
	"errors"
	"sync"
)

type Notifier struct {
	mu   sync.Mutex
	subs map[string]int // guarded by mu
}

// async starts f as a goroutine: f does not hold the caller's locks.
func (n *Notifier) async(f func()) { go f() }

// withLock runs f under the lock.
func (n *Notifier) withLock(f func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	f()
}

func (n *Notifier) Subscribe(k string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.subs[k]++
	n.async(func() {
		delete(n.subs, "stale") // want `subs is guarded by mu \(its comment says "guarded by mu" at line 13\); deleted from in a goroutine started at line 30 while mu was held, but the goroutine does not hold it \(RA1005\)`
	})
}

func (n *Notifier) Unsubscribe(k string) {
	n.withLock(func() {
		delete(n.subs, k) // silent: withLock holds mu while calling back
	})
}

func (n *Notifier) Count() int {
	mu := &n.mu // an alias of the mutex
	mu.Lock()
	defer mu.Unlock()
	return len(n.subs)
}

var errClosed = errors.New("closed")

type Store struct {
	mu     sync.Mutex
	closed bool           // guarded by mu
	m      map[string]int // guarded by mu
}

// lockOpen returns nil with s.mu held, or errClosed with it released.
func (s *Store) lockOpen() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errClosed
	}
	return nil
}

func (s *Store) Put(k string, v int) error {
	if err := s.lockOpen(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.m[k] = v
	return nil
}

func (s *Store) Get(k string) (int, error) {
	err := s.lockOpen()
	if err != nil {
		s.m[k] = 0 // want `m is guarded by mu \(its comment says "guarded by mu" at line 53\); written here without it \(RA1002\)`
		return 0, err
	}
	defer s.mu.Unlock()
	return s.m[k], nil
}

func (s *Store) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}

type Pool struct {
	mu    sync.Mutex
	items []int // guarded by mu
}

func NewPool() *Pool {
	p := &Pool{}
	p.setup() // p is not shared yet: setup is construction
	return p
}

func (p *Pool) setup() { p.items = make([]int, 0, 8) }

func (p *Pool) Put(v int) {
	p.mu.Lock()
	p.items = append(p.items, v)
	p.mu.Unlock()
}
