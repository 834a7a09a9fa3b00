// Package stdregress holds the false positives regaudit once reported on
// the standard library, reduced to a few lines each. All must stay silent,
// except where a want comment says otherwise.
package stdregress

import (
	"sync"
	"sync/atomic"
)

// --- "also guarded by wmu": a multi-lock protocol (net/http h2 ClientConn).

type clientConn struct {
	mu  sync.Mutex
	wmu sync.Mutex
	// Settings from peer: (also guarded by wmu)
	maxFrameSize uint32
	streams      map[int]int
}

func (cc *clientConn) setFrameSize(n uint32) {
	cc.mu.Lock()
	cc.wmu.Lock()
	cc.maxFrameSize = n
	cc.wmu.Unlock()
	cc.mu.Unlock()
}

func (cc *clientConn) frameSize() int {
	cc.mu.Lock()
	n := int(cc.maxFrameSize)
	cc.mu.Unlock()
	return n
}

// --- an access whose comment says no lock is needed (runtime/trace).

type recorder struct {
	ringMu  sync.Mutex
	ring    []int
	enabled bool
}

func (r *recorder) push(v int) {
	r.ringMu.Lock()
	r.ring = append(r.ring, v)
	r.ringMu.Unlock()
}

func (r *recorder) pop() int {
	r.ringMu.Lock()
	defer r.ringMu.Unlock()
	v := r.ring[0]
	r.ring = r.ring[1:]
	return v
}

func (r *recorder) size() int {
	r.ringMu.Lock()
	defer r.ringMu.Unlock()
	return len(r.ring)
}

func (r *recorder) stop() {
	// Reset all state. No need to lock because the reader has already exited.
	r.ring = nil
}

// --- methods of a type named *Locked run with the lock held (net/http bodyLocked).

type body struct {
	mu     sync.Mutex
	closed bool
	buf    []byte
}

func (b *body) Close() {
	b.mu.Lock()
	b.closed = true
	b.buf = nil
	b.mu.Unlock()
}

func (b *body) Read() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bodyLocked{b}.read()
}

func (b *body) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

func (b *body) reopen() {
	b.mu.Lock()
	b.closed = false
	b.mu.Unlock()
}

type bodyLocked struct{ b *body }

func (bl bodyLocked) read() bool { return bl.b.closed }

// --- a method value run through sync.Once (net/internal/socktest).

type sw struct {
	once  sync.Once
	fmu   sync.RWMutex
	fltab map[int]int
}

func (s *sw) init() { s.fltab = make(map[int]int) }

func (s *sw) set(k, v int) {
	s.once.Do(s.init)
	s.fmu.Lock()
	s.fltab[k] = v
	s.fmu.Unlock()
}

func (s *sw) get(k int) int {
	s.once.Do(s.init)
	s.fmu.RLock()
	defer s.fmu.RUnlock()
	return s.fltab[k]
}

func (s *sw) del(k int) {
	s.fmu.Lock()
	delete(s.fltab, k)
	s.fmu.Unlock()
}

// --- a value from a constructor function is not yet shared (go/types).

type named struct {
	mu      sync.Mutex
	methods []int
}

func newNamed() *named { return &named{} }

func lazy(load func() []int) *named {
	n := newNamed()
	n.methods = load()
	return n
}

func (n *named) add(m int) {
	n.mu.Lock()
	n.methods = append(n.methods, m)
	n.mu.Unlock()
}

func (n *named) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.methods)
}

func (n *named) at(i int) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.methods[i]
}

func (n *named) origin() *named { return n }

// The same mutex of another value, derived from this one, is held: the
// values may be one.
func (n *named) originCount() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	orig := n.origin()
	return len(orig.methods)
}

// --- unlock, relock in a deferred call: an "RLocked" upgrade helper
// (crypto/tls Config) does not release its caller's read lock.

type config struct {
	mutex sync.RWMutex
	keys  []int
}

func (c *config) initKeysRLocked() {
	if len(c.keys) > 0 {
		return
	}
	c.mutex.RUnlock()
	defer c.mutex.RLock()
	c.mutex.Lock()
	defer c.mutex.Unlock()
	c.keys = append(c.keys, 1)
}

func (c *config) ticketKeys() []int {
	c.mutex.RLock()
	defer c.mutex.RUnlock()
	c.initKeysRLocked()
	if len(c.keys) != 0 {
		return c.keys
	}
	return nil
}

