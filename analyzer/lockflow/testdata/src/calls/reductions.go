package calls

import "sync"

// Reductions of false positives seen on real code (bench/FALSE_POSITIVES.md),
// each next to the mistake of the same shape that is still reported.

type cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *cache) lenLocked() int { return len(c.m) }

func observe(int) {}

// Good: deferred calls run last registered first, so the closure runs
// before the earlier deferred Unlock, with c.mu held; the return outside
// the branch registered neither (client-go transport/cache.go).
func (c *cache) get(key string, canCache bool) int {
	if canCache {
		c.mu.Lock()
		defer c.mu.Unlock()
		defer func() { observe(c.lenLocked()) }()
		if v, ok := c.m[key]; ok {
			return v
		}
		c.m[key] = 1
		return 1
	}
	return 0
}

// Good: as in client-go, the branch that locks also falls through to code
// and returns after it: wherever the closure runs, its deferred Unlock has
// not run yet.
func (c *cache) getFallThrough(key string, canCache bool) int {
	if canCache {
		c.mu.Lock()
		defer c.mu.Unlock()
		defer func() { observe(c.lenLocked()) }()
		if v, ok := c.m[key]; ok {
			return v
		}
	}
	if key == "" {
		return -1
	}
	return 0
}

// RA2007: registered before the deferred Unlock, the closure runs after it.
func (c *cache) getLate(key string) int {
	c.mu.Lock()
	defer func() { observe(c.lenLocked()) }() // want `calls c\.lenLocked without holding c\.mu, which lenLocked requires \(its name says the caller holds the lock\) \(RA2007\)`
	defer c.mu.Unlock()
	return c.m[key]
}

// RA2007: the same when a deferred closure releases the lock.
func (c *cache) getLate2(key string) int {
	c.mu.Lock()
	defer func() { observe(c.lenLocked()) }() // want `calls c\.lenLocked without holding c\.mu, which lenLocked requires`
	defer func() { c.mu.Unlock() }()
	return c.m[key]
}

// Good: the closure runs first.
func (c *cache) getEarly(key string) int {
	c.mu.Lock()
	defer func() { c.mu.Unlock() }()
	defer func() { observe(c.lenLocked()) }()
	return c.m[key]
}

type channelState struct{ n int }

type XDSClient struct {
	channelsMu sync.Mutex
	active     map[string]*channelState
}

// getOrCreateChannel returns the channel state for name, and a cleanup
// function.
//
// The initLocked function runs some initialization logic before the state
// is returned.
//
// Both initLocked and deInitLocked are called with the c.channelsMu held.
func (c *XDSClient) getOrCreateChannel(name string, initLocked, deInitLocked func(*channelState)) (*channelState, func()) {
	c.channelsMu.Lock()
	defer c.channelsMu.Unlock()
	st, ok := c.active[name]
	if !ok {
		st = &channelState{}
		c.active[name] = st
	}
	initLocked(st)
	return st, func() {
		c.channelsMu.Lock()
		deInitLocked(st)
		c.channelsMu.Unlock()
	}
}

// Good: the doc of getOrCreateChannel says its callbacks are called with
// c.channelsMu held, not that it is (grpc xdsclient.go).
func (c *XDSClient) Get(name string) *channelState {
	st, _ := c.getOrCreateChannel(name, func(s *channelState) { s.n++ }, func(s *channelState) { s.n-- })
	return st
}

// refresh rebuilds the map. It is called with the c.channelsMu held.
func (c *XDSClient) refresh() { c.active = map[string]*channelState{} }

// RA2007: this doc sentence is about refresh itself.
func (c *XDSClient) Refresh() {
	c.refresh() // want `calls c\.refresh without holding c\.channelsMu, which refresh requires \(its doc comment says "It is called with the c\.channelsMu held"\) \(RA2007\)`
}

// Good: a helper documented as releasing the lock its caller holds, called
// directly or started as a goroutine that inherits the lock (grpc
// addrConn.connect and updateAddrs).
type addrConn struct {
	mu    sync.Mutex
	state int
	addrs []string
}

