package regressions

import (
	"guardlib"
	"sync"
)

// GAP 6 (false positive): a lock wrapper method promoted through an
// embedded struct (d.lock() where lock is Base's method) maps its
// "acquires $0.mu" summary onto d.mu instead of d.Base.mu, so the access
// is reported as made with the wrong lock held. Same across packages.

type Base struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (b *Base) lock()   { b.mu.Lock() }
func (b *Base) unlock() { b.mu.Unlock() }

type Derived struct {
	Base
}

func (d *Derived) Put(k string) {
	d.lock()
	defer d.unlock()
	d.m[k]++
}

type Local struct {
	guardlib.Table
}

func (l *Local) Put(k string) {
	l.Lock()
	defer l.Unlock()
	l.Rows[k]++
}

// The same mapping error for a withLock helper and for entry-lock
// inference of a helper reached through the embedding.

func (b *Base) withLock(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f()
}

func (b *Base) bump(k string) {
	b.m[k]++
}

func (d *Derived) Add(k string) {
	d.withLock(func() {
		d.m[k]++
	})
}

func (d *Derived) Bump(k string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bump(k)
}
