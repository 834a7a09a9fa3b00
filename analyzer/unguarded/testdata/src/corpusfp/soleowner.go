package corpusfp

import "sync"

// --- The sole writer reading its own writes ----------------------------------
// (olahol/melody hub.go: run, the hub's one goroutine started by New on the
// hub it allocated, makes every write of sessions, under the lock for the
// readers len and all, and tests the map unlocked before deleting.)

type hubSession struct{ id int }

type hub struct {
	sessions   map[*hubSession]bool
	register   chan *hubSession
	unregister chan *hubSession
	exit       chan struct{}
	mu         *sync.RWMutex
}

func newHub() *hub {
	return &hub{
		sessions:   map[*hubSession]bool{},
		register:   make(chan *hubSession),
		unregister: make(chan *hubSession),
		exit:       make(chan struct{}),
		mu:         &sync.RWMutex{},
	}
}

func (h *hub) run() {
	for {
		select {
		case s := <-h.register:
			h.mu.Lock()
			h.sessions[s] = true
			h.mu.Unlock()
		case s := <-h.unregister:
			if _, ok := h.sessions[s]; ok { // the only writer reads its own writes
				h.mu.Lock()
				delete(h.sessions, s)
				h.mu.Unlock()
			}
		case <-h.exit:
			h.mu.Lock()
			clear(h.sessions)
			h.mu.Unlock()
			return
		}
	}
}

func (h *hub) len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.sessions)
}

func (h *hub) all() []*hubSession {
	h.mu.RLock()
	defer h.mu.RUnlock()
	s := make([]*hubSession, 0, len(h.sessions))
	for k := range h.sessions {
		s = append(s, k)
	}
	return s
}

type Melody struct{ hub *hub }

func NewMelody() *Melody {
	hub := newHub()
	go hub.run()
	return &Melody{hub: hub}
}

func (m *Melody) Len() int                 { return m.hub.len() }
func (m *Melody) Sessions() []*hubSession  { return m.hub.all() }
func (m *Melody) Register(s *hubSession)   { m.hub.register <- s }
func (m *Melody) Unregister(s *hubSession) { m.hub.unregister <- s }
func (m *Melody) Close()                   { m.hub.exit <- struct{}{} }

// Bad: another function also writes the field, on another goroutine: the
// loop's unlocked read races with it.
type hub2 struct {
	sessions map[*hubSession]bool
	register chan *hubSession
	mu       sync.RWMutex
}

func newHub2() *hub2 {
	return &hub2{sessions: map[*hubSession]bool{}, register: make(chan *hubSession)}
}

func (h *hub2) run() {
	for s := range h.register {
		if _, ok := h.sessions[s]; ok { // want `sessions is guarded by mu .*; read here without it \(RA1001\)`
			continue
		}
		h.mu.Lock()
		h.sessions[s] = true
		h.mu.Unlock()
	}
}

func (h *hub2) Drop(s *hubSession) {
	h.mu.Lock()
	delete(h.sessions, s)
	h.mu.Unlock()
}

func (h *hub2) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.sessions)
}

func NewHub2() *hub2 {
	h := newHub2()
	go h.run()
	return h
}

// Bad: the loop is started twice on one value: two writers.
type hub3 struct {
	sessions map[*hubSession]bool
	register chan *hubSession
	mu       sync.RWMutex
}

func (h *hub3) run() {
	for s := range h.register {
		if _, ok := h.sessions[s]; ok { // want `sessions is guarded by mu .*; read here without it \(RA1001\)`
			continue
		}
		h.mu.Lock()
		h.sessions[s] = true
		h.mu.Unlock()
	}
}

func (h *hub3) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.sessions)
}

func (h *hub3) Keys() []*hubSession {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []*hubSession
	for k := range h.sessions {
		out = append(out, k)
	}
	return out
}

func NewHub3(workers int) *hub3 {
	h := &hub3{sessions: map[*hubSession]bool{}, register: make(chan *hubSession)}
	for range workers {
		go h.run()
	}
	return h
}

// Bad: the loop runs on a value the starter was given, which its callers
// may start again.
type hub4 struct {
	sessions map[*hubSession]bool
	register chan *hubSession
	mu       sync.RWMutex
}

func (h *hub4) run() {
	for s := range h.register {
		if _, ok := h.sessions[s]; ok { // want `sessions is guarded by mu .*; read here without it \(RA1001\)`
			continue
		}
		h.mu.Lock()
		h.sessions[s] = true
		h.mu.Unlock()
	}
}

func (h *hub4) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.sessions)
}

func (h *hub4) Keys() []*hubSession {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []*hubSession
	for k := range h.sessions {
		out = append(out, k)
	}
	return out
}

func StartHub4(h *hub4) {
	go h.run()
}

// Bad: the starter writes the field after starting the loop.
type hub5 struct {
	sessions map[*hubSession]bool
	register chan *hubSession
	mu       sync.RWMutex
}

func (h *hub5) run() {
	for s := range h.register {
		if _, ok := h.sessions[s]; ok { // want `sessions is guarded by mu .*; read here without it \(RA1001\)`
			continue
		}
		h.mu.Lock()
		h.sessions[s] = true
		h.mu.Unlock()
	}
}

func (h *hub5) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.sessions)
}

func (h *hub5) Keys() []*hubSession {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []*hubSession
	for k := range h.sessions {
		out = append(out, k)
	}
	return out
}

func NewHub5(first *hubSession) *hub5 {
	h := &hub5{sessions: map[*hubSession]bool{}, register: make(chan *hubSession)}
	go h.run()
	h.sessions[first] = true
	return h
}
