package scopedcleanup

import (
	"net"
	"sync"
	"time"
)

// keepAlives of a lease client (etcd clientv3 lessor.closeRequireLeader):
// Close is the client's teardown; closeRequireLeader, a close + qualifier
// beside it, closes the channels of the listeners that require a leader
// and keeps the entries. It is not the teardown: it need not stop the
// loop that Close stops.
type keepAlive struct {
	chs      []chan int
	leader   []bool
	deadline time.Time
	donec    chan struct{}
}

func (ka *keepAlive) close() {
	close(ka.donec)
	for _, ch := range ka.chs {
		close(ch)
	}
}

type LeaseClient struct {
	mu         sync.Mutex
	keepAlives map[int]*keepAlive
	once       sync.Once
	donec      chan struct{}
}

func NewLeaseClient() *LeaseClient {
	return &LeaseClient{keepAlives: map[int]*keepAlive{}, donec: make(chan struct{})}
}

// KeepAlive adds a listener of lease id.
func (l *LeaseClient) KeepAlive(id int, leader bool) <-chan int {
	ch := make(chan int, 1)
	l.mu.Lock()
	ka, ok := l.keepAlives[id]
	if !ok {
		ka = &keepAlive{donec: make(chan struct{})}
		l.keepAlives[id] = ka
	}
	ka.chs = append(ka.chs, ch)
	ka.leader = append(ka.leader, leader)
	l.mu.Unlock()
	l.once.Do(func() { go l.deadlineLoop() })
	return ch
}

func (l *LeaseClient) deadlineLoop() {
	for {
		select {
		case <-time.After(time.Second):
		case <-l.donec:
			return
		}
		l.mu.Lock()
		for id, ka := range l.keepAlives {
			if ka.deadline.Before(time.Now()) {
				ka.close()
				delete(l.keepAlives, id)
			}
		}
		l.mu.Unlock()
	}
}

// Close stops the loop.
func (l *LeaseClient) Close() error {
	l.once.Do(func() {})
	close(l.donec)
	return nil
}

func (l *LeaseClient) closeRequireLeader() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ka := range l.keepAlives {
		var chs []chan int
		var leader []bool
		for i, ch := range ka.chs {
			if ka.leader[i] {
				close(ch)
				continue
			}
			chs = append(chs, ch)
			leader = append(leader, false)
		}
		ka.chs, ka.leader = chs, leader
	}
}

// The same without a Close: closeRequireLeader is the only cleanup, taken
// for the client's teardown, and it leaves the loop running.
type LeaseClient2 struct {
	mu         sync.Mutex
	keepAlives map[int]*keepAlive
	once       sync.Once
	donec      chan struct{}
}

func NewLeaseClient2() *LeaseClient2 {
	return &LeaseClient2{keepAlives: map[int]*keepAlive{}, donec: make(chan struct{})}
}

// KeepAlive adds a listener of lease id.
func (l *LeaseClient2) KeepAlive(id int, leader bool) <-chan int {
	ch := make(chan int, 1)
	l.mu.Lock()
	ka, ok := l.keepAlives[id]
	if !ok {
		ka = &keepAlive{donec: make(chan struct{})}
		l.keepAlives[id] = ka
	}
	ka.chs = append(ka.chs, ch)
	ka.leader = append(ka.leader, leader)
	l.mu.Unlock()
	l.once.Do(func() { go l.deadlineLoop() })
	return ch
}

func (l *LeaseClient2) deadlineLoop() {
	for {
		select {
		case <-time.After(time.Second):
		case <-l.donec:
			return
		}
		l.mu.Lock()
		for id, ka := range l.keepAlives {
			if ka.deadline.Before(time.Now()) {
				ka.close()
				delete(l.keepAlives, id)
			}
		}
		l.mu.Unlock()
	}
}

func (l *LeaseClient2) closeRequireLeader() { // want `cleanup closeRequireLeader does not stop the goroutine KeepAlive starts at line 123, which waits on donec \(line 131\) \(RA3002\)`
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ka := range l.keepAlives {
		var chs []chan int
		var leader []bool
		for i, ch := range ka.chs {
			if ka.leader[i] {
				close(ch)
				continue
			}
			chs = append(chs, ch)
			leader = append(leader, false)
		}
		ka.chs, ka.leader = chs, leader
	}
}

// A close + qualifier beside Close that names a collection is a cleanup of
// it: closeConns closes the conns and leaves them where Dial finds them.
type Dialer2 struct {
	mu    sync.Mutex
	conns map[string]net.Conn
	done  bool
}

// Dial dials addr once.
func (d *Dialer2) Dial(addr string) (net.Conn, error) {
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

// Close marks the dialer done.
func (d *Dialer2) Close() error {
	d.mu.Lock()
	d.done = true
	d.mu.Unlock()
	return nil
}

func (d *Dialer2) closeConns() { // want `cleanup closeConns releases the entries of conns \(line \d+\) but leaves them in the collection, where Dial still finds them \(line \d+\), and no closed state is set: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.conns {
		c.Close()
	}
}
