// Package heldout2 holds the RA3xxx false positives of the second held-out
// set (bench/heldout2.tsv), each beside a positive control.
package heldout2

import (
	"errors"
	"net"

	"sync"
	"sync/atomic"
	"time"
)

// --- RA3004/RA3005: the key is the value's own unique id (hashicorp/raft
// observer.go:110) ---

var nextObserverID uint64

// Observer receives observations.
type Observer struct {
	ch chan int
	id uint64 // unique, from nextObserverID
}

// NewObserver returns an observer with a fresh id.
func NewObserver(ch chan int) *Observer {
	return &Observer{ch: ch, id: atomic.AddUint64(&nextObserverID, 1)}
}

// Tagged is an observer whose key the caller chooses.
type Tagged struct {
	ch  chan int
	tag string
}

// NewTagged returns an observer with the caller's tag.
func NewTagged(ch chan int, tag string) *Tagged { return &Tagged{ch: ch, tag: tag} }

// Raft keeps its observers by id.
type Raft struct {
	mu        sync.Mutex
	observers map[uint64]*Observer
	tagged    map[string]*Tagged
}

// RegisterObserver stores or under its own id: a second registration of
// the same observer stores it again, and a nil observer panics reading
// or.id: no diagnostic.
func (r *Raft) RegisterObserver(or *Observer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.observers[or.id] = or
}

// RegisterObserverAs stores or under the caller's id.
func (r *Raft) RegisterObserverAs(id uint64, or *Observer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.observers[id] = or // want `RegisterObserverAs stores or in observers under the caller's key id with no duplicate check: a second registration silently overwrites the first \(RA3004\)` `RegisterObserverAs stores or in observers without a nil check, and entries are dereferenced \(or.ch\) at line \d+ \(RA3005\)`
}

// RegisterTagged stores t under its tag, which the caller chose: two
// observers with one tag collide.
func (r *Raft) RegisterTagged(t *Tagged) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tagged[t.tag] = t // want `RegisterTagged stores t in tagged under the caller's key t with no duplicate check: a second registration silently overwrites the first \(RA3004\)`
}

// DeregisterTagged removes t.
func (r *Raft) DeregisterTagged(t *Tagged) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.tagged, t.tag)
}

// DeregisterObserver removes or.
func (r *Raft) DeregisterObserver(or *Observer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.observers, or.id)
}

func (r *Raft) observe(x int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, or := range r.observers {
		or.ch <- x
	}
	for _, t := range r.tagged {
		t.ch <- x
	}
}

// --- RA3004: the duplicate check is on a sibling map written with the same
// key (go-redis push/registry.go:36) ---

// Handler handles a notification.
type Handler interface{ Handle(string) }

var errExists = errors.New("handler exists")

// Handlers keeps a handler and a protected mark per name, in step.
type Handlers struct {
	mu        sync.Mutex
	handlers  map[string]Handler
	protected map[string]bool
	hidden    map[string]bool
}

