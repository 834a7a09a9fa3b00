// Package reg is internal: its Register is called only by its module,
// which checks what it registers (RA3004 and RA3005 are about public
// registration APIs).
package reg

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
	drivers[name] = d
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
