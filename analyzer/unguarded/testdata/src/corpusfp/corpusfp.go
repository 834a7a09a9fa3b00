// Package corpusfp holds reductions of false positives seen on the real
// corpus (bench/triage.tsv), each as a negative case that must stay
// silent, next to a positive control that keeps the rule honest.
package corpusfp

import (
	"container/heap"
	"sync"
)

// --- Fields declared above a mutex whose comment scopes its guard -------
// (etcd membership/cluster.go: localID and cid sit above "sync.Mutex //
// guards the fields below"; they are set at bootstrap and read freely, and
// happen to be read inside locked methods too.)

type Cluster struct {
	localID uint64
	cid     uint64

	sync.Mutex // guards the fields below
	members    map[uint64]string
}

func (c *Cluster) SetID(local, cid uint64) {
	c.localID = local
	c.cid = cid
}

func (c *Cluster) ID() uint64 { return c.cid }

func (c *Cluster) Add(id uint64, name string) {
	c.Lock()
	defer c.Unlock()
	c.members[id] = name
	_ = c.localID
	_ = c.cid
}

func (c *Cluster) Remove(id uint64) {
	c.Lock()
	defer c.Unlock()
	delete(c.members, id)
	_ = c.localID
	_ = c.cid
}

func (c *Cluster) Name(id uint64) string {
	c.Lock()
	defer c.Unlock()
	_ = c.localID
	_ = c.cid
	return c.members[id]
}

func (c *Cluster) Rename(id uint64, name string) {
	c.Lock()
	defer c.Unlock()
	c.members[id] = name + string(rune(c.localID)) + string(rune(c.cid))
}

func (c *Cluster) Has(id uint64) bool {
	c.Lock()
	defer c.Unlock()
	_, ok := c.members[id+c.localID+c.cid]
	return ok
}

func (c *Cluster) IsLocal(id uint64) bool {
	c.Lock()
	defer c.Unlock()
	return c.members[id] != "" && id == c.localID && c.cid != 0
}

func (c *Cluster) Local() uint64 { return c.localID }

func (c *Cluster) Count() int {
	return len(c.members) // want `members is guarded by Mutex \(Mutex's comment "guards the fields below" at line 20; held at 6 of 7 accesses\); read \(len\) here without it \(RA1001\)`
}

// Without a scoping comment, the same use establishes the guard.
type Plain struct {
	gen int
	mu  sync.Mutex
	m   map[int]int
}

func (p *Plain) Put(k int) {
	p.mu.Lock()
	p.m[k] = p.gen
	p.gen++
	p.mu.Unlock()
}

func (p *Plain) Del(k int) {
	p.mu.Lock()
	delete(p.m, k)
	p.gen++
	p.mu.Unlock()
}

func (p *Plain) Bump() {
	p.mu.Lock()
	p.gen++
	p.mu.Unlock()
}

func (p *Plain) Gen() int {
	return p.gen // want `gen is guarded by mu \(held at 4 of 5 accesses, e\.g\. lines 89, 90, 97\); read here without it \(RA1001\)`
}

// --- A pointer field handed to container/heap -------------------------
// (client-go tools/cache/heap.go: heap.Fix(h.data, i) modifies *h.data,
// not the field data, which is set once in the constructor.)

type heapData struct {
	keys    []string
	keyFunc func(string) string
}

func (h *heapData) Len() int           { return len(h.keys) }
func (h *heapData) Less(i, j int) bool { return h.keys[i] < h.keys[j] }
func (h *heapData) Swap(i, j int)      { h.keys[i], h.keys[j] = h.keys[j], h.keys[i] }
func (h *heapData) Push(x any)         { h.keys = append(h.keys, x.(string)) }
func (h *heapData) Pop() any {
	k := h.keys[len(h.keys)-1]
	h.keys = h.keys[:len(h.keys)-1]
	return k
}

type Heap struct {
	lock sync.Mutex
	data *heapData
}

func NewHeap(kf func(string) string) *Heap {
	return &Heap{data: &heapData{keyFunc: kf}}
}

func (h *Heap) Add(k string) {
	key := h.data.keyFunc(k)
	h.lock.Lock()
	defer h.lock.Unlock()
	heap.Push(h.data, key)
}

func (h *Heap) Fix(i int) {
	h.lock.Lock()
	defer h.lock.Unlock()
	heap.Fix(h.data, i)
}

func (h *Heap) Pop() string {
	h.lock.Lock()
	defer h.lock.Unlock()
	return heap.Pop(h.data).(string)
}

func (h *Heap) Len() int {
	h.lock.Lock()
	defer h.lock.Unlock()
	return h.data.Len()
}

func (h *Heap) Empty() bool {
	h.lock.Lock()
	defer h.lock.Unlock()
	return h.data.Len() == 0
}