// RegisterHandler refuses a name already marked: protected is written with
// the same key right after, so it has the keys of handlers: no diagnostic.
func (r *Handlers) RegisterHandler(name string, h Handler, protected bool) error {
	if h == nil {
		return errors.New("nil handler")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, exists := r.protected[name]; exists {
		return errExists
	}
	r.handlers[name] = h
	r.protected[name] = protected
	return nil
}

// RegisterVisible tests hidden, which it does not write: a name registered
// through RegisterHandler is not found there.
func (r *Handlers) RegisterVisible(name string, h Handler) error {
	if h == nil {
		return errors.New("nil handler")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hidden[name] {
		return errExists
	}
	r.handlers[name] = h // want `RegisterVisible stores h in handlers under the caller's key name with no duplicate check: a second registration silently overwrites the first \(RA3004\)`
	return nil
}

// UnregisterHandler removes the handler of name.
func (r *Handlers) UnregisterHandler(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.handlers, name)
	delete(r.protected, name)
	delete(r.hidden, name)
}

// Hide marks name hidden.
func (r *Handlers) Hide(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hidden[name] = true
}

// Handle dispatches to the handler of name.
func (r *Handlers) Handle(name string) {
	r.mu.Lock()
	h := r.handlers[name]
	r.mu.Unlock()
	h.Handle(name)
}

// --- RA3003: removal in the entry's own timer callback (memberlist
// state.go:878) ---

type ackHandler struct {
	fn    func()
	timer *time.Timer
}

type watchdog struct{ t *time.Timer }

// Members keeps ack handlers, each reaped by its own timer.
type Members struct {
	mu   sync.Mutex
	acks map[uint32]*ackHandler
	dogs []*watchdog
}

// setAckHandler stores ah, then its reaping timer in ah.timer: the removal
// runs when ah's own timer fires, there is nothing left to stop: no
// diagnostic.
func (m *Members) setAckHandler(seq uint32, fn func(), d time.Duration) {
	ah := &ackHandler{fn, nil}
	m.mu.Lock()
	m.acks[seq] = ah
	m.mu.Unlock()
	ah.timer = time.AfterFunc(d, func() {
		m.mu.Lock()
		delete(m.acks, seq)
		m.mu.Unlock()
	})
}

// setWatchedHandler reaps ah by another value's timer: ah's own timer is
// left running.
func (m *Members) setWatchedHandler(seq uint32, fn func(), d time.Duration) {
	ah := &ackHandler{fn, time.NewTimer(d)}
	m.mu.Lock()
	m.acks[seq] = ah
	m.mu.Unlock()
	w := &watchdog{}
	w.t = time.AfterFunc(d, func() {
		m.mu.Lock()
		delete(m.acks, seq) // want `setWatchedHandler removes an entry of acks without releasing it or returning it, but Members owns the entries: it creates them \(time.NewTimer at line \d+\) \(RA3003\)`
		m.mu.Unlock()
	})
	m.mu.Lock()
	m.dogs = append(m.dogs, w)
	m.mu.Unlock()
}

// invoke runs and reaps the handler of seq.
func (m *Members) invoke(seq uint32) {
	m.mu.Lock()
	ah, ok := m.acks[seq]
	delete(m.acks, seq)
	m.mu.Unlock()
	if ok {
		ah.timer.Stop()
		ah.fn()
	}
}

// --- RA3003: a removal called only by the entry itself, on its own close
// path (yamux session.go:730, quic-go http3/conn.go:156) ---

// Stream is a stream of a Session.
type Stream struct {
	id      uint32
	session *Session
	closed  bool
}

func newStream(s *Session, id uint32) *Stream { return &Stream{id: id, session: s} }

// Close closes the stream and takes it out of its session.
func (st *Stream) Close() error {
	st.closed = true
	st.session.closeStream(st.id)
	return nil
}

func (st *Stream) timeout() {
	defer func() { st.session.closeStream(st.id) }()
	st.closed = true
}

// Session multiplexes streams.
type Session struct {
	mu      sync.Mutex
	streams map[uint32]*Stream
}

// Open opens a stream.
func (s *Session) Open(id uint32) *Stream {
	st := newStream(s, id)
	s.mu.Lock()
	s.streams[id] = st
	s.mu.Unlock()
	return st
}

// closeStream is called only by a stream, with its own id: no diagnostic.
func (s *Session) closeStream(id uint32) {
	s.mu.Lock()
	delete(s.streams, id)
	s.mu.Unlock()
}

// Close closes every stream.
func (s *Session) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.streams {
		st.Close()
	}
	s.streams = nil
}

// Conn is a session whose streams are also dropped by the session itself.
type Conn struct {
	mu      sync.Mutex
	streams map[uint32]*Stream2
}

// Stream2 is a stream of a Conn.
type Stream2 struct {
	id   uint32
	conn *Conn
}

func newStream2(c *Conn, id uint32) *Stream2 { return &Stream2{id: id, conn: c} }

// Close closes the stream.
func (st *Stream2) Close() error {
	st.conn.closeStream(st.id)
	return nil
}

// Open opens a stream.
func (c *Conn) Open(id uint32) *Stream2 {
	st := newStream2(c, id)
	c.mu.Lock()
	c.streams[id] = st
	c.mu.Unlock()
	return st
}

// Reject drops a stream without closing it.
func (c *Conn) Reject(id uint32) {
	c.closeStream(id)
}

func (c *Conn) closeStream(id uint32) {
	c.mu.Lock()
	delete(c.streams, id) // want `closeStream removes an entry of streams without releasing it or returning it, but Conn owns the entries: it creates them \(heldout2.newStream2 at line \d+\) \(RA3003\)`
	c.mu.Unlock()
}

// Close closes every stream.
func (c *Conn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.streams {
		st.Close()
	}
	c.streams = nil
}

// clearer is how a tracked stream clears itself.
type clearer interface{ clearStream(uint32) }

// tracked is a stream that clears itself through its clearer.
type tracked struct {
	id uint32
	c  clearer
}

func (t *tracked) ID() uint32 { return t.id }

// Close clears the stream.
func (t *tracked) Close() error {
	t.c.clearStream(t.ID())
	return nil
}

// RawConn tracks streams (quic-go http3 rawConn).
type RawConn struct {
	mu      sync.Mutex
	streams map[uint32]*tracked
}

