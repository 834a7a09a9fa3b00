// Package stdlibshapes mirrors how the standard library declares and uses
// its guards (see shared/reference/go-idioms.md): trailing "protects
// following fields" comments, "the rest of the fields" across blank lines,
// "guards following 4 fields", "guards all fields below", "guards closed
// and conns", an embedded mutex "guards following", two mutexes splitting
// a struct (net/rpc), atomically typed fields inside a guarded group
// (context), write-only guards over sync.Map and atomic.Value (mime,
// net/http altProto), copy-on-write registries (image), init-only
// registration (crypto), expvar's keys, pprof's profiles and the
// http.Server.Close unlock/relock idiom.
package stdlibshapes

import (
	"net"
	"sort"
	"sync"
	"sync/atomic"
)

// DB: database/sql, "protects following fields" (trailing).
type DB struct {
	numOpen  int
	mu       sync.Mutex // protects following fields
	freeConn []net.Conn
	closed   bool
	maxIdle  int
}

func (db *DB) putConn(c net.Conn) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		c.Close()
		return
	}
	db.freeConn = append(db.freeConn, c)
}

func (db *DB) conn() net.Conn {
	db.mu.Lock()
	defer db.mu.Unlock()
	if n := len(db.freeConn); n > 0 {
		c := db.freeConn[n-1]
		db.freeConn = db.freeConn[:n-1]
		return c
	}
	return nil
}

func (db *DB) Close() {
	db.mu.Lock()
	db.closed = true
	fc := db.freeConn
	db.freeConn = nil
	db.mu.Unlock()
	for _, c := range fc {
		c.Close()
	}
}

func (db *DB) IsClosed() bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.closed
}

func (db *DB) BadIdleCount() int {
	return len(db.freeConn) // want `freeConn is guarded by mu \(mu's comment "protects following fields" at line 23; held at 6 of 7 accesses\); read \(len\) here without it \(RA1001\)`
}

// Stmt: "protects the rest of the fields" runs past blank lines.
type Stmt struct {
	query string

	mu     sync.Mutex // protects the rest of the fields
	closed bool

	// css is a list of underlying driver statement interfaces.
	css []string
}

func (s *Stmt) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.css = nil
}

func (s *Stmt) add(c string) {
	s.mu.Lock()
	s.css = append(s.css, c)
	s.mu.Unlock()
}

func (s *Stmt) Use() {
	s.add(s.query)
}

func (s *Stmt) BadConns() []string {
	return s.css // want `css is guarded by mu \(mu's comment "protects the rest of the fields" at line 75; held at 2 of 3 accesses\); read here without it \(RA1001\)`
}

// bodyEOFSignal: "guards following 4 fields".
type bodyEOFSignal struct {
	body       net.Conn
	mu         sync.Mutex // guards following 4 fields
	closed     bool
	rerr       error
	fn         func(error) error
	earlyClose bool
	n          int // not among the 4
}

func (es *bodyEOFSignal) Read(p []byte) (int, error) {
	es.mu.Lock()
	closed, rerr := es.closed, es.rerr
	es.mu.Unlock()
	if closed || rerr != nil {
		return 0, rerr
	}
	n, err := es.body.Read(p)
	if err != nil {
		es.mu.Lock()
		defer es.mu.Unlock()
		if es.rerr == nil {
			es.rerr = err
		}
	}
	es.n += n
	return n, err
}

func (es *bodyEOFSignal) Close() error {
	es.mu.Lock()
	defer es.mu.Unlock()
	if es.closed {
		return nil
	}
	es.closed = true
	es.earlyClose = es.rerr == nil
	return es.body.Close()
}

func (es *bodyEOFSignal) BadEarly() bool {
	return es.earlyClose // want `earlyClose is guarded by mu \(mu's comment "guards following 4 fields" at line 106; held at 2 of 3 accesses\); read here without it \(RA1001\)`
}

func (es *bodyEOFSignal) N() int {
	return es.n
}

// Client: net/rpc, two mutexes split the struct.
type Call struct{ Seq uint64 }

type Client struct {
	reqMutex sync.Mutex // protects following
	request  uint64

	mutex    sync.Mutex // protects following
	seq      uint64
	pending  map[uint64]*Call
	closing  bool
	shutdown bool
}

func (client *Client) send(call *Call) {
	client.reqMutex.Lock()
	defer client.reqMutex.Unlock()
	client.mutex.Lock()
	if client.shutdown || client.closing {
		client.mutex.Unlock()
		return
	}
	seq := client.seq
	client.seq++
	client.pending[seq] = call
	client.mutex.Unlock()
	client.request = seq
}

func (client *Client) input(seq uint64) *Call {
	client.mutex.Lock()
	call := client.pending[seq]
	delete(client.pending, seq)
	client.mutex.Unlock()
	return call
}

