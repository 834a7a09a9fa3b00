// Package lockflow exercises the lock-state engine's control flow: defer,
// deferred closures, early returns, branches that unlock on one path,
// conditional locking, loops, panics and TryLock.
package lockflow

import (
	"errors"
	"sync"
)

type Registry struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

var errMissing = errors.New("missing")

// Negative cases.

func (r *Registry) Deferred(k string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[k]
}

func (r *Registry) DeferredClosure(k string, v int) {
	r.mu.Lock()
	defer func() {
		r.m["writes"]++ // the deferred closure runs before the unlock
		r.mu.Unlock()
	}()
	r.m[k] = v
}

func (r *Registry) EarlyReturn(k string) (int, error) {
	r.mu.Lock()
	v, ok := r.m[k]
	if !ok {
		r.mu.Unlock()
		return 0, errMissing
	}
	r.m[k] = v + 1
	r.mu.Unlock()
	return v, nil
}

func (r *Registry) UnlockBothBranches(k string) int {
	r.mu.Lock()
	if k == "" {
		n := len(r.m)
		r.mu.Unlock()
		return n
	} else {
		r.m[k]++
		r.mu.Unlock()
	}
	return 0
}

func (r *Registry) LockInLoop(keys []string) {
	for _, k := range keys {
		r.mu.Lock()
		r.m[k]++
		r.mu.Unlock()
	}
}

func (r *Registry) LoopUnderLock(keys []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := 0; i < len(keys); i++ {
		if keys[i] == "" {
			continue
		}
		if r.m[keys[i]] > 10 {
			break
		}
		delete(r.m, keys[i])
	}
}

func (r *Registry) Panics(k string, v int) {
	if k == "" {
		panic("empty key")
	}
	r.mu.Lock()
	if v < 0 {
		r.mu.Unlock()
		panic("negative")
	}
	r.m[k] = v
	r.mu.Unlock()
}

func (r *Registry) PanicUnderDefer(k string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.m[k]
	if !ok {
		panic(k)
	}
	return v
}

func (r *Registry) TryLock(k string) bool {
	if r.mu.TryLock() {
		r.m[k]++
		r.mu.Unlock()
		return true
	}
	return false
}

func (r *Registry) TryLockReturn(k string) {
	if !r.mu.TryLock() {
		return
	}
	defer r.mu.Unlock()
	r.m[k]++
}

func (r *Registry) TryLockVar(k string) {
	ok := r.mu.TryLock()
	if !ok {
		return
	}
	r.m[k] = 0
	r.mu.Unlock()
}

func (r *Registry) Switch(k string, op int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch op {
	case 0:
		delete(r.m, k)
	case 1:
		r.m[k] = 1
	default:
		r.m[k]++
	}
}

func (r *Registry) Relock(k string) {
	r.mu.Lock()
	v := r.m[k]
	r.mu.Unlock()
	v *= 2
	r.mu.Lock()
	r.m[k] = v
	r.mu.Unlock()
}

// Positive cases.

func (r *Registry) BadUnlockOnOnePath(k string, v int) {
	r.mu.Lock()
	if v == 0 {
		r.mu.Unlock()
	}
	r.m[k] = v // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); written here where mu is held on some paths only \(RA1002\)`
	if v != 0 {
		r.mu.Unlock()
	}
}

func (r *Registry) BadConditionalLock(k string, locked bool) int {
	if !locked {
		r.mu.Lock()
		defer r.mu.Unlock()
	}
	return r.m[k] // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); read here where mu is held on some paths only \(RA1001\)`
}

func (r *Registry) BadLoopUnlocks(keys []string) {
	r.mu.Lock()
	for _, k := range keys {
		r.m[k]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); written here where mu is held on some paths only \(RA1002\)`
		r.mu.Unlock()
	}
}

func (r *Registry) BadAfterEarlyUnlock(k string) int {
	r.mu.Lock()
	v, ok := r.m[k]
	r.mu.Unlock()
	if !ok {
		return 0
	}
	delete(r.m, k) // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); deleted from here without it \(RA1002\)`
	return v
}

func (r *Registry) BadTryLockFailure(k string) {
	if !r.mu.TryLock() {
		r.m[k] = -1 // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); written here without it \(RA1002\)`
		return
	}
	r.m[k] = 1
	r.mu.Unlock()
}

func (r *Registry) BadTryLockIgnored(k string) {
	r.mu.TryLock()
	r.m[k] = 1 // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); written here without it \(RA1002\)`
	r.mu.Unlock()
}

func (r *Registry) BadSwitchUnlock(k string, op int) {
	r.mu.Lock()
	switch op {
	case 0:
		r.mu.Unlock()
	default:
		defer r.mu.Unlock()
	}
	r.m[k] = op // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); written here where mu is held on some paths only \(RA1002\)`
}

func (r *Registry) BadDeferredClosureAfterUnlock(k string) {
	r.mu.Lock()
	r.m[k] = 1
	r.mu.Unlock()
	defer func() {
		delete(r.m, k) // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); deleted from here without it \(RA1002\)`
	}()
}

// More negative cases.

func (r *Registry) TryLockSpin(k string) {
	for !r.mu.TryLock() {
	}
	r.m[k]++
	r.mu.Unlock()
}

func (r *Registry) TryLockInit(k string) {
	if ok := r.mu.TryLock(); ok {
		defer r.mu.Unlock()
		r.m[k]++
	}
}

func (r *Registry) Select(k string, stop <-chan struct{}, vals <-chan int) {
	for {
		select {
		case <-stop:
			return
		case v := <-vals:
			r.mu.Lock()
			r.m[k] = v
			r.mu.Unlock()
		}
	}
}

func (r *Registry) ClosurePerIteration(keys []string) {
	for _, k := range keys {
		func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.m[k]++
		}()
	}
}

func (r *Registry) DeferredLockingClosure(k string) {
	defer func() {
		r.mu.Lock()
		r.m[k]--
		r.mu.Unlock()
	}()
	r.mu.Lock()
	r.m[k]++
	r.mu.Unlock()
}

func (r *Registry) LabeledLoops(rows [][]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
outer:
	for _, row := range rows {
		for _, k := range row {
			if k == "" {
				continue outer
			}
			if r.m[k] < 0 {
				break outer
			}
			r.m[k]++
		}
	}
}

func (r *Registry) GotoRetry(k string) {
	n := 0
retry:
	r.mu.Lock()
	if _, ok := r.m[k]; !ok && n < 3 {
		r.mu.Unlock()
		n++
		goto retry
	}
	r.m[k]++
	r.mu.Unlock()
}
