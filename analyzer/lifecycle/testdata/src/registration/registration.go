// Package registration tests RA3004 and RA3005.
package registration

import (
	"errors"
	"sync"
)

// Driver opens connections.
type Driver interface {
	Open(name string) (any, error)
}

var (
	driversMu sync.RWMutex
	drivers   = map[string]Driver{}
)

// Register makes a driver available by name.
func Register(name string, d Driver) {
	driversMu.Lock()
	defer driversMu.Unlock()
	drivers[name] = d // want `Register stores d in drivers under the caller's key name with no duplicate check: a second registration silently overwrites the first \(RA3004\)` `Register stores d in drivers without a nil check, and entries are used \(d.Open\) at line 41 \(RA3005\)`
}

// Drivers counts the drivers.
func Drivers() int {
	driversMu.RLock()
	defer driversMu.RUnlock()
	return len(drivers)
}

// Open opens a connection with the named driver.
func Open(driver, name string) (any, error) {
	driversMu.RLock()
	d, ok := drivers[driver]
	driversMu.RUnlock()
	if !ok {
		return nil, errors.New("unknown driver")
	}
	return d.Open(name)
}

// Handler handles events.
type Handler func(event string)

// Mux dispatches events to handlers.
type Mux struct {
	mu       sync.Mutex
	handlers map[string]Handler
	hooks    map[string]Handler
	names    map[string]string
}

// AddHandler registers h for event, rejecting nil and duplicates.
func (m *Mux) AddHandler(event string, h Handler) error {
	if h == nil {
		return errors.New("nil handler")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.handlers[event]; dup {
		return errors.New("duplicate handler")
	}
	m.handlers[event] = h
	return nil
}

// AddHook installs h for event. It replaces any hook installed before.
func (m *Mux) AddHook(event string, h Handler) {
	if h == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hooks[event] = h
}

// AddName records an alias; names are never called, so nil is harmless.
func (m *Mux) AddName(alias, name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.names[alias]; ok {
		return
	}
	m.names[alias] = name
}

// Dispatch calls the handler and hook of event.
func (m *Mux) Dispatch(event string) {
	m.mu.Lock()
	h := m.handlers[event]
	k := m.hooks[event]
	n := m.names[event]
	m.mu.Unlock()
	if h != nil {
		h(event)
	}
	if k != nil {
		k(n)
	}
}

// addLocal is unexported: not a public registration.
func (m *Mux) addLocal(event string, h Handler) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.handlers[event] = h
}

// Plugins is a slice registry: appends cannot overwrite, but a nil plugin
// would crash Run.
type Plugins struct {
	mu   sync.Mutex
	list []Plugin
}

// Plugin runs.
type Plugin interface{ Run() }

// Add appends p.
func (ps *Plugins) Add(p Plugin) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.list = append(ps.list, p) // want `Add stores p in list without a nil check, and entries are used \(p.Run\) at line 140 \(RA3005\)`
}

// Len counts the plugins.
func (ps *Plugins) Len() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.list)
}

// Run runs the plugins.
func (ps *Plugins) Run() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.list {
		p.Run()
	}
}
