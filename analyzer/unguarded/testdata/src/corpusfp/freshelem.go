package corpusfp

import "sync"

// --- FP59: an element of a slice the function allocated (go-redis
// NewLocalCache: c := &LocalCache{shards: make([]cacheShard, n)}; for i :=
// range c.shards { s := &c.shards[i]; s.entries = make(...) }) is as
// unshared as the value holding it: the constructor initializes it before
// returning the value.
type cacheShard struct {
	mu      sync.Mutex
	entries map[string]int
}

type shardedCache struct {
	shards []cacheShard
}

func newShardedCache(n int) *shardedCache {
	c := &shardedCache{shards: make([]cacheShard, n)}
	for i := range c.shards {
		s := &c.shards[i]
		s.entries = make(map[string]int)
	}
	return c
}

func (c *shardedCache) shard(k string) *cacheShard { return &c.shards[len(k)%len(c.shards)] }

func (c *shardedCache) Get(k string) int    { return c.shard(k).Get(k) }
func (c *shardedCache) Set(k string, v int) { c.shard(k).Set(k, v) }
func (c *shardedCache) Delete(k string)     { c.shard(k).Del(k) }

func (s *cacheShard) Get(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entries[k]
}

func (s *cacheShard) Set(k string, v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[k] = v
}

func (s *cacheShard) Del(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, k)
}

func (s *cacheShard) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

func (s *cacheShard) Incr(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.entries[k]
	s.entries[k] = v + 1
}

func (s *cacheShard) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.entries)
}

func (s *cacheShard) Swap(k string, v int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.entries[k]
	s.entries[k] = v
	return old
}

func (s *cacheShard) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ks []string
	for k := range s.entries {
		ks = append(ks, k)
	}
	return ks
}

// Control: the same initialization on a shared cache.
func (c *shardedCache) Reset() {
	for i := range c.shards {
		s := &c.shards[i]
		s.entries = make(map[string]int) // want `entries is guarded by mu .*; written here without it \(RA1002\)`
	}
}

// Control: the shards come from the caller (they may be shared).
func wrapShards(sh []cacheShard) *shardedCache {
	c := &shardedCache{shards: sh}
	for i := range c.shards {
		s := &c.shards[i]
		s.entries = nil // want `entries is guarded by mu .*; written here without it \(RA1002\)`
	}
	return c
}
