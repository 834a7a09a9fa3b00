package checkgoroutine

import "sync"

// Entry locks a helper inherits from its callers stop at a go statement:
// a function called only inside a goroutine that its caller starts does
// not run under the locks the caller's own callers hold.

type Pool struct {
	mu    sync.Mutex
	conns map[string]int // guarded by mu
}

func (p *Pool) Add(k string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[k] = 1
	p.spawn(k)
	p.spawnDirect(k)
	p.touch(k)
}

// spawn's only caller holds mu; the goroutine it starts does not.
func (p *Pool) spawn(k string) {
	go func() {
		p.evict(k)
	}()
}

// evict is called only inside the goroutine spawn starts.
func (p *Pool) evict(k string) {
	delete(p.conns, k) // want `conns is guarded by mu \(its comment says "guarded by mu" at line 11\); deleted from here without it \(RA1002\)`
}

// spawnDirect starts the helper itself as the goroutine.
func (p *Pool) spawnDirect(k string) {
	go p.drop(k)
}

func (p *Pool) drop(k string) {
	delete(p.conns, k) // want `conns is guarded by mu \(its comment says "guarded by mu" at line 11\); deleted from here without it \(RA1002\)`
}

// Negative: touch runs under Add's lock, and so does the helper it calls
// in place.
func (p *Pool) touch(k string) {
	p.bump(k)
}

func (p *Pool) bump(k string) {
	p.conns[k]++
}

// AddAsync starts the helper as a goroutine under mu; the goroutine runs
// without it.
func (p *Pool) AddAsync(k string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[k] = 2
	go p.dropAsync(k)
}

func (p *Pool) dropAsync(k string) {
	delete(p.conns, k) // want `conns is guarded by mu \(its comment says "guarded by mu" at line 11\); deleted from here without it \(RA1002\)`
}