// Track tracks a stream.
func (c *RawConn) Track(id uint32) *tracked {
	t := &tracked{id: id, c: c}
	c.mu.Lock()
	c.streams[id] = t
	c.mu.Unlock()
	return t
}

// clearStream is called only by a tracked stream (through clearer), with
// its own id: no diagnostic.
func (c *RawConn) clearStream(id uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.streams, id)
}

// Close closes every stream.
func (c *RawConn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.streams {
		t.Close()
	}
	c.streams = nil
}

// --- RA3002: a goroutine that only releases a semaphore slot when it
// ends (go-redis pool.go:1634) ---

// Transport pools connections.
type Transport struct {
	mu         sync.Mutex
	pool       map[string][]net.Conn
	shutdownCh chan struct{}
	sem        chan struct{}
	dials      chan string
}

// NewTransport starts the listener.
func NewTransport() *Transport {
	t := &Transport{pool: map[string][]net.Conn{}, shutdownCh: make(chan struct{}), sem: make(chan struct{}, 4), dials: make(chan string)}
	go t.listen()
	return t
}

func (t *Transport) listen() {
	for {
		select {
		case <-t.shutdownCh:
			return
		case addr := <-t.dials:
			t.dial(addr)
		}
	}
}

// dial dials addr in a goroutine holding a semaphore slot, which it
// releases when it ends: no diagnostic for it.
func (t *Transport) dial(addr string) {
	t.sem <- struct{}{}
	go func() {
		defer func() { <-t.sem }()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		t.mu.Lock()
		t.pool[addr] = append(t.pool[addr], c)
		t.mu.Unlock()
	}()
}

// CloseStreams closes the pooled connections; the listener waits on
// shutdownCh, which it does not close.
func (t *Transport) CloseStreams() { // want `cleanup CloseStreams does not stop the goroutine NewTransport starts at line \d+, which waits on shutdownCh \(line \d+\) \(RA3002\)`
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, conns := range t.pool {
		for _, c := range conns {
			c.Close()
		}
		delete(t.pool, k)
	}
}

// --- RA3002: a goroutine started by another registry, which stops it
// (yamux stream.go:324) ---

// Pipe is a stream with buffered chunks.
type Pipe struct {
	mu          sync.Mutex
	chunks      map[int]net.Conn
	establishCh chan struct{}
}

func newPipe() *Pipe { return &Pipe{chunks: map[int]net.Conn{}, establishCh: make(chan struct{})} }

// put adds a chunk.
func (p *Pipe) put(i int, c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chunks[i] = c
}

// Get gets a chunk.
func (p *Pipe) Get(i int) net.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.chunks[i]
}

// Close closes the chunks; the open timeout of Mux is not its own (Mux's
// Close stops it), that of Mux2 is stopped by nothing.
func (p *Pipe) Close() { // want `cleanup Close does not stop the goroutine Open starts at line \d+, which waits on establishCh \(line \d+\) \(RA3002\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.chunks {
		c.Close()
	}
	p.chunks = nil
}

// Mux opens pipes.
type Mux struct {
	mu         sync.Mutex
	pipes      map[int]*Pipe
	shutdownCh chan struct{}
}

// Open opens a pipe, with an open timeout stopped by the mux's Close.
func (m *Mux) Open(id int) *Pipe {
	p := newPipe()
	m.mu.Lock()
	m.pipes[id] = p
	m.mu.Unlock()
	go m.openTimeout(p)
	return p
}

func (m *Mux) openTimeout(p *Pipe) {
	select {
	case <-p.establishCh:
	case <-m.shutdownCh:
	case <-time.After(time.Second):
	}
}

// Close closes the pipes and stops the timeouts.
func (m *Mux) Close() {
	close(m.shutdownCh)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.pipes {
		p.Close()
	}
	m.pipes = nil
}

// Mux2 does not stop its open timeouts: neither its Close nor the pipe's
// stops them.
type Mux2 struct {
	mu         sync.Mutex
	pipes      map[int]*Pipe
	shutdownCh chan struct{}
}

// Open opens a pipe, with an open timeout.
func (m *Mux2) Open(id int) *Pipe {
	p := newPipe()
	m.mu.Lock()
	m.pipes[id] = p
	m.mu.Unlock()
	go m.openTimeout(p)
	return p
}

func (m *Mux2) openTimeout(p *Pipe) {
	select {
	case <-p.establishCh:
	case <-m.shutdownCh:
	}
}

// Close closes the pipes.
func (m *Mux2) Close() { // want `cleanup Close does not stop the goroutine Open starts at line \d+, which waits on shutdownCh \(line \d+\) \(RA3002\)`
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.pipes {
		p.Close()
	}
	m.pipes = nil
}
