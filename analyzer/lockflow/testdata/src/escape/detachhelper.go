package escape

import "sync"

type addrConn struct{ closed bool }

func (ac *addrConn) tearDown() { ac.closed = true }

// Good: a helper called under the lock replaces the map, so the alias is
// detached (grpc ClientConn.enterIdleMode and initIdleStateLocked).
type ClientConn struct {
	mu    sync.Mutex
	conns map[*addrConn]struct{}
}

func (cc *ClientConn) initIdleStateLocked() {
	cc.conns = make(map[*addrConn]struct{})
}

func (cc *ClientConn) Add(ac *addrConn) {
	cc.mu.Lock()
	cc.conns[ac] = struct{}{}
	cc.mu.Unlock()
}

func (cc *ClientConn) Remove(ac *addrConn) {
	cc.mu.Lock()
	delete(cc.conns, ac)
	cc.mu.Unlock()
}

func (cc *ClientConn) EnterIdle() {
	cc.mu.Lock()
	conns := cc.conns
	cc.initIdleStateLocked()
	cc.mu.Unlock()
	for ac := range conns {
		ac.tearDown()
	}
}

// RA2006: a helper that does not replace the map leaves the alias shared.
func (cc *ClientConn) touchLocked() { _ = len(cc.conns) }

func (cc *ClientConn) ResetAll() {
	cc.mu.Lock()
	conns := cc.conns
	cc.touchLocked()
	cc.mu.Unlock()
	for ac := range conns { // want `conns aliases cc\.conns, the map guarded by cc\.mu, taken at line \d+ under the lock; ranged over here after cc\.mu is released, racing with writers that modify it in place \(copy it under the lock\) \(RA2006\)`
		ac.tearDown()
	}
}