// resetTransportAndUnlock connects the addrConn.
//
// ac.mu must be held by the caller, and this function will guarantee it is released.
func (ac *addrConn) resetTransportAndUnlock() {
	if ac.state < 0 {
		ac.mu.Unlock()
		return
	}
	ac.state = 1
	ac.mu.Unlock()
	dial()
	ac.mu.Lock()
	ac.state = 2
	ac.mu.Unlock()
}

func dial() {}

func (ac *addrConn) connect() {
	ac.mu.Lock()
	if ac.state != 0 {
		ac.mu.Unlock()
		return
	}
	ac.resetTransportAndUnlock()
}

func (ac *addrConn) updateAddrs(addrs []string) {
	ac.mu.Lock()
	if len(addrs) == 0 {
		ac.mu.Unlock()
		return
	}
	ac.addrs = addrs
	go ac.resetTransportAndUnlock()
}

// RA2001: a goroutine that does not release the lock does not take it over.
func (ac *addrConn) updateAddrsBad(addrs []string) {
	ac.mu.Lock()
	if len(addrs) == 0 {
		ac.mu.Unlock()
		return
	}
	ac.addrs = addrs
	go dial()
} // want `ac\.mu is locked at line \d+ and not released at the end of the function \(RA2001\)`

// Good: "cc.mu must be held" names the mu of the receiver's field cc, not
// the receiver's own mu, which close then takes (grpc ccBalancerWrapper).
type clientConn struct {
	mu  sync.Mutex
	ccb *balancerWrapper
}

type balancerWrapper struct {
	cc     *clientConn
	mu     sync.Mutex
	closed bool
}

// close initiates async shutdown of the wrapper.  cc.mu must be held when
// calling this function.  To wait, block on done() without cc.mu held.
func (ccb *balancerWrapper) close() {
	ccb.mu.Lock()
	ccb.closed = true
	ccb.mu.Unlock()
}

func (cc *clientConn) Close() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.ccb.close()
}

// Good: "Caller must hold b.mu" is the balancer's own mu, not the mu of
// its child wrapper (grpc outlierdetection).
type childWrapper struct {
	mu    sync.Mutex
	state int
}

type odBalancer struct {
	child childWrapper
	mu    sync.Mutex
	cfg   int
}

// noopConfig reports whether the config is a no-op.
//
// Caller must hold b.mu.
func (b *odBalancer) noopConfig() bool { return b.cfg == 0 }

func (b *odBalancer) Update(cfg int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cfg = cfg
	_ = b.noopConfig()
}

// Good: trackWatch returns a cancel function that locks the cache when it
// is called, later; trackWatch itself locks nothing, so calling it with
// the lock held is fine (envoy go-control-plane LinearCache, FP50).
type linearCache struct {
	mu      sync.Mutex
	watches map[int]string
	next    int
}

// Must be called under lock
func (cache *linearCache) trackWatch(w string) func() {
	cache.next++
	id := cache.next
	cache.watches[id] = w
	return func() {
		cache.mu.Lock()
		defer cache.mu.Unlock()
		delete(cache.watches, id)
	}
}

func (cache *snapshotCache) cancelWatch(id int) func() {
	return func() {
		cache.mu.RLock()
		defer cache.mu.RUnlock()
		_ = cache.watches[id]
	}
}

type snapshotCache struct {
	mu      sync.RWMutex
	watches map[int]string
}

func (cache *linearCache) CreateWatch(w string) func() {
	cache.mu.Lock()
	defer cache.mu.Unlock()
	return cache.trackWatch(w)
}

func (cache *snapshotCache) CreateWatch(id int) func() {
	cache.mu.Lock()
	defer cache.mu.Unlock()
	return cache.cancelWatch(id)
}

// Bad: a literal the function calls in place is part of it.
func (cache *linearCache) dropAll() func() {
	func() {
		cache.mu.Lock()
		defer cache.mu.Unlock()
		clear(cache.watches)
	}()
	return nil
}

