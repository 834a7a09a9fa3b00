// Package closedstate tests when RA3002 reports a cleanup that releases
// the entries but leaves them in the collection: only when another
// operation (not the cleanup, not the removal path) can still look them up,
// list them or add to the collection without checking a closed state that
// the cleanup sets (bench/FALSE_POSITIVES.md FP15).
package closedstate

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

var errClosed = errors.New("closed")

type sub struct{ stopped bool }

func (s *sub) stop() { s.stopped = true }

// Group is etcd's watchStream (mvcc/watcher.go): Close stops every entry
// and sets closed, which add checks. The map is dead after Close: no
// diagnostic.
type Group struct {
	mu     sync.Mutex
	bcasts map[*sub]struct{}
	closed bool
}

func (g *Group) add() (*sub, error) {
	s := &sub{}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil, errClosed
	}
	g.bcasts[s] = struct{}{}
	return s, nil
}

func (g *Group) remove(s *sub) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.bcasts, s)
	s.stop()
}

// Close stops every entry.
func (g *Group) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for s := range g.bcasts {
		s.stop()
	}
	g.closed = true
}

// Watchers checks its closed state through a helper and an atomic flag,
// and its unexported lookup helper is only called after the check: no
// diagnostic.
type Watchers struct {
	mu     sync.Mutex
	conns  map[string]net.Conn
	closed atomic.Bool
}

func (w *Watchers) isClosed() bool { return w.closed.Load() }

// Dial dials addr once.
func (w *Watchers) Dial(addr string) (net.Conn, error) {
	if w.isClosed() {
		return nil, errClosed
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if c := w.lookupLocked(addr); c != nil {
		return c, nil
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	w.conns[addr] = c
	return c, nil
}

// Get returns the connection to addr.
func (w *Watchers) Get(addr string) net.Conn {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed.Load() {
		return nil
	}
	return w.lookupLocked(addr)
}

func (w *Watchers) lookupLocked(addr string) net.Conn { return w.conns[addr] }

// Len counts the connections.
func (w *Watchers) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.conns)
}

// Close closes every connection.
func (w *Watchers) Close() {
	w.closed.Store(true)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.conns {
		c.Close()
	}
}

// Handler's closed state is another collection set to nil by the cleanup
// (grpc's rds handler keeps its updates map alive only while open): no
// diagnostic.
type Handler struct {
	mu      sync.Mutex
	cancels map[string]func()
	updates map[string]int
}

// Watch starts watching name.
func (h *Handler) Watch(name string, cancel func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.updates == nil {
		cancel()
		return
	}
	if _, ok := h.cancels[name]; ok {
		cancel()
		return
	}
	h.cancels[name] = cancel
	h.updates[name] = 0
}

// close cancels every watch.
func (h *Handler) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, cancel := range h.cancels {
		cancel()
	}
	h.updates = nil
}

// Cache sets closed in Close and Dial checks it, but Get still returns the
// closed connections: reported, naming the unchecked state.
type Cache struct {
	mu     sync.Mutex
	conns  map[string]net.Conn
	closed bool
}

// Dial dials addr once.
func (p *Cache) Dial(addr string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errClosed
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	p.conns[addr] = c
	return nil
}

// Get returns the connection to addr, closed or not.
func (p *Cache) Get(addr string) net.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conns[addr]
}

// Close closes every connection.
func (p *Cache) Close() { // want `cleanup Close releases the entries of conns \(line 188\) but leaves them in the collection, where Get still finds them \(line 179\) without checking closed, which Close sets: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, c := range p.conns {
		c.Close()
	}
}

// Helpers checks closed in Lookup, but its unexported helper is also called
// from Refresh, which does not: reported at the helper.
type Helpers struct {
	mu     sync.Mutex
	conns  map[string]net.Conn
	closed bool
}

// track adds c.
func (h *Helpers) track(addr string, c net.Conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.conns[addr] = c
	}
}

// Lookup returns the connection to addr.
func (h *Helpers) Lookup(addr string) net.Conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	return h.get(addr)
}

// Refresh pings addr.
func (h *Helpers) Refresh(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c := h.get(addr); c != nil {
		c.SetDeadline(time.Time{})
	}
}

func (h *Helpers) get(addr string) net.Conn { return h.conns[addr] }

// Close closes every connection.
func (h *Helpers) Close() { // want `cleanup Close releases the entries of conns \(line 235\) but leaves them in the collection, where get still finds them \(line 228\) without checking closed, which Close sets: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		c.Close()
	}
	h.closed = true
}
