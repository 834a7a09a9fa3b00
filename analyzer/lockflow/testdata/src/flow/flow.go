// Package flow exercises the lock-flow checks within one function.
package flow

import (
	"errors"
	"sync"
)

type Registry struct {
	mu    sync.Mutex
	items map[string]int
	n     int
}

var errDup = errors.New("dup")

// RA2001: an early return leaves mu locked.
func (r *Registry) AddLeak(name string) error {
	r.mu.Lock()
	if _, dup := r.items[name]; dup {
		return errDup // want `r\.mu is locked at line 19 and not released on this return path \(RA2001\)`
	}
	r.items[name] = 1
	r.mu.Unlock()
	return nil
}

// RA2001: locked on one branch only, never released.
func (r *Registry) MaybeLeak(b bool) {
	if b {
		r.mu.Lock()
	}
	r.n++
} // want `r\.mu is locked at line 31 on some paths and not released at the end of the function \(RA2001\)`

// RA2001: the defer is registered after the early return.
func (r *Registry) LateDefer(name string) error {
	r.mu.Lock()
	if name == "" {
		return errDup // want `r\.mu is locked at line 38 and not released on this return path`
	}
	defer r.mu.Unlock()
	r.items[name] = 1
	return nil
}

// Good: defer right after Lock.
func (r *Registry) Add(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.items[name]; dup {
		return errDup
	}
	r.items[name] = 1
	return nil
}

// Good: deferred closure.
func (r *Registry) AddClosure(name string) {
	r.mu.Lock()
	defer func() {
		r.mu.Unlock()
	}()
	r.items[name] = 1
}

// Good: symmetric branches.
func (r *Registry) Branches(b bool) int {
	if b {
		r.mu.Lock()
		n := r.n
		r.mu.Unlock()
		return n
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n + 1
}

// Good: one lock per loop iteration.
func (r *Registry) Loop(names []string) {
	for _, n := range names {
		r.mu.Lock()
		if _, ok := r.items[n]; ok {
			r.mu.Unlock()
			continue
		}
		r.items[n] = 1
		r.mu.Unlock()
	}
}

// Good: TryLock holds only where it succeeded.
func (r *Registry) Try() bool {
	if !r.mu.TryLock() {
		return false
	}
	defer r.mu.Unlock()
	r.n++
	return true
}

// Good: TryLock through a variable.
func (r *Registry) Try2() {
	ok := r.mu.TryLock()
	if !ok {
		return
	}
	r.n++
	r.mu.Unlock()
}

// Good: Unlock and Lock around a blocking call in a deferred-unlock region
// (net/http Server.Close style).
func (r *Registry) Close(wait func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n = 0
	r.mu.Unlock()
	wait()
	r.mu.Lock()
	r.items = nil
}

// lock is a lock wrapper: it returns holding the lock, on purpose.
func (r *Registry) lock() { r.mu.Lock() }

func (r *Registry) unlock() { r.mu.Unlock() }

// Good: wrapper callers.
func (r *Registry) UseWrappers() {
	r.lock()
	defer r.unlock()
	r.n++
}

// Good: the lock is released by a callee whose summary says so.
func (r *Registry) HandOff() {
	r.mu.Lock()
	r.n++
	r.finishAndUnlock()
}

func (r *Registry) finishAndUnlock() {
	r.n--
	r.mu.Unlock()
}

// Good: the lock is released by a returned closure.
func (r *Registry) Acquire() func() {
	r.mu.Lock()
	if r.n > 0 {
		return func() {}
	}
	return func() { r.mu.Unlock() }
}

// Good: released under the same flag that took it.
func (r *Registry) Flag(b bool) {
	locked := false
	if b {
		r.mu.Lock()
		locked = true
	}
	r.n++
	if locked {
		r.mu.Unlock()
	}
}

// Good: a goroutine releases it.
func (r *Registry) Async() {
	r.mu.Lock()
	go func() {
		defer r.mu.Unlock()
		r.n++
	}()
}

// RA2002: double lock.
func (r *Registry) Double() {
	r.mu.Lock()
	r.n++
	r.mu.Lock() // want `r\.mu is locked again while already held \(locked at line 182\): sync mutexes are not reentrant, this deadlocks \(RA2002\)`
	r.mu.Unlock()
}

// RA2002: defer in a loop that locks on every iteration.
func (r *Registry) DeferLoop(names []string) {
	for _, n := range names {
		r.mu.Lock()
		defer r.mu.Unlock() // want `deferred r\.mu\.Unlock inside a loop runs only when the function returns: the Lock at line 191 deadlocks on the next iteration \(RA2002\)`
		r.items[n] = 1
	}
}

// Good: a closure per iteration.
func (r *Registry) ClosureLoop(names []string) {
	for _, n := range names {
		func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.items[n] = 1
		}()
	}
}

type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

// RA2008: recursive read lock.
func (c *Cache) Get2(a, b string) int {
	c.mu.RLock()
	x := c.m[a]
	c.mu.RLock() // want `c\.mu is read-locked again while its read lock is held \(read-locked at line 215\): recursive read locking deadlocks when a writer is waiting \(RA2008\)`
	y := c.m[b]
	c.mu.RUnlock()
	c.mu.RUnlock()
	return x + y
}

// RA2002: upgrade attempt.
func (c *Cache) Upgrade(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.m[k]; !ok {
		c.mu.Lock() // want `c\.mu\.Lock while c\.mu is read-locked \(read-locked at line 226\) deadlocks: release the read lock first \(RA2002\)`
		c.m[k] = 1
		c.mu.Unlock()
	}
}

// Good: RUnlock then Lock.
func (c *Cache) Upgrade2(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		c.mu.Lock()
		c.m[k] = 1
		c.mu.Unlock()
	}
}

// RA2005: double unlock.
func (r *Registry) DoubleUnlock() {
	r.mu.Lock()
	n := r.n
	r.mu.Unlock()
	if n == 0 {
		r.mu.Unlock() // want `r\.mu\.Unlock: r\.mu is not held here, it was already released at line 251 \(fatal error: unlock of unlocked mutex\) \(RA2005\)`
	}
}

// RA2005: explicit unlock under a deferred unlock.
func (r *Registry) DeferAndUnlock() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	r.mu.Unlock() // want `r\.mu is unlocked here and again by the deferred r\.mu\.Unlock at line 260 when the function returns`
}

// RA2005: wrong mode.
func (c *Cache) WrongMode() {
	c.mu.RLock()
	_ = c.m["a"]
	c.mu.Unlock() // want `c\.mu\.Unlock: c\.mu is read-locked \(read-locked at line 267\); release it with RUnlock \(RA2005\)`
}

// Good: unlock wrapper (the caller holds the lock).
func (r *Registry) release() {
	r.n = 0
	r.mu.Unlock()
}

// Good: unlock, then lock again for the caller (cond-wait style).
func (r *Registry) waitLocked(wait func()) {
	r.mu.Unlock()
	wait()
	r.mu.Lock()
}

func (r *Registry) Waiter(wait func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.n == 0 {
		r.waitLocked(wait)
	}
}

// RA2005: unlock of a local mutex that was never locked.
func LocalUnlock() {
	var mu sync.Mutex
	mu.Unlock() // want `mu\.Unlock: mu is a mutex of this function and is not locked here \(fatal error: unlock of unlocked mutex\) \(RA2005\)`
}

// Good: a local mutex locked by a goroutine and released here.
func LocalHandOff(done chan bool) {
	var mu sync.Mutex
	go func() {
		mu.Lock()
		done <- true
	}()
	<-done
	mu.Unlock()
}
