package corpusfp

import (
	"io"
	"sync"
)

// --- FP46: copy of the reference of a map variable never reassigned -----
// (x/net/trace Render): the package map is only written into under the
// lock, never reassigned; Render copies its reference into the page data
// without the lock and hands the data to the template under it. The
// variable's value never changes: reading it races with nothing, and the
// contents are reached only under the lock.
var (
	famMu    sync.RWMutex
	families = make(map[string]int) // guarded by famMu
)

type pageTemplate interface {
	Execute(w io.Writer, data any) error
}

func AddFamily(name string) {
	famMu.Lock()
	defer famMu.Unlock()
	families[name]++
}

func RemoveFamily(name string) {
	famMu.Lock()
	defer famMu.Unlock()
	delete(families, name)
}

func Render(w io.Writer, t pageTemplate, fam string) {
	data := &struct {
		Families map[string]int
		Family   string
		Count    int
	}{
		Families: families,
	}
	data.Family = fam
	famMu.RLock()
	data.Count = len(families)
	famMu.RUnlock()

	famMu.RLock()
	defer famMu.RUnlock()
	t.Execute(w, data)
}

func Snapshot(t pageTemplate, w io.Writer) {
	m := families
	famMu.RLock()
	t.Execute(w, m)
	famMu.RUnlock()
}

// Reported: the data reaches the template before the lock is taken.
func RenderEarly(w io.Writer, t pageTemplate) {
	data := &struct{ Families map[string]int }{
		Families: families, // want `families is guarded by famMu .*; read here without it \(RA1001\)`
	}
	t.Execute(w, data)
	famMu.RLock()
	famMu.RUnlock()
}

// Reported: the copy is ranged over without the lock.
func FamilyNames() []string {
	m := families // want `families is guarded by famMu .*; read here without it \(RA1001\)`
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Reported: a map variable reassigned after initialization (Reset): the
// reference read without the lock may be the old map or the new one.
var (
	svcMu    sync.RWMutex
	services = make(map[string]int) // guarded by svcMu
)

func AddService(name string) {
	svcMu.Lock()
	defer svcMu.Unlock()
	services[name]++
}

func ResetServices() {
	svcMu.Lock()
	defer svcMu.Unlock()
	services = make(map[string]int)
}

func RenderServices(w io.Writer, t pageTemplate) {
	data := &struct{ Services map[string]int }{
		Services: services, // want `services is guarded by svcMu .*; read here without it \(RA1001\)`
	}
	svcMu.RLock()
	defer svcMu.RUnlock()
	t.Execute(w, data)
}
