// Package explained tests RA3002 and RA3003 on cleanups and removals whose
// comment explains why the entries need no release there (grpc grpclb
// lbCacheClientConn.close, balancergroup cleanupSubConns).
package explained

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

type pending struct {
	conn   net.Conn
	cancel func()
}

// Cache keeps the connections being closed for a while, to reuse them.
type Cache struct {
	mu      sync.Mutex
	pending map[string]*pending
	conns   map[net.Conn]string
}

// Dial reuses a pending connection or dials a new one.
func (c *Cache) Dial(addr string) (net.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pending[addr]; ok {
		p.cancel()
		delete(c.pending, addr)
		return p.conn, nil
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.conns[conn] = addr
	return conn, nil
}

// Release closes conn after a while, unless it is dialed again.
func (c *Cache) Release(conn net.Conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	addr, ok := c.conns[conn]
	if !ok {
		return
	}
	t := time.AfterFunc(time.Second, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		conn.Close()
		delete(c.conns, conn)
		delete(c.pending, addr)
	})
	c.pending[addr] = &pending{conn: conn, cancel: func() { t.Stop() }}
}

func (c *Cache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Only cancel all existing timers. There's no need to close the
	// connections: the parent closes them.
	for _, p := range c.pending {
		p.cancel()
	}
}

// Uncommented is Cache without the comment in close.
type Uncommented struct {
	mu      sync.Mutex
	pending map[string]*pending
	conns   map[net.Conn]string
}

// Dial reuses a pending connection or dials a new one.
func (c *Uncommented) Dial(addr string) (net.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pending[addr]; ok {
		p.cancel()
		delete(c.pending, addr)
		return p.conn, nil
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.conns[conn] = addr
	return conn, nil
}

// Release closes conn after a while, unless it is dialed again.
func (c *Uncommented) Release(conn net.Conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	addr, ok := c.conns[conn]
	if !ok {
		return
	}
	t := time.AfterFunc(time.Second, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		conn.Close()
		delete(c.conns, conn)
		delete(c.pending, addr)
	})
	c.pending[addr] = &pending{conn: conn, cancel: func() { t.Stop() }}
}

func (c *Uncommented) close() { // want `cleanup close releases pending but not the entries of conns, which Uncommented creates \(net.Dial at line 87\) \(RA3002\)` `cleanup close releases the entries of pending \(line 118\) but leaves them in the collection, where Dial still finds them \(line 82\), and no closed state is set: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	c.mu.Lock()
	defer c.mu.Unlock()
	// Only cancel all existing timers.
	for _, p := range c.pending {
		p.cancel()
	}
}

// Todo's comment is a TODO: it explains nothing.
type Todo struct {
	mu      sync.Mutex
	pending map[string]*pending
	conns   map[net.Conn]string
}

// Dial reuses a pending connection or dials a new one.
func (c *Todo) Dial(addr string) (net.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.pending[addr]; ok {
		p.cancel()
		delete(c.pending, addr)
		return p.conn, nil
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.conns[conn] = addr
	return conn, nil
}

// Release closes conn after a while, unless it is dialed again.
func (c *Todo) Release(conn net.Conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	addr, ok := c.conns[conn]
	if !ok {
		return
	}
	t := time.AfterFunc(time.Second, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		conn.Close()
		delete(c.conns, conn)
		delete(c.pending, addr)
	})
	c.pending[addr] = &pending{conn: conn, cancel: func() { t.Stop() }}
}

func (c *Todo) close() { // want `cleanup close releases pending but not the entries of conns, which Todo creates \(net.Dial at line 138\) \(RA3002\)` `cleanup close releases the entries of pending \(line 169\) but leaves them in the collection, where Dial still finds them \(line 133\), and no closed state is set: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	c.mu.Lock()
	defer c.mu.Unlock()
	// TODO: is there no need to close the connections?
	for _, p := range c.pending {
		p.cancel()
	}
}

type sub struct{ name string }

// Group dials connections for its subs; a sub's connections are closed
// when the sub is closed.
type Group struct {
	mu    sync.Mutex
	conns map[net.Conn]*sub
}

// Dial dials a connection for s.
func (g *Group) Dial(s *sub, addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	g.mu.Lock()
	g.conns[conn] = s
	g.mu.Unlock()
	return nil
}

// Owner finds the sub of conn.
func (g *Group) Owner(conn net.Conn) *sub {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.conns[conn]
}

// Close closes every connection.
func (g *Group) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for conn := range g.conns {
		conn.Close()
	}
	g.conns = nil
}

// cleanupConns forgets the connections of s.
func (g *Group) cleanupConns(s *sub) {
	g.mu.Lock()
	defer g.mu.Unlock()
	// Remove the connections. This is only done after the sub is
	// actually closed.
	for conn, x := range g.conns {
		if x == s {
			delete(g.conns, conn)
		}
	}
}

// forgetConns forgets the connections of s (no comment).
func (g *Group) forgetConns(s *sub) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for conn, x := range g.conns {
		if x == s {
			delete(g.conns, conn) // want `forgetConns removes an entry of conns without releasing it or returning it, but Group owns the entries: it creates them \(net.Dial at line 184\) \(RA3003\)`
		}
	}
}

// dropConns forgets the connections of s: the comment says when they
// would be closed, not that they are.
func (g *Group) dropConns(s *sub) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for conn, x := range g.conns {
		if x == s {
			// Close conn here if it was not already closed.
			delete(g.conns, conn) // want `dropConns removes an entry of conns without releasing it or returning it, but Group owns the entries: it creates them \(net.Dial at line 184\) \(RA3003\)`
		}
	}
}

// Use calls the helpers.
func (g *Group) Use(s *sub) {
	g.cleanupConns(s)
	g.forgetConns(s)
	g.dropConns(s)
}

// Name is a reserved name (client-go InformerName).
type Name struct {
	name     string
	reserved atomic.Bool
}

// Release frees the name for reuse.
func (n *Name) Release() { n.reserved.Store(false) }

// Names reserves names; a released name stays until it is reserved again.
type Names struct {
	mu    sync.Mutex
	names map[string]*Name
}

// Reserve reserves name, reusing a released entry's name.
func (r *Names) Reserve(name string) (*Name, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if existing, ok := r.names[name]; ok {
		if existing.reserved.Load() {
			return nil, errors.New("name already reserved")
		}
		// Previous one was released, we can reuse the name
		delete(r.names, name)
	}
	n := &Name{name: name}
	n.reserved.Store(true)
	r.names[name] = n
	return n, nil
}

// Take takes name over, whoever holds it.
func (r *Names) Take(name string) *Name {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.names, name) // want `Take removes an entry of names without releasing it or returning it, but Names owns the entries: its cleanup ResetForTesting releases them \(line \d+\) \(RA3003\)`
	n := &Name{name: name}
	n.reserved.Store(true)
	r.names[name] = n
	return n
}

// ResetForTesting releases every name.
func (r *Names) ResetForTesting() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.names {
		n.Release()
	}
	r.names = map[string]*Name{}
}
