// Package missingcleanup tests RA3001.
package missingcleanup

import (
	"context"
	"net"
	"sync"
	"time"
)

// Pool dials connections and never closes them.
type Pool struct { // want `Pool creates the entries of conns \(net.Dial at line 27\) but no function releases them: Close is never called on an entry \(RA3001\)`
	mu    sync.Mutex
	conns map[string]net.Conn
}

// Get returns the connection to addr, dialing it once.
func (p *Pool) Get(addr string) (net.Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[addr]; ok {
		return c, nil
	}
	if len(p.conns) > 100 {
		return nil, nil
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.conns[addr] = c
	return c, nil
}

// Size is the number of connections.
func (p *Pool) Size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

// Jobs keeps the cancel funcs of the jobs it starts and never calls them.
type Jobs struct { // want `Jobs creates the entries of cancels \(context.WithCancel \(cancel func\) at line 51\) but no function releases them: no entry is ever called \(RA3001\)`
	mu      sync.Mutex
	cancels map[int]context.CancelFunc
	next    int
}

// Start starts a job.
func (j *Jobs) Start(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.next++
	j.cancels[j.next] = cancel
	return ctx
}

// Running reports whether job id runs.
func (j *Jobs) Running(id int) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	_, ok := j.cancels[id]
	return ok
}

// Count counts the jobs.
func (j *Jobs) Count() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.cancels) + j.next
}

// ClosedPool is Pool with a Close that detaches the map under the lock and
// releases the connections after unlocking: no diagnostic.
type ClosedPool struct {
	mu    sync.Mutex
	conns map[string]net.Conn
}

// Get returns the connection to addr, dialing it once.
func (p *ClosedPool) Get(addr string) (net.Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[addr]; ok {
		return c, nil
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return nil, err
	}
	p.conns[addr] = c
	return c, nil
}

// Close closes every connection.
func (p *ClosedPool) Close() {
	p.mu.Lock()
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Size is the number of connections.
func (p *ClosedPool) Size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

// Directory stores connections handed in by its callers: it does not own
// them, so it need not close them.
type Directory struct {
	mu    sync.Mutex
	conns map[string]net.Conn
}

// Put records c under name.
func (d *Directory) Put(name string, c net.Conn) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.conns[name] = c
}

// Lookup returns the connection named name.
func (d *Directory) Lookup(name string) net.Conn {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.conns[name]
}

// Names counts the names.
func (d *Directory) Names() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.conns)
}
