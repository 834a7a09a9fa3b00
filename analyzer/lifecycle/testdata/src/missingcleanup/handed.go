package missingcleanup

import (
	"net"
	"sync"
	"time"
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

type loneConn struct { // want `loneConn creates the entries of streams \(missingcleanup.newLoneStream at line 96\) but no function releases them`
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

type keptConn struct { // want `keptConn creates the entries of streams \(missingcleanup.newTrackedStream at line 125\) but no function releases them`
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

// Reduced from miekg/dns server.go:202 (serveTCP): each accepted
// connection is tracked (so that Shutdown can unblock its reads) and
// handed to its own goroutine, which closes it through the response
// writer wrapping it and then removes it.

type response struct {
	tcp      net.Conn
	closed   bool
	hijacked bool
}

func (w *response) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	return w.tcp.Close()
}

type DNSServer struct { // silent: serveConn owns each connection: it closes it and removes it
	lock  sync.Mutex
	conns map[net.Conn]struct{}
}

func (srv *DNSServer) Serve(l net.Listener) error {
	var wg sync.WaitGroup
	for {
		rw, err := l.Accept()
		if err != nil {
			return err
		}
		srv.lock.Lock()
		srv.conns[rw] = struct{}{}
		srv.lock.Unlock()
		wg.Add(1)
		go srv.serveConn(&wg, rw)
	}
}

func (srv *DNSServer) serveConn(wg *sync.WaitGroup, rw net.Conn) {
	w := &response{tcp: rw}
	if !w.hijacked {
		w.Close()
	}
	srv.lock.Lock()
	delete(srv.conns, w.tcp)
	srv.lock.Unlock()
	wg.Done()
}

func (srv *DNSServer) Shutdown() {
	srv.lock.Lock()
	defer srv.lock.Unlock()
	for rw := range srv.conns {
		rw.SetReadDeadline(time.Time{})
	}
}

// Positive control: the goroutine removes the connection but its writer's
// Close does not close it: nothing releases the accepted connections.

type lazyResponse struct {
	tcp    net.Conn
	closed bool
}

func (w *lazyResponse) Close() error {
	w.closed = true
	return nil
}

type lazyServer struct { // want `lazyServer creates the entries of conns \(net.Listener.Accept at line 221; net.Listener.Accept at line 221\) but no function releases them`
	lock  sync.Mutex
	conns map[net.Conn]struct{}
}

func (srv *lazyServer) Serve(l net.Listener) error {
	for {
		rw, err := l.Accept()
		if err != nil {
			return err
		}
		srv.lock.Lock()
		srv.conns[rw] = struct{}{}
		srv.lock.Unlock()
		go srv.serveConn(rw)
	}
}

func (srv *lazyServer) serveConn(rw net.Conn) {
	w := &lazyResponse{tcp: rw}
	w.Close()
	srv.lock.Lock()
	delete(srv.conns, w.tcp)
	srv.lock.Unlock()
}

func (srv *lazyServer) Shutdown() {
	srv.lock.Lock()
	defer srv.lock.Unlock()
	for rw := range srv.conns {
		rw.SetReadDeadline(time.Time{})
	}
}

// The goroutine closes the connection itself (deferred): silent.
type echoServer struct {
	lock  sync.Mutex
	conns map[net.Conn]struct{}
}

func (srv *echoServer) Serve(l net.Listener) error {
	for {
		rw, err := l.Accept()
		if err != nil {
			return err
		}
		srv.lock.Lock()
		srv.conns[rw] = struct{}{}
		srv.lock.Unlock()
		go srv.echo(rw)
	}
}

func (srv *echoServer) echo(c net.Conn) {
	defer c.Close()
	defer func() {
		srv.lock.Lock()
		delete(srv.conns, c)
		srv.lock.Unlock()
	}()
	buf := make([]byte, 512)
	n, _ := c.Read(buf)
	c.Write(buf[:n])
}

func (srv *echoServer) Shutdown() {
	srv.lock.Lock()
	defer srv.lock.Unlock()
	for rw := range srv.conns {
		rw.SetReadDeadline(time.Time{})
	}
}
