// Package stdidioms holds lock idioms found in the standard library that
// the lock-flow checks must not report (each was a false positive once).
package stdidioms

import (
	"errors"
	"sync"
)

type node struct {
	mu       sync.Mutex
	parent   *node
	children []*node
	done     bool
}

// Hand-over-hand locking: i is reassigned to a locked parent
// (unique/canonmap.go).
func (i *node) prune() {
	i.mu.Lock()
	for i.parent != nil && len(i.children) == 0 {
		parent := i.parent
		parent.mu.Lock()
		parent.children = nil
		i.mu.Unlock()
		i = parent
	}
	i.mu.Unlock()
}

// A deferred unlock in a loop over different mutexes (testing.go).
func (c *node) firstUndone() *node {
	for p := c.parent; p != nil; p = p.parent {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.done {
			return p
		}
	}
	return nil
}

type Conn struct {
	closemu sync.RWMutex
	closed  bool
	hold    bool
}

// The release func is returned to the caller (database/sql grabConn).
func (c *Conn) grab() (func(), error) {
	c.closemu.RLock()
	if c.closed {
		c.closemu.RUnlock()
		return nil, errors.New("closed")
	}
	return c.closemu.RUnlock, nil
}

// A deliberate conditional hold, released by a later call (Rows.Scan).
func (c *Conn) Scan() error {
	c.closemu.RLock()
	if c.closed {
		c.hold = true
	} else {
		c.closemu.RUnlock()
	}
	return nil
}

func (c *Conn) Next() {
	if c.hold {
		c.hold = false
		c.closemu.RUnlock()
	}
}

var (
	forkingLock sync.Mutex
	forking     int
	ForkLock    sync.RWMutex
)

// A conditional lock wrapper (syscall.acquireForkLock).
func acquireForkLock() {
	forkingLock.Lock()
	defer forkingLock.Unlock()
	if forking == 0 {
		ForkLock.Lock()
		forking++
		return
	}
	forking++
}

// A mutex used as a semaphore: a goroutine unlocks it (runtime tests).
func Wait(work func()) {
	var m sync.Mutex
	m.Lock()
	go func() {
		work()
		m.Unlock()
	}()
	m.Lock()
}

// A Locker may be a read locker: locking it twice is fine.
func RLockTwice(rw *sync.RWMutex) {
	var l sync.Locker = rw.RLocker()
	l.Lock()
	l.Lock()
	l.Unlock()
	l.Unlock()
}

type halfConn struct {
	sync.Mutex
	err error
}

// setErrorLocked requires hc's mutex (by its name).
func (hc *halfConn) setErrorLocked(err error) error {
	hc.err = err
	return err
}

type TLSConn struct {
	handshakeMutex sync.Mutex
	in, out        halfConn
	keys           []string // guarded by handshakeMutex
}

// readRecordOrCCS reads a record.
//   - c.in must be locked
func (c *TLSConn) readRecordOrCCS() error {
	return c.retry()
}

// An unexported helper called with the lock held by its callers: its call
// of a Locked helper is not reported (crypto/tls retryReadRecord).
func (c *TLSConn) retry() error {
	return c.in.setErrorLocked(errors.New("retry"))
}

func (c *TLSConn) Read() error {
	c.in.Lock()
	defer c.in.Unlock()
	return c.readRecordOrCCS()
}

// A copy-on-write slice (only ever replaced) may be returned
// (crypto/tls autoSessionTicketKeys).
func (c *TLSConn) Keys() []string {
	c.handshakeMutex.Lock()
	defer c.handshakeMutex.Unlock()
	return c.keys
}

func (c *TLSConn) Rotate(k string) {
	c.handshakeMutex.Lock()
	c.keys = append([]string{k}, c.keys...)
	c.handshakeMutex.Unlock()
}

type pool struct {
	mu    sync.Mutex
	conns map[string]*client
}

type client struct {
	mu sync.Mutex
	n  int
}

// addConnLocked adds cc. p.mu must be held
func (p *pool) addConnLocked(key string, cc *client) {
	p.conns[key] = cc
}

// The doc names p.mu, not cc.mu (net/http h2 addConnLocked).
func (p *pool) Add(key string, cc *client) {
	p.mu.Lock()
	cc.mu.Lock()
	cc.n++
	cc.mu.Unlock()
	p.addConnLocked(key, cc)
	p.mu.Unlock()
}

type body struct {
	mu     sync.Mutex
	closed bool
}

