// Package preconditions tests RA3004 and RA3005 on registration functions
// whose doc states the precondition the caller checks (etcd
// RaftCluster.AddMember: "A Member with a matching id must not exist").
package preconditions

import "sync"

type Member struct {
	ID   uint64
	Name string
}

// Cluster is a set of members.
type Cluster struct {
	mu      sync.Mutex
	members map[uint64]*Member
}

// AddMember adds a new Member into the cluster.
// A Member with a matching id must not exist.
func (c *Cluster) AddMember(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m // want `AddMember stores m in members without a nil check, and entries are dereferenced \(m.Name\) at line 111 \(RA3005\)`
}

// AddLearner adds a learner. The caller ensures that no member with the
// same id is registered, and that m is not nil.
func (c *Cluster) AddLearner(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m
}

// AddWitness adds a witness. Its id must be unique; m must not be nil.
func (c *Cluster) AddWitness(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m
}

// AddObserver adds an observer. The caller must ensure the cluster is
// started.
func (c *Cluster) AddObserver(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m // want `AddObserver stores m in members under the caller's key id with no duplicate check: a second registration silently overwrites the first \(RA3004\)` `AddObserver stores m in members without a nil check, and entries are dereferenced \(m.Name\) at line 111 \(RA3005\)`
}

// AddMemberUnchecked adds a member.
func (c *Cluster) AddMemberUnchecked(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m // want `AddMemberUnchecked stores m in members under the caller's key id with no duplicate check: a second registration silently overwrites the first \(RA3004\)` `AddMemberUnchecked stores m in members without a nil check, and entries are dereferenced \(m.Name\) at line 111 \(RA3005\)`
}

// The check put on the caller in other words than "ensures": "checks",
// "verifies", "is checked by the caller", "the caller's responsibility".

// AddVoter adds a voter. The caller checks that no member with the same id
// is registered.
func (c *Cluster) AddVoter(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m // want `AddVoter stores m in members without a nil check, and entries are dereferenced \(m.Name\) at line \d+ \(RA3005\)`
}

// AddStandby adds a standby. Duplicate ids are checked by the caller.
func (c *Cluster) AddStandby(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m // want `AddStandby stores m in members without a nil check, and entries are dereferenced \(m.Name\) at line \d+ \(RA3005\)`
}

// AddSpare adds a spare. It is the caller's responsibility that the id is
// unique and that m is not nil.
func (c *Cluster) AddSpare(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m
}

// AddReplica adds a replica. Callers must verify that the id does not
// exist yet.
func (c *Cluster) AddReplica(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m // want `AddReplica stores m in members without a nil check, and entries are dereferenced \(m.Name\) at line \d+ \(RA3005\)`
}

// AddArbiter adds an arbiter. The caller checks that the cluster is
// started; the arbiter's id is unique in its own zone.
func (c *Cluster) AddArbiter(id uint64, m *Member) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.members[id] = m // want `AddArbiter stores m in members under the caller's key id with no duplicate check: a second registration silently overwrites the first \(RA3004\)` `AddArbiter stores m in members without a nil check, and entries are dereferenced \(m.Name\) at line \d+ \(RA3005\)`
}

// RemoveMember removes a member.
func (c *Cluster) RemoveMember(id uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.members, id)
}

// MemberName returns the name of a member.
func (c *Cluster) MemberName(id uint64) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.members[id]; ok {
		return m.Name
	}
	return ""
}
