package flow

import (
	"context"
	"sync"
)

// Reductions of false positives seen on real code (bench/FALSE_POSITIVES.md),
// each next to the mistake of the same shape that is still reported.

type proxy struct {
	mu  sync.RWMutex
	ctx context.Context
	n   int
}

func (p *proxy) Inc() { p.mu.Lock(); p.n++; p.mu.Unlock() }

// Good: every case of the select falls through to the Unlock; a select
// without default that no case is ready for blocks, it does not leave the
// function (etcd grpcproxy lease.go).
func newProxy(ctx context.Context, stop, disc <-chan struct{}, cancel func()) *proxy {
	p := &proxy{ctx: ctx}
	go func() {
		<-stop
		p.mu.Lock()
		select {
		case <-p.ctx.Done():
		case <-disc:
			cancel()
		}
		<-p.ctx.Done()
		p.mu.Unlock()
	}()
	return p
}

// Good: the same in a plain function, with a received value.
func (p *proxy) wait(disc <-chan int) int {
	p.mu.Lock()
	n := 0
	select {
	case v := <-disc:
		n = v
	case <-p.ctx.Done():
	}
	p.n += n
	p.mu.Unlock()
	return n
}

// RA2001: a case of the select returns holding the lock.
func (p *proxy) waitLeak(disc <-chan int) int {
	p.mu.Lock()
	select {
	case v := <-disc:
		return v // want `p\.mu is locked at line 54 and not released on this return path \(RA2001\)`
	case <-p.ctx.Done():
	}
	p.mu.Unlock()
	return 0
}

type server struct {
	mu sync.Mutex
	n  int
}

// Good: the lock is taken once, on the first item, behind a flag set in the
// same branch; the deferred Unlock runs at return (grpc interop
// test_utils.go).
func (s *server) handle(items []int) {
	locked := false
	for _, it := range items {
		if it > 0 {
			if !locked {
				s.mu.Lock()
				defer s.mu.Unlock()
				locked = true
			}
			s.n += it
		}
	}
}

// Good: the same with a flag that is cleared.
func (s *server) handleFirst(items []int) {
	first := true
	for _, it := range items {
		if first && it > 0 {
			first = false
			s.mu.Lock()
			defer s.mu.Unlock()
		}
		s.n += it
	}
}

// RA2002: the flag is declared in the loop, so it is reset on every
// iteration.
func (s *server) handleReset(items []int) {
	for _, it := range items {
		locked := false
		if !locked {
			s.mu.Lock()
			defer s.mu.Unlock() // want `deferred s\.mu\.Unlock inside a loop runs only when the function returns: the Lock at line 105 deadlocks on the next iteration \(RA2002\)`
			locked = true
		}
		s.n += it
		_ = locked
	}
}

// RA2002: the flag is set in another branch than the one that locks.
func (s *server) handleElse(items []int) {
	locked := false
	for _, it := range items {
		if !locked {
			s.mu.Lock()
			defer s.mu.Unlock() // want `deferred s\.mu\.Unlock inside a loop runs only when the function returns: the Lock at line 119 deadlocks on the next iteration \(RA2002\)`
		} else {
			locked = true
		}
		s.n += it
	}
}

type DB struct {
	rwlock sync.Mutex
	mmap   sync.RWMutex
	opened bool
	rwtx   *Tx
	n      int
}

type Tx struct{ db *DB }

// Good: the Commit method of the returned Tx releases db.rwlock (bbolt
// db.go Begin).
func (db *DB) Begin() (*Tx, error) {
	db.rwlock.Lock()
	if !db.opened {
		db.rwlock.Unlock()
		return nil, errDup
	}
	t := &Tx{db: db}
	db.rwtx = t
	return t, nil
}

func (t *Tx) Commit() {
	t.db.rwtx = nil
	t.close()
}

func (t *Tx) close() { t.db.rwlock.Unlock() }

// Session is released by its Close.
type Session interface{ Close() error }

// Good, by its doc: Open returns a Session that holds db.rwlock until its
// Close.
func (db *DB) Open(mk func(*DB) Session) (Session, error) {
	db.rwlock.Lock()
	if !db.opened {
		db.rwlock.Unlock()
		return nil, errDup
	}
	return mk(db), nil
}

