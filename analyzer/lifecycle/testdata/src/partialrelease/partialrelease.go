// Package partialrelease tests RA3002 on cleanups that close a part of
// each entry that the entry's own release method does not close
// (client-go remotecommand wsStreamCreator.closeAllStreamReaders closes
// each stream's write pipe, which stream.Close leaves open: the streams
// stay in the map to be drained).
package partialrelease

import (
	"errors"
	"io"
	"net"
	"sync"
)

type stream struct {
	id        byte
	readPipe  *io.PipeReader
	writePipe *io.PipeWriter
	conn      net.Conn
}

func (s *stream) Read(p []byte) (int, error) { return s.readPipe.Read(p) }

// Close half-closes the stream: it tells the peer, and leaves the pipe to
// be drained.
func (s *stream) Close() error {
	_, err := s.conn.Write([]byte{0, s.id})
	s.conn = nil
	return err
}

// Creator demultiplexes a connection into streams.
type Creator struct {
	conn      net.Conn
	streamsMu sync.Mutex
	streams   map[byte]*stream
	setErr    error
}

func (c *Creator) getStream(id byte) *stream {
	c.streamsMu.Lock()
	defer c.streamsMu.Unlock()
	return c.streams[id]
}

func (c *Creator) setStream(id byte, s *stream) error {
	c.streamsMu.Lock()
	defer c.streamsMu.Unlock()
	if c.setErr != nil {
		return c.setErr
	}
	c.streams[id] = s
	return nil
}

// CreateStream creates the stream id.
func (c *Creator) CreateStream(id byte) (io.ReadCloser, error) {
	if s := c.getStream(id); s != nil {
		return nil, errors.New("duplicate stream")
	}
	r, w := io.Pipe()
	s := &stream{id: id, readPipe: r, writePipe: w, conn: c.conn}
	if err := c.setStream(id, s); err != nil {
		return nil, err
	}
	return s, nil
}

// Deliver hands data to the stream id.
func (c *Creator) Deliver(id byte, data []byte) error {
	s := c.getStream(id)
	if s == nil {
		return errors.New("unknown stream")
	}
	_, err := s.writePipe.Write(data)
	return err
}

// closeAllStreamReaders closes the write side of every stream: readers
// get err once drained.
func (c *Creator) closeAllStreamReaders(err error) {
	c.streamsMu.Lock()
	defer c.streamsMu.Unlock()
	for _, s := range c.streams {
		s.writePipe.CloseWithError(err)
	}
	c.setErr = err
}

type conn struct {
	id      string
	netConn net.Conn
}

// Close closes the connection.
func (c *conn) Close() error { return c.netConn.Close() }

// Pool closes the network connection of each entry, which is what the
// entries' Close does: the closed entries stay where Get finds them.
type Pool struct {
	mu    sync.Mutex
	conns map[string]*conn
}

// Get dials addr once.
func (p *Pool) Get(addr string) (*conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[addr]; ok {
		return c, nil
	}
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &conn{id: addr, netConn: nc}
	p.conns[addr] = c
	return c, nil
}

// Close closes every connection.
func (p *Pool) Close() { // want `cleanup Close releases the entries of conns \(line 126\) but leaves them in the collection, where Get still finds them \(line 109\), and no closed state is set: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.netConn.Close()
	}
}
