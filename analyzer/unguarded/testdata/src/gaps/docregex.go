package gaps

import "sync"

var (
	driversMu sync.Mutex
	drivers   = map[string]int{} // guarded by driversMu
)

// GAP 1 (miss): the "must be held" doc pattern matches "must hold" in a
// sentence about something else, so the function is exempt from every
// check.

func Drivers() int {
	driversMu.Lock()
	defer driversMu.Unlock()
	return len(drivers)
}

// SetAll replaces the drivers; names must hold at least one entry.
func SetAll(names []string) {
	for _, n := range names {
		drivers[n] = 0 // want `drivers is guarded by driversMu \(its comment says "guarded by driversMu" at line 7\); written here without it \(RA1002\)`
	}
}
