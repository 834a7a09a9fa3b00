package corpusfp

import (
	"sync"
	"time"
)

// --- FP87: the address of a guarded field handed to a callee that uses it
// only under the guard (nbio Conn.SetReadDeadline): &c.rTimer reads
// nothing; setDeadline locks c.mux before its first *timer, and every use
// of the parameter is a dereference with c.mux held.
type deadlineConn struct {
	mux    sync.Mutex
	closed bool
	rTimer *time.Timer
	wTimer *time.Timer
	saved  **time.Timer
}

func (c *deadlineConn) setDeadline(timer **time.Timer, d time.Duration) {
	c.mux.Lock()
	defer c.mux.Unlock()
	if c.closed {
		return
	}
	if d > 0 {
		if *timer == nil {
			*timer = time.AfterFunc(d, func() { c.Close() })
		} else {
			(*timer).Reset(d)
		}
	} else if *timer != nil {
		(*timer).Stop()
		*timer = nil
	}
}

func (c *deadlineConn) SetReadDeadline(d time.Duration) {
	c.setDeadline(&c.rTimer, d)
}

func (c *deadlineConn) SetWriteDeadline(d time.Duration) {
	c.setDeadline(&c.wTimer, d)
}

func (c *deadlineConn) Close() {
	c.mux.Lock()
	defer c.mux.Unlock()
	c.closed = true
	if c.rTimer != nil {
		c.rTimer.Stop()
		c.rTimer = nil
	}
	if c.wTimer != nil {
		c.wTimer.Stop()
		c.wTimer = nil
	}
}

func (c *deadlineConn) Reset() {
	c.mux.Lock()
	defer c.mux.Unlock()
	if c.rTimer != nil {
		c.rTimer.Reset(time.Second)
	}
	if c.wTimer != nil {
		c.wTimer.Reset(time.Second)
	} else {
		c.wTimer = time.NewTimer(time.Second)
	}
}

func (c *deadlineConn) Armed() (r, w bool) {
	c.mux.Lock()
	defer c.mux.Unlock()
	if c.rTimer != nil && c.rTimer.Stop() {
		c.rTimer.Reset(time.Second)
		r = c.rTimer != nil
	}
	if c.wTimer != nil && c.wTimer.Stop() {
		c.wTimer.Reset(time.Second)
		w = c.wTimer != nil
	}
	return r, w
}

// Reported: stopTimer dereferences its parameter without the lock.
func stopTimer(timer **time.Timer) {
	if *timer != nil {
		(*timer).Stop()
	}
}

func (c *deadlineConn) StopRead() {
	stopTimer(&c.rTimer) // want `rTimer is guarded by mux .*; read here without it \(RA1001\)`
}

// Reported: keep dereferences its parameter under the lock but also stores
// it, to be dereferenced later without the lock.
func (c *deadlineConn) keep(timer **time.Timer) {
	c.mux.Lock()
	defer c.mux.Unlock()
	if *timer != nil {
		c.saved = timer
	}
}

func (c *deadlineConn) KeepWrite() {
	c.keep(&c.wTimer) // want `wTimer is guarded by mux .*; read here without it \(RA1001\)`
}

// Reported: the callee is not known (a function value).
var onTimer = func(t **time.Timer) {}

func (c *deadlineConn) Notify() {
	onTimer(&c.wTimer) // want `wTimer is guarded by mux .*; read here without it \(RA1001\)`
}