func (h *Heap) Top() string {
	h.lock.Lock()
	defer h.lock.Unlock()
	return h.data.keys[0]
}

func (h *Heap) Key(k string) string { return h.data.keyFunc(k) }

// A slice that is itself the heap is modified by container/heap.
type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type Queue struct {
	mu sync.Mutex
	q  intHeap
}

func (q *Queue) Push(x int) {
	q.mu.Lock()
	heap.Push(&q.q, x)
	q.mu.Unlock()
}

func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return heap.Pop(&q.q).(int)
}

func (q *Queue) Peek() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.q[0]
}

func (q *Queue) Len() int {
	return len(q.q) // want `q is guarded by mu \(held at 3 of 4 accesses, e\.g\. lines 199, 206, 212\); read \(len\) here without it \(RA1001\)`
}

// --- Unsafe-prefixed methods: the name says the caller synchronizes ------
// (etcd membership/cluster.go UnsafeLoad, called by Recover with the lock
// held; etcd's convention for "caller holds the lock".)

type Store struct {
	mu      sync.Mutex
	version int            // guarded by mu
	index   map[string]int // guarded by mu
}

func (s *Store) UnsafeLoad(v int) {
	s.version = v
	s.index = map[string]int{}
}

func (s *Store) unsafeBump() { s.version++ }

func (s *Store) Recover(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.UnsafeLoad(v)
	s.unsafeBump()
}

func (s *Store) Version() int {
	return s.version // want `version is guarded by mu \(its comment says "guarded by mu" at line 225\); read here without it \(RA1001\)`
}

// --- Written holding two locks, read holding either ---------------------
// (prometheus summary.go hotBufExpTime; etcd mvcc compactMainRev: every
// write holds both mtx and bufMtx, so a read holding one of them cannot
// race with a write.)

type Summary struct {
	mtx    sync.Mutex
	bufMtx sync.Mutex
	exp    int // protected by mtx
	hot    []int
	cold   []int
}

func (s *Summary) Observe(v int) {
	s.bufMtx.Lock()
	defer s.bufMtx.Unlock()
	if v > s.exp {
		s.mtx.Lock()
		s.swap(v)
		s.mtx.Unlock()
	}
	s.hot = append(s.hot, v)
}

func (s *Summary) swap(v int) {
	s.exp = v
	s.hot, s.cold = s.cold, s.hot
}

func (s *Summary) Write() int {
	s.bufMtx.Lock()
	s.mtx.Lock()
	defer s.mtx.Unlock()
	s.swap(0)
	s.bufMtx.Unlock()
	return s.flush()
}

func (s *Summary) Flush() int {
	s.mtx.Lock()
	defer s.mtx.Unlock()
	return s.flush()
}

func (s *Summary) flush() int {
	n := len(s.cold)
	return n + s.exp // read with mtx only: every write holds both
}

func (s *Summary) Expiry() int {
	s.bufMtx.Lock()
	defer s.bufMtx.Unlock()
	return s.exp // read with bufMtx only: every write holds both
}

func (s *Summary) Peek() int {
	return s.exp // want `exp is guarded by .*; read here without it \(RA1001\)`
}

// --- A commented guard on a field never written after construction -----
// (grpc balancer/rls: "closed *grpcsync.Event // Guarded by stateMu" is set
// in the constructor; firing the event is what the comment is about.)

type Event struct{ ch chan struct{} }

func (e *Event) Fire()          { close(e.ch) }
func (e *Event) HasFired() bool { return e.ch == nil }

type Balancer struct {
	stateMu sync.Mutex
	closed  *Event         // Guarded by stateMu.
	picks   map[string]int // Guarded by stateMu.
}

func NewBalancer() *Balancer {
	return &Balancer{closed: &Event{ch: make(chan struct{})}, picks: map[string]int{}}
}

func (b *Balancer) Close() {
	b.stateMu.Lock()
	b.closed.Fire()
	b.stateMu.Unlock()
}

func (b *Balancer) Update(k string) {
	if b.closed.HasFired() {
		return
	}
	b.stateMu.Lock()
	b.picks[k]++
	b.stateMu.Unlock()
}

func (b *Balancer) Picks() int {
	return len(b.picks) // want `picks is guarded by stateMu \(its comment says "Guarded by stateMu\." at line 318\); read \(len\) here without it \(RA1001\)`
}

// --- Fields whose comment says they need no synchronization -------------
// (grpc internal/xds/server listener_wrapper.go: a group below "mu guards
// access to the below fields" documented as accessed only from synchronous
// callbacks; rds_handler.go: "Safe to read cancels because ...".)

type Listener struct {
	// mu guards access to the below fields.
	mu    sync.Mutex
	conns map[int]bool

	// These fields are read and written in the context of updates, which
	// are emitted synchronously. Thus, they do not need further
	// synchronization.
	pending map[int]bool
	routes  map[string]int
}

