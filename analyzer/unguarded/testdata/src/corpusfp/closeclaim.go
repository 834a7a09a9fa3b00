package corpusfp

import (
	"errors"
	"sync"
)

// --- The closer owns what every other critical section fences off --------
// (lesismal/nbio conn_unix.go: Write, Writev and closeWithError set closed
// under c.mux in the critical section that tested it false, unlock, and
// call closeWithErrorWithoutLock, which releases writeList without the
// lock; flush calls it with the lock held; every locked access of
// writeList is in a critical section that returns at once when closed is
// set, so once one caller has claimed the close, no holder of the lock
// touches writeList again.)

var errClaimClosed = errors.New("closed")

type claimConn struct {
	mu     sync.Mutex
	closed bool
	queue  [][]byte
	fd     int
}

func (c *claimConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return 0, errClaimClosed
	}
	n, err := c.push(b)
	if err != nil {
		c.closed = true
		c.mu.Unlock()
		_ = c.closeUnlocked(err)
		return n, err
	}
	if len(c.queue) > 16 {
		c.fd++
	}
	c.mu.Unlock()
	return n, nil
}

func (c *claimConn) push(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, errClaimClosed
	}
	c.queue = append(c.queue, b)
	return len(b), nil
}

func (c *claimConn) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errClaimClosed
	}
	next := func() []byte {
		b := c.queue[0]
		c.queue = c.queue[1:]
		return b
	}
	for len(c.queue) > 0 {
		if b := next(); len(b) > 1024 {
			c.closed = true
			return c.closeUnlocked(errClaimClosed) // with the lock held
		}
	}
	return nil
}

func (c *claimConn) Close() error {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		c.mu.Unlock()
		return c.closeUnlocked(nil)
	}
	c.mu.Unlock()
	return nil
}

func (c *claimConn) closeUnlocked(err error) error {
	for _, b := range c.queue { // silent: the closer owns queue
		_ = b
	}
	c.queue = nil // silent
	return err
}

func (c *claimConn) Flush() error { return c.flush() }

func (c *claimConn) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0
	}
	return len(c.queue)
}

// Bad: Reset takes the lock but does not test closed: it can run while the
// closer releases the queue without the lock.
type claimConn2 struct {
	mu     sync.Mutex
	closed bool
	queue  [][]byte
}

func (c *claimConn2) Write(b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errClaimClosed
	}
	c.queue = append(c.queue, b)
	return nil
}

func (c *claimConn2) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0
	}
	return len(c.queue)
}

func (c *claimConn2) Reset() {
	c.mu.Lock()
	c.queue = c.queue[:0]
	c.mu.Unlock()
}

func (c *claimConn2) Close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		c.mu.Unlock()
		c.closeUnlocked()
		return
	}
	c.mu.Unlock()
}

func (c *claimConn2) closeUnlocked() {
	c.queue = nil // want `queue is guarded by mu .*; written here without it \(RA1002\)`
}

// Bad: the close is not claimed: closed is set without testing it first,
// so two Close calls release the queue at the same time.
type claimConn3 struct {
	mu     sync.Mutex
	closed bool
	queue  [][]byte
}

func (c *claimConn3) Write(b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errClaimClosed
	}
	c.queue = append(c.queue, b)
	return nil
}

func (c *claimConn3) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0
	}
	return len(c.queue)
}

func (c *claimConn3) Drain() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.queue = c.queue[:0]
}

func (c *claimConn3) Close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.closeUnlocked()
}

func (c *claimConn3) closeUnlocked() {
	c.queue = nil // want `queue is guarded by mu .*; written here without it \(RA1002\)`
}

// Bad: Reopen sets closed back to false: a writer can pass the test again
// while the closer still releases the queue.
type claimConn4 struct {
	mu     sync.Mutex
	closed bool
	queue  [][]byte
}

func (c *claimConn4) Write(b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errClaimClosed
	}
	c.queue = append(c.queue, b)
	return nil
}

func (c *claimConn4) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0
	}
	return len(c.queue)
}

func (c *claimConn4) Reopen() {
	c.mu.Lock()
	c.closed = false
	c.mu.Unlock()
}

func (c *claimConn4) Drain() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.queue = c.queue[:0]
}

func (c *claimConn4) Close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		c.mu.Unlock()
		c.closeUnlocked()
		return
	}
	c.mu.Unlock()
}

func (c *claimConn4) closeUnlocked() {
	c.queue = nil // want `queue is guarded by mu .*; written here without it \(RA1002\)`
}

// Bad: Append tests closed, then releases the lock and takes it again
// before appending: the test fences off nothing.
type claimConn5 struct {
	mu     sync.Mutex
	closed bool
	queue  [][]byte
}

func (c *claimConn5) Write(b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errClaimClosed
	}
	c.queue = append(c.queue, b)
	return nil
}

func (c *claimConn5) Append(b []byte) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClaimClosed
	}
	c.mu.Unlock()
	b = append([]byte(nil), b...)
	c.mu.Lock()
	c.queue = append(c.queue, b)
	c.mu.Unlock()
	return nil
}

func (c *claimConn5) Drain() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.queue = c.queue[:0]
}

func (c *claimConn5) Close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		c.mu.Unlock()
		c.closeUnlocked()
		return
	}
	c.mu.Unlock()
}

func (c *claimConn5) closeUnlocked() {
	c.queue = nil // want `queue is guarded by mu .*; written here without it \(RA1002\)`
}
