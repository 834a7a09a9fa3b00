package escape

import "sync"

type Two struct {
	mu sync.RWMutex
	a  map[int]int // guarded by mu
	b  map[int]int // guarded by mu
}

func (t *Two) A() map[int]int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.a // want `returns t\.a, the map guarded by t\.mu`
}

func (t *Two) B() map[int]int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.b // want `returns t\.b, the map guarded by t\.mu`
}

func (t *Two) Put(k int) {
	t.mu.Lock()
	t.a[k] = k
	t.b[k] = k
	t.mu.Unlock()
}
