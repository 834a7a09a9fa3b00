package missingcleanup

import (
	"net"
	"sync"
)

// Reduced from quic-go http3/conn.go:28 (rawConn.TrackStream): the
// connection wraps each stream it tracks in a value it creates and returns
// to the caller, whose Close (through an unexported interface method of
// the package) takes the stream out of the map. The caller holds and
// closes the tracked streams; the connection only tracks the live ones.

type streamClearer interface {
	clearStream(id int)
}

type trackedStream struct {
	net.Conn
	id      int
	clearer streamClearer
}

func newTrackedStream(c net.Conn, id int, clearer streamClearer) *trackedStream {
	return &trackedStream{Conn: c, id: id, clearer: clearer}
}

func (s *trackedStream) closeSend() { s.clearer.clearStream(s.id) }

func (s *trackedStream) Close() error {
	s.closeSend()
	return s.Conn.Close()
}

type trackingConn struct { // silent: TrackStream returns each stream, whose Close removes it
	mu      sync.Mutex
	streams map[int]*trackedStream
}

func (c *trackingConn) TrackStream(nc net.Conn, id int) *trackedStream {
	s := newTrackedStream(nc, id, c)
	c.mu.Lock()
	c.streams[id] = s
	c.mu.Unlock()
	return s
}

func (c *trackingConn) Stream(id int) *trackedStream {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.streams[id]
}

func (c *trackingConn) clearStream(id int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.streams, id)
}

// Positive control: the same tracking, but the stream's Close does not
// take it out (only an error path of another method does): the entries
// are not the caller's to release through Close, and nothing else
// releases them.

type loneStream struct {
	net.Conn
	id      int
	clearer loneClearer
}

type loneClearer interface {
	forget(id int)
}

func newLoneStream(c net.Conn, id int, clearer loneClearer) *loneStream {
	return &loneStream{Conn: c, id: id, clearer: clearer}
}

func (s *loneStream) Close() error { return s.Conn.Close() }

func (s *loneStream) Read(b []byte) (int, error) {
	n, err := s.Conn.Read(b)
	if err != nil {
		s.clearer.forget(s.id)
	}
	return n, err
}

type loneConn struct { // want `loneConn creates the entries of streams \(missingcleanup.newLoneStream at line 95\) but no function releases them`
	mu      sync.Mutex
	streams map[int]*loneStream
}

func (c *loneConn) Track(nc net.Conn, id int) *loneStream {
	s := newLoneStream(nc, id, c)
	c.mu.Lock()
	c.streams[id] = s
	c.mu.Unlock()
	return s
}

func (c *loneConn) Stream(id int) *loneStream {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.streams[id]
}

func (c *loneConn) forget(id int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.streams, id)
}

// Positive control: the stream's Close removes it, but the tracker keeps
// the streams it creates instead of returning them: no caller can close
// them.

type keptConn struct { // want `keptConn creates the entries of streams \(missingcleanup.newTrackedStream at line 124\) but no function releases them`
	mu      sync.Mutex
	streams map[int]*trackedStream
}

func (c *keptConn) Track(nc net.Conn, id int) {
	s := newTrackedStream(nc, id, c)
	c.mu.Lock()
	c.streams[id] = s
	c.mu.Unlock()
}

func (c *keptConn) Stream(id int) *trackedStream {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.streams[id]
}

func (c *keptConn) clearStream(id int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.streams, id)
}
