package removalleak

import (
	"errors"
	"sync"
)

// --- A removal of the value the function stored under that key ------------
// (nsqio/go-nsq consumer.go ConnectToNSQD: the connection is stored in
// pendingConnections under addr while it connects; on failure it is
// deleted and closed after the unlock, on success moved to connections
// under the same addr.)

type nsqConn struct{ addr string }

func newNSQConn(addr string) *nsqConn { return &nsqConn{addr: addr} }
func (c *nsqConn) Connect() error     { return nil }
func (c *nsqConn) Close() error       { return nil }

type Consumer struct {
	mtx     sync.Mutex
	pending map[string]*nsqConn
	conns   map[string]*nsqConn
}

func NewConsumer() *Consumer {
	return &Consumer{pending: map[string]*nsqConn{}, conns: map[string]*nsqConn{}}
}

func (r *Consumer) ConnectToNSQD(addr string) error {
	conn := newNSQConn(addr)
	r.mtx.Lock()
	_, pendingOk := r.pending[addr]
	_, ok := r.conns[addr]
	if ok || pendingOk {
		r.mtx.Unlock()
		return errors.New("already connected")
	}
	r.pending[addr] = conn
	r.mtx.Unlock()

	cleanup := func() {
		r.mtx.Lock()
		delete(r.pending, addr) // conn, stored here, closed below
		r.mtx.Unlock()
		conn.Close()
	}
	if err := conn.Connect(); err != nil {
		cleanup()
		return err
	}

	r.mtx.Lock()
	delete(r.pending, addr) // moved to conns under the same key
	r.conns[addr] = conn
	r.mtx.Unlock()
	return nil
}

func (r *Consumer) Stop() {
	r.mtx.Lock()
	defer r.mtx.Unlock()
	for _, c := range r.conns {
		c.Close()
	}
	for _, c := range r.pending {
		c.Close()
	}
	clear(r.conns)
	clear(r.pending)
}

// Bad: the removals drop the connection stored under the key, neither
// closed nor moved (the failure path forgets to close it; the success
// path stores another value under the key).
type Consumer2 struct {
	mtx     sync.Mutex
	pending map[string]*nsqConn
	conns   map[string]*nsqConn
}

func NewConsumer2() *Consumer2 {
	return &Consumer2{pending: map[string]*nsqConn{}, conns: map[string]*nsqConn{}}
}

func (r *Consumer2) ConnectToNSQD(addr string) error {
	conn := newNSQConn(addr)
	r.mtx.Lock()
	if _, ok := r.pending[addr]; ok {
		r.mtx.Unlock()
		return errors.New("already connected")
	}
	r.pending[addr] = conn
	r.mtx.Unlock()

	if err := conn.Connect(); err != nil {
		r.mtx.Lock()
		delete(r.pending, addr) // want `ConnectToNSQD removes an entry of pending without releasing it or returning it, but Consumer2 owns the entries: it creates them \(removalleak.newNSQConn at line \d+\) \(RA3003\)`
		r.mtx.Unlock()
		return err
	}

	other := newNSQConn(addr)
	r.mtx.Lock()
	delete(r.pending, addr) // want `ConnectToNSQD removes an entry of pending without releasing it or returning it, but Consumer2 owns the entries: it creates them \(removalleak.newNSQConn at line \d+\) \(RA3003\)`
	r.conns[addr] = other
	r.mtx.Unlock()
	return nil
}

func (r *Consumer2) Stop() {
	r.mtx.Lock()
	defer r.mtx.Unlock()
	for _, c := range r.conns {
		c.Close()
	}
	for _, c := range r.pending {
		c.Close()
	}
	clear(r.conns)
	clear(r.pending)
}

// Bad: the close after the removal is skipped by a return.
func (r *Consumer2) Probe(addr string) error {
	conn := newNSQConn(addr)
	r.mtx.Lock()
	if _, ok := r.pending[addr]; ok {
		r.mtx.Unlock()
		return errors.New("already connected")
	}
	r.pending[addr] = conn
	r.mtx.Unlock()

	err := conn.Connect()
	r.mtx.Lock()
	delete(r.pending, addr) // want `Probe removes an entry of pending without releasing it or returning it, but Consumer2 owns the entries: it creates them \(removalleak.newNSQConn at line \d+\) \(RA3003\)`
	r.mtx.Unlock()
	if err != nil {
		return err
	}
	conn.Close()
	return nil
}
