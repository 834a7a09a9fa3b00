// Package pkgregistry exercises registries held in package variables: the
// database/sql driver registry (a package-level RWMutex beside the map it
// guards, inferred from use) and a package-level anonymous struct that
// embeds its mutex.
package pkgregistry

import (
	"errors"
	"slices"
	"sync"
)

type Driver interface {
	Open(name string) (any, error)
}

var (
	driversMu sync.RWMutex
	drivers   = make(map[string]Driver)
)

// Register makes a database driver available by the provided name.
func Register(name string, driver Driver) {
	driversMu.Lock()
	defer driversMu.Unlock()
	if driver == nil {
		panic("sql: Register driver is nil")
	}
	if _, dup := drivers[name]; dup {
		panic("sql: Register twice for driver " + name)
	}
	drivers[name] = driver
}

func unregisterAllDrivers() {
	driversMu.Lock()
	defer driversMu.Unlock()
	// For tests.
	drivers = make(map[string]Driver)
}

// Drivers returns a sorted list of the names of the registered drivers.
func Drivers() []string {
	driversMu.RLock()
	defer driversMu.RUnlock()
	list := make([]string, 0, len(drivers))
	for name := range drivers {
		list = append(list, name)
	}
	slices.Sort(list)
	return list
}

// Open opens a database specified by its database driver name.
func Open(driverName, dataSourceName string) (any, error) {
	driversMu.RLock()
	driveri, ok := drivers[driverName]
	driversMu.RUnlock()
	if !ok {
		return nil, errors.New("sql: unknown driver " + driverName)
	}
	return driveri.Open(dataSourceName)
}

// Lookup is the buggy one: it reads the map without the lock.
func Lookup(name string) Driver {
	return drivers[name] // want `drivers is guarded by driversMu \(held at 6 of 7 accesses, e\.g\. lines 29, 32, 39\); read here without it \(RA1001\)`
}

// A package-level anonymous struct embedding its mutex.
var registry struct {
	sync.Mutex
	codecs map[string]func([]byte) string
}

func RegisterCodec(name string, c func([]byte) string) {
	registry.Lock()
	defer registry.Unlock()
	if registry.codecs == nil {
		registry.codecs = map[string]func([]byte) string{}
	}
	registry.codecs[name] = c
}

func Codec(name string) func([]byte) string {
	registry.Lock()
	defer registry.Unlock()
	return registry.codecs[name]
}

func NumCodecs() int {
	registry.Lock()
	n := len(registry.codecs)
	registry.Unlock()
	return n
}

func BadCodecNames() (names []string) {
	for name := range registry.codecs { // want `codecs is guarded by Mutex \(held at 5 of 6 accesses, e\.g\. lines 79, 80, 82\); ranged over here without it \(RA1001\)`
		names = append(names, name)
	}
	return names
}