func (cache *linearCache) Drop() {
	cache.mu.Lock()
	defer cache.mu.Unlock()
	cache.dropAll() // want `calls cache\.dropAll while holding cache\.mu \(locked at line \d+\), but dropAll locks cache\.mu \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
}

// Bad: a lock the function takes before returning its literal still counts.
func (cache *linearCache) lockAndReturn() func() {
	cache.mu.Lock()
	cache.next++
	cache.mu.Unlock()
	return func() {}
}

func (cache *linearCache) Reset() {
	cache.mu.Lock()
	defer cache.mu.Unlock()
	cache.lockAndReturn() // want `calls cache\.lockAndReturn while holding cache\.mu \(locked at line \d+\), but lockAndReturn locks cache\.mu \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
}

// --- FP56: a lock handed to a goroutine (pgx PgConn.signalMessage): the
// function locks and starts a goroutine that unlocks (in its body, or
// deferred), so it does not return holding the lock; a caller locking it
// again waits for that goroutine, it does not deadlock.
type pgConn struct {
	bufMu     sync.Mutex
	buffering bool
	msg       string
}

func (c *pgConn) signal() chan struct{} {
	ch := make(chan struct{})
	c.buffering = true
	c.bufMu.Lock()
	go func() {
		c.msg = "x"
		c.bufMu.Unlock()
		close(ch)
	}()
	return ch
}

func (c *pgConn) signalDeferred() {
	c.bufMu.Lock()
	go func() {
		defer c.bufMu.Unlock()
		c.msg = "y"
	}()
}

func (c *pgConn) peek() string {
	if c.buffering {
		c.bufMu.Lock()
		m := c.msg
		c.bufMu.Unlock()
		c.buffering = false
		return m
	}
	return ""
}

func (c *pgConn) CopyFrom() string {
	c.signal()
	c.signalDeferred()
	return c.peek()
}

// Bad: the goroutine unlocks on some paths only; the function is a lock
// wrapper as before.
func (c *pgConn) lockAndWatch() {
	c.bufMu.Lock()
	go func() {
		if c.buffering {
			c.bufMu.Unlock()
		}
	}()
}

func (c *pgConn) Watch() string {
	c.lockAndWatch()
	return c.peek() // want `calls c\.peek while holding c\.bufMu \(locked at line \d+\), but peek locks c\.bufMu \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
}

// FP61 (jackc/pgx pgconn.go:1594, 1604, 1626): a function that locks a
// mutex and starts a goroutine that unlocks it hands the lock over: its
// caller does not hold it afterwards (peekMessage's Lock waits for the
// goroutine), and a second signal waits for the first goroutine.
type pgConnB struct {
	bufMu   sync.Mutex
	buffing bool
	msg     string
}

func (c *pgConnB) signalMessage() chan struct{} {
	ch := make(chan struct{})
	c.buffing = true
	c.bufMu.Lock()
	go func() {
		c.msg = "received"
		c.bufMu.Unlock()
		close(ch)
	}()
	return ch
}

func (c *pgConnB) peekMessage() string {
	if c.buffing {
		c.bufMu.Lock()
		m := c.msg
		c.bufMu.Unlock()
		c.buffing = false
		return m
	}
	return ""
}

func (c *pgConnB) CopyFrom(n int) {
	ch := c.signalMessage()
	for i := 0; i < n; i++ {
		<-ch
		_ = c.peekMessage()
		ch = c.signalMessage()
	}
	<-ch
	_ = c.peekMessage()
}

// Bad: the goroutine locks the mutex on its own instead of taking over the
// caller's lock, so signalHeld returns holding it.
func (c *pgConnB) signalHeld() chan struct{} {
	ch := make(chan struct{})
	c.bufMu.Lock()
	go func() {
		c.bufMu.Lock()
		c.msg = "received"
		c.bufMu.Unlock()
		close(ch)
	}()
	return ch
}

func (c *pgConnB) CopyHeld() {
	ch := c.signalHeld()
	<-ch
	_ = c.peekMessage() // want `calls c\.peekMessage while holding c\.bufMu \(locked at line \d+\), but peekMessage locks c\.bufMu \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
}