func (l *Listener) Accept(id int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.conns[id] = true
	l.pending[id] = true
	l.routes["x"]++
}

func (l *Listener) Drain() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id := range l.pending {
		delete(l.conns, id)
	}
	l.routes["y"]++
}

func (l *Listener) Update(id int) {
	l.mu.Lock()
	l.routes["z"]++
	l.conns[id] = false
	l.mu.Unlock()
	l.pending[id] = false
}

func (l *Listener) Has(id int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conns[id]
}

func (l *Listener) Ready() bool {
	// Safe to read conns because it is only written in the update
	// callbacks, which are synchronous.
	return len(l.conns) > 0
}

func (l *Listener) Conns() int {
	return len(l.conns) // want `conns is guarded by mu \(mu's comment "mu guards access to the below fields\." at line \d+; held at 4 of 6 accesses\); read \(len\) here without it \(RA1001\)`
}

// --- Initializer methods that take no lock -------------------------------
// (etcd rafthttp Transport.Start makes the peer maps before the transport
// is used: a method named Start/Init/Setup that locks nothing sets the
// value up, like a constructor.)

type Transport struct {
	mu      sync.RWMutex
	peers   map[int]string
	remotes map[int]string
}

func (t *Transport) Start() {
	t.peers = make(map[int]string)
	t.remotes = make(map[int]string)
}

func (t *Transport) AddPeer(id int, u string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.peers[id] = u
	t.remotes[id] = u
}

func (t *Transport) RemovePeer(id int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.peers, id)
	delete(t.remotes, id)
}

func (t *Transport) Get(id int) (string, string) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.peers[id], t.remotes[id]
}

// An initializer that locks is ordinary code: it runs while others may use
// the value.
type Pool struct {
	mu      sync.Mutex
	running bool
	conns   map[int]string
}

func (p *Pool) Start() {
	p.mu.Lock()
	p.running = true
	p.mu.Unlock()
	p.conns = make(map[int]string) // want `conns is guarded by mu \(held at 3 of 4 accesses, e\.g\. lines \d+, \d+, \d+\); written here without it \(RA1002\)`
}

func (p *Pool) Add(id int, c string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[id] = c
}

func (p *Pool) Remove(id int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, id)
}

func (p *Pool) Get(id int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conns[id]
}

// --- A goroutine that takes over a lock ---------------------------------
// (prometheus summary.go asyncFlush: the goroutine unlocks mtx when done,
// so it runs holding it.)

type Flusher struct {
	mtx  sync.Mutex
	cold []float64 // guarded by mtx
	sum  float64   // guarded by mtx
}

func (f *Flusher) asyncFlush(v float64) {
	f.mtx.Lock()
	f.cold = append(f.cold, v)
	go func() {
		f.flush()
		f.mtx.Unlock()
	}()
}

func (f *Flusher) flush() {
	for _, v := range f.cold {
		f.sum += v
	}
	f.cold = f.cold[:0]
}

func (f *Flusher) Sum() float64 {
	f.mtx.Lock()
	defer f.mtx.Unlock()
	f.flush()
	return f.sum
}

func (f *Flusher) asyncBad(v float64) {
	f.mtx.Lock()
	defer f.mtx.Unlock()
	f.cold = append(f.cold, v)
	go func() {
		f.sum += v // want `sum is guarded by mtx \(its comment says "guarded by mtx" at line \d+\); written in a goroutine started at line \d+ while mtx was held, but the goroutine does not hold it \(RA1005\)`
	}()
}

// --- A function documented as needing no lock ----------------------------
// (etcd v2store event_history.go clone: "do not need to obtain internal
// lock", called with the store's lock held.)

type History struct {
	rwl   sync.RWMutex
	start int
	last  int
}

func (h *History) Add(i int) {
	h.rwl.Lock()
	defer h.rwl.Unlock()
	h.last = i
	h.start++
}

func (h *History) Scan() (int, int) {
	h.rwl.RLock()
	defer h.rwl.RUnlock()
	return h.start, h.last
}

func (h *History) Reset() {
	h.rwl.Lock()
	h.start = 0
	h.last = 0
	h.rwl.Unlock()
}

func (h *History) Since(i int) bool {
	h.rwl.RLock()
	defer h.rwl.RUnlock()
	return i <= h.last
}

func (h *History) Len() int {
	h.rwl.RLock()
	defer h.rwl.RUnlock()
	return h.last - h.start
}

func (h *History) Bump() {
	h.rwl.Lock()
	h.last++
	h.rwl.Unlock()
}

// clone is called with the store's lock held:
// do not need to obtain internal lock
func (h *History) clone() *History {
	return &History{start: h.start, last: h.last}
}

func (h *History) Last() int {
	return h.last // want `last is guarded by rwl \(held at 6 of 8 accesses.*\); read here without it \(RA1001\)`
}

