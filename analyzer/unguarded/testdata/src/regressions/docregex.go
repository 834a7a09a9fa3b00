package regressions

import "sync"

var (
	driversMu sync.Mutex
	drivers   = map[string]int{} // guarded by driversMu
)

// Formerly a gap (miss), fixed on main: the "must be held" doc pattern
// matched "called with the <any word> " and "callers must have", so doc
// comments that merely describe the arguments exempted the function.

// Register is called with the name of a driver and its priority.
func Register(name string, prio int) {
	drivers[name] = prio // want `drivers is guarded by driversMu \(its comment says "guarded by driversMu" at line 7\); written here without it \(RA1002\)`
}

func Drivers() int {
	driversMu.Lock()
	defer driversMu.Unlock()
	return len(drivers)
}

// Unregister removes a driver. Callers must have registered it first.
func Unregister(name string) {
	delete(drivers, name) // want `drivers is guarded by driversMu \(its comment says "guarded by driversMu" at line 7\); deleted from here without it \(RA1002\)`
}
