package removalleak

import (
	"net"
	"sync"
)

// Reduced from go-redis internal/pool pool.go:2014 (drainerPop): the
// removed idle connection is the one the caller handed in as member.conn
// (tested equal to it before the swap removal), and it is returned.

type idleConn struct{ nc net.Conn }

func (c *idleConn) Close() error { return c.nc.Close() }

func dialIdle(addr string) (*idleConn, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &idleConn{nc: nc}, nil
}

type drainMember struct {
	conn *idleConn
	idx  int
}

type IdlePool struct {
	mu    sync.Mutex
	idle  []*idleConn
	spare *idleConn
}

func (p *IdlePool) Put(addr string) error {
	cn, err := dialIdle(addr)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.idle = append(p.idle, cn)
	p.mu.Unlock()
	return nil
}

func (p *IdlePool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, cn := range p.idle {
		cn.Close()
	}
	p.idle = nil
}

// drainerPop removes the member's connection, the caller's: silent.
func (p *IdlePool) drainerPop(member drainMember) *idleConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	idx := member.idx
	if idx < 0 || idx >= len(p.idle) || p.idle[idx] != member.conn {
		return nil
	}
	cn := member.conn
	last := len(p.idle) - 1
	p.idle[idx] = p.idle[last]
	p.idle[last] = nil
	p.idle = p.idle[:last]
	return cn
}

// dropAt removes the connection at the caller's index, which no one
// holds: reported.
func (p *IdlePool) dropAt(member drainMember) {
	p.mu.Lock()
	defer p.mu.Unlock()
	idx := member.idx
	if idx < 0 || idx >= len(p.idle) {
		return
	}
	last := len(p.idle) - 1
	p.idle[idx] = p.idle[last]
	p.idle[last] = nil
	p.idle = p.idle[:last] // want `dropAt removes an entry of idle without releasing it or returning it, but IdlePool owns the entries`
}

// dropSpare compares the entry with a field of the receiver, not of a
// caller's value: reported.
func (p *IdlePool) dropSpare(idx int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if idx >= len(p.idle) || p.idle[idx] != p.spare {
		return
	}
	last := len(p.idle) - 1
	p.idle[idx] = p.idle[last]
	p.idle = p.idle[:last] // want `dropSpare removes an entry of idle without releasing it or returning it, but IdlePool owns the entries`
}

func Use(p *IdlePool) {
	p.drainerPop(drainMember{})
	p.dropAt(drainMember{})
	p.dropSpare(0)
}
