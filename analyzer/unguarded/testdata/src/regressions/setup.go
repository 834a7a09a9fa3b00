package regressions

import "sync"

// Formerly a gap (false positive), fixed on main: a setup helper called
// only from a constructor on the freshly allocated value is not
// construction for the analyzer.

type Pool struct {
	mu   sync.Mutex
	free []int // guarded by mu
}

func NewPool(n int) *Pool {
	p := &Pool{}
	p.fill(n)
	return p
}

func (p *Pool) fill(n int) {
	for i := 0; i < n; i++ {
		p.free = append(p.free, i)
	}
}

func (p *Pool) Get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	v := p.free[0]
	p.free = p.free[1:]
	return v
}
