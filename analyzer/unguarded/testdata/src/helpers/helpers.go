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

type Cache struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (c *Cache) Set(k string, v int) {
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
}

// A literal bound to a local and only called runs where it is called.
func (c *Cache) Reset() {
	reset := func() {
		c.m = map[string]int{} // want `m is guarded by mu \(its comment says "guarded by mu" at line \d+\); written here without it \(RA1002\)`
	}
	reset()
}

func (c *Cache) SafeReset() {
	reset := func() { c.m = map[string]int{} }
	c.mu.Lock()
	reset()
	c.mu.Unlock()
}

// An "unlock" closure releases the lock where it is called.
func (c *Cache) Take(k string) int {
	c.mu.Lock()
	unlock := func() { c.mu.Unlock() }
	v, ok := c.m[k]
	if !ok {
		unlock()
		return 0
	}
	delete(c.m, k)
	unlock()
	return v + len(c.m) // want `m is guarded by mu \(its comment says "guarded by mu" at line \d+\); read \(len\) here without it \(RA1001\)`
}

// All returns an iterator: it runs later, in the caller, without the lock.
func (c *Cache) All() func(yield func(string, int) bool) {
	return func(yield func(string, int) bool) {
		for k, v := range c.m { // want `m is guarded by mu \(its comment says "guarded by mu" at line \d+\); ranged over here without it \(RA1001\)`
			if !yield(k, v) {
				return
			}
		}
	}
}

// SafeAll locks inside the iterator.
func (c *Cache) SafeAll() func(yield func(string, int) bool) {
	return func(yield func(string, int) bool) {
		c.mu.Lock()
		defer c.mu.Unlock()
		for k, v := range c.m {
			if !yield(k, v) {
				return
			}
		}
	}
}

type Journal struct {
	mu      sync.Mutex
	entries []string // guarded by mu
}

// A deferred closure runs at return, after the explicit Unlock.
func (j *Journal) Append(e string) {
	j.mu.Lock()
	defer func() {
		j.entries = append(j.entries, "done") // want `entries is guarded by mu \(its comment says "guarded by mu" at line \d+\); written here without it \(RA1002\)`
	}()
	j.entries = append(j.entries, e)
	j.mu.Unlock()
}

// Registered after the deferred Unlock, it runs before it: still locked.
func (j *Journal) AppendSafe(e string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	defer func() { j.entries = append(j.entries, "done") }()
	j.entries = append(j.entries, e)
}

// Registered before the deferred Unlock, it runs after it: unlocked.
func (j *Journal) AppendLate(e string) {
	defer func() {
		j.entries = j.entries[:0] // want `entries is guarded by mu \(its comment says "guarded by mu" at line \d+\); written here without it \(RA1002\)`
	}()
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, e)
}

// defer func(){ mu.Unlock() }() releases at exit.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer func() { j.mu.Unlock() }()
	return len(j.entries)
}
