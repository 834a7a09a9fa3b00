package corpusfp

import "sync"

// --- FP60: a package function that leaves synchronization to its callers -
// (etcd membership/cluster.go: ValidateClusterAndAssignIDs(lg, local,
// existing) rebuilds local.members without local's lock and calls
// local.buildMembershipMetric, whose other callers hold it; it has no
// caller in its package, and its only caller, in etcdserver's bootstrap,
// passes a cluster fresh from NewClusterFromURLsMap. The callers own the
// value or hold its lock; each call site in an importer is checked, RA2007.)

type Membership struct {
	mu    sync.Mutex
	peers map[uint64]string // guarded by mu
	gone  map[uint64]bool   // guarded by mu
}

func (m *Membership) Peers() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, p := range m.peers {
		out = append(out, p)
	}
	return out
}

func (m *Membership) AddPeer(id uint64, url string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.peers[id] = url
	m.refreshMetric()
}

func (m *Membership) RemovePeer(id uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.peers, id)
	m.gone[id] = true
	m.refreshMetric()
}

func (m *Membership) refreshMetric() {
	for range m.peers {
	}
	for range m.gone {
	}
}

// Negative: exported, no receiver, never locks local, no caller here.
func AssignPeerIDs(local *Membership, ids []uint64) {
	urls := local.Peers()
	local.peers = make(map[uint64]string)
	for i, u := range urls {
		local.peers[ids[i]] = u
	}
	local.refreshMetric()
}

// Positive control: a method doing the same write is expected to lock.
func (m *Membership) ResetPeers() {
	m.peers = make(map[uint64]string) // want `peers is guarded by mu .*; written here without it \(RA1002\)`
}

// Positive control: a package function with a caller in its package that
// does not hold the lock is judged as today.
func ClearGone(m *Membership) {
	m.gone = nil // want `gone is guarded by mu .*; written here without it \(RA1002\)`
}

func (m *Membership) Forget() { ClearGone(m) }

// Positive control: a package function that locks its parameter itself
// takes charge of its synchronization.
func RenamePeer(m *Membership, id uint64, url string) {
	if url == "" {
		m.peers[id] = url // want `peers is guarded by mu .*; written here without it \(RA1002\)`
		return
	}
	m.mu.Lock()
	m.peers[id] = url
	m.mu.Unlock()
}

// Positive control: a package function that only reads is an accessor,
// expected to lock.
func PeerCount(m *Membership) int {
	return len(m.peers) // want `peers is guarded by mu .*; read \(len\) here without it \(RA1001\)`
}
