// Package wrappers tests cleanups and releases reached through a wrapper
// (bench/FALSE_POSITIVES.md, "Cleanup reached through a wrapper"): a func
// field that closes a stop channel.
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
