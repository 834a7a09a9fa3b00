// Package exclusions exercises the code that is not concurrent use of
// guarded state and must stay silent: constructors, init, sync.Once and
// sync.OnceFunc bodies, *Locked helpers, functions documented as called
// with the lock held, unexported helpers called only with the lock held
// (inferred from every call site), test files, self-synchronizing fields
// (sync.Map, atomic.Int64, sync/atomic calls, channels), read-only config,
// tables filled in init, and values owned by one goroutine. Beside them,
// the same guards are reported where the code really is unguarded.
package exclusions

import (
	"sync"
	"sync/atomic"
)

type Registry struct {
	mu   sync.Mutex
	m    map[string]int // guarded by mu
	once sync.Once
	load func()
}

// Constructors: the value is not shared yet.

func NewRegistry() *Registry {
	r := &Registry{}
	r.m = map[string]int{}
	r.m["default"] = 0
	r.load = sync.OnceFunc(func() {
		r.m["loaded"] = 1 // sync.OnceFunc body
	})
	return r
}

func NewWithNew() *Registry {
	r := new(Registry)
	r.m = make(map[string]int)
	return r
}

func MakeValue() Registry {
	var r Registry
	r.m = map[string]int{"a": 1}
	delete(r.m, "a")
	return r
}

// sync.Once body.
func (r *Registry) Defaults() {
	r.once.Do(func() {
		r.m["x"] = 1
		r.m["y"] = 2
	})
}

// *Locked helpers.

func (r *Registry) putLocked(k string, v int) {
	r.m[k] = v
}

func (r *Registry) RemoveLocked(k string) {
	delete(r.m, k)
}

// Doc comments saying the lock is held.

// resetAll clears the registry. r.mu must be held.
func (r *Registry) resetAll() {
	clear(r.m)
}

// Keys returns the keys. The caller must hold mu.
func (r *Registry) Keys() []string {
	var keys []string
	for k := range r.m {
		keys = append(keys, k)
	}
	return keys
}

// flush is called with r.mu held.
func (r *Registry) flush() {
	r.m = map[string]int{}
}

// Unexported helpers called only with the lock held.

func (r *Registry) bump(k string) {
	r.m[k]++
}

func (r *Registry) Hit(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bump(k)
}

func (r *Registry) HitTwice(k string) {
	r.mu.Lock()
	r.bump(k)
	r.bump(k)
	r.mu.Unlock()
}

func (r *Registry) Put(k string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.putLocked(k, v)
	r.RemoveLocked("old")
	r.resetAll()
	r.flush()
}

// drop holds no lock itself. Drop takes the lock around it, DropFast does
// not: the helper is not always locked by its callers, and its access is
// reported.
func (r *Registry) drop(k string) {
	delete(r.m, k) // want `m is guarded by mu \(its comment says "guarded by mu" at line 18\); deleted from here without it \(RA1002\)`
}

func (r *Registry) Drop(k string) {
	r.mu.Lock()
	r.drop(k)
	r.mu.Unlock()
}

func (r *Registry) DropFast(k string) {
	r.drop(k)
}

// BadPeek is ordinary concurrent code.
func (r *Registry) BadPeek(k string) int {
	return r.m[k] // want `m is guarded by mu \(its comment says "guarded by mu" at line 18\); read here without it \(RA1001\)`
}

// Self-synchronizing fields, read-only config and goroutine-owned state
// beside an inferred guard.
type Server struct {
	mu      sync.Mutex
	conns   map[int]string
	cache   sync.Map
	served  atomic.Int64
	bytes   int64 // updated with sync/atomic
	done    chan struct{}
	name    string // config: set by NewServer, read-only after
	scratch []byte // owned by the serve loop
}

func NewServer(name string) *Server {
	s := &Server{conns: map[int]string{}, done: make(chan struct{})}
	s.name = name
	return s
}

func (s *Server) Open(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[id] = s.name
	s.served.Add(1)
	atomic.AddInt64(&s.bytes, 1)
	s.cache.Store(id, s.name)
	select {
	case <-s.done:
	default:
	}
}

func (s *Server) Close(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, id)
	s.served.Add(-1)
	atomic.AddInt64(&s.bytes, -1)
	s.cache.Delete(id)
	_ = s.name
	if s.done == nil {
		return
	}
}

func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.conns)
	s.served.Store(0)
	atomic.StoreInt64(&s.bytes, 0)
	s.cache.Clear()
	close(s.done)
	_ = s.name + "stopped"
}