// FP62 (quic-go receive_stream.go:121): a helper whose every caller holds
// the mutex releases it to wait and takes it again: it does not lock it as
// its callers see it.
type recvStream struct {
	mutex sync.Mutex
	frame []byte
	ready chan struct{}
}

func (s *recvStream) readImpl(p []byte) int {
	for len(s.frame) == 0 {
		s.mutex.Unlock()
		<-s.ready
		s.mutex.Lock()
	}
	return copy(p, s.frame)
}

func (s *recvStream) Read(p []byte) int {
	s.mutex.Lock()
	n := s.readImpl(p)
	s.mutex.Unlock()
	return n
}

func (s *recvStream) ReadAll(p []byte) int {
	s.mutex.Lock()
	defer s.mutex.Unlock()
	return s.readImpl(p)
}

// Bad: a helper whose callers hold the mutex and that locks it without
// releasing it first deadlocks them.
func (s *recvStream) peekImpl() int {
	s.mutex.Lock()
	n := len(s.frame)
	s.mutex.Unlock()
	return n
}

func (s *recvStream) Peek() int {
	s.mutex.Lock()
	defer s.mutex.Unlock()
	return s.peekImpl() // want `calls s\.peekImpl while holding s\.mutex \(locked at line \d+\), but peekImpl locks s\.mutex \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
}

func (s *recvStream) PeekAgain() int {
	s.mutex.Lock()
	n := s.peekImpl() // want `calls s\.peekImpl while holding s\.mutex \(locked at line \d+\), but peekImpl locks s\.mutex \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
	s.mutex.Unlock()
	return n
}

// FP91 (jellydator/ttlcache): a helper that locks only if its bool
// parameter says so does not lock when the caller passes the constant that
// skips the lock.
type ttlCache struct {
	mu    sync.Mutex
	items map[string]int
	hits  int
}

func (c *ttlCache) getWithOpts(key string, lockAndLoad bool) int {
	if lockAndLoad {
		c.mu.Lock()
	}
	v := c.items[key]
	if lockAndLoad {
		c.mu.Unlock()
	}
	return v
}

func (c *ttlCache) Get(key string) int { return c.getWithOpts(key, true) }

// Good: lockAndLoad is false.
func (c *ttlCache) GetOrSet(key string, v int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.getWithOpts(key, false); old != 0 {
		return old
	}
	c.items[key] = v
	return v
}

// Bad: lockAndLoad is true.
func (c *ttlCache) GetOrSetLocking(key string, v int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.getWithOpts(key, true); old != 0 { // want `calls c\.getWithOpts while holding c\.mu \(locked at line \d+\), but getWithOpts locks c\.mu \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
		return old
	}
	c.items[key] = v
	return v
}

// The condition follows the parameter through a caller that passes its
// own, and a lock in the else branch of a test of the parameter.
func (c *ttlCache) lookup(key string, locking bool) int { return c.getWithOpts(key, locking) }

func (c *ttlCache) count(unlocked bool) {
	if unlocked {
		c.hits++
	} else {
		c.mu.Lock()
		c.hits++
		c.mu.Unlock()
	}
}

// Good: false passed through lookup, true to count's negated parameter.
func (c *ttlCache) Touch(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.lookup(key, false)
	c.count(true)
}

// Bad: the values that lock.
func (c *ttlCache) TouchLocking(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.lookup(key, true) // want `calls c\.lookup while holding c\.mu \(locked at line \d+\), but lookup locks c\.mu through getWithOpts \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
	c.count(false)          // want `calls c\.count while holding c\.mu \(locked at line \d+\), but count locks c\.mu \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
}

