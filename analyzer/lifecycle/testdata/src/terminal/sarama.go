package terminal

import "sync"

// Reduced from IBM/sarama client.go:313. Close marks the client closed by
// setting brokers to nil, under the lock; the seed brokers it closes stay
// in seedBrokers. Every path to a read of seedBrokers tests that mark
// first: checkHealth is called only by update, which tests brokers == nil
// under the lock; update is called only from refresh, a recursive method
// reached only through a stored closure (its own callers are unknown, but
// update's and checkHealth's are known); addSeeds is called by the
// constructor, which returns the client as an interface, and by Refresh,
// which tests Closed() first.

type none struct{}

type broker struct{ open bool }

func (b *broker) Open()        {} // does not undo Close (no reopening in place, FP100)
func (b *broker) Close() error { b.open = false; return nil }
func (b *broker) sockErr() error {
	return nil
}

func newBroker(addr string) *broker { return &broker{} }

type Client interface {
	Refresh(addrs []string) error
	Close() error
}

type client struct {
	lock        sync.RWMutex
	closer      chan none
	brokers     map[int32]*broker
	seedBrokers []*broker
	doRefresh   func() error
}

func NewClient(addrs []string) (Client, error) {
	c := &client{closer: make(chan none), brokers: map[int32]*broker{}}
	c.doRefresh = func() error { return c.refresh(3) }
	c.addSeeds(addrs)
	return c, nil
}

func (c *client) Closed() bool {
	c.lock.RLock()
	defer c.lock.RUnlock()
	return c.brokers == nil
}

func (c *client) Close() error { // silent: every reader of seedBrokers tests brokers == nil first
	if c.Closed() {
		return nil
	}
	close(c.closer)
	c.lock.Lock()
	defer c.lock.Unlock()
	for _, b := range c.brokers {
		b.Close()
	}
	for _, b := range c.seedBrokers {
		b.Close()
	}
	c.brokers = nil
	return nil
}

func (c *client) Refresh(addrs []string) error {
	if c.Closed() {
		return nil
	}
	c.lock.Lock()
	defer c.lock.Unlock()
	c.addSeeds(addrs)
	return c.doRefresh()
}

func (c *client) LeastLoaded() *broker {
	c.lock.RLock()
	defer c.lock.RUnlock()
	if c.brokers == nil {
		return nil
	}
	if len(c.seedBrokers) > 0 {
		c.seedBrokers[0].Open()
		return c.seedBrokers[0]
	}
	return nil
}

func (c *client) addSeeds(addrs []string) {
	for _, a := range addrs {
		c.seedBrokers = append(c.seedBrokers, newBroker(a))
	}
}

func (c *client) refresh(attempts int) error {
	if attempts > 0 {
		return c.refresh(attempts - 1)
	}
	c.update(nil)
	return nil
}

func (c *client) update(bs []*broker) {
	c.lock.Lock()
	defer c.lock.Unlock()
	if c.brokers == nil {
		return
	}
	c.checkHealth()
	for _, b := range bs {
		c.brokers[1] = b
	}
}

func (c *client) checkHealth() {
	for id, b := range c.brokers {
		if b.sockErr() != nil {
			b.Close()
			delete(c.brokers, id)
		}
	}
	for _, b := range c.seedBrokers {
		if b.sockErr() != nil {
			b.Close()
		}
	}
}

// Positive control: the same client, but its update does not test the
// mark: after Close, a refresh still walks the closed seed brokers.

type looseClient struct {
	lock        sync.RWMutex
	closer      chan none
	brokers     map[int32]*broker
	seedBrokers []*broker
	doRefresh   func() error
}

func NewLooseClient(addrs []string) (Client, error) {
	c := &looseClient{closer: make(chan none), brokers: map[int32]*broker{}}
	c.doRefresh = func() error { return c.refresh(3) }
	c.addSeeds(addrs)
	return c, nil
}

func (c *looseClient) Closed() bool {
	c.lock.RLock()
	defer c.lock.RUnlock()
	return c.brokers == nil
}

func (c *looseClient) Close() error { // want `cleanup Close releases the entries of seedBrokers \(line 168\) but leaves them in the collection, where checkHealth still finds them \(line 229\) without checking closer`
	if c.Closed() {
		return nil
	}
	close(c.closer)
	c.lock.Lock()
	defer c.lock.Unlock()
	for _, b := range c.brokers {
		b.Close()
	}
	for _, b := range c.seedBrokers {
		b.Close()
	}
	c.brokers = nil
	return nil
}

func (c *looseClient) Refresh(addrs []string) error {
	if c.Closed() {
		return nil
	}
	c.lock.Lock()
	defer c.lock.Unlock()
	c.addSeeds(addrs)
	return c.doRefresh()
}

func (c *looseClient) LeastLoaded() *broker {
	c.lock.RLock()
	defer c.lock.RUnlock()
	if c.brokers == nil {
		return nil
	}
	if len(c.seedBrokers) > 0 {
		c.seedBrokers[0].Open()
		return c.seedBrokers[0]
	}
	return nil
}

func (c *looseClient) addSeeds(addrs []string) {
	for _, a := range addrs {
		c.seedBrokers = append(c.seedBrokers, newBroker(a))
	}
}

func (c *looseClient) refresh(attempts int) error {
	if attempts > 0 {
		return c.refresh(attempts - 1)
	}
	c.update(nil)
	return nil
}

func (c *looseClient) update(bs []*broker) {
	c.lock.Lock()
	defer c.lock.Unlock()
	c.checkHealth()
	for _, b := range bs {
		if c.brokers != nil {
			c.brokers[1] = b
		}
	}
}

func (c *looseClient) checkHealth() {
	for id, b := range c.brokers {
		if b.sockErr() != nil {
			b.Close()
			delete(c.brokers, id)
		}
	}
	for _, b := range c.seedBrokers {
		if b.sockErr() != nil {
			b.Close()
		}
	}
}

// Positive control: a package function returning the interface without
// allocating one is no constructor: it adds to a client that may be
// closed.

type seeder struct {
	lock  sync.Mutex
	done  bool
	seeds []*broker
}

type Seeder interface{ Close() error }

func (s *seeder) Close() error { // want `cleanup Close releases the entries of seeds \(line 253\) but leaves them in the collection, to which add still adds \(line 261\) without checking done`
	s.lock.Lock()
	defer s.lock.Unlock()
	s.done = true
	for _, b := range s.seeds {
		b.Close()
	}
	return nil
}

func (s *seeder) add(addr string) {
	s.lock.Lock()
	defer s.lock.Unlock()
	s.seeds = append(s.seeds, newBroker(addr))
}

func AddTo(s *seeder, addr string) Seeder {
	s.add(addr)
	return s
}

func (s *seeder) Get(i int) *broker {
	s.lock.Lock()
	defer s.lock.Unlock()
	if s.done {
		return nil
	}
	return s.seeds[i]
}
