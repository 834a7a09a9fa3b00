// Package agg has an exported type whose only constructor takes a type
// of an internal package (grpc weightedaggregator.New takes a wrr.WRR):
// only its own module can make one, so its Add is not a public
// registration API.
package agg

import (
	"sync"

	"regapi/internal/wrr"
)

type state struct{ weight uint32 }

// Aggregator aggregates the states of weighted targets.
type Aggregator struct {
	newWRR func() wrr.WRR

	mu     sync.Mutex
	states map[string]*state
}

// New makes an Aggregator.
func New(newWRR func() wrr.WRR) *Aggregator {
	return &Aggregator{newWRR: newWRR, states: map[string]*state{}}
}

// Add adds a target with weight.
func (a *Aggregator) Add(id string, weight uint32) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.states[id] = &state{weight: weight}
}

// Remove removes a target.
func (a *Aggregator) Remove(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.states, id)
}

// Weight returns the weight of a target.
func (a *Aggregator) Weight(id string) uint32 {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s := a.states[id]; s != nil {
		return s.weight
	}
	return 0
}

// Target is a weighted target.
type Target struct{ Weight uint32 }

// Public is the same with a constructor anyone can call.
type Public struct {
	mu      sync.Mutex
	targets map[string]*Target
}

// NewPublic makes a Public.
func NewPublic() *Public { return &Public{targets: map[string]*Target{}} }

// Add adds a target.
func (p *Public) Add(id string, t *Target) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.targets[id] = t // want `Add stores t in targets under the caller's key id with no duplicate check: a second registration silently overwrites the first \(RA3004\)` `Add stores t in targets without a nil check, and entries are dereferenced \(p.targets\[id\].Weight\) at line 82 \(RA3005\)`
}

// Remove removes a target.
func (p *Public) Remove(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.targets, id)
}

// Weight returns the weight of a target.
func (p *Public) Weight(id string) uint32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.targets[id].Weight
}

// Shared's constructor takes an internal type, but the package exports an
// instance: anyone can register in it.
type Shared struct {
	newWRR func() wrr.WRR

	mu      sync.Mutex
	targets map[string]*Target
}

// NewShared makes a Shared.
func NewShared(newWRR func() wrr.WRR) *Shared {
	return &Shared{newWRR: newWRR, targets: map[string]*Target{}}
}

// Default is the shared instance.
var Default = NewShared(nil)

// Add adds a target.
func (s *Shared) Add(id string, t *Target) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.targets[id] = t // want `Add stores t in targets under the caller's key id with no duplicate check: a second registration silently overwrites the first \(RA3004\)` `Add stores t in targets without a nil check, and entries are dereferenced \(s.targets\[id\].Weight\) at line 120 \(RA3005\)`
}

// Remove removes a target.
func (s *Shared) Remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.targets, id)
}

// Weight returns the weight of a target.
func (s *Shared) Weight(id string) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.targets[id].Weight
}
