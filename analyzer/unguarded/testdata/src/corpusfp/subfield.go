package corpusfp

import "sync"

// --- FP55: a field of a struct-valued field set only at construction,
// while other fields of the same struct are written under the lock (nats.go
// Conn.Opts: the Set*Handler setters write nc.Opts.ClosedCB under nc.mu,
// NewInbox reads nc.Opts.InboxPrefix, set by Connect and never again). The
// fields of a struct are distinct variables: a guard protects the ones
// written under it.
type connOptions struct {
	SubChanLen  int
	InboxPrefix string
	ClosedCB    func()
	ErrCB       func()
}

type natsConn struct {
	mu     sync.Mutex
	Opts   connOptions
	status int
}

func newNatsConn(o connOptions) *natsConn {
	nc := &natsConn{Opts: o}
	if nc.Opts.SubChanLen == 0 {
		nc.Opts.SubChanLen = 64
	}
	return nc
}

func (nc *natsConn) SetClosedHandler(cb func()) {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	nc.Opts.ClosedCB = cb
}

func (nc *natsConn) SetErrHandler(cb func()) {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	nc.Opts.ErrCB = cb
}

func (nc *natsConn) close() {
	nc.mu.Lock()
	cb := nc.Opts.ClosedCB
	ecb := nc.Opts.ErrCB
	nc.Opts.ClosedCB = nil
	nc.Opts.ErrCB = nil
	nc.status = 1
	nc.mu.Unlock()
	if cb != nil {
		cb()
	}
	if ecb != nil {
		ecb()
	}
}

func (nc *natsConn) asyncErr() {
	nc.mu.Lock()
	cb := nc.Opts.ErrCB
	nc.mu.Unlock()
	if cb != nil {
		cb()
	}
}

func (nc *natsConn) hasHandlers() bool {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	if nc.Opts.ClosedCB != nil {
		return true
	}
	return nc.Opts.ErrCB != nil
}

// Set at construction only: silent.
func (nc *natsConn) NewChan() chan int { return make(chan int, nc.Opts.SubChanLen) }

func (nc *natsConn) NewInbox() string { return nc.Opts.InboxPrefix + "x" }

// Control: a field written under the lock after construction.
func (nc *natsConn) ClosedHandler() func() {
	return nc.Opts.ClosedCB // want `Opts is guarded by mu .*; read here without it \(RA1001\)`
}

// Control: the whole struct is replaced under the lock after construction,
// so no field of it is set at construction only.
type natsConn2 struct {
	mu   sync.Mutex
	Opts connOptions
}

func (nc *natsConn2) SetOptions(o connOptions) {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	nc.Opts = o
}

func (nc *natsConn2) SetClosedHandler(cb func()) {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	nc.Opts.ClosedCB = cb
}

func (nc *natsConn2) close() {
	nc.mu.Lock()
	cb := nc.Opts.ClosedCB
	nc.mu.Unlock()
	cb()
}

func (nc *natsConn2) NewChan() chan int {
	return make(chan int, nc.Opts.SubChanLen) // want `Opts is guarded by mu .*; read here without it \(RA1001\)`
}

// Control: the struct's address escapes after construction (a pointer to
// it can write any of its fields).
type natsConn3 struct {
	mu   sync.Mutex
	Opts connOptions
}

func setLen(o *connOptions) { o.SubChanLen = 1 }

func (nc *natsConn3) Shrink() {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	setLen(&nc.Opts)
}

func (nc *natsConn3) SetClosedHandler(cb func()) {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	nc.Opts.ClosedCB = cb
}

func (nc *natsConn3) close() {
	nc.mu.Lock()
	cb := nc.Opts.ClosedCB
	nc.mu.Unlock()
	cb()
}

func (nc *natsConn3) NewChan() chan int {
	return make(chan int, nc.Opts.SubChanLen) // want `Opts is guarded by mu .*; read here without it \(RA1001\)`
}

// Control: a method called on the field under the lock may write it.
type serverList struct{ list []string }

func (l *serverList) Add(s string) { l.list = append(l.list, s) }

type natsConn4 struct {
	mu   sync.Mutex
	Opts struct {
		Servers  serverList
		ClosedCB func()
	}
}

func (nc *natsConn4) AddServer(s string) {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	nc.Opts.Servers.Add(s)
}

func (nc *natsConn4) SetClosedHandler(cb func()) {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	nc.Opts.ClosedCB = cb
}

func (nc *natsConn4) close() {
	nc.mu.Lock()
	cb := nc.Opts.ClosedCB
	nc.mu.Unlock()
	cb()
}

func (nc *natsConn4) NumServers() int {
	return len(nc.Opts.Servers.list) // want `Opts is guarded by mu .*; read \(len\) here without it \(RA1001\)`
}
