// Package checkrlock exercises RA1003, write while only the read lock is
// held: assignment, ++, map insert and delete, slice element store, append
// and clear under RLock are reported; reads under RLock and writes under
// Lock stay silent.
package checkrlock

import (
	"bytes"
	"container/list"
	"sort"
	"sync"
)

type Cache struct {
	mu   sync.RWMutex
	m    map[string]int // guarded by mu
	s    []int          // guarded by mu
	hits int            // guarded by mu
}

// Positive cases.

func (c *Cache) BadAssign() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.hits = 0 // want `hits is guarded by mu \(its comment says "guarded by mu" at line 18\); written here with only the read lock held \(RLock at line 24\) \(RA1003\)`
}

func (c *Cache) BadInc(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.hits++ // want `hits is guarded by mu \(its comment says "guarded by mu" at line 18\); written here with only the read lock held \(RLock at line 30\) \(RA1003\)`
	return c.m[k]
}

func (c *Cache) BadMapInsert(k string) {
	c.mu.RLock()
	if _, ok := c.m[k]; !ok {
		c.m[k] = 0 // want `m is guarded by mu \(its comment says "guarded by mu" at line 16\); written here with only the read lock held \(RLock at line 37\) \(RA1003\)`
	}
	c.mu.RUnlock()
}

func (c *Cache) BadMapCounter(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.m[k]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 16\); written here with only the read lock held \(RLock at line 45\) \(RA1003\)`
}

func (c *Cache) BadDelete(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	delete(c.m, k) // want `m is guarded by mu \(its comment says "guarded by mu" at line 16\); deleted from here with only the read lock held \(RLock at line 51\) \(RA1003\)`
}

func (c *Cache) BadElementStore(i, v int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.s[i] = v // want `s is guarded by mu \(its comment says "guarded by mu" at line 17\); written here with only the read lock held \(RLock at line 57\) \(RA1003\)`
}

func (c *Cache) BadAppend(v int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.s = append(c.s, v) // want `s is guarded by mu \(its comment says "guarded by mu" at line 17\); written here with only the read lock held \(RLock at line 63\) \(RA1003\)`
}

func (c *Cache) BadClear() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	clear(c.m) // want `m is guarded by mu \(its comment says "guarded by mu" at line 16\); cleared here with only the read lock held \(RLock at line 69\) \(RA1003\)`
}

// Negative cases.

func (c *Cache) Get(k string) (int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *Cache) Snapshot() []int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]int, len(c.s))
	copy(out, c.s) // copying out of the guarded slice reads it
	return out
}

func (c *Cache) Put(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = v
	c.s = append(c.s, v)
	c.hits++
}

// Upgrade checks under the read lock and writes under the write lock.
func (c *Cache) Upgrade(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return
	}
	c.mu.Lock()
	c.m[k] = 0
	delete(c.m, "")
	clear(c.s)
	c.mu.Unlock()
}

// A helper called only under the read lock has it on entry: its write is
// reported as a write under RLock.

func (c *Cache) touch(k string) {
	c.m[k]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 16\); written here with only the read lock held \(RLock at entry\) \(RA1003\)`
}

func (c *Cache) GetTouch(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.touch(k)
	return c.m[k]
}

// A guarded struct value whose map field is written under RLock.

type counters struct {
	hits map[string]int
}

type Server struct {
	mu sync.RWMutex
	c  counters // guarded by mu
}

func (s *Server) BadHit(k string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.c.hits[k]++ // want `c is guarded by mu \(its comment says "guarded by mu" at line 136\); written here with only the read lock held \(RLock at line 140\) \(RA1003\)`
}

func (s *Server) Hit(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.c.hits[k]++
}

func (s *Server) Hits(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.c.hits[k]
}

// Mutating method calls and in-place sorts under RLock are writes.

type Log struct {
	mu    sync.RWMutex
	buf   bytes.Buffer // guarded by mu
	lru   *list.List   // guarded by mu
	names []string     // guarded by mu
}

func (l *Log) BadWrite(s string) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	l.buf.WriteString(s) // want `buf is guarded by mu \(its comment says "guarded by mu" at line 161\); modified here with only the read lock held \(RLock at line 167\) \(RA1003\)`
}

func (l *Log) BadPush(s string) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	l.lru.PushFront(s) // want `lru is guarded by mu \(its comment says "guarded by mu" at line 162\); modified here with only the read lock held \(RLock at line 173\) \(RA1003\)`
}

func (l *Log) BadSort() {
	l.mu.RLock()
	defer l.mu.RUnlock()
	sort.Strings(l.names) // want `names is guarded by mu \(its comment says "guarded by mu" at line 163\); modified here with only the read lock held \(RLock at line 179\) \(RA1003\)`
}

func (l *Log) Read() (string, int, int) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.buf.String(), l.lru.Len(), len(l.names)
}

func (l *Log) Write(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.WriteString(s)
	l.lru.PushFront(s)
	l.names = append(l.names, s)
	sort.Strings(l.names)
}