func (client *Client) Close() {
	client.mutex.Lock()
	if client.closing {
		client.mutex.Unlock()
		return
	}
	client.closing = true
	client.mutex.Unlock()
}

func (client *Client) BadPending() int {
	client.reqMutex.Lock()
	defer client.reqMutex.Unlock()
	return len(client.pending) // want `pending is guarded by mutex \(mutex's comment "protects following" at line 159; held at 3 of 4 accesses\); read \(len\) here with client\.reqMutex held instead \(RA1004\)`
}

// cancelCtx: context, atomically typed fields inside the guarded group
// are read lock-free.
type cancelCtx struct {
	mu       sync.Mutex              // protects following fields
	done     atomic.Value            // of chan struct{}, created lazily, closed by first cancel call
	children map[*cancelCtx]struct{} // set to nil by the first cancel call
	err      atomic.Value            // set to non-nil by the first cancel call
}

func (c *cancelCtx) Done() <-chan struct{} {
	d := c.done.Load()
	if d != nil {
		return d.(chan struct{})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d = c.done.Load()
	if d == nil {
		d = make(chan struct{})
		c.done.Store(d)
	}
	return d.(chan struct{})
}

func (c *cancelCtx) Err() error {
	if e := c.err.Load(); e != nil {
		return e.(error)
	}
	return nil
}

func (c *cancelCtx) cancel(err error) {
	c.mu.Lock()
	if c.err.Load() != nil {
		c.mu.Unlock()
		return
	}
	c.err.Store(err)
	for child := range c.children {
		child.cancel(err)
	}
	c.children = nil
	c.mu.Unlock()
}

func (c *cancelCtx) addChild(child *cancelCtx) {
	c.mu.Lock()
	if c.children == nil {
		c.children = map[*cancelCtx]struct{}{}
	}
	c.children[child] = struct{}{}
	c.mu.Unlock()
}

// httptest.Server: "guards closed and conns".
type Server struct {
	mu     sync.Mutex // guards closed and conns
	closed bool
	conns  map[net.Conn]int
	URL    string
}

func (s *Server) wrap(c net.Conn, st int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.conns[c] = st
}

func (s *Server) forget(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

func (s *Server) Close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
}

func (s *Server) BadNumConns() int {
	return len(s.conns) // want `conns is guarded by mu \(mu's comment "guards closed and conns" at line 261; held at 3 of 4 accesses\); read \(len\) here without it \(RA1001\)`
}

// pipe: io, an embedded mutex "guards following".
type pipe struct {
	sync.Mutex // guards following
	waiting    int
	done       bool
}

func (p *pipe) enter() bool {
	p.Lock()
	defer p.Unlock()
	if p.done {
		return false
	}
	p.waiting++
	return true
}

func (p *pipe) leave() {
	p.Lock()
	p.waiting--
	p.Unlock()
}

func (p *pipe) close() {
	p.Lock()
	p.done = true
	p.Unlock()
}

func (p *pipe) BadWaiting() int {
	return p.waiting // want `waiting is guarded by Mutex \(Mutex's comment "guards following" at line 299; held at 2 of 3 accesses\); read here without it \(RA1001\)`
}

// mime: a write-only guard over sync.Maps.
var (
	mimeTypes    sync.Map   // map[string]string: ".Z" => "application/x-compress"
	extensionsMu sync.Mutex // Guards stores (but not loads) on extensions.
	extensions   sync.Map   // map[string][]string: "image/jpeg" => [".jpg", ".jpeg"]
)

func setExtensionType(extension, mimeType string) {
	mimeTypes.Store(extension, mimeType)
	extensionsMu.Lock()
	defer extensionsMu.Unlock()
	var exts []string
	if ei, ok := extensions.Load(mimeType); ok {
		exts = ei.([]string)
	}
	extensions.Store(mimeType, append(exts, extension))
}

func ExtensionsByType(typ string) []string {
	s, ok := extensions.Load(typ)
	if !ok {
		return nil
	}
	return append([]string(nil), s.([]string)...)
}

// image: copy-on-write formats behind a writer mutex.
type format struct{ name, magic string }

var (
	formatsMu     sync.Mutex
	atomicFormats atomic.Value
)

func RegisterFormat(name, magic string) {
	formatsMu.Lock()
	formats, _ := atomicFormats.Load().([]format)
	atomicFormats.Store(append(formats, format{name, magic}))
	formatsMu.Unlock()
}

func sniff(b string) string {
	formats, _ := atomicFormats.Load().([]format)
	for _, f := range formats {
		if len(b) >= len(f.magic) && b[:len(f.magic)] == f.magic {
			return f.name
		}
	}
	return ""
}

// crypto: init-only registration, no lock.
var hashes = make([]func() int, 4)

func RegisterHash(h int, f func() int) {
	hashes[h] = f
}

func init() {
	RegisterHash(1, func() int { return 1 })
}

func Available(h int) bool {
	return h < len(hashes) && hashes[h] != nil
}

// expvar: a sync.Map plus sorted keys under keysMu.
type Map struct {
	m      sync.Map // map[string]Var
	keysMu sync.RWMutex
	keys   []string // sorted
}

func (v *Map) addKey(key string) {
	v.keysMu.Lock()
	defer v.keysMu.Unlock()
	i := sort.SearchStrings(v.keys, key)
	v.keys = append(v.keys, "")
	copy(v.keys[i+1:], v.keys[i:])
	v.keys[i] = key
}

func (v *Map) Set(key string, av int) {
	if _, dup := v.m.LoadOrStore(key, av); !dup {
		v.addKey(key)
	}
}

func (v *Map) Do(f func(string)) {
	v.keysMu.RLock()
	defer v.keysMu.RUnlock()
	for _, k := range v.keys {
		f(k)
	}
}

func (v *Map) Init() *Map {
	v.keysMu.Lock()
	defer v.keysMu.Unlock()
	v.keys = v.keys[:0]
	v.m.Clear()
	return v
}

func (v *Map) BadLen() int {
	return len(v.keys) // want `keys is guarded by keysMu \(held at 6 of 7 accesses, e\.g\. lines 406, 407, 408\); read \(len\) here without it \(RA1001\)`
}

// pprof: a package-level anonymous struct with a named mutex.
var profiles struct {
	mu sync.Mutex
	m  map[string]int
}

func NewProfile(name string) {
	profiles.mu.Lock()
	defer profiles.mu.Unlock()
	if profiles.m == nil {
		profiles.m = map[string]int{}
	}
	if _, ok := profiles.m[name]; ok {
		panic("pprof: NewProfile name already in use: " + name)
	}
	profiles.m[name] = len(profiles.m)
}

func Lookup(name string) int {
	profiles.mu.Lock()
	defer profiles.mu.Unlock()
	return profiles.m[name]
}

func BadProfiles() (names []string) {
	for name := range profiles.m { // want `m is guarded by mu \(held at 5 of 6 accesses, e\.g\. lines 447, 448, 450\); ranged over here without it \(RA1001\)`
		names = append(names, name)
	}
	return names
}

// http.Server.Close: defer Unlock, then Unlock and re-Lock around a wait,
// then delete every active connection under the lock.
type HTTPServer struct {
	mu         sync.Mutex
	inShutdown atomic.Bool
	listeners  map[*net.Listener]struct{}
	activeConn map[net.Conn]struct{}
	group      sync.WaitGroup
}

func (srv *HTTPServer) Close() error {
	srv.inShutdown.Store(true)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for l := range srv.listeners {
		(*l).Close()
	}
	srv.listeners = nil
	// Unlock srv.mu while waiting for listenerGroup.
	srv.mu.Unlock()
	srv.group.Wait()
	srv.mu.Lock()

	for c := range srv.activeConn {
		c.Close()
		delete(srv.activeConn, c)
	}
	return nil
}

func (srv *HTTPServer) trackConn(c net.Conn, add bool) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.activeConn == nil {
		srv.activeConn = make(map[net.Conn]struct{})
	}
	if add {
		srv.activeConn[c] = struct{}{}
	} else {
		delete(srv.activeConn, c)
	}
}

