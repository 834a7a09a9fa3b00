package corpusfp

import "sync"

// --- FP81: a method of a generic type used as a function value through
// its receiver (c.onEvicted in a method of cache[K, V]) is reached only
// through that value, like any other: its callers' locks cannot be seen
// (golang-lru's Cache.onEvicted, handed to simplelru.NewLRU and called
// back from the methods Cache calls under c.lock). The instance the
// selector names is not the declared method; its origin is.
type evictList[K comparable, V any] struct {
	keys    []K
	vals    []V
	onEvict func(K, V)
}

func newEvictList[K comparable, V any](onEvict func(K, V)) *evictList[K, V] {
	return &evictList[K, V]{onEvict: onEvict}
}

func (l *evictList[K, V]) add(k K, v V) {
	l.keys = append(l.keys, k)
	l.vals = append(l.vals, v)
	if len(l.keys) > 2 {
		l.onEvict(l.keys[0], l.vals[0])
		l.keys, l.vals = l.keys[1:], l.vals[1:]
	}
}

type evictCache[K comparable, V any] struct {
	lock        sync.Mutex
	lru         *evictList[K, V]
	evictedKeys []K
	evictedVals []V
	onEvictedCB func(K, V)
}

func newEvictCache[K comparable, V any](cb func(K, V)) *evictCache[K, V] {
	c := &evictCache[K, V]{onEvictedCB: cb}
	c.lru = newEvictList[K, V](c.onEvicted)
	return c
}

func (c *evictCache[K, V]) onEvicted(k K, v V) {
	c.evictedKeys = append(c.evictedKeys, k)
	c.evictedVals = append(c.evictedVals, v)
}

func (c *evictCache[K, V]) Add(k K, v V) {
	var ks []K
	var vs []V
	c.lock.Lock()
	c.lru.add(k, v)
	ks, vs = c.evictedKeys, c.evictedVals
	c.evictedKeys, c.evictedVals = nil, nil
	c.lock.Unlock()
	for i := range ks {
		c.onEvictedCB(ks[i], vs[i])
	}
}

func (c *evictCache[K, V]) Pending() int {
	c.lock.Lock()
	defer c.lock.Unlock()
	return len(c.evictedKeys) + len(c.evictedVals)
}

func (c *evictCache[K, V]) Purge() {
	c.lock.Lock()
	c.evictedKeys, c.evictedVals = nil, nil
	c.lock.Unlock()
}

// Positive control: the same method of a generic type, not used as a
// value but called directly, once by a method that does not lock.
type evictCache2[K comparable, V any] struct {
	lock        sync.Mutex
	lru         *evictList[K, V]
	evictedKeys []K // guarded by lock
}

func newEvictCache2[K comparable, V any]() *evictCache2[K, V] {
	c := &evictCache2[K, V]{}
	c.lru = newEvictList[K, V](nil)
	return c
}

func (c *evictCache2[K, V]) onEvicted(k K, v V) {
	c.evictedKeys = append(c.evictedKeys, k) // want `evictedKeys is guarded by lock`
}

func (c *evictCache2[K, V]) Add(k K, v V) {
	c.lock.Lock()
	c.lru.add(k, v)
	c.onEvicted(k, v)
	c.evictedKeys = nil
	c.lock.Unlock()
}

func (c *evictCache2[K, V]) Pending() int {
	c.lock.Lock()
	defer c.lock.Unlock()
	return len(c.evictedKeys)
}

func (c *evictCache2[K, V]) Drop(k K, v V) {
	c.onEvicted(k, v)
}
