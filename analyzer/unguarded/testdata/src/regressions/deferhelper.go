package regressions

import "sync"

// Formerly a gap (false positive), fixed on main: "defer q.cleanup()" is
// not a call site for entry-lock inference, so a helper only ever deferred
// under the lock is reported as unguarded.

type Queue struct {
	mu    sync.Mutex
	items []int // guarded by mu
}

func (q *Queue) cleanup() {
	q.items = q.items[:0]
}

func (q *Queue) Drain() []int {
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.cleanup() // runs before the deferred Unlock
	return append([]int(nil), q.items...)
}

func (q *Queue) Push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
}