// --- A goroutine reading a field written only before it started ----------
// (grpc internal/binarylog sink.go: the ticker is made, then the flush
// goroutine started; the go statement orders the write before its reads.)

type Sink struct {
	mu      sync.Mutex
	started bool
	ticker  *tick // guarded by mu
	buf     []int // guarded by mu
}

type tick struct{ C chan int }

func (s *Sink) Write(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started {
		s.startFlusher()
		s.started = true
	}
	s.buf = append(s.buf, v)
}

func (s *Sink) startFlusher() {
	s.ticker = &tick{C: make(chan int)}
	go func() {
		for range s.ticker.C {
			s.flush()
		}
	}()
	go func() {
		_ = len(s.buf) // want `buf is guarded by mu .*read \(len\) in a goroutine started at line \d+ while mu was held, but the goroutine does not hold it \(RA1005\)`
	}()
}

func (s *Sink) flush() {
	s.mu.Lock()
	s.buf = s.buf[:0]
	s.mu.Unlock()
}

func (s *Sink) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ticker != nil {
		close(s.ticker.C)
	}
}

// --- Functional options -----------------------------------------------------
// (client-go tools/cache thread_safe_store.go: WithThreadSafeStoreMetrics
// returns an option that the constructor applies before sharing the store.)

type TSStore struct {
	lock    sync.RWMutex
	items   map[string]int // guarded by lock
	metrics int            // guarded by lock
}

type TSOption = func(*TSStore)

func WithMetrics(m int) TSOption {
	return func(c *TSStore) {
		c.metrics = m
	}
}

func NewTSStore(opts ...TSOption) *TSStore {
	s := &TSStore{items: map[string]int{}}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

func (s *TSStore) Add(k string) {
	s.lock.Lock()
	defer s.lock.Unlock()
	s.items[k] = s.metrics
}

func (s *TSStore) SetMetrics(m int) {
	s.metrics = m // want `metrics is guarded by lock \(its comment says "guarded by lock" at line \d+\); written here without it \(RA1002\)`
}

// --- Methods of another type called under the owner's lock -----------------
// (etcd v2store node.go: node methods read n.store.CurrentIndex; every
// caller is a store method holding s.worldLock. The node cannot be matched
// to the store by path, but every call site holds that mutex field.)

type vstore struct {
	worldLock    sync.RWMutex
	CurrentIndex uint64 // guarded by worldLock
	root         *vnode
}

type vnode struct {
	store    *vstore
	value    string
	children map[string]*vnode
}

func (n *vnode) Read() (string, uint64) {
	return n.value, n.store.CurrentIndex
}

func (n *vnode) Walk(f func(*vnode)) {
	f(n)
	_ = n.store.CurrentIndex
	for _, c := range n.children {
		c.Walk(f)
	}
}

// The constructor walks the fresh tree without the lock: construction.
func newVstore() *vstore {
	s := &vstore{root: &vnode{}}
	s.root.store = s
	s.root.Walk(func(*vnode) {})
	return s
}

func (s *vstore) Get() (string, uint64) {
	s.worldLock.RLock()
	defer s.worldLock.RUnlock()
	s.root.Walk(func(*vnode) {})
	return s.root.Read()
}

func (s *vstore) Set(v string) {
	s.worldLock.Lock()
	defer s.worldLock.Unlock()
	s.CurrentIndex++
	s.root.value = v
}

func (s *vstore) Index() uint64 {
	s.worldLock.RLock()
	defer s.worldLock.RUnlock()
	return s.CurrentIndex
}

func (s *vstore) Bump() {
	s.worldLock.Lock()
	s.CurrentIndex++
	s.worldLock.Unlock()
}

// Called from outside any lock: judged as usual.
func (n *vnode) Peek() uint64 {
	return n.store.CurrentIndex // want `CurrentIndex is guarded by worldLock \(its comment says "guarded by worldLock" at line \d+\); read here without it \(RA1001\)`
}

func (s *vstore) Debug() uint64 {
	return s.root.Peek()
}

// --- Fields set once by a lazy initializer under the lock ---------------
// (debug/gosym pclntab.go: parsePclnTab locks, returns if the version is
// known, and fills the tables, which are read-only afterwards.)

type LineTable struct {
	mu      sync.Mutex
	version int
	filetab []byte
	funcs   map[string]int
}

func (t *LineTable) parse() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.version != 0 {
		return
	}
	t.filetab = []byte("x")
	t.funcs = map[string]int{}
	t.version = 1
}

func (t *LineTable) Files() int {
	t.parse()
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.filetab) + len(t.funcs)
}

func (t *LineTable) Names() []byte {
	t.parse()
	t.mu.Lock()
	defer t.mu.Unlock()
	_ = t.funcs["a"]
	return t.filetab
}

func (t *LineTable) Count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.filetab) + len(t.funcs)
}

