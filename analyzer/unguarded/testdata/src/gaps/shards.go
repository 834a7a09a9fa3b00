package gaps

import "sync"

// GAP 8 (miss): a guard reached through an index expression
// (r.shards[i].mu) has no access path, so accesses through r.shards[i]
// are never checked: the unlocked read below is missed. (Taking
// s := &r.shards[i] first works.)

type shard struct {
	mu sync.Mutex
	m  map[string]int // guarded by mu
}

type Sharded struct {
	shards [16]shard
}

func (r *Sharded) Put(i int, k string) {
	r.shards[i].mu.Lock()
	r.shards[i].m[k]++
	r.shards[i].mu.Unlock()
}

func (r *Sharded) BadGet(i int, k string) int {
	return r.shards[i].m[k] // want `m is guarded by mu \(its comment says "guarded by mu" at line 12\); read here without it \(RA1001\)`
}
