// Package idioms is correct registry code written the ways real code is
// (double-checked creation, copy under the lock then call out, sync.Cond
// wait loops, ServeMux-style registration, lock-returning helpers,
// background loops that lock), with a few bugs among them.
package idioms

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

type Entry struct{ hits atomic.Int64 }

// Cache creates entries on demand with a double-checked upgrade.
type Cache struct {
	mu sync.RWMutex
	m  map[string]int
	n  int
}

func (c *Cache) Get(k string) (int, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

func (c *Cache) GetOrCreate(k string) int {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[k]; ok {
		return v
	}
	c.n++
	c.m[k] = c.n
	return c.n
}

func (c *Cache) Range(f func(string, int) bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for k, v := range c.m {
		if !f(k, v) {
			return
		}
	}
}

func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.n
}

func (c *Cache) BadSize() int {
	return c.n // want `n is guarded by mu \(held at 4 of 5 accesses, e\.g\. lines 42, 43, 44\); read here without it \(RA1001\)`
}

// Bus copies its subscribers under the lock and calls them without it.
type Bus struct {
	mu   sync.Mutex
	subs []func(string)
	sent int
}

func (b *Bus) Subscribe(f func(string)) {
	b.mu.Lock()
	b.subs = append(b.subs, f)
	b.mu.Unlock()
}

func (b *Bus) Publish(msg string) {
	b.mu.Lock()
	subs := append(([]func(string))(nil), b.subs...)
	b.sent++
	b.mu.Unlock()
	for _, f := range subs {
		f(msg)
	}
}

func (b *Bus) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = nil
	b.sent = 0
}

// Queue waits on a sync.Cond tied to its mutex.
type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Put(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *Queue) Take() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func (q *Queue) BadPeekLen() int {
	return len(q.items) // want `items is guarded by mu \(held at 4 of 5 accesses, e\.g\. lines 112, 120, 123\); read \(len\) here without it \(RA1001\)`
}

// Mux registers patterns like net/http.ServeMux.
type muxEntry struct {
	h       func()
	pattern string
}

type Mux struct {
	mu    sync.RWMutex
	m     map[string]muxEntry
	es    []muxEntry // longest first
	hosts bool
}

func (mux *Mux) Handle(pattern string, h func()) {
	mux.mu.Lock()
	defer mux.mu.Unlock()
	if pattern == "" {
		panic("http: invalid pattern")
	}
	if _, exist := mux.m[pattern]; exist {
		panic("http: multiple registrations for " + pattern)
	}
	if mux.m == nil {
		mux.m = make(map[string]muxEntry)
	}
	e := muxEntry{h: h, pattern: pattern}
	mux.m[pattern] = e
	if pattern[len(pattern)-1] == '/' {
		mux.es = appendSorted(mux.es, e)
	}
	if pattern[0] != '/' {
		mux.hosts = true
	}
}

func appendSorted(es []muxEntry, e muxEntry) []muxEntry {
	es = append(es, e)
	sort.Slice(es, func(i, j int) bool { return len(es[i].pattern) > len(es[j].pattern) })
	return es
}

func (mux *Mux) match(path string) func() {
	if e, ok := mux.m[path]; ok {
		return e.h
	}
	for _, e := range mux.es {
		if strings.HasPrefix(path, e.pattern) {
			return e.h
		}
	}
	return nil
}

func (mux *Mux) Handler(host, path string) func() {
	mux.mu.RLock()
	defer mux.mu.RUnlock()
	if mux.hosts {
		if h := mux.match(host + path); h != nil {
			return h
		}
	}
	return mux.match(path)
}

func (mux *Mux) HasHosts() bool {
	mux.mu.RLock()
	defer mux.mu.RUnlock()
	return mux.hosts
}

func (mux *Mux) BadHasHosts() bool {
	return mux.hosts // want `hosts is guarded by mu \(held at 3 of 4 accesses, e\.g\. lines 163, 188, 199\); read here without it \(RA1001\)`
}

// Table locks through a helper that returns the unlock function, and
// has a background loop (started by its user) that locks.
type Table struct {
	mu   sync.Mutex
	rows map[string]int
	stop chan struct{}
}

func NewTable() *Table {
	return &Table{rows: map[string]int{}, stop: make(chan struct{})}
}

func (t *Table) lock() func() {
	t.mu.Lock()
	return t.mu.Unlock
}

func (t *Table) Set(k string, v int) {
	unlock := t.lock()
	defer unlock()
	t.rows[k] = v
}

func (t *Table) Get(k string) int {
	defer t.lock()()
	return t.rows[k]
}

func (t *Table) Run() {
	for {
		select {
		case <-t.stop:
			return
		default:
		}
		t.mu.Lock()
		clear(t.rows)
		t.mu.Unlock()
	}
}

func (t *Table) BadDelete(k string) {
	delete(t.rows, k) // want `rows is guarded by mu \(held at 3 of 4 accesses, e\.g\. lines 226, 231, 242\); deleted from here without it \(RA1002\)`
}