func (c *config) setKeys(k []int) {
	c.mutex.Lock()
	defer c.mutex.Unlock()
	c.keys = k
}

// --- a documented requirement through an embedded mutex, and a recursive
// helper (crypto/tls Conn.readRecordOrCCS / retryReadRecord).

type halfConn struct {
	sync.Mutex
	seq int
}

type conn struct {
	in         halfConn
	retryCount int // Protected by in.Mutex.
}

func (c *conn) Read() {
	c.in.Lock()
	defer c.in.Unlock()
	c.readRecord()
}

func (c *conn) readRecord() { c.readRecordOrCCS(false) }

// readRecordOrCCS reads a record. c.in must be locked.
func (c *conn) readRecordOrCCS(ccs bool) {
	c.in.seq++
	if ccs {
		c.retry(ccs)
	}
}

func (c *conn) retry(ccs bool) {
	c.retryCount++
	c.readRecordOrCCS(!ccs)
}

// --- a mutex comment whose scope is wider than the lock discipline: the
// field is read freely in most of its uses (database/sql driverConn.ci).

type driverConn struct {
	sync.Mutex // guards following
	ci         *int
	closed     bool
}

func (dc *driverConn) close() {
	dc.Lock()
	dc.ci = nil
	dc.closed = true
	dc.Unlock()
}

func (dc *driverConn) exec() int  { return *dc.ci }
func (dc *driverConn) query() int { return *dc.ci + 1 }
func (dc *driverConn) ping() bool { return dc.ci != nil }

// --- "guarded by db.mu": the guard is another object's mutex, which the
// analysis cannot follow: no inference either.

type db struct {
	mu    sync.Mutex
	conns []*dconn
}

type dconn struct {
	db *db
	mu sync.Mutex

	// guarded by db.mu
	inUse bool
	onPut []func()
}

func (d *db) put(dc *dconn) {
	d.mu.Lock()
	dc.inUse = false
	dc.onPut = nil
	d.mu.Unlock()
}

func (d *db) get(dc *dconn) {
	d.mu.Lock()
	dc.inUse = true
	d.mu.Unlock()
}

func (dc *dconn) lockAndUse() {
	dc.mu.Lock()
	dc.onPut = append(dc.onPut, nil)
	dc.mu.Unlock()
}

// --- a field that is a struct with its own mutex synchronizes itself
// (database/sql Tx.stmts).

type tx struct {
	closemu sync.RWMutex
	done    bool
	stmts   struct {
		sync.Mutex
		v []int
	}
}

func (t *tx) grab() {
	t.closemu.RLock()
	defer t.closemu.RUnlock()
	t.stmts.Lock()
	t.stmts.v = append(t.stmts.v, 1)
	t.stmts.Unlock()
}

func (t *tx) close() {
	t.closemu.Lock()
	defer t.closemu.Unlock()
	t.done = true
	t.stmts.Lock()
	t.stmts.v = nil
	t.stmts.Unlock()
}

func (t *tx) stmt() int {
	t.stmts.Lock()
	defer t.stmts.Unlock()
	return len(t.stmts.v)
}

// --- a helper called only from package-level initializers (encoding/gob
// bootstrapType).

var (
	typeLock sync.Mutex
	types    = map[string]int{}
)

var tBool = bootstrap("bool")

func bootstrap(name string) int {
	if _, ok := types[name]; ok {
		panic(name)
	}
	types[name] = len(types)
	return types[name]
}

func register(name string) {
	typeLock.Lock()
	defer typeLock.Unlock()
	types[name] = len(types)
}

func lookup(name string) int {
	typeLock.Lock()
	defer typeLock.Unlock()
	return types[name]
}

func remove(name string) {
	typeLock.Lock()
	delete(types, name)
	typeLock.Unlock()
}

// --- a *Locked helper runs under its caller's lock; other locks' fields it
// touches are its callers' business (net/http conn.hijackLocked).

type connReader struct {
	mu      sync.Mutex // guards following
	hasByte bool
	closed  bool
}

func (cr *connReader) set(b bool) {
	cr.mu.Lock()
	cr.hasByte = b
	cr.mu.Unlock()
}

func (cr *connReader) get() bool {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return cr.hasByte
}

type hconn struct {
	mu       sync.Mutex
	r        *connReader
	hijacked bool
}

func (c *hconn) Hijack() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hijackLocked()
}

