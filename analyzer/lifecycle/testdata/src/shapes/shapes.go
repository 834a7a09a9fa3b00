// Package shapes tests the collection shapes beyond a plain map or slice:
// maps keyed by the entries, maps of lists, and registries held in a
// package variable of anonymous struct type.
package shapes

import (
	"net"
	"sync"
)

// Tracker keys its map by the connections it accepts (httptest.Server).
type Tracker struct {
	mu    sync.Mutex
	conns map[net.Conn]int
}

// Serve accepts one connection.
func (t *Tracker) Serve(ln net.Listener) error {
	c, err := ln.Accept()
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.conns[c] = 1
	return nil
}

// Done forgets c, which its handler closes.
func (t *Tracker) Done(c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.conns, c)
}

// Close closes every connection but keeps them in the map.
func (t *Tracker) Close() { // want `cleanup Close releases the entries of conns \(line 41\) but leaves them in the collection, to which Serve still adds \(line 25\), and no closed state is set: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	t.mu.Lock()
	defer t.mu.Unlock()
	for c := range t.conns {
		c.Close()
	}
}

// Idle keeps lists of idle connections per host (http.Transport.idleConn)
// and never closes them.
type Idle struct { // want `Idle creates the entries of idle \(net.Dial at line 54\) but no function releases them: Close is never called on an entry \(RA3001\)`
	mu   sync.Mutex
	idle map[string][]net.Conn
}

// Put dials addr and keeps the connection idle.
func (p *Idle) Put(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idle[addr] = append(p.idle[addr], c)
	return nil
}

// Get takes an idle connection to addr.
func (p *Idle) Get(addr string) net.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[addr]
	if len(list) == 0 {
		return nil
	}
	c := list[len(list)-1]
	p.idle[addr] = list[:len(list)-1]
	return c
}

// ClosedIdle is Idle with a Close that closes every list: no diagnostic.
type ClosedIdle struct {
	mu   sync.Mutex
	idle map[string][]net.Conn
}

// Put dials addr and keeps the connection idle.
func (p *ClosedIdle) Put(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idle[addr] = append(p.idle[addr], c)
	return nil
}

// Len counts the hosts.
func (p *ClosedIdle) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// Close closes every idle connection.
func (p *ClosedIdle) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for host, list := range p.idle {
		for _, c := range list {
			c.Close()
		}
		delete(p.idle, host)
	}
}

// Profile is a named profile.
type Profile struct{ name string }

var profiles struct {
	mu sync.Mutex
	m  map[string]*Profile
}

// AddProfile registers p under name (runtime/pprof keeps its profiles in a
// package variable of anonymous struct type).
func AddProfile(name string, p *Profile) {
	profiles.mu.Lock()
	defer profiles.mu.Unlock()
	profiles.m[name] = p // want `AddProfile stores p in m under the caller's key name with no duplicate check: a second registration silently overwrites the first \(RA3004\)` `AddProfile stores p in m without a nil check, and entries are dereferenced \(p.name\) at line 138 \(RA3005\)`
}

// ProfileName returns the name of the profile registered under name.
func ProfileName(name string) string {
	profiles.mu.Lock()
	defer profiles.mu.Unlock()
	p, ok := profiles.m[name]
	if !ok {
		return ""
	}
	return p.name
}

// Profiles counts the profiles.
func Profiles() int {
	profiles.mu.Lock()
	defer profiles.mu.Unlock()
	return len(profiles.m)
}
