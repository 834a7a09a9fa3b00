package gaps

import (
	"encoding/json"
	"sync"
)

// GAP 10 (miss): taking a guarded field's address for a call that fills
// it (json.Unmarshal(data, &c.cfg), fmt.Sscan, binary.Read, ...) is
// classified as a read, so doing it under RLock is not reported.

type Settings struct {
	mu  sync.RWMutex
	cfg map[string]string // guarded by mu
}

func (s *Settings) Reload(data []byte) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Unmarshal(data, &s.cfg) // want `cfg is guarded by mu \(its comment says "guarded by mu" at line 14\); written here with only the read lock held \(RLock at line 18\) \(RA1003\)`
}