// Good, by its doc: Pin pins the map for reading; the caller must call
// Close on the returned Session.
func (db *DB) Pin(mk func(*DB) Session) Session {
	db.mmap.RLock()
	if !db.opened {
		db.mmap.RUnlock()
		return nil
	}
	return mk(db)
}

// View reads from a DB.
type View struct{ db *DB }

func (v *View) Len() int { return v.db.n }

// RA2001: a View does not release db.rwlock.
func (db *DB) BeginView() (*View, error) {
	db.rwlock.Lock()
	if !db.opened {
		db.rwlock.Unlock()
		return nil, errDup
	}
	return &View{db: db}, nil // want `db\.rwlock is locked at line 190 and not released on this return path \(RA2001\)`
}

// RA2001: a Tx releases db.rwlock, not db.mmap.
func (db *DB) BeginMmap() (*Tx, error) {
	db.mmap.Lock()
	if !db.opened {
		db.mmap.Unlock()
		return nil, errDup
	}
	return &Tx{db: db}, nil // want `db\.mmap is locked at line 200 and not released on this return path \(RA2001\)`
}

// Good: the returned value releases the lock on some paths only, through
// a call (bbolt Tx.close: writable transactions unlock db.rwlock, read-only
// ones release db.mmaplock through db.removeTx).
type RDB struct {
	rwlock   sync.Mutex
	mmaplock sync.RWMutex
	opened   bool
}

type RTx struct {
	db       *RDB
	writable bool
}

func (db *RDB) beginTx() (*RTx, error) {
	db.mmaplock.RLock()
	if !db.opened {
		db.mmaplock.RUnlock()
		return nil, nil
	}
	return &RTx{db: db}, nil
}

func (db *RDB) beginRWTx() (*RTx, error) {
	db.rwlock.Lock()
	if !db.opened {
		db.rwlock.Unlock()
		return nil, nil
	}
	return &RTx{db: db, writable: true}, nil
}

func (db *RDB) removeTx(tx *RTx) {
	db.mmaplock.RUnlock()
}

func (tx *RTx) Rollback() { tx.close() }

func (tx *RTx) close() {
	if tx.writable {
		tx.db.rwlock.Unlock()
	} else {
		tx.db.removeTx(tx)
	}
}

// FP91 (looplab/fsm): deferred calls run last registered first. The
// deferred RLock registered after the deferred RUnlock runs before it and
// takes the read lock again: balanced.
type machine struct {
	stateMu sync.RWMutex
	current string
	after   func()
}

func (m *machine) Event(dst string) error {
	m.stateMu.RLock()
	defer m.stateMu.RUnlock()
	if m.current == dst {
		m.stateMu.RUnlock()
		defer m.stateMu.RLock()
		m.after()
		return nil
	}
	return nil
}

// RA2005: the deferred RLock is registered before the deferred RUnlock,
// so it runs after it: the RUnlock finds the lock released.
func (m *machine) EventWrongOrder(dst string) error {
	defer m.stateMu.RLock()
	m.stateMu.RLock()
	defer m.stateMu.RUnlock()
	if m.current == dst {
		m.stateMu.RUnlock() // want `m\.stateMu is unlocked here and again by the deferred m\.stateMu\.RUnlock at line \d+ when the function returns`
		m.after()
		return nil
	}
	return nil
}

// FP91 (xtaci/smux): a defer counts only on the paths through its
// registration. The deferred Unlock of the fin case runs only when that
// case returns; the die case unlocks explicitly.
type stream struct {
	bufferLock sync.Mutex
	buffered   int
	fin, die   chan struct{}
}

func (s *stream) waitRead() error {
	select {
	case <-s.fin:
		s.bufferLock.Lock()
		defer s.bufferLock.Unlock()
		if s.buffered > 0 {
			return nil
		}
		return errDup
	case <-s.die:
		s.bufferLock.Lock()
		drained := s.buffered == 0
		s.bufferLock.Unlock()
		if drained {
			return errDup
		}
		return nil
	}
}

