// Package removalleak tests RA3003.
package removalleak

import (
	"net"
	"os"
	"sync"
)

// Pool owns the connections it dials.
type Pool struct {
	mu    sync.Mutex
	conns map[string]net.Conn
	refs  map[string]*shared
}

type shared struct {
	f    *os.File
	refs int
}

// Dial dials addr once.
func (p *Pool) Dial(addr string) (net.Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[addr]; ok {
		return c, nil
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.conns[addr] = c
	return c, nil
}

// Forget drops the connection to addr without closing it.
func (p *Pool) Forget(addr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, addr) // want `Forget removes an entry of conns without releasing it or returning it, but Pool owns the entries: it creates them \(net.Dial at line 29\) \(RA3003\)`
}

// Drop closes the connection to addr and forgets it.
func (p *Pool) Drop(addr string) {
	p.mu.Lock()
	c := p.conns[addr]
	delete(p.conns, addr)
	p.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// Take removes the connection to addr and hands it to the caller.
func (p *Pool) Take(addr string) net.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.conns[addr]
	if !ok {
		return nil
	}
	delete(p.conns, addr)
	return c
}

// Open opens a shared file, counting references.
func (p *Pool) Open(name string) (*os.File, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.refs[name]; ok {
		s.refs++
		return s.f, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	p.refs[name] = &shared{f: f, refs: 1}
	return f, nil
}

// Release drops a reference; the last one closes the file.
func (p *Pool) Release(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.refs[name]
	if !ok {
		return
	}
	s.refs--
	if s.refs == 0 {
		delete(p.refs, name)
		s.f.Close()
	}
}

// Close closes everything.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	for _, s := range p.refs {
		s.f.Close()
	}
	p.conns = nil
	p.refs = nil
}

// Tracker holds connections handed in by callers; it closes them on Close,
// so it owns them, and Untrack receives the entry itself: no diagnostic.
type Tracker struct {
	mu    sync.Mutex
	conns []net.Conn
	byID  map[int]net.Conn
}

// Track adds c.
func (t *Tracker) Track(id int, c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.conns = append(t.conns, c)
	t.byID[id] = c
}

// Untrack removes c.
func (t *Tracker) Untrack(c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, x := range t.conns {
		if x == c {
			t.conns = append(t.conns[:i], t.conns[i+1:]...)
			return
		}
	}
}

// Unregister forgets the connection with the given id, still open.
func (t *Tracker) Unregister(id int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.byID, id) // want `Unregister removes an entry of byID without releasing it or returning it, but Tracker owns the entries: its cleanup Close releases them \(line 155\) \(RA3003\)`
}

// Close closes every connection.
func (t *Tracker) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.conns {
		c.Close()
	}
	for id, c := range t.byID {
		c.Close()
		delete(t.byID, id)
	}
	t.conns = nil
}

// ConnectionTracker's entries remove themselves in their own close callback
// (client-go connrotation): the delete runs as part of the entry's Close,
// so it is its release. No diagnostic.
type ConnectionTracker struct {
	mu    sync.Mutex
	conns map[*closable]struct{}
}

type closable struct {
	onClose func()
	closed  bool
}

func (c *closable) Close() { c.closed = true; c.onClose() }

func (c *closable) setOnClose(f func()) { c.onClose = f }

// Track tracks a new closable.
func (t *ConnectionTracker) Track() *closable {
	c := &closable{}
	c.onClose = func() {
		t.mu.Lock()
		delete(t.conns, c)
		t.mu.Unlock()
	}
	t.mu.Lock()
	t.conns[c] = struct{}{}
	t.mu.Unlock()
	return c
}

// TrackSetter hands the callback to a method of the entry.
func (t *ConnectionTracker) TrackSetter() *closable {
	c := &closable{}
	c.setOnClose(func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		delete(t.conns, c)
	})
	t.mu.Lock()
	t.conns[c] = struct{}{}
	t.mu.Unlock()
	return c
}

// CloseAll closes every tracked closable.
func (t *ConnectionTracker) CloseAll() {
	t.mu.Lock()
	conns := t.conns
	t.conns = map[*closable]struct{}{}
	t.mu.Unlock()
	for c := range conns {
		c.Close()
	}
}

// Watches keys its entries by id; each entry's cancel callback, set in the
// entry's literal, removes it. No diagnostic.
type Watches struct {
	mu      sync.Mutex
	watches map[int]*watch
	next    int
}

type watch struct {
	id     int
	cancel func()
}

// Stop cancels the watch.
func (w *watch) Stop() { w.cancel() }

// Watch starts a watch.
func (ws *Watches) Watch() *watch {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.next++
	id := ws.next
	w := &watch{id: id, cancel: func() {
		ws.mu.Lock()
		delete(ws.watches, id)
		ws.mu.Unlock()
	}}
	ws.watches[id] = w
	return w
}

// Len counts the watches.
func (ws *Watches) Len() int {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return len(ws.watches)
}

// Close stops every watch.
func (ws *Watches) Close() {
	ws.mu.Lock()
	all := ws.watches
	ws.watches = nil
	ws.mu.Unlock()
	for _, w := range all {
		w.Stop()
	}
}

// later runs f later.
func later(f func()) { go f() }

// Expiring forgets its connections after a while without closing them: the
// callback is handed to later, not to the entry.
type Expiring struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// Dial tracks a new connection for a minute.
func (e *Expiring) Dial(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.conns[c] = struct{}{}
	e.mu.Unlock()
	later(func() {
		e.mu.Lock()
		delete(e.conns, c) // want `Dial removes an entry of conns without releasing it or returning it, but Expiring owns the entries: it creates them \(net.Dial at line 278\) \(RA3003\)`
		e.mu.Unlock()
	})
	return nil
}

// Close closes every connection.
func (e *Expiring) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for c := range e.conns {
		c.Close()
	}
	e.conns = nil
}

// Broadcasts also indexes its broadcasts by watcher id; unwatch stops the
// broadcast it found through the index when it removes it (etcd grpcproxy
// watchBroadcasts.delete): no diagnostic.
type Broadcasts struct {
	mu       sync.Mutex
	bcasts   map[*bcast]struct{}
	watchers map[int]*bcast
}

type bcast struct{ n int }

func newBcast() *bcast { return &bcast{n: 1} }

func (b *bcast) stop() { b.n = 0 }

func (bs *Broadcasts) watch(id int) {
	b := newBcast()
	bs.mu.Lock()
	defer bs.mu.Unlock()
	bs.watchers[id] = b
	bs.bcasts[b] = struct{}{}
}

func (bs *Broadcasts) unwatch(id int) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b, ok := bs.watchers[id]
	if !ok {
		return
	}
	delete(bs.watchers, id)
	b.n--
	if b.n == 0 {
		delete(bs.bcasts, b)
		b.stop()
	}
}

func (bs *Broadcasts) stop() {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for b := range bs.bcasts {
		b.stop()
	}
	bs.bcasts = nil
}