// Must hold b.mu.
func (b *body) readLocked(p []byte) (int, error) { return len(p), nil }

// bodyLocked reads from a body whose mutex is already held (net/http).
type bodyLocked struct{ b *body }

func (bl bodyLocked) Read(p []byte) (int, error) { return bl.b.readLocked(p) }

// handleKeyUpdate locks c.out itself, but is called with c.in held: its
// call of c.in.setErrorLocked is not reported (crypto/tls).
func (c *TLSConn) handleKeyUpdate() error {
	if c.keys == nil {
		return c.in.setErrorLocked(errors.New("no keys"))
	}
	c.out.Lock()
	defer c.out.Unlock()
	return nil
}

func (c *TLSConn) ReadKey() error {
	c.in.Lock()
	defer c.in.Unlock()
	return c.handleKeyUpdate()
}

type DB struct {
	mu   sync.Mutex
	free []*driverConn
}

type driverConn struct {
	sync.Mutex
	db *DB
}

// the dc.db's Mutex is held.
func (dc *driverConn) closeDBLocked() func() error { return nil }

// The doc of closeDBLocked speaks of another mutex than dc's own: it is not
// guessed (database/sql).
func (db *DB) Close() {
	db.mu.Lock()
	for _, dc := range db.free {
		dc.closeDBLocked()
	}
	db.mu.Unlock()
}

var hookMu sync.Mutex

var hook func()

type cleaner interface{ Cleanup(func()) }

// t.Cleanup runs its func later, not under the caller's lock (x/net).
func SetHook(t cleaner, f func()) {
	hookMu.Lock()
	defer hookMu.Unlock()
	old := hook
	hook = f
	t.Cleanup(func() {
		hookMu.Lock()
		defer hookMu.Unlock()
		hook = old
	})
}

// A deferred closure registered under the lock runs after the explicit
// Unlock.
func Reset() {
	hookMu.Lock()
	defer func() {
		hookMu.Lock()
		hook = nil
		hookMu.Unlock()
	}()
	hook = nil
	hookMu.Unlock()
}

type Server struct {
	lock    sync.RWMutex
	started bool
	Notify  func()
}

func unlockOnce(l sync.Locker) func() {
	var once sync.Once
	return func() { once.Do(l.Unlock) }
}

// An unlock func released early and deferred (miekg/dns ListenAndServe):
// the summary sees the lock held at exit, but it is not.
func (srv *Server) ListenAndServe() error {
	unlock := unlockOnce(&srv.lock)
	srv.lock.Lock()
	defer unlock()
	if srv.started {
		return errors.New("started")
	}
	srv.started = true
	unlock()
	return srv.serve()
}

func (srv *Server) serve() error {
	srv.lock.RLock()
	defer srv.lock.RUnlock()
	return nil
}

func ListenAndServe() error {
	s := &Server{}
	return s.ListenAndServe()
}

// The Unlock method value is handed to the server (miekg/dns tests).
func Start(s *Server) {
	var wait sync.Mutex
	wait.Lock()
	s.Notify = wait.Unlock
	go s.ListenAndServe()
	wait.Lock()
}

// A logging closure bound to a local and called twice: its deferred unlock
// releases mu before each call returns (net/http tests).
func Logs() string {
	var (
		mu  sync.Mutex
		buf []string
	)
	logf := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		buf = append(buf, s)
	}
	logf("a")
	logf("b")
	return buf[0]
}

type db struct {
	mu    sync.Mutex
	open  int
	conns []int
}

func (d *db) SetMax(n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.open = n
}

// A setup closure called twice that locks with a deferred unlock
// (database/sql tests).
func Setup() {
	setup := func() *db {
		d := &db{}
		d.SetMax(2)
		d.mu.Lock()
		defer d.mu.Unlock()
		d.conns = nil
		return d
	}
	setup()
	setup()
}

func withLock(l sync.Locker, fn func()) {
	l.Lock()
	defer l.Unlock()
	fn()
}

type Rows struct {
	closemu sync.RWMutex
	n       int
}

// nextLocked advances; the caller holds rs.closemu.
func (rs *Rows) nextLocked() bool { rs.n++; return rs.n < 10 }

// The callback runs under the lock passed with it (database/sql Rows.Next).
func (rs *Rows) Next() bool {
	var ok bool
	withLock(rs.closemu.RLocker(), func() {
		ok = rs.nextLocked()
	})
	return ok
}
