package scopedcleanup

import (
	"net"
	"sync"
)

// --- FP57: close/stop/shutdown + a qualifier on a type that has its own
// unqualified teardown (hashicorp/raft NetworkTransport.CloseStreams beside
// Close, go-redis ConnPool.CloseConn beside Close): it closes what it
// names, it is not the type's teardown, so it need not stop the type's
// goroutines.
type Transport struct {
	mu         sync.Mutex
	connPool   map[string][]net.Conn
	shutdownCh chan struct{}
	ln         net.Listener
}

func NewTransport(ln net.Listener) *Transport {
	t := &Transport{connPool: map[string][]net.Conn{}, shutdownCh: make(chan struct{}), ln: ln}
	go t.listen()
	return t
}

func (t *Transport) listen() {
	for {
		c, err := t.ln.Accept()
		if err != nil {
			select {
			case <-t.shutdownCh:
				return
			default:
				continue
			}
		}
		c.Close()
	}
}

func (t *Transport) getConn(target string) (net.Conn, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if conns := t.connPool[target]; len(conns) > 0 {
		c := conns[len(conns)-1]
		t.connPool[target] = conns[:len(conns)-1]
		return c, nil
	}
	c, err := net.Dial("tcp", target)
	if err != nil {
		return nil, err
	}
	t.connPool[target] = append(t.connPool[target], c)
	return c, nil
}

// CloseStreams closes the pooled connections; the transport keeps running.
func (t *Transport) CloseStreams() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, e := range t.connPool {
		for _, c := range e {
			c.Close()
		}
		delete(t.connPool, k)
	}
}

// Close shuts the transport down.
func (t *Transport) Close() error {
	close(t.shutdownCh)
	return t.ln.Close()
}

// Bad: without an unqualified Close, CloseStreams is the type's teardown,
// and it leaves the listener goroutine running.
type Transport2 struct {
	mu         sync.Mutex
	connPool   map[string][]net.Conn
	shutdownCh chan struct{}
	ln         net.Listener
}

func NewTransport2(ln net.Listener) *Transport2 {
	t := &Transport2{connPool: map[string][]net.Conn{}, shutdownCh: make(chan struct{}), ln: ln}
	go t.listen()
	return t
}

func (t *Transport2) listen() {
	for {
		c, err := t.ln.Accept()
		if err != nil {
			select {
			case <-t.shutdownCh:
				return
			default:
				continue
			}
		}
		c.Close()
	}
}

func (t *Transport2) getConn(target string) (net.Conn, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, err := net.Dial("tcp", target)
	if err != nil {
		return nil, err
	}
	t.connPool[target] = append(t.connPool[target], c)
	return c, nil
}

func (t *Transport2) CloseStreams() { // want `cleanup CloseStreams does not stop the goroutine NewTransport2 starts at line \d+, which waits on shutdownCh \(line \d+\) \(RA3002\)`
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, e := range t.connPool {
		for _, c := range e {
			c.Close()
		}
		delete(t.connPool, k)
	}
}
