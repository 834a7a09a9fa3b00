package regressions

import "sync"

// Formerly a gap (false positive), fixed on main: a helper called only from
// a *Locked helper has unknown call sites (the *Locked caller's lock is not
// resolved to a mutex), so no entry lock is inferred and its accesses are
// reported.

type Buffer struct {
	mu  sync.Mutex
	buf []byte // guarded by mu
}

func (b *Buffer) Write(p []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > 1024 {
		b.flushLocked()
	}
}

func (b *Buffer) flushLocked() {
	b.truncate()
}

func (b *Buffer) truncate() {
	b.buf = b.buf[:0]
}
