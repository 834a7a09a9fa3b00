package regressions

import "sync"

// Formerly a gap (miss), fixed on main: storing an element into a guarded
// map or slice whose element type is a pointer, interface, map, slice, func
// or type parameter is classified as a read of the collection (the element
// rule meant for b.m[k].f = x is applied to b.m[k] = x). So a write under
// RLock is not reported, an unlocked insert is reported as a read, and
// inserts do not count as "written after construction" for inference.

type Backend struct{ name string }

type Backends struct {
	mu sync.RWMutex
	m  map[string]*Backend // guarded by mu
	s  []any               // guarded by mu
}

func (b *Backends) BadAddUnderRLock(k string, x *Backend) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	b.m[k] = x // want `m is guarded by mu \(its comment says "guarded by mu" at line 16\); written here with only the read lock held \(RLock at line 21\) \(RA1003\)`
}

func (b *Backends) BadAdd(k string, x *Backend) {
	b.m[k] = x // want `m is guarded by mu \(its comment says "guarded by mu" at line 16\); written here without it \(RA1002\)`
}

func (b *Backends) BadSetUnderRLock(i int, v any) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	b.s[i] = v // want `s is guarded by mu \(its comment says "guarded by mu" at line 17\); written here with only the read lock held \(RLock at line 31\) \(RA1003\)`
}

// Generic: V is a type parameter.
type Registry[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V // guarded by mu
}

func (r *Registry[K, V]) BadPutUnderRLock(k K, v V) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.m[k] = v // want `m is guarded by mu \(its comment says "guarded by mu" at line 39\); written here with only the read lock held \(RLock at line 43\) \(RA1003\)`
}

// Inference: a driver registry whose map is only ever inserted into is
// never "written after construction", so no guard is inferred.
type Driver interface{ Open() error }

var (
	regMu sync.Mutex
	reg   = map[string]Driver{}
)

func RegisterDriver(name string, d Driver) {
	regMu.Lock()
	defer regMu.Unlock()
	reg[name] = d
}

func GetDriver(name string) Driver {
	regMu.Lock()
	defer regMu.Unlock()
	return reg[name]
}

func NumDrivers() int {
	regMu.Lock()
	defer regMu.Unlock()
	return len(reg)
}

func BadGetDriver(name string) Driver {
	return reg[name] // want `reg is guarded by regMu \(held at 3 of 4 accesses, e\.g\. lines 60, 66, 72\); read here without it \(RA1001\)`
}

// A map of maps: the inner insert is a write of the guarded outer map's
// contents.
type Nested2 struct {
	mu sync.RWMutex
	m  map[string]map[string]int // guarded by mu
}

func (x *Nested2) BadSetUnderRLock(a, b string) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	x.m[a][b] = 1 // want `m is guarded by mu \(its comment says "guarded by mu" at line 83\); written here with only the read lock held \(RLock at line 87\) \(RA1003\)`
}

// The same misclassification leaves a convention guard uncorroborated:
// handlers is only ever inserted into, so it is "never written" and the
// mutex comment is ignored.
var (
	// hMu protects the following variables.
	hMu      sync.Mutex
	handlers = map[string]func(){}
)

func Handle(name string, h func()) {
	hMu.Lock()
	defer hMu.Unlock()
	handlers[name] = h
}

func BadHandler(name string) func() {
	return handlers[name] // want `handlers is guarded by hMu \(hMu's comment "hMu protects the following variables\." at line 96; held at 2 of 3 accesses\); read here without it \(RA1001\)`
}

func Handler(name string) func() {
	hMu.Lock()
	defer hMu.Unlock()
	return handlers[name]
}
