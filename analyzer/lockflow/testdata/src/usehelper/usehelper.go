// Package usehelper uses lockhelper's helpers and wrappers.
package usehelper

import "lockhelper"

// RA2003 across packages.
func Copy(s *lockhelper.Store, k string) string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.Get(k) // want `calls s\.Get while holding s\.Mu \(locked at line 8\), but Get locks s\.Mu \(lockhelper\.go:13\): this deadlocks \(RA2003\)`
}

// Good: the wrapper defined in the other package.
func Set(s *lockhelper.Store, k, v string) {
	s.Lock()
	defer s.Unlock()
	s.SetLocked(k, v)
}

// RA2001 with a wrapper from the other package.
func SetLeak(s *lockhelper.Store, k, v string) {
	s.Lock()
	if k == "" {
		return // want `s\.Mu is locked at line 22 and not released on this return path \(RA2001\)`
	}
	s.SetLocked(k, v)
	s.Unlock()
}

// RA2007 across packages.
func SetNoLock(s *lockhelper.Store, k, v string) {
	s.SetLocked(k, v) // want `calls s\.SetLocked without holding s\.Mu, which SetLocked requires \(its doc comment says "The caller must hold s\.Mu"\) \(RA2007\)`
}

// RA2003 through a callback run under the package's mutex.
func Nested() {
	lockhelper.WithLock(func() {
		lockhelper.Add("x") // want `calls lockhelper\.Add while holding mu`
	})
}

// Good.
func AddTwo() {
	lockhelper.Add("a")
	lockhelper.Add("b")
}

// RA2003 across packages on an unexported mutex handed over by a lock
// wrapper.
func TableLen(t *lockhelper.Table) int {
	t.Lock()
	defer t.Unlock()
	return t.Len() // want `calls t\.Len while holding t\.mu \(locked at line 51\), but Len locks t\.mu \(lockhelper\.go:\d+\): this deadlocks \(RA2003\)`
}

// Good: Private's mutex cannot be held here.
func IncTwice(p *lockhelper.Private) {
	p.Inc()
	p.Inc()
}

// FP60: lockhelper.Renumber leaves r's synchronization to its callers.

// Good: a roster fresh from its constructor, not yet shared.
func Assemble(ids []int) *lockhelper.Roster {
	r := lockhelper.NewRoster()
	r.Add(1, "a")
	lockhelper.Renumber(r, ids)
	return r
}

// Good: allocated here.
func AssembleLit(ids []int) *lockhelper.Roster {
	r := &lockhelper.Roster{}
	lockhelper.Renumber(r, ids)
	return r
}

// Good: fresh from a constructor with an error result.
func AssembleFrom(names []string, ids []int) (*lockhelper.Roster, error) {
	r, err := lockhelper.NewRosterFrom(names)
	if err != nil {
		return nil, err
	}
	lockhelper.Renumber(r, ids)
	return r, nil
}

// Good: the caller holds the roster's lock.
func RenumberLocked(r *lockhelper.Roster, ids []int) {
	r.Mu.Lock()
	defer r.Mu.Unlock()
	lockhelper.Renumber(r, ids)
}

type Server struct {
	roster *lockhelper.Roster
}

var current = lockhelper.NewRoster()

// Bad: a long-lived server's roster.
func (s *Server) Renumber(ids []int) {
	lockhelper.Renumber(s.roster, ids) // want `calls lockhelper\.Renumber without holding s\.roster\.Mu, which Renumber requires \(it writes its parameter r's members, guarded by Mu, without locking it; pass a value not yet shared\) \(RA2007\)`
}

// Bad: a package variable.
func RenumberCurrent(ids []int) {
	lockhelper.Renumber(current, ids) // want `calls lockhelper\.Renumber without holding current\.Mu`
}

// Bad: a parameter (RenumberParam touches no guarded field itself).
func RenumberParam(r *lockhelper.Roster, ids []int) {
	lockhelper.Renumber(r, ids) // want `calls lockhelper\.Renumber without holding r\.Mu`
}

// Bad: fresh, but published before the call.
func (s *Server) Replace(ids []int) {
	r := lockhelper.NewRoster()
	s.roster = r
	lockhelper.Renumber(r, ids) // want `calls lockhelper\.Renumber without holding r\.Mu`
}

// Good: GetOpt does not lock when passed false (the condition crosses
// the package boundary in the fact).
func CopyOpt(s *lockhelper.Store, k string) string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.GetOpt(k, false)
}

// RA2003: it does when passed true.
func CopyOptLocking(s *lockhelper.Store, k string) string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return s.GetOpt(k, true) // want `calls s\.GetOpt while holding s\.Mu \(locked at line \d+\), but GetOpt locks s\.Mu \(lockhelper\.go:\d+\): this deadlocks \(RA2003\)`
}
