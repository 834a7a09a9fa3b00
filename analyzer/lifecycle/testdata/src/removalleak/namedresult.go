package removalleak

import (
	"net"
	"sync"
)

// FP124, reduced from goproxy transport/transport.go getIdleConn: the
// popped idle connection is returned through the named result by a bare
// return, which hands it to the caller as "return pconn" would.

type persistConn struct{ nc net.Conn }

func (c *persistConn) close() error { return c.nc.Close() }

type proxyTransport struct {
	lk       sync.Mutex
	idleConn map[string][]*persistConn
}

func (t *proxyTransport) putIdleConn(key string, pc *persistConn) {
	t.lk.Lock()
	defer t.lk.Unlock()
	t.idleConn[key] = append(t.idleConn[key], pc)
}

func (t *proxyTransport) CloseIdleConnections() {
	t.lk.Lock()
	defer t.lk.Unlock()
	for _, conns := range t.idleConn {
		for _, pc := range conns {
			pc.close()
		}
	}
	t.idleConn = nil
}

// getIdleConn pops the last idle connection and returns it with a bare
// return: silent.
func (t *proxyTransport) getIdleConn(key string) (pconn *persistConn) {
	t.lk.Lock()
	defer t.lk.Unlock()
	pconns, ok := t.idleConn[key]
	if !ok {
		return nil
	}
	if len(pconns) == 1 {
		pconn = pconns[0]
		delete(t.idleConn, key)
	} else {
		pconn = pconns[len(pconns)-1]
		t.idleConn[key] = pconns[:len(pconns)-1]
	}
	return
}

// dropIdleConn pops it into a named result but returns something else:
// reported.
func (t *proxyTransport) dropIdleConn(key string) (pconn *persistConn, n int) {
	t.lk.Lock()
	defer t.lk.Unlock()
	pconns, ok := t.idleConn[key]
	if !ok {
		return nil, 0
	}
	pconn = pconns[len(pconns)-1]
	t.idleConn[key] = pconns[:len(pconns)-1] // want `dropIdleConn removes an entry of idleConn without releasing it or returning it, but proxyTransport owns the entries`
	return nil, len(pconns)
}

// discardIdleConn's bare return is that of a function literal with a
// named result of its own: reported.
func (t *proxyTransport) discardIdleConn(key string) (pconn *persistConn) {
	t.lk.Lock()
	defer t.lk.Unlock()
	pconns := t.idleConn[key]
	if len(pconns) == 0 {
		return nil
	}
	pconn = pconns[len(pconns)-1]
	t.idleConn[key] = pconns[:len(pconns)-1] // want `discardIdleConn removes an entry of idleConn without releasing it or returning it, but proxyTransport owns the entries`
	count := func() (pconn *persistConn) {
		return
	}
	count()
	return nil
}

func UseProxyTransport(t *proxyTransport) {
	t.putIdleConn("k", nil)
	t.getIdleConn("k")
	t.dropIdleConn("k")
	t.discardIdleConn("k")
}
