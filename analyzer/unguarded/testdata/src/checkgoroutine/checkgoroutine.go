// Package checkgoroutine exercises RA1005, access in a goroutine started
// while the lock was held: the goroutine does not inherit the lock. A
// closure called in place does inherit it (silent), and a goroutine that
// takes the lock itself is correct (silent).
package checkgoroutine

import (
	"sync"
	"time"
)

type Registry struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

// Positive cases.

func (r *Registry) BadAsyncSet(k string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	go func() {
		r.m[k] = v // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); written in a goroutine started at line 22 while mu was held, but the goroutine does not hold it \(RA1005\)`
	}()
}

func (r *Registry) BadAsyncRead(k string, out chan<- int) {
	r.mu.Lock()
	go func() {
		out <- r.m[k] // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); read in a goroutine started at line 29 while mu was held, but the goroutine does not hold it \(RA1005\)`
	}()
	r.mu.Unlock()
}

func (r *Registry) BadAfterFunc(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	time.AfterFunc(time.Second, func() {
		delete(r.m, k) // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); deleted from in a goroutine started at line 38 while mu was held, but the goroutine does not hold it \(RA1005\)`
	})
}

func (r *Registry) BadWaitGroupGo(wg *sync.WaitGroup, k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	wg.Go(func() {
		r.m[k]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); written in a goroutine started at line 46 while mu was held, but the goroutine does not hold it \(RA1005\)`
	})
}

// A goroutine started without the lock that touches the map is a plain
// unguarded write.
func (r *Registry) BadGoNoLock(k string) {
	go func() {
		r.m[k] = 1 // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); written here without it \(RA1002\)`
	}()
}

// Negative cases.

// SetInPlace calls a closure in place: it runs under the caller's lock.
func (r *Registry) SetInPlace(k string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	func() {
		r.m[k] = v
	}()
}

// SetAsync starts a goroutine that takes the lock itself.
func (r *Registry) SetAsync(k string, v int) {
	go func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.m[k] = v
	}()
}

// SetAsyncUnderLock starts, while holding the lock, a goroutine that waits
// for the lock itself.
func (r *Registry) SetAsyncUnderLock(k string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m["pending"]++
	go func() {
		r.mu.Lock()
		r.m[k] = v
		r.mu.Unlock()
	}()
}

// Each ranges under the lock with a callback run in place.
func (r *Registry) Each(fn func(string, int)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	visit := func(k string) { fn(k, r.m[k]) }
	_ = visit
	for k, v := range r.m {
		fn(k, v)
	}
}

// A closure called in place inside a goroutine started under the lock
// runs in that goroutine: reported.
func (r *Registry) BadNested(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	go func() {
		func() {
			r.m[k] = 0 // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); written in a goroutine started at line 108 while mu was held, but the goroutine does not hold it \(RA1005\)`
		}()
	}()
}

// withLock runs f under the lock; a goroutine started inside f does not
// hold it.
func (r *Registry) withLock(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
}

func (r *Registry) BadGoInsideWithLock(k string) {
	r.withLock(func() {
		r.m[k] = 1
		go func() {
			delete(r.m, k) // want `m is guarded by mu \(its comment says "guarded by mu" at line 14\); deleted from in a goroutine started at line 126 while mu was held, but the goroutine does not hold it \(RA1005\)`
		}()
	})
}
