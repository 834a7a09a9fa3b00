// Package incompletecleanup tests RA3002.
package incompletecleanup

import (
	"net"
	"os"
	"sync"
	"time"
)

// NoReset closes its connections but leaves them in the map.
type NoReset struct {
	mu    sync.Mutex
	conns map[string]net.Conn
}

// Dial dials addr once.
func (p *NoReset) Dial(addr string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.conns[addr]; ok {
		return nil
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	p.conns[addr] = c
	return nil
}

// Close closes every connection.
func (p *NoReset) Close() { // want `cleanup Close releases the entries of conns \(line 37\) but leaves them in the collection, where Dial still finds them \(line 21\), and no closed state is set: reset it \(nil, make, clear or delete per entry\) \(RA3002\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// Unlocked's mutex comment names conns, but Close touches it without the
// lock. The guard is not corroborated by use, so the unguarded-access
// family stays silent; the cleanup check does not.
type Unlocked struct {
	mu    sync.Mutex // guards conns
	conns map[string]net.Conn
}

// Dial dials addr.
func (p *Unlocked) Dial(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.conns[addr] = c
	p.mu.Unlock()
	return nil
}

// Close closes every connection.
func (p *Unlocked) Close() {
	for _, c := range p.conns { // want `cleanup Close touches conns without holding its guard mu \(ranged over here\) \(RA3002\)`
		c.Close()
	}
	p.conns = nil
}

// Files owns two collections and its Close forgets the listeners.
type Files struct {
	mu        sync.Mutex
	files     []*os.File
	listeners []net.Listener
}

// Open opens name.
func (f *Files) Open(name string) error {
	fd, err := os.Open(name)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files = append(f.files, fd)
	return nil
}

// Listen listens on addr.
func (f *Files) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listeners = append(f.listeners, ln)
	return nil
}

// StopListening closes and forgets the last listener.
func (f *Files) StopListening() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.listeners); n > 0 {
		f.listeners[n-1].Close()
		f.listeners = f.listeners[:n-1]
	}
}

// Count counts the files.
func (f *Files) Count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.files) + len(f.listeners)
}

// Close closes the files.
func (f *Files) Close() { // want `cleanup Close releases files but not the entries of listeners, which Files creates \(net.Listen at line 90\) \(RA3002\)`
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fd := range f.files {
		fd.Close()
	}
	f.files = nil
}

// Watcher runs a background loop and its Close forgets to stop it.
type Watcher struct {
	mu    sync.Mutex
	files map[string]*os.File
	quit  chan struct{}
}

// NewWatcher starts the loop.
func NewWatcher() *Watcher {
	w := &Watcher{files: map[string]*os.File{}, quit: make(chan struct{})}
	go w.loop()
	return w
}

func (w *Watcher) loop() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-w.quit:
			return
		case <-t.C:
			w.mu.Lock()
			_ = len(w.files)
			w.mu.Unlock()
		}
	}
}

// Watch opens name.
func (w *Watcher) Watch(name string) error {
	fd, err := os.Open(name)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if old, ok := w.files[name]; ok {
		old.Close()
	}
	w.files[name] = fd
	return nil
}

// Close closes the files.
func (w *Watcher) Close() { // want `cleanup Close does not stop the goroutine NewWatcher starts at line 137, which waits on quit \(line 146\) \(RA3002\)`
	w.mu.Lock()
	defer w.mu.Unlock()
	for name, fd := range w.files {
		fd.Close()
		delete(w.files, name)
	}
}

// Stopper stops its loop and resets its map: no diagnostic.
type Stopper struct {
	mu    sync.Mutex
	files map[string]*os.File
	quit  chan struct{}
}

// Start starts the loop.
func (s *Stopper) Start() {
	go func() {
		for range s.quit {
		}
	}()
}

// Watch opens name.
func (s *Stopper) Watch(name string) error {
	fd, err := os.Open(name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.files[name]; ok {
		fd.Close()
		return nil
	}
	s.files[name] = fd
	return nil
}

// Len counts the files.
func (s *Stopper) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

// Close stops the loop, then detaches the files and closes them.
func (s *Stopper) Close() {
	close(s.quit)
	s.mu.Lock()
	files := s.files
	s.files = map[string]*os.File{}
	s.mu.Unlock()
	for _, fd := range files {
		fd.Close()
	}
}

// Server releases its connections with the lock dropped and retaken inside
// the deferred unlock (net/http.Server.Close): no diagnostic.
type Server struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// Accept tracks conns from ln.
func (s *Server) Accept(ln net.Listener) error {
	c, err := ln.Accept()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[c] = struct{}{}
	return nil
}

// Forget stops tracking c.
func (s *Server) Forget(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// Close closes every connection.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.Unlock()
	s.wg.Wait()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
		delete(s.conns, c)
	}
	return nil
}
