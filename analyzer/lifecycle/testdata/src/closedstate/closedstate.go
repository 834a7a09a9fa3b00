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

// routes is grpc's rdsHandler (xds/server/rds_handler.go): its close
// cancels every watch and sets no state of its own, but its only caller,
// the owning Listener's Close, marks the listener closed, and every call
// of its lookup (watch) is after a check of that mark: no diagnostic.
type routes struct {
	mu      sync.Mutex
	cancels map[string]func()
}

func newRoutes() *routes { return &routes{cancels: map[string]func(){}} }

// watch starts a watch for each new name.
func (r *routes) watch(names []string, start func(string) func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		if _, ok := r.cancels[n]; !ok {
			r.cancels[n] = start(n)
		}
	}
}

// close cancels every watch.
func (r *routes) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, cancel := range r.cancels {
		cancel()
	}
}

// Listener owns a routes.
type Listener struct {
	closed atomic.Bool
	routes *routes
	start  func(string) func()
}

// NewListener returns a listener.
func NewListener(start func(string) func()) *Listener {
	return &Listener{routes: newRoutes(), start: start}
}

type listenerWatcher struct{ parent *Listener }

// Changed watches names, unless the listener is closed.
func (w *listenerWatcher) Changed(names []string) {
	if w.parent.closed.Load() {
		return
	}
	l := w.parent
	l.routes.watch(names, l.start)
}

// Failed stops every watch, unless the listener is closed.
func (w *listenerWatcher) Failed() {
	if w.parent.closed.Load() {
		return
	}
	w.parent.routes.watch(nil, w.parent.start)
}

// Close closes the listener and its watches.
func (l *Listener) Close() error {
	l.closed.Store(true)
	l.routes.close()
	return nil
}

// badRoutes has the same owner's closed mark, but one caller of its
// lookup does not check it: reported, naming the mark and its setter.
type badRoutes struct {
	mu      sync.Mutex
	cancels map[string]func()
}

func newBadRoutes() *badRoutes { return &badRoutes{cancels: map[string]func(){}} }

// watch starts a watch for each new name.
func (r *badRoutes) watch(names []string, start func(string) func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		if _, ok := r.cancels[n]; !ok {
			r.cancels[n] = start(n)
		}
	}
}

// close cancels every watch.
func (r *badRoutes) close() { // want `cleanup close releases the entries of cancels \(line 334\) but leaves them in the collection, where watch still finds them \(line 323\) without checking closed, which Close \(the caller of close\) sets: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, cancel := range r.cancels {
		cancel()
	}
}

// BadListener owns a badRoutes.
type BadListener struct {
	closed atomic.Bool
	routes *badRoutes
	start  func(string) func()
}

// NewBadListener returns a listener.
func NewBadListener(start func(string) func()) *BadListener {
	return &BadListener{routes: newBadRoutes(), start: start}
}

type badListenerWatcher struct{ parent *BadListener }

// Changed watches names, unless the listener is closed.
func (w *badListenerWatcher) Changed(names []string) {
	if w.parent.closed.Load() {
		return
	}
	l := w.parent
	l.routes.watch(names, l.start)
}

// Failed stops every watch, closed or not.
func (w *badListenerWatcher) Failed() {
	w.parent.routes.watch(nil, w.parent.start)
}

// Close closes the listener and its watches.
func (l *BadListener) Close() error {
	l.closed.Store(true)
	l.routes.close()
	return nil
}

// resetRoutes is closed by its owner's Close, which marks the owner
// closed, and by Reset, which does not and keeps using it: the mark is not
// set around every call of close, so reported.
type resetRoutes struct {
	mu      sync.Mutex
	cancels map[string]func()
}

func newResetRoutes() *resetRoutes { return &resetRoutes{cancels: map[string]func(){}} }

// watch starts a watch for each new name.
func (r *resetRoutes) watch(names []string, start func(string) func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		if _, ok := r.cancels[n]; !ok {
			r.cancels[n] = start(n)
		}
	}
}

// close cancels every watch.
func (r *resetRoutes) close() { // want `cleanup close releases the entries of cancels \(line 399\) but leaves them in the collection, where watch still finds them \(line 388\), and no closed state is set: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, cancel := range r.cancels {
		cancel()
	}
}

// ResetListener owns a resetRoutes.
type ResetListener struct {
	closed atomic.Bool
	routes *resetRoutes
	start  func(string) func()
}

// NewResetListener returns a listener.
func NewResetListener(start func(string) func()) *ResetListener {
	return &ResetListener{routes: newResetRoutes(), start: start}
}

// Changed watches names, unless the listener is closed.
func (l *ResetListener) Changed(names []string) {
	if l.closed.Load() {
		return
	}
	l.routes.watch(names, l.start)
}

// Reset cancels every watch and watches names again.
func (l *ResetListener) Reset(names []string) {
	l.routes.close()
	if l.closed.Load() {
		return
	}
	l.routes.watch(names, l.start)
}

// Close closes the listener and its watches.
func (l *ResetListener) Close() error {
	l.closed.Store(true)
	l.routes.close()
	return nil
}
