package corpusfp

import (
	"errors"
	"sync"
)

// --- FP82: a lazy initializer that returns a result (go-plugin's
// Client.Start: lock, return c.address, nil if already started, otherwise
// start, partly through its helper c.reattach()): the fields it and the
// helpers only it calls write are set once, under the lock; readers that
// call Start first (Protocol) read them without it.
type plugClient struct {
	l        sync.Mutex
	address  *string
	protocol string
	doneCh   chan struct{}
	reattach bool
	exited   bool
	client   *int
}

func (c *plugClient) Start() (*string, error) {
	c.l.Lock()
	defer c.l.Unlock()
	if c.address != nil {
		return c.address, nil
	}
	if c.reattach {
		return c.attach()
	}
	c.protocol = "grpc"
	c.doneCh = make(chan struct{})
	go func() {
		c.l.Lock()
		c.exited = true
		c.l.Unlock()
	}()
	a := "addr"
	c.address = &a
	return c.address, nil
}

func (c *plugClient) attach() (*string, error) {
	c.doneCh = make(chan struct{})
	c.protocol = "netrpc"
	a := "reattached"
	c.address = &a
	return c.address, nil
}

func (c *plugClient) Client() (*int, error) {
	if _, err := c.Start(); err != nil {
		return nil, err
	}
	c.l.Lock()
	defer c.l.Unlock()
	if c.client == nil && c.protocol != "" && c.doneCh != nil {
		n := len(c.protocol)
		c.client = &n
	}
	return c.client, nil
}

func (c *plugClient) Reattach() string {
	c.l.Lock()
	defer c.l.Unlock()
	if c.address == nil || c.exited {
		return ""
	}
	return c.protocol
}

func (c *plugClient) Protocol() string {
	if _, err := c.Start(); err != nil {
		return ""
	}
	return c.protocol
}

func (c *plugClient) Kill() {
	if _, err := c.Client(); err != nil {
		return
	}
	<-c.doneCh
}

// Positive control: exited, written by the goroutine Start starts (it
// runs after the initialization, not once within it).
func (c *plugClient) Exited() bool {
	_, _ = c.Start()
	return c.exited // want `exited is guarded by l`
}

func (c *plugClient) Wait() bool {
	c.l.Lock()
	defer c.l.Unlock()
	return c.exited
}

func (c *plugClient) Done() bool {
	c.l.Lock()
	defer c.l.Unlock()
	return c.exited && c.address != nil
}

// Positive control: an early return with an error is a closed check, not
// a done initialization (Dial returning errClosed): what Dial writes is
// written after construction.
var errDialClosed = errors.New("closed")

type dialer struct {
	mu     sync.Mutex
	closed bool
	conns  int
	last   string
}

func (d *dialer) Dial(addr string) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return 0, errDialClosed
	}
	d.conns++
	d.last = addr
	d.closed = d.conns > 10
	return d.conns, nil
}

func (d *dialer) Close() {
	d.mu.Lock()
	d.closed = true
	d.last = ""
	d.mu.Unlock()
}

func (d *dialer) Stats() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.last
}

func (d *dialer) Last() string {
	_, _ = d.Dial("x")
	return d.last // want `last is guarded by mu`
}

// Positive control: a helper of the initializer also called by another
// method: its writes are not once-only.
type lazyHelper struct {
	mu    sync.Mutex
	ready bool
	name  string
}

func (h *lazyHelper) Init() (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ready {
		return h.name, nil
	}
	h.rename("init")
	h.ready = true
	return h.name, nil
}

func (h *lazyHelper) rename(n string) { h.name = n }

func (h *lazyHelper) Rename(n string) {
	h.mu.Lock()
	h.rename(n)
	h.mu.Unlock()
}

func (h *lazyHelper) Name() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.name
}

func (h *lazyHelper) Get() string {
	_, _ = h.Init()
	return h.name // want `name is guarded by mu`
}
