package gaps

import "sync"

// GAP 12 (miss): a closure bound to a local and started with "go f()"
// while the lock is held runs without it (RA1005), but only literals
// written in the go statement are treated as goroutines.

type Jobs struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (j *Jobs) Put(k string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.m[k]++
}

func (j *Jobs) Spawn(k string) {
	f := func() {
		j.m[k]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 11\); written in a goroutine started at line 26 while mu was held, but the goroutine does not hold it \(RA1005\)`
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	go f()
}