func (t *LineTable) File(i int) byte {
	t.parse()
	return t.filetab[i]
}

// funcs is also written after the initializer: judged as usual.
func (t *LineTable) AddFunc(n string) {
	t.mu.Lock()
	t.funcs[n] = len(t.funcs)
	t.mu.Unlock()
}

func (t *LineTable) Func(n string) int {
	t.parse()
	return t.funcs[n] // want `funcs is guarded by mu \(held at \d+ of \d+ accesses.*\); read here without it \(RA1001\)`
}

// --- Set up before starting the goroutines that use it --------------------
// (etcd proxy/tcpproxy userspace.go: Run fills tp.remotes, then starts the
// monitor and the connection handlers, the only code that uses it; the go
// statements order the writes before them.)

type Proxy struct {
	Endpoints []string

	mu      sync.Mutex // guards the following fields
	remotes []string
	picks   int
}

func (p *Proxy) Run(accept func() (int, error)) error {
	for _, e := range p.Endpoints {
		p.remotes = append(p.remotes, e)
	}
	go p.monitor()
	for {
		c, err := accept()
		if err != nil {
			return err
		}
		go p.serve(c)
	}
}

func (p *Proxy) pick() string {
	r := p.remotes[p.picks%len(p.remotes)]
	p.picks++
	return r
}

func (p *Proxy) serve(int) {
	p.mu.Lock()
	_ = p.pick()
	p.mu.Unlock()
}

func (p *Proxy) monitor() {
	p.mu.Lock()
	for range p.remotes {
	}
	p.mu.Unlock()
}

// Another exported method uses the field: a caller may run it while Run
// writes.
type Proxy2 struct {
	Endpoints []string

	mu      sync.Mutex // guards the following fields
	remotes []string
}

func (p *Proxy2) Run() {
	for _, e := range p.Endpoints {
		p.remotes = append(p.remotes, e) // want `remotes is guarded by mu .*; written here without it \(RA1002\)`
	}
	go p.monitor()
}

func (p *Proxy2) monitor() {
	p.mu.Lock()
	for range p.remotes {
	}
	p.mu.Unlock()
}

func (p *Proxy2) Remotes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.remotes)
}

// Written after the goroutine that uses it is started, or in the loop that
// starts them.
type Proxy3 struct {
	mu      sync.Mutex // guards the following fields
	remotes []string
	conns   int
}

func (p *Proxy3) Run(accept func() int) {
	go p.monitor()
	p.remotes = nil // want `remotes is guarded by mu .*; written here without it \(RA1002\)`
	for {
		p.conns++ // want `conns is guarded by mu .*; written here without it \(RA1002\)`
		go p.serve(accept())
	}
}

func (p *Proxy3) serve(int) {
	p.mu.Lock()
	p.conns--
	p.remotes = append(p.remotes, "")
	p.mu.Unlock()
}

func (p *Proxy3) monitor() {
	p.mu.Lock()
	for range p.remotes {
	}
	p.conns = 0
	p.mu.Unlock()
}

// --- A section serialized by a channel semaphore ---------------------------
// (net/nss.go: tryUpdate reads conf.nssConf without mu inside the ch
// semaphore section; its only write after init is in the same section.)

type nssFile struct{ mtime int }

type nssConfig struct {
	initOnce sync.Once
	ch       chan struct{} // semaphore: one update at a time
	checked  int

	mu      sync.Mutex // protects the fields below
	conf    *nssFile
	retries int
}

func (c *nssConfig) init() {
	c.conf = &nssFile{}
	c.ch = make(chan struct{}, 1)
}

func (c *nssConfig) Get() *nssFile {
	c.tryUpdate(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conf
}

func (c *nssConfig) Retries() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.retries
}

func (c *nssConfig) tryUpdate(mtime int) {
	c.initOnce.Do(c.init)
	if !c.tryAcquireSema() {
		return
	}
	defer c.releaseSema()
	if mtime == c.conf.mtime {
		return
	}
	c.mu.Lock()
	c.conf = &nssFile{mtime: mtime}
	c.mu.Unlock()
}

// Without the semaphore, two updates race: the read is reported.
func (c *nssConfig) Bump() {
	n := c.retries // want `retries is guarded by mu .*; read here without it \(RA1001\)`
	c.mu.Lock()
	c.retries = n + 1
	c.mu.Unlock()
}

func (c *nssConfig) tryAcquireSema() bool {
	select {
	case c.ch <- struct{}{}:
		return true
	default:
		return false
	}
}

func (c *nssConfig) releaseSema() { <-c.ch }

// A semaphore of capacity 2 lets two sections run at once.
type nssConfig2 struct {
	sem chan struct{}

	mu   sync.Mutex // protects conf
	conf *nssFile
}

func newNSSConfig2() *nssConfig2 {
	return &nssConfig2{sem: make(chan struct{}, 2), conf: &nssFile{}}
}

