package gaps

import "sync"

var (
	driversMu sync.Mutex
	drivers   = map[string]int{} // guarded by driversMu
)

// GAP 1 (miss): the "must be held" doc pattern matches "called with the
// <any word> ", so a doc comment that merely describes the arguments
// exempts the function from every check.

// Register is called with the name of a driver and its priority.
func Register(name string, prio int) {
	drivers[name] = prio // want `drivers is guarded by driversMu \(its comment says "guarded by driversMu" at line 11\); written here without it \(RA1002\)`
}

func Drivers() int {
	driversMu.Lock()
	defer driversMu.Unlock()
	return len(drivers)
}

// More sentences that say nothing about a lock but exempt the function:
// "callers must have ...", "... must hold at least ...".

// Unregister removes a driver. Callers must have registered it first.
func Unregister(name string) {
	delete(drivers, name) // want `drivers is guarded by driversMu \(its comment says "guarded by driversMu" at line 11\); deleted from here without it \(RA1002\)`
}

// SetAll replaces the drivers; names must hold at least one entry.
func SetAll(names []string) {
	for _, n := range names {
		drivers[n] = 0 // want `drivers is guarded by driversMu \(its comment says "guarded by driversMu" at line 11\); written here without it \(RA1002\)`
	}
}
