// Package scopedcleanup tests RA3002 on clear/reset (or, beside a Close,
// close) + qualifier methods (etcd lessor.clearScheduledLeasesCheckpoints):
// they clean what they name, they are not the registry's teardown.
package scopedcleanup

import (
	"net"
	"sync"
	"time"
)

type Lease struct{ id int }

// Lessor runs a loop that Stop stops; clearScheduledLeasesCheckpoints only
// resets the checkpoint heap on demotion.
type Lessor struct {
	mu                  sync.RWMutex
	leaseMap            map[int]*Lease
	leaseCheckpointHeap []*Lease
	itemMap             map[string]int

	stopC chan struct{}
	doneC chan struct{}
}

func NewLessor() *Lessor {
	le := &Lessor{
		leaseMap: map[int]*Lease{},
		itemMap:  map[string]int{},
		stopC:    make(chan struct{}),
		doneC:    make(chan struct{}),
	}
	go le.runLoop()
	return le
}

func (le *Lessor) runLoop() {
	defer close(le.doneC)
	for {
		select {
		case <-time.After(time.Second):
		case <-le.stopC:
			return
		}
	}
}

// Stop stops the loop.
func (le *Lessor) Stop() {
	close(le.stopC)
	<-le.doneC
}

// Grant grants a lease and schedules its checkpoint.
func (le *Lessor) Grant(id int) *Lease {
	le.mu.Lock()
	defer le.mu.Unlock()
	l := &Lease{id: id}
	le.leaseMap[id] = l
	le.leaseCheckpointHeap = append(le.leaseCheckpointHeap, l)
	return l
}

// Link attaches an item.
func (le *Lessor) Link(item string, id int) {
	le.mu.Lock()
	defer le.mu.Unlock()
	le.itemMap[item] = id
}

// Lookup finds a lease.
func (le *Lessor) Lookup(id int) *Lease {
	le.mu.RLock()
	defer le.mu.RUnlock()
	return le.leaseMap[id]
}

// Revoke revokes a lease.
func (le *Lessor) Revoke(id int) {
	le.mu.Lock()
	defer le.mu.Unlock()
	delete(le.leaseMap, id)
}

// GetLease finds the lease of an item.
func (le *Lessor) GetLease(item string) int {
	le.mu.RLock()
	defer le.mu.RUnlock()
	return le.itemMap[item]
}

// Detach detaches an item.
func (le *Lessor) Detach(item string) {
	le.mu.Lock()
	defer le.mu.Unlock()
	delete(le.itemMap, item)
}

// Due counts the scheduled checkpoints.
func (le *Lessor) Due() int {
	le.mu.RLock()
	defer le.mu.RUnlock()
	return len(le.leaseCheckpointHeap)
}

// Demote drops the scheduled checkpoints.
func (le *Lessor) Demote() {
	le.mu.Lock()
	defer le.mu.Unlock()
	le.clearScheduledLeasesCheckpoints()
}

func (le *Lessor) clearScheduledLeasesCheckpoints() {
	le.leaseCheckpointHeap = make([]*Lease, 0)
}

// Pool has the same loop, and a clear method that resets every
// collection: it is the pool's cleanup, and it leaves the loop running.
type Pool struct {
	mu    sync.Mutex
	items map[int]*Lease
	queue []*Lease

	stopC chan struct{}
}

func NewPool() *Pool {
	p := &Pool{items: map[int]*Lease{}, stopC: make(chan struct{})}
	go p.loop()
	return p
}

func (p *Pool) loop() {
	for {
		select {
		case <-time.After(time.Second):
		case <-p.stopC:
			return
		}
	}
}

// Stop stops the loop.
func (p *Pool) Stop() { close(p.stopC) }

// Put adds an item.
func (p *Pool) Put(id int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := &Lease{id: id}
	p.items[id] = l
	p.queue = append(p.queue, l)
}

// Get finds an item.
func (p *Pool) Get(id int) *Lease {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.items[id]
}

// Pending counts the queued items.
func (p *Pool) Pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue)
}

// clearPendingItems empties both collections.
func (p *Pool) clearPendingItems() { // want `cleanup clearPendingItems does not stop the goroutine NewPool starts at line 129, which waits on stopC \(line 137\) \(RA3002\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	p.items = map[int]*Lease{}
	p.queue = nil
}

// Reset is unqualified: the registry's cleanup, which leaves the loop
// running.
type Cache struct {
	mu      sync.Mutex
	entries map[int]*Lease
	order   []*Lease

	stopC chan struct{}
}

func NewCache() *Cache {
	c := &Cache{entries: map[int]*Lease{}, stopC: make(chan struct{})}
	go c.loop()
	return c
}

func (c *Cache) loop() {
	for {
		select {
		case <-time.After(time.Second):
		case <-c.stopC:
			return
		}
	}
}

// Stop stops the loop.
func (c *Cache) Stop() { close(c.stopC) }

// Put adds an entry.
func (c *Cache) Put(id int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := &Lease{id: id}
	c.entries[id] = l
	c.order = append(c.order, l)
}

// Get finds an entry.
func (c *Cache) Get(id int) *Lease {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[id]
}

// Len counts the queued entries.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.order)
}

// Reset empties the entries.
func (c *Cache) Reset() { // want `cleanup Reset does not stop the goroutine NewCache starts at line 189, which waits on stopC \(line 197\) \(RA3002\)`
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[int]*Lease{}
}

// Dialer's clearConns names conns: it is a cleanup of conns, which closes
// them and leaves them where Dial finds them.
type Dialer struct {
	mu    sync.Mutex
	conns map[string]net.Conn
}

// Dial dials addr once.
func (d *Dialer) Dial(addr string) (net.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.conns[addr]; ok {
		return c, nil
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	d.conns[addr] = c
	return c, nil
}

func (d *Dialer) clearConns() { // want `cleanup clearConns releases the entries of conns \(line 262\) but leaves them in the collection, where Dial still finds them \(line 247\), and no closed state is set: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.conns {
		c.Close()
	}
}