func (c *nssConfig2) Get() *nssFile {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conf
}

func (c *nssConfig2) update(mtime int) {
	c.sem <- struct{}{}
	defer func() { <-c.sem }()
	if mtime == c.conf.mtime { // want `conf is guarded by mu .*; read here without it \(RA1001\)`
		return
	}
	c.mu.Lock()
	c.conf = &nssFile{mtime: mtime}
	c.mu.Unlock()
}

func (c *nssConfig2) Update(mtime int) { c.update(mtime) }

// --- A transaction's End runs holding the lock its Begin took ------------
// (etcd mvcc kvstore.go:419: storeTxnWrite.End increments currentRev
// holding revMu and, until its last line releases it, the read lock of
// s.mu that Write took; restore reads currentRev holding s.mu's write
// lock, which excludes every writer.)

type kvStore struct {
	mu    sync.RWMutex // read-locked by transactions, write-locked by Restore
	revMu sync.RWMutex
	rev   int64 // guarded by revMu
}

type writeTxn struct {
	s       *kvStore
	changed bool
}

func (s *kvStore) Write() *writeTxn {
	s.mu.RLock()
	return &writeTxn{s: s}
}

// End releases the read lock of s.mu that Write took: it runs holding it.
func (t *writeTxn) End() {
	if t.changed {
		t.s.revMu.Lock()
		t.s.rev++
		t.s.revMu.Unlock()
	}
	t.s.mu.RUnlock()
}

func (s *kvStore) Restore() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revMu.Lock()
	s.rev = 1
	s.revMu.Unlock()
	_ = s.rev // every write holds s.mu, this read holds it exclusively
}

func (s *kvStore) Rev() int64 {
	s.revMu.RLock()
	defer s.revMu.RUnlock()
	return s.rev
}

// A read lock of s.mu does not exclude End, which holds it shared too.
func (s *kvStore) BeginRev() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rev // want `rev is guarded by revMu \(its comment says "guarded by revMu" at line \d+\); read here with s\.mu held instead \(RA1004\)`
}

// Releasing the caller's lock does not make up for the guard.
func (t *writeTxn) Abort() {
	t.s.rev = 0 // want `rev is guarded by revMu \(its comment says "guarded by revMu" at line \d+\); written here with t\.s\.mu held instead \(RA1004\)`
	t.s.mu.RUnlock()
}

// --- Every write must be in view ------------------------------------------
// The read above is excluded from every write because the package makes
// them all. An exported field can also be written by importers, holding
// its guard only: a read holding another lock that the package's own
// writes hold races with those.

type RevStore struct {
	Mu    sync.RWMutex
	RevMu sync.Mutex
	Rev   int64 // guarded by RevMu
}

func (s *RevStore) Restore() {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.RevMu.Lock()
	s.Rev = 1
	s.RevMu.Unlock()
}

func (s *RevStore) Current() int64 {
	s.RevMu.Lock()
	defer s.RevMu.Unlock()
	return s.Rev
}

func (s *RevStore) Snapshot() int64 {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.Rev // want `Rev is guarded by RevMu \(its comment says "guarded by RevMu" at line \d+\); read here with s\.Mu held instead \(RA1004\)`
}

var (
	cfgMu     sync.Mutex
	cfgLoadMu sync.Mutex
	Config    string // guarded by cfgMu
)

func Reload(s string) {
	cfgLoadMu.Lock()
	defer cfgLoadMu.Unlock()
	cfgMu.Lock()
	Config = s
	cfgMu.Unlock()
}

func CurrentConfig() string {
	cfgMu.Lock()
	defer cfgMu.Unlock()
	return Config
}

func ReloadedConfig() string {
	cfgLoadMu.Lock()
	defer cfgLoadMu.Unlock()
	return Config // want `Config is guarded by cfgMu \(its comment says "guarded by cfgMu" at line \d+\); read here with cfgLoadMu held instead \(RA1004\)`
}

// --- Written by a method whose every caller holds the owner's lock --------
// (etcd mvcc watchable_store.go:364: store.Restore replaces s.b holding
// the store's mu; its only caller, watchableStore.Restore, holds the
// watchableStore's own mu, which syncWatchers holds when it reads
// s.store.b.)

type innerStore struct {
	mu sync.RWMutex
	b  []byte // guarded by mu
}

func (s *innerStore) Restore(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = b
}

func (s *innerStore) Hash() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.b)
}

type watchStore struct {
	*innerStore
	mu     sync.RWMutex
	victim sync.Mutex
	n      int
}

func (w *watchStore) Restore(b []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.innerStore.Restore(b)
	w.n = 0
}

func (w *watchStore) syncWatchers() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.innerStore.b) // every write of b runs under w.mu (its caller's)
}

func (w *watchStore) Sync() int { return w.syncWatchers() }

