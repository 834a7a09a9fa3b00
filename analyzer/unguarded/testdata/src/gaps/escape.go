package gaps

import "sync"

// GAP 3 (miss): a value allocated in a function counts as "not yet
// shared" for the whole function, even after it escapes to a goroutine
// (or anywhere else); later field writes are treated as construction.

type Worker struct {
	mu   sync.Mutex
	jobs map[string]int // guarded by mu
}

func NewWorker() *Worker {
	w := &Worker{}
	go w.run()
	w.jobs = map[string]int{} // want `jobs is guarded by mu \(its comment says "guarded by mu" at line 11\); written here without it \(RA1002\)`
	return w
}

func (w *Worker) run() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.jobs["started"]++
}
