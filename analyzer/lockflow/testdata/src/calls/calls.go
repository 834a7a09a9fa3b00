// Package calls exercises lock flow through calls within a package.
package calls

import "sync"

type Registry struct {
	mu    sync.Mutex
	items map[string]int
	max   int
}

func (r *Registry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.items)
}

// lenSlow locks through Len.
func (r *Registry) lenSlow() int { return r.Len() }

// RA2003: Len locks r.mu again.
func (r *Registry) Full() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Len() >= r.max // want `calls r\.Len while holding r\.mu \(locked at line 23\), but Len locks r\.mu \(calls\.go:13\): this deadlocks \(RA2003\)`
}

// RA2003 through two calls.
func (r *Registry) Full2() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lenSlow() >= r.max // want `calls r\.lenSlow while holding r\.mu \(locked at line 30\), but lenSlow locks r\.mu through Len \(calls\.go:13\): this deadlocks \(RA2003\)`
}

// Good: another registry's lock.
func (r *Registry) Compare(o *Registry) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.items) > o.Len()
}

// Good: released before the call.
func (r *Registry) Check() bool {
	r.mu.Lock()
	m := r.max
	r.mu.Unlock()
	return r.Len() >= m
}

// lenLocked requires r.mu (by its name: the receiver's only mutex).
func (r *Registry) lenLocked() int { return len(r.items) }

// removeLocked removes name. r.mu must be held.
func (r *Registry) removeLocked(name string) { delete(r.items, name) }

// Good: Locked helpers called with the lock held.
func (r *Registry) Full3() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removeLocked("")
	return r.lenLocked() >= r.max
}

// RA2007: called without the lock.
func (r *Registry) Remove(name string) {
	r.removeLocked(name) // want `calls r\.removeLocked without holding r\.mu, which removeLocked requires \(its doc comment says "r\.mu must be held"\) \(RA2007\)`
}

func (r *Registry) Size() int {
	return r.lenLocked() // want `calls r\.lenLocked without holding r\.mu, which lenLocked requires \(its name says the caller holds the lock\) \(RA2007\)`
}

// Good: a Locked helper calling another.
func (r *Registry) clearLocked() {
	for k := range r.items {
		r.removeLocked(k)
	}
}

// Good: constructor.
func New() *Registry {
	r := &Registry{items: map[string]int{}}
	r.removeLocked("x")
	return r
}

// lock and unlock are wrappers.
func (r *Registry) lock()   { r.mu.Lock() }
func (r *Registry) unlock() { r.mu.Unlock() }

// Good: wrappers.
func (r *Registry) Touch() {
	r.lock()
	defer r.unlock()
	r.removeLocked("y")
}

// RA2003 through a wrapper.
func (r *Registry) Twice() {
	r.lock()
	defer r.unlock()
	r.lock() // want `calls r\.lock while holding r\.mu \(locked at line 100\), but lock locks r\.mu \(calls\.go:88\): this deadlocks \(RA2003\)`
}

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

func (c *Cache) Has(k string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.m[k]
	return ok
}

func (c *Cache) Put(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = 1
}

// RA2004: recursive read lock through a call.
func (c *Cache) Count(keys []string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := 0
	for _, k := range keys {
		if c.Has(k) { // want `calls c\.Has while holding the read lock of c\.mu \(read-locked at line 125\), but Has read-locks c\.mu again \(calls\.go:111\): recursive read locking deadlocks when a writer is waiting \(RA2004\)`
			n++
		}
	}
	return n
}

// RA2003: write lock under the read lock, through a call.
func (c *Cache) Fill(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.m[k]; !ok {
		c.Put(k) // want `calls c\.Put while holding c\.mu \(read-locked at line 138\), but Put locks c\.mu \(calls\.go:118\): this deadlocks \(RA2003\)`
	}
}

var (
	regMu sync.Mutex
	reg   = map[string]int{}
)

func Register(name string) {
	regMu.Lock()
	defer regMu.Unlock()
	reg[name] = 1
}

// RA2003 on a package-level mutex.
func RegisterAll(names []string) {
	regMu.Lock()
	defer regMu.Unlock()
	for _, n := range names {
		Register(n) // want `calls Register while holding regMu \(locked at line 158\), but Register locks regMu \(calls\.go:151\): this deadlocks \(RA2003\)`
	}
}

// Good: a goroutine started under the lock does not hold it.
func RegisterAsync(names []string) {
	regMu.Lock()
	defer regMu.Unlock()
	go Register("x")
	go func() { Register("y") }()
}

type Bus struct {
	mu       sync.Mutex
	handlers []func()
}

func (b *Bus) Subscribe(f func()) {
	b.mu.Lock()
	b.handlers = append(b.handlers, f)
	b.mu.Unlock()
}

func (b *Bus) Count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.handlers)
}

// watch registers with another bus a callback that locks b.mu later,
// not during the call.
func (b *Bus) watch(o *Bus) {
	o.Subscribe(func() { _ = b.Count() })
}

// Good: watch does not lock b.mu while it runs.
func (b *Bus) Link(o *Bus) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.watch(o)
}
