package corpusfp

import (
	"errors"
	"sync"
)

var errLCClosed = errors.New("closed")

// --- FP80: a function documented as callable only after an operation of
// the package leaves the order to its callers (lib/pq's ListenerConn.Err,
// "not safe to call this function until l.Notify has been closed"; grpc's
// ServerStream.Header, "must not be called until after WriteHeader").
type listenerConn struct {
	mu     sync.Mutex
	err    error // guarded by mu
	Notify chan struct{}
}

func (l *listenerConn) fail(err error) {
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	l.mu.Unlock()
	close(l.Notify)
}

func (l *listenerConn) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	l.err = errLCClosed
	return nil
}

func (l *listenerConn) failed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err != nil
}

// Err returns the reason the connection was closed. It is not safe to call
// this function until l.Notify has been closed.
func (l *listenerConn) Err() error {
	return l.err
}

// Header returns the header. It does not block and must not be called
// until after WriteHeader.
func (l *listenerConn) Header() error {
	return l.err
}

func (l *listenerConn) writeHeader() {}

// Positive controls: a precondition naming nothing of the package (prose,
// not an operation), and a write in a documented function.

// Reason returns the reason. It must not be called until the connection
// is done.
func (l *listenerConn) Reason() error {
	return l.err // want `err is guarded by mu`
}

// Reset clears the error. It is not safe to call this function until
// l.Notify has been closed.
func (l *listenerConn) Reset() {
	l.err = nil // want `err is guarded by mu`
}

// Peek returns the error. It is not safe to call this function until
// l.Notify has been closed.
func (l *listenerConn) Peek(ch chan error) {
	go func() {
		ch <- l.err // want `err is guarded by mu`
	}()
}
