package corpusfp

import "sync"

// --- FP86: a write under the guard's read lock, serialized by another
// mutex (watermill GoChannel.Publish): persisted is inferred guarded by
// subscribersLock (held at 5 of its 6 accesses), and Publish writes it
// holding only subscribersLock's read lock; but it holds persistedLock
// exclusively there, and every other access that holds subscribersLock
// only in read mode holds persistedLock too: no two of them can run
// together, and the accesses holding subscribersLock exclusively exclude
// the write anyway. Close's write under neither lock stays reported
// (RA1004, the real bug): holding the guard exclusively there, as the
// message says, is what would fix it (holding persistedLock alone would
// still race with Subscribe's read under subscribersLock only).
type goChannel struct {
	subscribers     map[string][]chan int
	subscribersLock sync.RWMutex

	closedLock sync.Mutex
	closed     bool

	persisted     map[string][]int
	persistedLock sync.RWMutex
}

func (g *goChannel) Publish(topic string, msgs ...int) {
	g.subscribersLock.RLock()
	defer g.subscribersLock.RUnlock()
	g.persistedLock.Lock()
	if _, ok := g.persisted[topic]; !ok {
		g.persisted[topic] = make([]int, 0)
	}
	g.persisted[topic] = append(g.persisted[topic], msgs...)
	g.persistedLock.Unlock()
	for _, ch := range g.subscribers[topic] {
		for _, m := range msgs {
			ch <- m
		}
	}
}

func (g *goChannel) Subscribe(topic string) chan int {
	g.subscribersLock.Lock()
	defer g.subscribersLock.Unlock()
	ch := make(chan int, 16)
	g.subscribers[topic] = append(g.subscribers[topic], ch)
	g.persistedLock.RLock()
	msgs, ok := g.persisted[topic]
	g.persistedLock.RUnlock()
	if ok {
		for i := range msgs {
			ch <- g.persisted[topic][i]
		}
	}
	return ch
}

func (g *goChannel) Close() {
	g.closedLock.Lock()
	defer g.closedLock.Unlock()
	g.closed = true
	g.persisted = nil // want `persisted is guarded by subscribersLock \(held at 5 of 6 accesses, e\.g\. lines 31, 32, 34\); written here with g\.closedLock held instead \(RA1004\)`
}

// Reported: Count reads the map holding only subscribersLock's read lock,
// which does not exclude Publish's write (also under the read lock), and
// not persistedLock.
type goChannel2 struct {
	subscribers     map[string][]chan int
	subscribersLock sync.RWMutex

	persisted     map[string][]int
	persistedLock sync.RWMutex
}

func (g *goChannel2) Publish(topic string, msgs ...int) {
	g.subscribersLock.RLock()
	defer g.subscribersLock.RUnlock()
	g.persistedLock.Lock()
	g.persisted[topic] = append(g.persisted[topic], msgs...) // want `persisted is guarded by subscribersLock .*; written here with only the read lock held \(RLock at line 78\) \(RA1003\)`
	g.persistedLock.Unlock()
}

func (g *goChannel2) Count(topic string) int {
	g.subscribersLock.RLock()
	defer g.subscribersLock.RUnlock()
	return len(g.persisted[topic]) + len(g.subscribers[topic])
}

func (g *goChannel2) Subscribe(topic string) []int {
	g.subscribersLock.Lock()
	defer g.subscribersLock.Unlock()
	g.persistedLock.RLock()
	defer g.persistedLock.RUnlock()
	return g.persisted[topic]
}

// Reported: the other mutex is only read-locked at the write, so two
// Publish calls run together.
type goChannel3 struct {
	subscribers     map[string][]chan int
	subscribersLock sync.RWMutex

	persisted     map[string][]int
	persistedLock sync.RWMutex
}

func (g *goChannel3) Publish(topic string, msgs ...int) {
	g.subscribersLock.RLock()
	defer g.subscribersLock.RUnlock()
	g.persistedLock.RLock()
	g.persisted[topic] = append(g.persisted[topic], msgs...) // want `persisted is guarded by subscribersLock .*; written here with only the read lock held \(RLock at line 110\) \(RA1003\)`
	g.persistedLock.RUnlock()
}

func (g *goChannel3) Subscribe(topic string) []int {
	g.subscribersLock.Lock()
	defer g.subscribersLock.Unlock()
	g.persistedLock.RLock()
	defer g.persistedLock.RUnlock()
	return g.persisted[topic]
}

func (g *goChannel3) Drop(topic string) {
	g.subscribersLock.Lock()
	defer g.subscribersLock.Unlock()
	delete(g.persisted, topic)
}

// --- FP86, element writes (go-libp2p-pubsub notifyPeerDead): the map's
// elements are written holding the "priority" RWMutex in read mode, so
// that inserts do not exclude each other, and the map's own mutex
// exclusively, which serializes them; the consumer takes the priority
// lock exclusively to swap the map. Silent since FP86's rule (no access
// shares the read lock without the map's mutex).
type deadPeers struct {
	prioLk sync.RWMutex
	mx     sync.Mutex
	pend   map[string]struct{}
	ch     chan struct{}
}

func (p *deadPeers) notify(id string) {
	p.prioLk.RLock()
	p.mx.Lock()
	p.pend[id] = struct{}{}
	p.mx.Unlock()
	p.prioLk.RUnlock()
	select {
	case p.ch <- struct{}{}:
	default:
	}
}

func (p *deadPeers) handle() map[string]struct{} {
	p.prioLk.Lock()
	defer p.prioLk.Unlock()
	if len(p.pend) == 0 {
		return nil
	}
	dead := p.pend
	p.pend = make(map[string]struct{})
	return dead
}

// Reported: an insert holding only the priority lock's read lock races
// with the other inserts, and they with it.
type deadPeers2 struct {
	prioLk sync.RWMutex
	mx     sync.Mutex
	pend   map[string]struct{}
}

func (p *deadPeers2) notify(id string) {
	p.prioLk.RLock()
	p.mx.Lock()
	p.pend[id] = struct{}{} // want `pend is guarded by prioLk .*; written here with only the read lock held \(RLock at line \d+\) \(RA1003\)`
	p.mx.Unlock()
	p.prioLk.RUnlock()
}

func (p *deadPeers2) notifyFast(id string) {
	p.prioLk.RLock()
	p.pend[id] = struct{}{} // want `pend is guarded by prioLk .*; written here with only the read lock held \(RLock at line \d+\) \(RA1003\)`
	p.prioLk.RUnlock()
}

func (p *deadPeers2) handle() map[string]struct{} {
	p.prioLk.Lock()
	defer p.prioLk.Unlock()
	if len(p.pend) == 0 {
		return nil
	}
	dead := p.pend
	p.pend = make(map[string]struct{})
	return dead
}
