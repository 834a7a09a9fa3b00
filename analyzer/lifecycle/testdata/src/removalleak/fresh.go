package removalleak

import (
	"net"
	"sync"
	"sync/atomic"
)

// Reduced from hashicorp/yamux session.go:711 (incomingStream): a stream
// made for a peer's SYN is registered, then dropped again when the accept
// backlog is full (the select's default): it was never handed out, and
// newStream only allocates, so there is nothing to release.

type header []byte

type muxStream struct {
	id       uint32
	hdr      header
	notify   chan struct{}
	deadline atomic.Value
}

func newMuxStream(id uint32) *muxStream {
	s := &muxStream{id: id, hdr: header(make([]byte, 12)), notify: make(chan struct{}, 1)}
	s.deadline.Store(0)
	return s
}

func (s *muxStream) Close() error { return nil }

type MuxSession struct {
	mu       sync.Mutex
	streams  map[uint32]*muxStream
	acceptCh chan *muxStream
}

func (s *MuxSession) incoming(id uint32) error {
	stream := newMuxStream(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.streams[id]; ok {
		return nil
	}
	s.streams[id] = stream
	select {
	case s.acceptCh <- stream:
		return nil
	default:
		delete(s.streams, id) // silent: never handed out, holds nothing
		return nil
	}
}

// Positive control: the stream is handed to the accept queue before it is
// dropped.
func (s *MuxSession) incomingLeaky(id uint32) error {
	stream := newMuxStream(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.streams[id] = stream
	s.acceptCh <- stream
	if len(s.streams) > 10 {
		delete(s.streams, id) // want `incomingLeaky removes an entry of streams without releasing it or returning it, but MuxSession owns the entries`
	}
	return nil
}

func (s *MuxSession) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.streams {
		st.Close()
	}
	s.streams = nil
}

// Positive control: the same drop, but the constructor dials: the dropped
// value holds a connection.

type dialStream struct {
	id uint32
	nc net.Conn
}

func newDialStream(id uint32) *dialStream {
	nc, _ := net.Dial("tcp", "peer:1")
	return &dialStream{id: id, nc: nc}
}

func (s *dialStream) Close() error { return s.nc.Close() }

type DialSession struct {
	mu       sync.Mutex
	streams  map[uint32]*dialStream
	acceptCh chan *dialStream
}

func (s *DialSession) incoming(id uint32) error {
	stream := newDialStream(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.streams[id] = stream
	select {
	case s.acceptCh <- stream:
		return nil
	default:
		delete(s.streams, id) // want `incoming removes an entry of streams without releasing it or returning it, but DialSession owns the entries`
		return nil
	}
}

func (s *DialSession) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.streams {
		st.Close()
	}
	s.streams = nil
}
