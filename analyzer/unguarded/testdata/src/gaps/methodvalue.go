package gaps

import (
	"net/http"
	"sync"
	"time"
)

// GAP 4 (miss): unexported methods used as function values (timer
// callbacks, HTTP handlers) are "reached only through function values",
// so their accesses are not judged at all; both run concurrently without
// any lock the analyzer could see, and their unguarded accesses are missed.

type Sessions struct {
	mu   sync.Mutex
	live map[string]time.Time // guarded by mu
}

func (s *Sessions) Touch(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live[id] = time.Now()
}

func (s *Sessions) expire() {
	clear(s.live) // want `live is guarded by mu \(its comment says "guarded by mu" at line 16\); cleared here without it \(RA1002\)`
}

func (s *Sessions) handleCount(w http.ResponseWriter, r *http.Request) {
	_ = len(s.live) // want `live is guarded by mu \(its comment says "guarded by mu" at line 16\); read \(len\) here without it \(RA1001\)`
}

func (s *Sessions) Start(mux *http.ServeMux) {
	time.AfterFunc(time.Minute, s.expire)
	mux.HandleFunc("/count", s.handleCount)
}
