package regressions

import "sync"

// GAP 12 (miss): a closure bound to a local and started with "go f()"
// while the lock is held runs without it (RA1005), but only literals
// written in the go statement were treated as goroutines. A local assigned
// once from a function literal whose only use is one go statement is that
// goroutine's body: it is walked at the go statement, with the state there.

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
		j.m[k]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); written in a goroutine started at line 28 while mu was held, but the goroutine does not hold it \(RA1005\)`
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	go f()
}

// With arguments: the same.
func (j *Jobs) SpawnArg(k string) {
	f := func(key string) {
		_ = j.m[key] // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); read in a goroutine started at line 37 while mu was held, but the goroutine does not hold it \(RA1005\)`
	}
	j.mu.Lock()
	go f(k)
	j.mu.Unlock()
}

// The goroutine takes the lock itself: silent.
func (j *Jobs) SpawnLocking(k string) {
	f := func() {
		j.mu.Lock()
		j.m[k]++
		j.mu.Unlock()
	}
	j.mu.Lock()
	j.m[k] = 0
	j.mu.Unlock()
	go f()
}

// The goroutine is handed the lock and releases it: silent.
func (j *Jobs) SpawnHandOver(k string) {
	f := func() {
		j.m[k]++
		j.mu.Unlock()
	}
	j.mu.Lock()
	go f()
}

// The starter keeps the lock until the goroutine ended (lent): silent.
func (j *Jobs) SpawnJoined(k string) {
	var wg sync.WaitGroup
	f := func() {
		defer wg.Done()
		j.m[k]++
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	wg.Add(1)
	go f()
	wg.Wait()
}

// Started in a loop, the same literal races with itself: not lent, reported.
func (j *Jobs) SpawnJoinedLoop(keys []string) {
	var wg sync.WaitGroup
	f := func() {
		defer wg.Done()
		j.m["n"]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 13\); written in a goroutine started at line 89 while mu was held, but the goroutine does not hold it \(RA1005\)`
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for range keys {
		wg.Add(1)
		go f()
	}
	wg.Wait()
}
