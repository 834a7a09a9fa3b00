// Package stdidioms holds negative cases reduced from false positives of
// the lifecycle checks on the standard library: none is reported.
package stdidioms

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
)

// slots mirrors unique.canonMap's indirect node: an array of atomic
// pointers read lock-free, with a mutex for writers. Atomic slots are not a
// guarded collection, and cleanup is not a registry cleanup.
type slots struct {
	mu       sync.Mutex // guards children
	children [4]atomic.Pointer[int]
}

func (s *slots) cleanup(i int) {
	if s.children[i].Load() == nil {
		return
	}
	s.mu.Lock()
	s.children[i].Store(nil)
	s.mu.Unlock()
}

// DB mirrors database/sql.DB: an opener goroutine that waits on a context
// parameter (and a channel field), stopped by Close through the cancel func
// field; idle connections trimmed by reslicing into a local that is closed
// after unlocking, or handed back to the caller.
type DB struct {
	mu       sync.Mutex
	freeConn []net.Conn
	openerCh chan struct{}
	stop     func()
}

// OpenDB starts the opener.
func OpenDB(addr string) *DB {
	ctx, cancel := context.WithCancel(context.Background())
	db := &DB{openerCh: make(chan struct{}), stop: cancel}
	go db.opener(ctx, addr)
	return db
}

func (db *DB) opener(ctx context.Context, addr string) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-db.openerCh:
			c, err := net.Dial("tcp", addr)
			if err != nil {
				continue
			}
			db.mu.Lock()
			db.freeConn = append(db.freeConn, c)
			db.mu.Unlock()
		}
	}
}

// SetMaxIdleConns trims the idle connections.
func (db *DB) SetMaxIdleConns(n int) {
	db.mu.Lock()
	var closing []net.Conn
	if len(db.freeConn) > n {
		closing = db.freeConn[n:]
		db.freeConn = db.freeConn[:n]
	}
	db.mu.Unlock()
	for _, c := range closing {
		c.Close()
	}
}

// expiredLocked removes the first n idle connections and returns them for
// the caller to close.
func (db *DB) expiredLocked(n int) []net.Conn {
	var closing []net.Conn
	for i := 0; i < n && i < len(db.freeConn); i++ {
		closing = append(closing, db.freeConn[i])
	}
	db.freeConn = db.freeConn[len(closing):]
	return closing
}

// Expire closes the first n idle connections.
func (db *DB) Expire(n int) {
	db.mu.Lock()
	closing := db.expiredLocked(n)
	db.mu.Unlock()
	for _, c := range closing {
		c.Close()
	}
}

// clearIdle closes every idle connection through SetMaxIdleConns, which
// detaches them by reslicing (database/sql's clearAllConns).
func (db *DB) clearIdle() int {
	db.SetMaxIdleConns(0)
	db.mu.Lock()
	defer db.mu.Unlock()
	n := 0
	for range db.freeConn {
		n++
	}
	return n
}

// Idle counts the idle connections.
func (db *DB) Idle() int {
	db.mu.Lock()
	defer db.mu.Unlock()
	return len(db.freeConn)
}

// Close stops the opener and closes the idle connections.
func (db *DB) Close() error {
	db.mu.Lock()
	for _, c := range db.freeConn {
		c.Close()
	}
	db.freeConn = nil
	db.mu.Unlock()
	db.stop()
	return nil
}

// clientConn mirrors http2ClientConn: closing aborts every stream, and an
// aborted stream removes itself from the map (abort -> forget).
type clientConn struct {
	mu      sync.Mutex
	streams map[uint32]*stream
	nextID  uint32
}

type stream struct {
	cc *clientConn
	id uint32
}

func (cs *stream) abortLocked() { cs.cc.forgetLocked(cs.id) }

func (cc *clientConn) forgetLocked(id uint32) { delete(cc.streams, id) }

// NewStream adds a stream.
func (cc *clientConn) NewStream() *stream {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.nextID++
	cs := &stream{cc: cc, id: cc.nextID}
	cc.streams[cs.id] = cs
	return cs
}

// Len counts the streams.
func (cc *clientConn) Len() int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return len(cc.streams)
}

func (cc *clientConn) closeForError() {
	cc.mu.Lock()
	for _, cs := range cc.streams {
		cs.abortLocked()
	}
	cc.mu.Unlock()
}

// Method is a method object.
type Method struct{ name string }

// Named mirrors go/types.Named.AddMethod: the value is dereferenced before
// the store, so a nil fails fast at registration.
type Named struct {
	mu      sync.Mutex
	methods []*Method
}

// AddMethod adds m unless a method of that name is present.
func (t *Named) AddMethod(m *Method) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.index(m.name) < 0 {
		t.methods = append(t.methods, m)
	}
}

func (t *Named) index(name string) int {
	for i, m := range t.methods {
		if m.name == name {
			return i
		}
	}
	return -1
}

// Lookup returns the method named name.
func (t *Named) Lookup(name string) *Method {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i := t.index(name); i >= 0 {
		return t.methods[i]
	}
	return nil
}

// TestServer mirrors net/http/httptest.Server: connections are tracked by a
// state hook (a closure whose parameter is the entry) that also forgets
// them; Close closes only the idle ones, CloseClientConnections closes them
// in goroutines, and the hook removes each closed connection.
type TestServer struct {
	mu    sync.Mutex
	conns map[net.Conn]int
	hook  func(net.Conn, int)
}

func (s *TestServer) wrap() {
	s.hook = func(c net.Conn, state int) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch state {
		case 0:
			s.conns[c] = state
		case 1:
			if _, ok := s.conns[c]; ok {
				s.conns[c] = state
			}
		case 2:
			if _, ok := s.conns[c]; ok {
				delete(s.conns, c)
			}
		}
	}
}

// Accept tracks a new connection.
func (s *TestServer) Accept(ln net.Listener) error {
	c, err := ln.Accept()
	if err != nil {
		return err
	}
	s.hook(c, 0)
	return nil
}

// Close closes the idle connections.
func (s *TestServer) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c, st := range s.conns {
		if st == 1 {
			c.Close()
		}
	}
}

// CloseClientConnections closes every connection, each in a goroutine.
func (s *TestServer) CloseClientConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		go s.closeConn(c)
	}
}

func (s *TestServer) closeConn(c net.Conn) { c.Close() }

// Pool mirrors http2clientConnPool.closeIdleConnections: closeIfIdle
// closes only idle connections, which then leave the pool on their own.
type Pool struct {
	mu    sync.Mutex
	conns map[string][]*PoolConn
}

// PoolConn is a pooled connection.
type PoolConn struct{ nc net.Conn }

// Close closes the connection.
func (pc *PoolConn) Close() error { return pc.nc.Close() }

func (pc *PoolConn) closeIfIdle() {}

// Add adds a connection for key.
func (p *Pool) Add(key string, pc *PoolConn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[key] = append(p.conns[key], pc)
}

// Len counts the keys.
func (p *Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

func (p *Pool) closeIdleConnections() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, vv := range p.conns {
		for _, cc := range vv {
			cc.closeIfIdle()
		}
	}
}
