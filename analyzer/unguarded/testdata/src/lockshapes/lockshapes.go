// Package lockshapes exercises the shapes a lock takes: an embedded mutex
// (r.Lock()), a pointer mutex field, a nested c.inner.mu, different
// instances (a.mu and b.mu are different locks), lock and unlock wrapper
// methods, a withLock(func()) helper that calls its callback under the
// lock, and sync.Locker values.
package lockshapes

import "sync"

// Embedded: the struct embeds its mutex.
type Embedded struct {
	sync.Mutex
	m map[string]int // guarded by Mutex
}

func (e *Embedded) Put(k string, v int) {
	e.Lock()
	defer e.Unlock()
	e.m[k] = v
}

func (e *Embedded) Get(k string) int {
	e.Lock()
	v := e.m[k]
	e.Unlock()
	return v
}

func (e *Embedded) ViaField(k string) {
	e.Mutex.Lock()
	delete(e.m, k)
	e.Mutex.Unlock()
}

func (e *Embedded) BadLen() int {
	return len(e.m) // want `m is guarded by Mutex \(its comment says "guarded by Mutex" at line 13\); read \(len\) here without it \(RA1001\)`
}

// Pointer: the mutex is shared through a pointer field.
type Pointer struct {
	mu   *sync.Mutex
	hits map[string]int
}

func NewPointer(mu *sync.Mutex) *Pointer {
	return &Pointer{mu: mu, hits: map[string]int{}}
}

func (p *Pointer) Hit(k string) {
	p.mu.Lock()
	p.hits[k]++
	p.mu.Unlock()
}

func (p *Pointer) Hits(k string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[k]
}

func (p *Pointer) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.hits)
}

func (p *Pointer) BadHit(k string) {
	p.hits[k] = 0 // want `hits is guarded by mu \(held at 3 of 4 accesses, e\.g\. lines 51, 58, 64\); written here without it \(RA1002\)`
}

// Nested: the guard is a mutex of an inner struct value.
type inner struct {
	mu sync.Mutex
}

type Nested struct {
	inner inner
	names []string
}

func (n *Nested) Add(s string) {
	n.inner.mu.Lock()
	n.names = append(n.names, s)
	n.inner.mu.Unlock()
}

func (n *Nested) Names() []string {
	n.inner.mu.Lock()
	defer n.inner.mu.Unlock()
	return append([]string(nil), n.names...)
}

func (n *Nested) Clear() {
	n.inner.mu.Lock()
	defer n.inner.mu.Unlock()
	n.names = nil
}

func (n *Nested) BadCount() int {
	return len(n.names) // want `names is guarded by inner\.mu \(held at 3 of 4 accesses, e\.g\. lines 83, 90, 96\); read \(len\) here without it \(RA1001\)`
}

// Instances: a.mu and b.mu are different locks.
type Shard struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (s *Shard) Put(k string, v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
}

// Move holds a.mu only: its write to b.m is a gap (gaps/instances.go).
func Move(a, b *Shard, k string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	v := a.m[k]
	delete(a.m, k)
	_ = v
}

func MoveLocked(a, b *Shard, k string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[k] = a.m[k]
	delete(a.m, k)
}

// Wrappers: lock and unlock helper methods.
type Wrapped struct {
	mu sync.RWMutex
	m  map[string]int // guarded by mu
}

func (w *Wrapped) lock()    { w.mu.Lock() }
func (w *Wrapped) unlock()  { w.mu.Unlock() }
func (w *Wrapped) rlock()   { w.mu.RLock() }
func (w *Wrapped) runlock() { w.mu.RUnlock() }

func (w *Wrapped) Put(k string, v int) {
	w.lock()
	defer w.unlock()
	w.m[k] = v
}

func (w *Wrapped) Get(k string) int {
	w.rlock()
	defer w.runlock()
	return w.m[k]
}

func (w *Wrapped) BadAfterUnlock(k string) {
	w.lock()
	w.m[k]++
	w.unlock()
	delete(w.m, k) // want `m is guarded by mu \(its comment says "guarded by mu" at line 136\); deleted from here without it \(RA1002\)`
}

func (w *Wrapped) BadWriteUnderRLock(k string) {
	w.rlock()
	defer w.runlock()
	w.m[k] = 1 // want `m is guarded by mu \(its comment says "guarded by mu" at line 136\); written here with only the read lock held \(RLock at line 164\) \(RA1003\)`
}

// withLock calls its callback under the lock.
func (w *Wrapped) withLock(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f()
}

// without calls its callback without any lock.
func (w *Wrapped) without(f func()) {
	f()
}

func (w *Wrapped) Swap(a, b string) {
	w.withLock(func() {
		w.m[a], w.m[b] = w.m[b], w.m[a]
	})
}

func (w *Wrapped) BadWithout(k string) {
	w.without(func() {
		w.m[k] = 0 // want `m is guarded by mu \(its comment says "guarded by mu" at line 136\); written here without it \(RA1002\)`
	})
}

// Lockers: the guard is a sync.Locker value, and helpers take one.
type Lockered struct {
	l sync.Locker
	m map[string]int // guarded by l
}

func (x *Lockered) Put(k string, v int) {
	x.l.Lock()
	defer x.l.Unlock()
	x.m[k] = v
}

func (x *Lockered) BadGet(k string) int {
	return x.m[k] // want `m is guarded by l \(its comment says "guarded by l" at line 196\); read here without it \(RA1001\)`
}

// locked calls f holding l.
func locked(l sync.Locker, f func()) {
	l.Lock()
	defer l.Unlock()
	f()
}

func (s *Shard) Delete(k string) {
	locked(&s.mu, func() {
		delete(s.m, k)
	})
}

func (e *Embedded) Clear() {
	locked(e, func() {
		clear(e.m)
	})
}

func (x *Lockered) Reset() {
	locked(x.l, func() {
		x.m = map[string]int{}
	})
}

// Promoted: the mutex and the map come from an embedded struct.
type Base struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

type Derived struct {
	Base
	name string
}

func (d *Derived) Put(k string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.m[k]++
	d.Base.m[d.name]++
}

func (d *Derived) BadGet(k string) int {
	return d.m[k] // want `m is guarded by mu \(its comment says "guarded by mu" at line 237\); read here without it \(RA1001\)`
}

// A sync.Locker variable holding the guard's address is the guard.
func (s *Shard) Inc(k string) {
	var l sync.Locker = &s.mu
	l.Lock()
	s.m[k]++
	l.Unlock()
}

// So is a plain pointer to it.
func (s *Shard) Dec(k string) {
	mu := &s.mu
	mu.Lock()
	defer mu.Unlock()
	s.m[k]--
}

// Shards: the guard and the map are reached through a local pointer to an
// array element.
type shard struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

type Sharded struct {
	shards [16]shard
}

func (r *Sharded) Put(h int, k string) {
	s := &r.shards[h%16]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k]++
}

func (r *Sharded) BadGet(h int, k string) int {
	s := &r.shards[h%16]
	return s.m[k] // want `m is guarded by mu \(its comment says "guarded by mu" at line 276\); read here without it \(RA1001\)`
}