// Another lock of the watchStore, not held by the writers.
func (w *watchStore) Victims() int {
	w.victim.Lock()
	defer w.victim.Unlock()
	return len(w.innerStore.b) // want `b is guarded by mu \(its comment says "guarded by mu" at line \d+\); read \(len\) here with w\.victim held instead \(RA1004\)`
}

// The same shape, but one caller of the writer does not hold the owner's
// lock: a read under the owner's lock is reported.
type innerStore2 struct {
	mu sync.RWMutex
	b  []byte // guarded by mu
}

func (s *innerStore2) Restore(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = b
}

type watchStore2 struct {
	*innerStore2
	mu sync.RWMutex
}

func (w *watchStore2) Restore(b []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.innerStore2.Restore(b)
}

func (w *watchStore2) Reset() {
	w.innerStore2.Restore(nil)
}

func (w *watchStore2) Sync() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.innerStore2.b) // want `b is guarded by mu \(its comment says "guarded by mu" at line \d+\); read \(len\) here with w\.mu held instead \(RA1004\)`
}

// The writers' mutex field held on another value (a parent's lock) is not
// the writers' lock.
type treeNode struct {
	mu     sync.Mutex
	parent *treeNode
	val    int // guarded by mu
}

func (n *treeNode) Set(v int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.val = v
}

func (n *treeNode) ParentView() int {
	n.parent.mu.Lock()
	defer n.parent.mu.Unlock()
	return n.val // want `val is guarded by mu \(its comment says "guarded by mu" at line \d+\); read here with n\.parent\.mu held instead \(RA1004\)`
}

// --- Methods of a transaction that holds its store's lock -------------------
// (etcd mvcc kvstore_txn.go:81: Read read-locks s.mu and hands it to the
// storeTxnRead it returns, whose End releases it; rangeKeys, a method of
// the storeTxnCommon embedded in the read and write transactions, reads
// compactMainRev, written only under s.mu's write lock.)

type txStore struct {
	mu      sync.RWMutex // read-locked by transactions
	revMu   sync.Mutex
	compact int64 // guarded by revMu
}

type txCommon struct {
	s   *txStore
	rev int64
}

type readTx struct {
	txCommon
	n int
}

type writeTx struct {
	txCommon
	changes []int
}

func (s *txStore) Read() *readTx {
	s.mu.RLock()
	return &readTx{txCommon{s, 0}, 0}
}

func (s *txStore) Write() *writeTx {
	s.mu.RLock()
	tw := &writeTx{txCommon: txCommon{s: s}}
	return tw
}

func (tr *readTx) End()  { tr.s.mu.RUnlock() }
func (tw *writeTx) End() { tw.s.mu.RUnlock() }

func (tc *txCommon) Range() bool { return tc.rangeKeys(tc.rev) }

func (tc *txCommon) rangeKeys(rev int64) bool {
	return rev < tc.s.compact // the transaction holds s.mu: writers hold it exclusively
}

func (s *txStore) Compact(rev int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revMu.Lock()
	s.compact = rev
	s.revMu.Unlock()
}

func (s *txStore) Compacted() int64 {
	s.revMu.Lock()
	defer s.revMu.Unlock()
	return s.compact
}

func (s *txStore) Hash() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.compact // s.mu: writers hold it exclusively
}

// A cursor allocated without handing it the lock: its methods hold nothing,
// although Close releases the store's lock.
type txCursor struct {
	s *txStore
}

func (s *txStore) Cursor() *txCursor {
	s.mu.RLock()
	c := &txCursor{s: s}
	s.mu.RUnlock()
	return c
}

func (c *txCursor) Peek() int64 {
	return c.s.compact // want `compact is guarded by revMu \(its comment says "guarded by revMu" at line \d+\); read here without it \(RA1001\)`
}

func (c *txCursor) Close() { c.s.mu.RUnlock() }

// --- A literal handed to a function that stores it for later ----------------
// (etcd mvcc kvstore_compaction.go:30..90: compact schedules a job built by
// schedule.NewJob, which stores the literal in the job it returns; the
// scheduler runs it later, so the locks around the NewJob call say nothing
// of the job's, as for a literal stored by the caller itself.)

type job struct {
	name string
	do   func()
}

func newJob(name string, do func()) job { return job{name: name, do: do} }

type scheduler struct {
	mu   sync.Mutex
	jobs []job
}

func (s *scheduler) schedule(j job) {
	s.mu.Lock()
	s.jobs = append(s.jobs, j)
	s.mu.Unlock()
}

type compactor struct {
	mu    sync.Mutex
	b     []byte // guarded by mu
	sched *scheduler
}

func (c *compactor) Restore(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.b = b
}

func (c *compactor) Compact() {
	c.sched.schedule(newJob("compact", func() {
		c.compactJob() // run by the scheduler, under whatever it holds
	}))
}

