package corpusfp

import "sync"

// --- FP168: a literal's address built in the call (gocql host_source.go):
// every caller of fillHost passes &HostRow{...} made in the call, a value
// no one else holds; fillHost assembles it, as a constructor would.

type HostRow struct {
	mu   sync.Mutex
	addr string // guarded by mu
	port int    // guarded by mu
}

func (h *HostRow) Addr() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.addr
}

func (h *HostRow) SetPort(p int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.port = p
}

type HostSource struct{}

func (s *HostSource) fillHost(row map[string]string, h *HostRow) *HostRow {
	h.addr = row["addr"]
	h.port = 9042
	return h
}

func (s *HostSource) Peers(rows []map[string]string) []*HostRow {
	var out []*HostRow
	for _, r := range rows {
		out = append(out, s.fillHost(r, &HostRow{}))
	}
	return out
}

func (s *HostSource) Local(row map[string]string) *HostRow {
	return s.fillHost(row, &HostRow{port: 1})
}

// Positive control: one caller hands a shared host to the filler.

type SharedSource struct{ cur *HostRow }

func (s *SharedSource) fillHost(row map[string]string, h *HostRow) {
	h.addr = row["addr"] // want `addr is guarded by mu \(its comment says "guarded by mu" at line 11\); written here without it \(RA1002\)`
}

func (s *SharedSource) Fresh(row map[string]string) {
	s.fillHost(row, &HostRow{})
}

func (s *SharedSource) Refresh(row map[string]string) {
	s.fillHost(row, s.cur)
}