func (c *hconn) hijackLocked() {
	c.hijacked = true
	if c.r.hasByte {
		c.r.set(false)
	}
}

// --- a heading "(also guarded by wmu)" covers its group (net/http h2).

type h2conn struct {
	mu  sync.Mutex
	wmu sync.Mutex
	// Settings from peer: (also guarded by wmu)
	maxFrameSize         uint32
	maxConcurrentStreams uint32
}

func (cc *h2conn) apply(f, s uint32) {
	cc.mu.Lock()
	cc.wmu.Lock()
	cc.maxFrameSize = f
	cc.maxConcurrentStreams = s
	cc.wmu.Unlock()
	cc.mu.Unlock()
}

func (cc *h2conn) streams() uint32 {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.maxConcurrentStreams
}

func (cc *h2conn) frames() uint32 {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.maxFrameSize
}

func (cc *h2conn) write() uint32 {
	cc.wmu.Lock()
	defer cc.wmu.Unlock()
	return cc.maxConcurrentStreams + cc.maxFrameSize
}

// --- a struct that publishes state atomically: fields "below" the mutex
// are read lock-free once the state says they are ready (go/types Named).

type namedT struct {
	state uint32     // accessed atomically
	mu    sync.Mutex // guards all fields below
	under int
	rhs   int
}

func (n *namedT) ready() bool { return atomic.LoadUint32(&n.state) == 1 }

func (n *namedT) resolve() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.under, n.rhs = 1, 2
	atomic.StoreUint32(&n.state, 1)
}

func (n *namedT) setRHS(v int) {
	n.mu.Lock()
	n.rhs = v
	n.mu.Unlock()
}

func (n *namedT) rhsLocked() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.rhs
}

func (n *namedT) fromRHS() int {
	if n.ready() {
		return n.rhs // published by the atomic state
	}
	return 0
}

// --- a helper called from a constructor on its new value and from a locked
// method (etcd lessor.initAndRecover).

type lessor struct {
	mu       sync.Mutex
	leaseMap map[int]int
}

func newLessor() *lessor {
	l := &lessor{}
	l.leaseMap = map[int]int{}
	l.initAndRecover()
	return l
}

func (le *lessor) Recover() {
	le.mu.Lock()
	defer le.mu.Unlock()
	le.leaseMap = map[int]int{}
	le.initAndRecover()
}

func (le *lessor) initAndRecover() { le.leaseMap[1] = 1 }

func (le *lessor) Grant(id int) {
	le.mu.Lock()
	le.leaseMap[id] = id
	le.mu.Unlock()
}

func (le *lessor) Lookup(id int) int {
	le.mu.Lock()
	defer le.mu.Unlock()
	return le.leaseMap[id]
}

// --- dead code under a false constant (database/sql putConn's debugGetPut).

const debugGetPut = false

type pool struct {
	mu      sync.Mutex
	lastPut map[int]string
}

func (p *pool) put(id int) {
	p.mu.Lock()
	if p.lastPut[id] == "" {
		p.mu.Unlock()
		if debugGetPut {
			println(p.lastPut[id]) // never runs
		}
		return
	}
	p.lastPut[id] = "put"
	p.mu.Unlock()
}

func (p *pool) get(id int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastPut[id]
}

func (p *pool) del(id int) {
	p.mu.Lock()
	delete(p.lastPut, id)
	p.mu.Unlock()
}

// --- a recursive helper pair reached only from a locked method (encoding/gob
// Encoder.sendType / sendActualType).

type encoder struct {
	mutex sync.Mutex
	sent  map[int]bool
	err   error
}

func (enc *encoder) Encode(v int) {
	enc.mutex.Lock()
	defer enc.mutex.Unlock()
	enc.err = nil
	enc.describe(v)
}

func (enc *encoder) describe(v int) { enc.sendType(v) }

func (enc *encoder) sendType(v int) bool {
	if v <= 0 {
		return false
	}
	return enc.sendActual(v)
}

func (enc *encoder) sendActual(v int) bool {
	if enc.sent[v] {
		return false
	}
	enc.sent[v] = true
	if enc.err != nil {
		return false
	}
	return enc.sendType(v - 1)
}

func (enc *encoder) Reset() {
	enc.mutex.Lock()
	enc.sent = map[int]bool{}
	enc.err = nil
	enc.mutex.Unlock()
}
