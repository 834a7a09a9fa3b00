package corpusfp

import (
	"sync"
	"sync/atomic"
)

// --- FP54: reset of a pooled value after its reference count dropped to 0
// (x/net/trace eventLog.unref -> freeEventLog -> reset): whoever drops the
// last reference owns the value, until it hands it to the free list. Its
// reset is also a registry cleanup: not reported as touching events
// without mu (RA3002) either.
type logEntry struct{ what string }

type pooledLog struct {
	mu     sync.RWMutex
	events []logEntry // guarded by mu
	refs   int32
}

var freeLogs = make(chan *pooledLog, 10)

func (el *pooledLog) Printf(s string) {
	el.mu.Lock()
	el.events = append(el.events, logEntry{s})
	el.mu.Unlock()
}

func (el *pooledLog) Events() int {
	el.mu.RLock()
	defer el.mu.RUnlock()
	return len(el.events)
}

func (el *pooledLog) ref() { atomic.AddInt32(&el.refs, 1) }

func (el *pooledLog) unref() {
	if atomic.AddInt32(&el.refs, -1) == 0 {
		freeLog(el)
	}
}

func freeLog(el *pooledLog) {
	el.reset()
	select {
	case freeLogs <- el:
	default:
	}
}

func (el *pooledLog) reset() {
	el.events = nil
	el.refs = 0
}

// Reported: a write after the value went back to the free list, and a
// reset also called while references remain.
type pooledLog2 struct {
	mu     sync.RWMutex
	events []string // guarded by mu
	refs   atomic.Int32
}

var freeLogs2 = make(chan *pooledLog2, 10)

func (el *pooledLog2) Printf(s string) {
	el.mu.Lock()
	el.events = append(el.events, s)
	el.mu.Unlock()
}

func (el *pooledLog2) Events() int {
	el.mu.RLock()
	defer el.mu.RUnlock()
	return len(el.events)
}

func (el *pooledLog2) unref() {
	if el.refs.Add(-1) == 0 {
		select {
		case freeLogs2 <- el:
		default:
		}
		el.events = nil // want `events is guarded by mu .*; written here without it \(RA1002\)`
	}
}

type pooledLog3 struct {
	mu     sync.RWMutex
	events []string // guarded by mu
	refs   atomic.Int32
}

func (el *pooledLog3) Printf(s string) {
	el.mu.Lock()
	el.events = append(el.events, s)
	el.mu.Unlock()
}

func (el *pooledLog3) Events() int {
	el.mu.RLock()
	defer el.mu.RUnlock()
	return len(el.events)
}

func (el *pooledLog3) unref() {
	if el.refs.Add(-1) == 0 {
		el.reset()
	}
}

func (el *pooledLog3) Clear() { el.reset() }

func (el *pooledLog3) reset() {
	el.events = nil // want `events is guarded by mu .*; written here without it \(RA1002\)`
}
