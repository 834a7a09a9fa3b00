package removalleak

import (
	"sync"
	"time"
)

// --- FP58: removal by the entry's own expiry timer (memberlist
// setAckHandler: ah.timer = time.AfterFunc(timeout, func() { delete(...) })).
// The closure is what the timer stored in the entry runs: when it removes
// the entry, the timer has fired, there is nothing left to release.
type ackHandler struct {
	fn    func()
	timer *time.Timer
}

type Acks struct {
	mu       sync.Mutex
	handlers map[uint32]*ackHandler
}

// Probe registers a handler with a reaping timer made with it.
func (m *Acks) Probe(seq uint32, fn func(), d time.Duration) {
	ah := &ackHandler{fn, time.AfterFunc(d, func() {
		m.mu.Lock()
		delete(m.handlers, seq)
		m.mu.Unlock()
	})}
	m.mu.Lock()
	m.handlers[seq] = ah
	m.mu.Unlock()
}

// Set registers a handler, then attaches its reaping timer.
func (m *Acks) Set(seq uint32, fn func(), d time.Duration) {
	ah := &ackHandler{fn: fn}
	m.mu.Lock()
	m.handlers[seq] = ah
	m.mu.Unlock()
	ah.timer = time.AfterFunc(d, func() {
		m.mu.Lock()
		delete(m.handlers, seq)
		m.mu.Unlock()
	})
}

// Invoke runs a handler and stops its timer.
func (m *Acks) Invoke(seq uint32) {
	m.mu.Lock()
	ah, ok := m.handlers[seq]
	delete(m.handlers, seq)
	m.mu.Unlock()
	if ok {
		ah.timer.Stop()
		ah.fn()
	}
}

// Bad: the timer that removes the entry is not the entry's: its own timer
// keeps running.
func (m *Acks) SetLater(seq uint32, fn func(), d time.Duration) {
	ah := &ackHandler{fn, time.AfterFunc(d, fn)}
	m.mu.Lock()
	m.handlers[seq] = ah
	m.mu.Unlock()
	time.AfterFunc(2*d, func() {
		m.mu.Lock()
		delete(m.handlers, seq) // want `SetLater removes an entry of handlers without releasing it or returning it, but Acks owns the entries: it creates them \(time.AfterFunc at line \d+\) \(RA3003\)`
		m.mu.Unlock()
	})
}
