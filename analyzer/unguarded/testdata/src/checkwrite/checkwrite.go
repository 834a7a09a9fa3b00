// Package checkwrite exercises RA1002, unguarded write: assignment, ++,
// map insert, delete, clear, append, copy, slice element store and a field
// of a struct value, without the lock; the same writes under the lock stay
// silent.
package checkwrite

import (
	"sort"
	"strings"
	"sync"
)

type stats struct {
	hits, misses int
}

type Registry struct {
	mu    sync.Mutex
	m     map[string]int  // guarded by mu
	s     []int           // guarded by mu
	n     int             // guarded by mu
	st    stats           // guarded by mu
	arr   [4]int          // guarded by mu
	names strings.Builder // guarded by mu
}

// Positive cases.

func (r *Registry) BadAssign() {
	r.m = map[string]int{} // want `m is guarded by mu \(its comment says "guarded by mu" at line 19\); written here without it \(RA1002\)`
}

func (r *Registry) BadInc() {
	r.n++ // want `n is guarded by mu \(its comment says "guarded by mu" at line 21\); written here without it \(RA1002\)`
}

func (r *Registry) BadAddAssign(d int) {
	r.n += d // want `n is guarded by mu \(its comment says "guarded by mu" at line 21\); written here without it \(RA1002\)`
}

func (r *Registry) BadInsert(k string) {
	r.m[k] = 1 // want `m is guarded by mu \(its comment says "guarded by mu" at line 19\); written here without it \(RA1002\)`
}

func (r *Registry) BadMapInc(k string) {
	r.m[k]++ // want `m is guarded by mu \(its comment says "guarded by mu" at line 19\); written here without it \(RA1002\)`
}

func (r *Registry) BadDelete(k string) {
	delete(r.m, k) // want `m is guarded by mu \(its comment says "guarded by mu" at line 19\); deleted from here without it \(RA1002\)`
}

func (r *Registry) BadClear() {
	clear(r.m) // want `m is guarded by mu \(its comment says "guarded by mu" at line 19\); cleared here without it \(RA1002\)`
}

func (r *Registry) BadAppend(v int) {
	r.s = append(r.s, v) // want `s is guarded by mu \(its comment says "guarded by mu" at line 20\); written here without it \(RA1002\)`
}

func (r *Registry) BadCopy(src []int) {
	copy(r.s, src) // want `s is guarded by mu \(its comment says "guarded by mu" at line 20\); copied into here without it \(RA1002\)`
}

func (r *Registry) BadElementStore(i, v int) {
	r.s[i] = v // want `s is guarded by mu \(its comment says "guarded by mu" at line 20\); written here without it \(RA1002\)`
}

func (r *Registry) BadStructField() {
	r.st.hits++ // want `st is guarded by mu \(its comment says "guarded by mu" at line 22\); written here without it \(RA1002\)`
}

func (r *Registry) BadArrayStore(v int) {
	r.arr[0] = v // want `arr is guarded by mu \(its comment says "guarded by mu" at line 23\); written here without it \(RA1002\)`
}

func (r *Registry) BadMutatorMethod(s string) {
	r.names.WriteString(s) // want `names is guarded by mu \(its comment says "guarded by mu" at line 24\); modified here without it \(RA1002\)`
}

func (r *Registry) BadMultiAssign() {
	r.n, r.m = 0, nil // want `n is guarded by mu \(its comment says "guarded by mu" at line 21\); written here without it \(RA1002\)` `m is guarded by mu \(its comment says "guarded by mu" at line 19\); written here without it \(RA1002\)`
}

// Negative cases: the same writes under the lock.

func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m = map[string]int{}
	r.n = 0
	r.s = nil
	r.st = stats{}
	r.names.Reset()
}

func (r *Registry) Add(k string, v int) {
	r.mu.Lock()
	r.m[k]++
	delete(r.m, "old")
	r.s = append(r.s, v)
	r.s[0] = v
	r.arr[1] = v
	copy(r.s, []int{v})
	r.st.misses++
	r.n += v
	r.names.WriteString(k)
	r.mu.Unlock()
}

func (r *Registry) Clear() {
	r.mu.Lock()
	clear(r.m)
	r.mu.Unlock()
}

// Sorting a guarded slice in place writes it.

type Sorted struct {
	mu    sync.Mutex
	names []string // guarded by mu
}

func (s *Sorted) Add(n string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names = append(s.names, n)
	sort.Strings(s.names)
}

func (s *Sorted) BadSort() {
	sort.Strings(s.names) // want `names is guarded by mu \(its comment says "guarded by mu" at line 121\); modified here without it \(RA1002\)`
}

func (s *Sorted) BadSortSlice() {
	sort.Slice(s.names, func(i, j int) bool { return s.names[i] < s.names[j] }) // want `names is guarded by mu \(its comment says "guarded by mu" at line 121\); modified here without it \(RA1002\)`
}