// Bad: a parameter that is assigned is no condition the caller controls.
func (c *ttlCache) getReassigned(key string, lock bool) int {
	if key == "" {
		lock = true
	}
	if lock {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	return c.items[key]
}

func (c *ttlCache) GetEmpty(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getReassigned(key, false) // want `calls c\.getReassigned while holding c\.mu \(locked at line \d+\), but getReassigned locks c\.mu \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
}

// --- FP160: a function named "locked" that takes the lock itself and
// returns its release (defer fs.locked()()) does not require its caller
// to hold it: a caller holding it would deadlock.
type lockingFS struct {
	lock  sync.Mutex
	calls int
}

func (fs *lockingFS) locked() func() {
	fs.lock.Lock()
	return func() { fs.lock.Unlock() }
}

// Good: the wrapper takes the lock through locked.
func (fs *lockingFS) GetAttr() int {
	defer fs.locked()()
	return 1
}

func (fs *lockingFS) statsLocked() int { return fs.calls }

// (unlock-then-relock around the hook: the name still applies)
func (fs *lockingFS) incLocked(hook func()) {
	fs.lock.Unlock()
	hook()
	fs.lock.Lock()
	fs.calls++
}

func (fs *lockingFS) Inc() {
	defer fs.locked()()
	fs.calls++
}

// Bad: the control, a *Locked helper that does not lock, called without
// the lock; and the unlock-then-relock helper.
func (fs *lockingFS) Stats() int {
	return fs.statsLocked() // want `calls fs\.statsLocked without holding fs\.lock, which statsLocked requires \(its name says the caller holds the lock\) \(RA2007\)`
}

func (fs *lockingFS) IncHook() {
	fs.incLocked(func() {}) // want `calls fs\.incLocked without holding fs\.lock, which incLocked requires \(its name says the caller holds the lock\) \(RA2007\)`
}

// --- FP163 (go-imap): the constructor locks the connection's write lock
// and returns an encoder storing the connection; the encoder's end
// unlocks it through that field. enc.end() releases c.encMu: enc.conn is
// c.
type imapConn struct {
	encMu sync.Mutex
	other sync.Mutex
	n     int
}

type respEncoder struct {
	conn *imapConn
	tag  string
}

func newRespEncoder(c *imapConn) *respEncoder {
	c.encMu.Lock() // released by respEncoder.end
	return &respEncoder{conn: c}
}

func (e *respEncoder) end() { e.conn.encMu.Unlock() }

func (c *imapConn) writeOK() error {
	enc := newRespEncoder(c)
	defer enc.end()
	return nil
}

// Good: each write ends its encoder.
func (c *imapConn) handle() error {
	if err := c.writeOK(); err != nil {
		return err
	}
	return c.writeOK()
}

// the client side: a method returning a local variable defined by the
// literal, ended explicitly
type imapClient struct {
	encMu sync.Mutex
	tag   int
}

type cmdEncoder struct {
	client *imapClient
}

func (c *imapClient) beginCommand() *cmdEncoder {
	c.encMu.Lock() // unlocked by cmdEncoder.end
	enc := &cmdEncoder{client: c}
	return enc
}

func (e *cmdEncoder) end() { e.client.encMu.Unlock() }

func (c *imapClient) noop() {
	enc := c.beginCommand()
	enc.end()
}

// Good: the first command ended its encoder.
func (c *imapClient) Move() {
	enc := c.beginCommand()
	enc.end()
	c.noop()
}

// Bad: the encoder is not ended before the next command.
func (c *imapClient) MoveLeaky() {
	enc := c.beginCommand()
	c.noop() // want `calls c\.noop while holding c\.encMu \(locked at line \d+\), but noop locks c\.encMu through beginCommand \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
	enc.end()
}

// Bad: the encoder's field is another connection.
func (c *imapConn) writeOther(d *imapConn) error {
	enc := newRespEncoderFor(c, d)
	defer enc.end()
	return nil
}

func newRespEncoderFor(c, d *imapConn) *respEncoder {
	c.encMu.Lock()
	return &respEncoder{conn: d}
}

func (c *imapConn) handleOther(d *imapConn) error {
	if err := c.writeOther(d); err != nil {
		return err
	}
	return c.writeOK() // want `calls c\.writeOK while holding c\.encMu \(locked at line \d+\), but writeOK locks c\.encMu through newRespEncoder \(reductions\.go:\d+\): this deadlocks \(RA2003\)`
}
