package gaps

import "sync"

// GAP 14 (false positive, bench/FALSE_POSITIVES.md FP38): crypto/tls's
// QUIC path. handlePostHandshakeMessage runs under c.in from Read, and
// without it from QUICConn.HandleData, which holds handshakeMutex instead.
// The two never meet on one Conn: the Conn inside a QUICConn is created by
// the wrapper and never Read, and the handshake goroutine that holds c.in
// is parked on the signalc/blockedc hand-off while HandleData runs. That
// is an ownership hand-off by channel, not a lock rule; every lock rule
// considered would also hide the two-locks-for-one-field bug. No
// diagnostic is wanted below; today lines 49 and 50 are reported (RA1002,
// RA1001), and the lockflow analyzer reports the setErrorLocked call of
// HandleData (RA2007).

type halfConn struct {
	sync.Mutex
	err error
}

func (hc *halfConn) setErrorLocked(err error) error { hc.err = err; return err }

type Conn struct {
	handshakeMutex sync.Mutex
	in             halfConn
	hand           []byte
	// retryCount counts useless records. Protected by in.Mutex.
	retryCount int
	quic       *quicState
}

type quicState struct{ signalc, blockedc chan struct{} }

func (c *Conn) Read() error {
	c.in.Lock()
	defer c.in.Unlock()
	c.retryCount = 0
	for len(c.hand) > 0 {
		if err := c.handlePostHandshakeMessage(); err != nil {
			return err
		}
	}
	return nil
}

func (c *Conn) handlePostHandshakeMessage() error {
	c.hand = c.hand[1:]
	c.retryCount++
	if c.retryCount > 16 {
		return c.in.setErrorLocked(nil)
	}
	return nil
}

// QUICConn wraps a Conn that is never Read. Methods of QUICConn are not
// safe for concurrent use.
type QUICConn struct{ conn *Conn }

func (q *QUICConn) HandleData(data []byte) error {
	c := q.conn
	if len(data) == 0 {
		return c.in.setErrorLocked(nil)
	}
	<-c.quic.signalc
	if _, ok := <-c.quic.blockedc; ok {
		return nil
	}
	c.handshakeMutex.Lock()
	defer c.handshakeMutex.Unlock()
	c.hand = append(c.hand, data...)
	return c.handlePostHandshakeMessage()
}
