package corpusfp

import "sync"

// --- FP127: "caller is responsible for locking s.mu" is a documented
// precondition, like "s.mu must be held" (paho.golang State.tidy, which
// has no caller). "responsible for closing" says nothing about the lock,
// and a function that locks s.mu itself cannot require it held.
type sessionState struct {
	mu      sync.Mutex
	packets map[uint16]byte   // guarded by mu
	store   map[uint16]string // guarded by mu
}

func (s *sessionState) Add(id uint16, b byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.packets[id] = b
	s.store[id] = ""
}

func (s *sessionState) Remove(id uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.packets, id)
	delete(s.store, id)
}

func (s *sessionState) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.packets) + len(s.store)
}

// tidy drops every packet but the PUBRECs.
// caller is responsible for locking s.mu
func (s *sessionState) tidy() {
	for id, p := range s.packets {
		if p != 5 {
			delete(s.packets, id)
		}
	}
}

// compact drops the empty entries; it is the caller's responsibility to
// hold the mutex.
func (s *sessionState) compact() {
	for id, v := range s.store {
		if v == "" {
			delete(s.store, id)
		}
	}
}

// tidyStore drops every stored entry; the caller is responsible for
// closing the store.
func (s *sessionState) tidyStore() {
	for id := range s.store { // want `store is guarded by mu .*\(RA1001\)`
		delete(s.store, id) // want `store is guarded by mu .*\(RA1002\)`
	}
}

// tidyAll drops every packet. The caller is responsible for locking s.mu
// before it calls Add again.
func (s *sessionState) tidyAll() {
	s.mu.Lock()
	n := len(s.packets)
	s.mu.Unlock()
	if n > 0 {
		clear(s.packets) // want `packets is guarded by mu .*\(RA1002\)`
	}
}
