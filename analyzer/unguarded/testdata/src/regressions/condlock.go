package regressions

import (
	"errors"
	"sync"
)

// Formerly a gap (false positive), fixed on main: a lock helper that
// returns with the lock held only on success (nil error) has no "acquires"
// summary, since the lock is not held at every exit; callers that check the
// error and then use the guarded state are reported.

var errClosed = errors.New("closed")

type Store struct {
	mu     sync.Mutex
	closed bool           // guarded by mu
	m      map[string]int // guarded by mu
}

// lockOpen locks s.mu and returns nil, or returns errClosed unlocked.
func (s *Store) lockOpen() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errClosed
	}
	return nil
}

func (s *Store) Put(k string, v int) error {
	if err := s.lockOpen(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.m[k] = v
	return nil
}

func (s *Store) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}