func (c *compactor) compactJob() int { return len(c.b) }

// A callback the callee calls is run under the caller's locks: judged.
func runNow(name string, do func()) { do() }

func (c *compactor) CompactNow() {
	runNow("compact", func() {
		_ = len(c.b) // want `b is guarded by mu \(its comment says "guarded by mu" at line \d+\); read \(len\) here without it \(RA1001\)`
	})
}

// FP51: a sync.Cond built on the guard (sync.NewCond(&f.mu)): locking its
// L locks f.mu (etcd pkg schedule.fifo).
type fifo struct {
	mu         sync.Mutex
	pendings   []int
	finished   int
	finishCond *sync.Cond
}

func newFIFO() *fifo {
	f := &fifo{}
	f.finishCond = sync.NewCond(&f.mu)
	return f
}

func (f *fifo) Schedule(j int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pendings = append(f.pendings, j)
}

func (f *fifo) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.pendings)
}

func (f *fifo) Stop() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pendings
	f.pendings = nil
	return p
}

func (f *fifo) next() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.pendings) == 0 {
		return 0
	}
	return f.pendings[0]
}

func (f *fifo) WaitFinish(n int) {
	f.finishCond.L.Lock()
	for f.finished < n || len(f.pendings) != 0 {
		f.finishCond.Wait()
	}
	f.finishCond.L.Unlock()
}

func (f *fifo) done() {
	f.finishCond.L.Lock()
	f.finished++
	f.pendings = f.pendings[1:]
	f.finishCond.Broadcast()
	f.finishCond.L.Unlock()
}

func (f *fifo) Run() { f.done() }

// A Cond built on another mutex is another lock.
type fifo2 struct {
	mu         sync.Mutex
	condMu     sync.Mutex
	pendings   []int
	finishCond *sync.Cond
}

func newFIFO2() *fifo2 {
	f := &fifo2{}
	f.finishCond = sync.NewCond(&f.condMu)
	return f
}

func (f *fifo2) Schedule(j int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pendings = append(f.pendings, j)
}

func (f *fifo2) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.pendings)
}

func (f *fifo2) Stop() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.pendings
	f.pendings = nil
	return p
}

func (f *fifo2) next() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.pendings) == 0 {
		return 0
	}
	return f.pendings[0]
}

func (f *fifo2) done() {
	f.finishCond.L.Lock()
	f.pendings = f.pendings[1:] // want `pendings is guarded by mu .*; written here with f\.condMu held instead \(RA1004\)`
	f.finishCond.Broadcast()
	f.finishCond.L.Unlock()
}

func (f *fifo2) Run() { f.done() }

// FP52: an unexported method reached only through an unexported interface
// of the package, whose every call holds the lock (x/net/trace: Finish
// calls b.Cond.match(tr) with tr.mu read-locked).
type trace struct {
	mu      sync.RWMutex
	Elapsed int
	IsError bool
}

type cond interface {
	match(t *trace) bool
}

type minCond int

func (m minCond) match(t *trace) bool { return t.Elapsed >= int(m) }

type traceBucket struct{ Cond cond }

var traceBuckets = []traceBucket{{Cond: minCond(0)}, {Cond: minCond(50)}}

func (tr *trace) Finish(elapsed int) {
	tr.mu.Lock()
	tr.Elapsed = elapsed
	tr.mu.Unlock()

	tr.mu.RLock() // protects tr fields in Cond.match calls
	for _, b := range traceBuckets {
		if b.Cond.match(tr) {
			tr.IsError = false
		}
	}
	tr.mu.RUnlock()
}

func (tr *trace) ElapsedTime() int {
	tr.mu.RLock()
	defer tr.mu.RUnlock()
	return tr.Elapsed
}

func (tr *trace) Reset() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.Elapsed = 0
}

// The same dispatch with one call made without the lock is reported.
type trace2 struct {
	mu      sync.RWMutex
	Elapsed int
}

type cond2 interface {
	match(t *trace2) bool
}

type minCond2 int

func (m minCond2) match(t *trace2) bool { return t.Elapsed >= int(m) } // want `Elapsed is guarded by mu .*; read here without it \(RA1001\)`

var traceBuckets2 = []cond2{minCond2(0)}

func (tr *trace2) Finish(elapsed int) {
	tr.mu.Lock()
	tr.Elapsed = elapsed
	tr.mu.Unlock()

	tr.mu.RLock()
	for _, c := range traceBuckets2 {
		c.match(tr)
	}
	tr.mu.RUnlock()
}

func (tr *trace2) Peek() bool { return traceBuckets2[0].match(tr) }

func (tr *trace2) ElapsedTime() int {
	tr.mu.RLock()
	defer tr.mu.RUnlock()
	return tr.Elapsed
}

func (tr *trace2) Reset() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.Elapsed = 0
}
