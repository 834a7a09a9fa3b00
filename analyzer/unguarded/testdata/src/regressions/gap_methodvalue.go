package regressions

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// GAP 4 (miss): unexported methods used as function values (timer
// callbacks, HTTP handlers) were "reached only through function values",
// so their accesses were not judged at all. A method value handed to a
// goroutine starter (time.AfterFunc, context.AfterFunc, a function that
// starts its parameter with go, an HTTP handler registration) runs in a
// goroutine of its own holding nothing: it is judged as such.

type Sessions struct {
	mu   sync.Mutex
	live map[string]time.Time // guarded by mu
}

func (s *Sessions) Touch(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live[id] = time.Now()
}

func (s *Sessions) expire() {
	clear(s.live) // want `live is guarded by mu \(its comment says "guarded by mu" at line 19\); cleared here without it \(RA1002\)`
}

func (s *Sessions) handleCount(w http.ResponseWriter, r *http.Request) {
	_ = len(s.live) // want `live is guarded by mu \(its comment says "guarded by mu" at line 19\); read \(len\) here without it \(RA1001\)`
}

func (s *Sessions) Start(mux *http.ServeMux) {
	time.AfterFunc(time.Minute, s.expire)
	mux.HandleFunc("/count", s.handleCount)
}

// A helper called under the lock, and also handed to time.AfterFunc: the
// timer runs it without the lock (no entry lock is inferred from the
// direct call).

type Leases struct {
	mu     sync.Mutex
	leases map[string]int // guarded by mu
}

func (l *Leases) Grant(k string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.leases[k]++
	l.sweep()
}

func (l *Leases) sweep() {
	for k, n := range l.leases { // want `leases is guarded by mu \(its comment says "guarded by mu" at line 47\); ranged over here without it \(RA1001\)`
		if n == 0 {
			delete(l.leases, k) // want `leases is guarded by mu \(its comment says "guarded by mu" at line 47\); deleted from here without it \(RA1002\)`
		}
	}
}

func (l *Leases) Schedule() {
	time.AfterFunc(time.Second, l.sweep)
}

// A function that starts its parameter as a goroutine, and
// context.AfterFunc.

type ConnPool struct {
	mu    sync.Mutex
	conns map[string]int // guarded by mu
}

func spawnFn(f func()) { go f() }

func (p *ConnPool) Add(k string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[k]++
}

func (p *ConnPool) reap() {
	clear(p.conns) // want `conns is guarded by mu \(its comment says "guarded by mu" at line 74\); cleared here without it \(RA1002\)`
}

func (p *ConnPool) drop() {
	p.conns = nil // want `conns is guarded by mu \(its comment says "guarded by mu" at line 74\); written here without it \(RA1002\)`
}

func (p *ConnPool) Run(ctx context.Context) {
	spawnFn(p.reap)
	context.AfterFunc(ctx, p.drop)
}

// Negative controls.

type Timers struct {
	mu      sync.Mutex
	pending map[string]int // guarded by mu
	onEvict func()
	wg      sync.WaitGroup
}

func (t *Timers) Add(k string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pending[k]++
}

// The timer callback takes the lock itself.
func (t *Timers) fire() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.pending)
}

// Stored in a field as well: called later from unknown places, with
// unknown locks.
func (t *Timers) evict() {
	clear(t.pending)
}

// Passed to a helper that calls it under the lock.
func (t *Timers) bump() {
	t.pending["bump"]++
}

func (t *Timers) with(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f()
}

// Started with wg.Go under the lock, and waited for before the unlock.
func (t *Timers) count() {
	_ = len(t.pending)
}

// Handed to time.AfterFunc by a closure stored for later.
func (t *Timers) late() {
	clear(t.pending)
}

func (t *Timers) Start() {
	time.AfterFunc(time.Second, t.fire)
	time.AfterFunc(time.Second, t.evict)
	t.onEvict = t.evict
	t.with(t.bump)
	t.mu.Lock()
	t.wg.Go(t.count)
	t.wg.Wait()
	t.mu.Unlock()
	t.onEvict = func() { time.AfterFunc(time.Second, t.late) }
}
