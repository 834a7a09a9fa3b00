package regressions

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sync"
)

// GAP 10 (miss, fixed): taking a guarded field's address for a call that
// fills it (json.Unmarshal(data, &c.cfg), fmt.Sscan, binary.Read, ...) was
// classified as a read, so doing it under RLock was not reported. The
// address handed to any other function stays a read.

type Settings struct {
	mu  sync.RWMutex
	cfg map[string]string // guarded by mu
}

func (s *Settings) Reload(data []byte) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Unmarshal(data, &s.cfg) // want `cfg is guarded by mu \(its comment says "guarded by mu" at line 18\); written here with only the read lock held \(RLock at line 22\) \(RA1003\)`
}

// Negative: the same call under the write lock.
func (s *Settings) Load(data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return json.Unmarshal(data, &s.cfg)
}

// Negative: encoding reads the field; an unknown callee gets its address.
func (s *Settings) Dump() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	inspect(&s.cfg)
	return json.Marshal(&s.cfg)
}

func inspect(p *map[string]string) { fmt.Println(len(*p)) }

// Negative: decoded into a local, stored under the write lock.
func (s *Settings) Swap(data []byte) error {
	var cfg map[string]string
	if err := json.Unmarshal(data, &cfg); err != nil {
		return err
	}
	s.mu.Lock()
	s.cfg = cfg
	s.mu.Unlock()
	return nil
}

type Gauge struct {
	mu  sync.RWMutex
	n   int    // guarded by mu
	hdr uint32 // guarded by mu
}

func (m *Gauge) N() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.n + int(m.hdr)
}

// Positive controls: a scanner without the lock, a binary decoder under
// the read lock.
func (m *Gauge) Parse(str string) {
	fmt.Sscan(str, &m.n) // want `n is guarded by mu .*; written here without it \(RA1002\)`
}

func (m *Gauge) ReadHdr(b []byte) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return binary.Read(bytes.NewReader(b), binary.BigEndian, &m.hdr) // want `hdr is guarded by mu .*; written here with only the read lock held .*\(RA1003\)`
}

// Negative: the format argument of Sscanf is not filled; Sscanf under the
// write lock.
func (m *Gauge) Scanf(str string) {
	m.mu.Lock()
	fmt.Sscanf(str, "%d", &m.n)
	m.mu.Unlock()
}