func (srv *HTTPServer) trackListener(l *net.Listener, add bool) bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.listeners == nil {
		srv.listeners = make(map[*net.Listener]struct{})
	}
	if add {
		if srv.inShutdown.Load() {
			return false
		}
		srv.listeners[l] = struct{}{}
	} else {
		delete(srv.listeners, l)
	}
	return true
}

// Transport.CloseIdleConnections: detach under the lock, release outside.
type Transport struct {
	idleMu   sync.Mutex
	idleConn map[string][]net.Conn // most recently used at end
	idleLRU  []net.Conn
}

func (t *Transport) CloseIdleConnections() {
	t.idleMu.Lock()
	m := t.idleConn
	t.idleConn = nil
	t.idleLRU = nil
	t.idleMu.Unlock()
	for _, conns := range m {
		for _, c := range conns {
			c.Close()
		}
	}
}

func (t *Transport) putIdle(key string, c net.Conn) {
	t.idleMu.Lock()
	defer t.idleMu.Unlock()
	if t.idleConn == nil {
		t.idleConn = make(map[string][]net.Conn)
	}
	t.idleConn[key] = append(t.idleConn[key], c)
	t.idleLRU = append(t.idleLRU, c)
}

func (es *bodyEOFSignal) closedEarly() bool {
	es.mu.Lock()
	defer es.mu.Unlock()
	return es.earlyClose
}