// RA2005: the same defer, but the case that unlocks explicitly is reached
// after it was registered.
func (s *stream) waitReadTwice() error {
	s.bufferLock.Lock()
	defer s.bufferLock.Unlock()
	select {
	case <-s.fin:
		return nil
	case <-s.die:
		drained := s.buffered == 0
		s.bufferLock.Unlock() // want `s\.bufferLock is unlocked here and again by the deferred s\.bufferLock\.Unlock at line \d+ when the function returns`
		if drained {
			return errDup
		}
		return nil
	}
}

// FP123 (tidwall/buntdb): the Unlock and the RUnlock of unlock are in
// exclusive branches, so no path runs both; Commit, with an early return,
// releases the lock on some paths only, so nothing tells unlock's entry
// state, and the RUnlock was taken as following the Unlock in the source.
type txDB struct {
	mu sync.RWMutex
	n  int
}

type dbTx struct {
	db       *txDB
	writable bool
}

func (tx *dbTx) unlock() {
	if tx.writable {
		tx.db.mu.Unlock()
	} else {
		tx.db.mu.RUnlock()
	}
}

// the same with a return ending the first branch
func (tx *dbTx) unlockReturn() {
	if tx.writable {
		tx.db.mu.Unlock()
		return
	}
	tx.db.mu.RUnlock()
}

// the same in two cases of a switch
func (tx *dbTx) unlockSwitch() {
	switch {
	case tx.writable:
		tx.db.mu.Unlock()
	default:
		tx.db.mu.RUnlock()
	}
}

func (tx *dbTx) Commit() {
	if tx.db == nil {
		return
	}
	tx.db.n++
	tx.unlock()
	tx.unlockReturn()
	tx.unlockSwitch()
	tx.unlockBoth()
}

// RA2005: a writable transaction runs both.
func (tx *dbTx) unlockBoth() {
	if tx.writable {
		tx.db.mu.Unlock()
	}
	tx.db.mu.RUnlock() // want `tx\.db\.mu is not held here, it was already released at line \d+`
}

// FP125 (go-socket.io websocket wrapper.NextWriter): the lock is handed to
// the returned writer as the *sync.Mutex itself, stored by its constructor
// in the field its Close unlocks; the writer is returned as an interface.
type wsConn struct {
	writeLocker *sync.Mutex
	readLocker  *sync.Mutex
	ok          bool
}

type lockedWriter struct {
	l *sync.Mutex
	n int
}

func newLockedWriter(l *sync.Mutex, n int) lockedWriter {
	return lockedWriter{l: l, n: n}
}

func (w lockedWriter) Write(p []byte) (int, error) { return len(p), nil }

func (w lockedWriter) Close() error {
	defer w.l.Unlock()
	return nil
}

// plainWriter stores the mutex but never unlocks it.
type plainWriter struct{ l *sync.Mutex }

func (w plainWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w plainWriter) Close() error                { return nil }

type writeCloser interface {
	Write(p []byte) (int, error)
	Close() error
}

func (c wsConn) NextWriter() (writeCloser, error) {
	c.writeLocker.Lock()
	if !c.ok {
		c.writeLocker.Unlock()
		return nil, errDup
	}
	return newLockedWriter(c.writeLocker, 1), nil
}

// the same with the composite literal
func (c wsConn) NextWriterLit() (writeCloser, error) {
	c.writeLocker.Lock()
	if !c.ok {
		c.writeLocker.Unlock()
		return nil, errDup
	}
	return &lockedWriter{l: c.writeLocker}, nil
}

// RA2001: the writer is given another mutex.
func (c wsConn) NextWriterOther() (writeCloser, error) {
	c.writeLocker.Lock()
	if !c.ok {
		c.writeLocker.Unlock()
		return nil, errDup
	}
	return newLockedWriter(c.readLocker, 1), nil // want `c\.writeLocker is locked at line \d+ and not released on this return path \(RA2001\)`
}

// RA2001: the writer's type does not unlock the mutex it stores.
func (c wsConn) NextWriterPlain() (writeCloser, error) {
	c.writeLocker.Lock()
	if !c.ok {
		c.writeLocker.Unlock()
		return nil, errDup
	}
	return plainWriter{l: c.writeLocker}, nil // want `c\.writeLocker is locked at line \d+ and not released on this return path \(RA2001\)`
}