func (s *Server) BadCount() int {
	return len(s.conns) // want `conns is guarded by mu \(held at 3 of 4 accesses, e\.g\. lines 159, 172, 185\); read \(len\) here without it \(RA1001\)`
}

// Silent: the accesses without the lock are all safe.
func (s *Server) Stats(id int) (string, int64, int64, bool) {
	_, cached := s.cache.Load(id)
	<-s.done
	return s.name, s.served.Load(), atomic.LoadInt64(&s.bytes), cached
}

// serve owns scratch: no other goroutine touches it and it is never locked.
func (s *Server) serve(in <-chan []byte) {
	for b := range in {
		s.scratch = append(s.scratch[:0], b...)
		if len(s.scratch) == 0 {
			return
		}
	}
}

func (s *Server) Start(in <-chan []byte) {
	go s.serve(in)
}

// Tables filled in init and only read after.
var (
	tablesMu  sync.Mutex
	codes     = map[string]int{}
	overrides = map[string]int{} // guarded by tablesMu
)

func init() {
	codes["ok"] = 200
	codes["missing"] = 404
	overrides["teapot"] = 418
}

func Code(name string) int {
	return codes[name]
}

func SetOverride(name string, code int) {
	tablesMu.Lock()
	defer tablesMu.Unlock()
	overrides[name] = code + codes["ok"]
}

func Override(name string) int {
	tablesMu.Lock()
	defer tablesMu.Unlock()
	if c, ok := overrides[name]; ok {
		return c
	}
	return codes[name]
}

func ClearOverrides() {
	tablesMu.Lock()
	clear(overrides)
	_ = codes["missing"]
	tablesMu.Unlock()
}

func BadOverride(name string) int {
	return overrides[name] // want `overrides is guarded by tablesMu \(its comment says "guarded by tablesMu" at line 222\); read here without it \(RA1001\)`
}

// A plain function taking the registry, called only under its lock.
func bumpAll(r *Registry) {
	for k := range r.m {
		r.m[k]++
	}
}

func (r *Registry) BumpAll() {
	r.mu.Lock()
	bumpAll(r)
	r.mu.Unlock()
}

// A helper called under the lock, and also started with go: the goroutine
// does not hold the lock, so the helper's access is reported.

type Cache struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

func (c *Cache) refresh() {
	c.m["gen"]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 279\); written here without it \(RA1002\)`
}

func (c *Cache) Update() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refresh()
}

func (c *Cache) Kick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	go c.refresh()
}

// A method value passed to sync.Once.Do is a sync.Once body.

type Config struct {
	mu   sync.Mutex
	once sync.Once
	m    map[string]string // guarded by mu
}

func (c *Config) loadDefaults() {
	c.m = map[string]string{"a": "1"}
}

func (c *Config) Get(k string) string {
	c.once.Do(c.loadDefaults)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

// A recursive helper called only under the lock inherits it.

type Tree struct {
	mu    sync.Mutex
	nodes map[int][]int // guarded by mu
	seen  map[int]bool  // guarded by mu
}

func (t *Tree) walk(n int) {
	if t.seen[n] {
		return
	}
	t.seen[n] = true
	for _, c := range t.nodes[n] {
		t.walk(c)
	}
}

func (t *Tree) Walk(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.seen)
	t.walk(n)
}

// The same recursive helper shape, also called once without the lock.

type Graph struct {
	mu    sync.Mutex
	edges map[int][]int // guarded by mu
}

func (g *Graph) visit(n int, seen map[int]bool) {
	if seen[n] {
		return
	}
	seen[n] = true
	for _, c := range g.edges[n] { // want `edges is guarded by mu \(its comment says "guarded by mu" at line 346\); read here without it \(RA1001\)`
		g.visit(c, seen)
	}
}

func (g *Graph) Visit(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.visit(n, map[int]bool{})
}

func (g *Graph) VisitFast(n int) {
	g.visit(n, map[int]bool{})
}

// An access the author explains as needing no lock is not reported.

type Collector struct {
	mu   sync.Mutex
	wg   sync.WaitGroup
	seen map[string]bool // guarded by mu
}

func (c *Collector) Add(k string) {
	c.wg.Go(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.seen[k] = true
	})
}

func (c *Collector) Result() int {
	c.wg.Wait()
	// No need to lock: every writer has exited.
	return len(c.seen)
}
