package regressions

import "sync"

var (
	drvMu sync.Mutex
	drvs  = map[string]int{} // guarded by drvMu
)

// GAP 1 (miss): the "must be held" doc pattern matches "must hold" in a
// sentence about something else, so the function is exempt from every
// check.

func DrvList() int {
	drvMu.Lock()
	defer drvMu.Unlock()
	return len(drvs)
}

// SetAll replaces the drvs; names must hold at least one entry.
func SetAll(names []string) {
	for _, n := range names {
		drvs[n] = 0 // want `drvs is guarded by drvMu \(its comment says "guarded by drvMu" at line 7\); written here without it \(RA1002\)`
	}
}
