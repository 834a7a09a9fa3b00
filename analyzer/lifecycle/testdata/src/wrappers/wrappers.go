// Package wrappers tests cleanups and releases reached through a wrapper
// (bench/FALSE_POSITIVES.md, "Cleanup reached through a wrapper"): a func
// field that closes a stop channel, an entry type wrapping the interface
// the collection holds, and a created value kept in two collections.
package wrappers

import (
	"net"
	"sync"
)

// Server's workers wait on workCh, which Stop closes through the func
// field closeWork, a sync.OnceFunc (grpc's Server.serverWorkerChannelClose):
// no diagnostic.
type Server struct {
	mu        sync.Mutex
	conns     map[string]net.Conn
	workCh    chan func()
	closeWork func()
}

// NewServer starts the workers.
func NewServer() *Server {
	s := &Server{conns: map[string]net.Conn{}}
	s.workCh = make(chan func())
	s.closeWork = sync.OnceFunc(func() { close(s.workCh) })
	for i := 0; i < 4; i++ {
		go s.worker()
	}
	return s
}

func (s *Server) worker() {
	for {
		f, ok := <-s.workCh
		if !ok {
			return
		}
		f()
	}
}

// Serve tracks one connection.
func (s *Server) Serve(ln net.Listener) error {
	c, err := ln.Accept()
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.conns[c.RemoteAddr().String()] = c
	s.mu.Unlock()
	return nil
}

// Len counts the connections.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Stop stops the server.
func (s *Server) Stop() { s.stop(false) }

func (s *Server) stop(graceful bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
	s.conns = nil
	if !graceful {
		s.closeWork()
	}
}

// Pump's stop func field is a method value that closes quit: no
// diagnostic.
type Pump struct {
	mu    sync.Mutex
	conns []net.Conn
	quit  chan struct{}
	halt  func()
}

// Start starts the loop.
func (p *Pump) Start() {
	p.quit = make(chan struct{})
	p.halt = p.closeQuit
	go func() {
		<-p.quit
	}()
}

func (p *Pump) closeQuit() { close(p.quit) }

// Add dials addr.
func (p *Pump) Add(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns = append(p.conns, c)
	return nil
}

// Len counts the connections.
func (p *Pump) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

// Close stops the loop and closes the connections.
func (p *Pump) Close() {
	p.halt()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// SubConn is a connection made by a ClientConn.
type SubConn interface {
	Connect()
	Shutdown()
}

// ClientConn makes SubConns.
type ClientConn interface {
	NewSubConn(addr string) (SubConn, error)
}

// CacheCC wraps the SubConns of its ClientConn; the wrapper's Shutdown
// takes itself out of toAddr and shuts the wrapped SubConn down (grpclb's
// lbCacheClientConn): no diagnostic.
type CacheCC struct {
	ClientConn
	mu     sync.Mutex
	toAddr map[SubConn]string
}

// NewSubConn makes a wrapped SubConn.
func (c *CacheCC) NewSubConn(addr string) (SubConn, error) {
	sc, err := c.ClientConn.NewSubConn(addr)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	sc = &cacheSubConn{SubConn: sc, c: c}
	c.toAddr[sc] = addr
	return sc, nil
}

// Len counts the SubConns.
func (c *CacheCC) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.toAddr)
}

type cacheSubConn struct {
	SubConn
	c *CacheCC
}

// Shutdown forgets the wrapper and shuts the SubConn down.
func (sc *cacheSubConn) Shutdown() {
	c := sc.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.toAddr[sc]; !ok {
		return
	}
	delete(c.toAddr, sc)
	sc.SubConn.Shutdown()
}

// Balancer keeps each SubConn it makes in two maps and shuts them down
// through subConns; scStates only follows their states (grpclb's
// lbBalancer): no diagnostic.
type Balancer struct {
	cc       ClientConn
	mu       sync.Mutex // guards everything following
	subConns map[string]SubConn
	scStates map[SubConn]int
}

// Update makes the SubConns of addrs and shuts the others down.
func (b *Balancer) Update(addrs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	set := map[string]bool{}
	for _, a := range addrs {
		set[a] = true
		if _, ok := b.subConns[a]; !ok {
			sc, err := b.cc.NewSubConn(a)
			if err != nil {
				continue
			}
			b.subConns[a] = sc
			b.scStates[sc] = 0
			sc.Connect()
		}
	}
	for a, sc := range b.subConns {
		if !set[a] {
			sc.Shutdown()
			delete(b.subConns, a)
		}
	}
}

// UpdateState records the state of sc, forgetting it once shut down.
func (b *Balancer) UpdateState(sc SubConn, s int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.scStates[sc]; !ok {
		return
	}
	if s < 0 {
		delete(b.scStates, sc)
		return
	}
	b.scStates[sc] = s
}

// Close shuts every SubConn down.
func (b *Balancer) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, sc := range b.subConns {
		sc.Shutdown()
	}
	b.subConns = nil
}

// Leaky keeps each SubConn it makes in two maps and never shuts any down:
// sharing the values does not release them.
type Leaky struct { // want `Leaky creates the entries of subConns \(wrappers.ClientConn.NewSubConn at line 259\) but no function releases them: Shutdown is never called on an entry \(RA3001\)` `Leaky creates the entries of scStates \(wrappers.ClientConn.NewSubConn at line 259\) but no function releases them: Shutdown is never called on an entry \(RA3001\)`
	cc       ClientConn
	mu       sync.Mutex // guards everything following
	subConns map[string]SubConn
	scStates map[SubConn]int
}

// Add makes the SubConn of addr.
func (l *Leaky) Add(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.subConns[addr]; ok {
		return
	}
	sc, err := l.cc.NewSubConn(addr)
	if err != nil {
		return
	}
	l.subConns[addr] = sc
	l.scStates[sc] = 0
}

// Len counts the SubConns.
func (l *Leaky) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.subConns) + len(l.scStates)
}
