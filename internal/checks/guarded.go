package checks

// Check IDs of the guarded-access family (RA1xxx), reported by analyzer/unguarded.
const (
	UnguardedRead      = "RA1001"
	UnguardedWrite     = "RA1002"
	WriteUnderRLock    = "RA1003"
	WrongLock          = "RA1004"
	GoroutineUnderLock = "RA1005"
)

func init() {
	register(&Check{
		ID: UnguardedRead, Name: "unguarded-read", Severity: Error,
		Title: "read of a lock-guarded field or variable without its lock",
		Doc: `A field or package variable is guarded by a mutex when a comment says so
("guarded by mu", "+checklocks:mu", a mutex commented "protects the following
fields"), or when most of its accesses in concurrent code hold the same mutex and
it is written after construction. Reading it without that mutex races with the
writers: a map read concurrently with a write can crash the program, and a slice
header can be read torn. The message names the guard and how it was established.`,
		Bad: `type Registry struct {
	mu       sync.Mutex
	backends map[string]Backend
}

func (r *Registry) Add(name string, b Backend) error {
	if _, dup := r.backends[name]; dup { // read before Lock
		return errDuplicate
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.backends[name] = b
	return nil
}`,
		Good: `func (r *Registry) Add(name string, b Backend) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.backends[name]; dup {
		return errDuplicate
	}
	r.backends[name] = b
	return nil
}`,
	})
	register(&Check{
		ID: UnguardedWrite, Name: "unguarded-write", Severity: Error,
		Title: "write of a lock-guarded field or variable without its lock",
		Doc: `An assignment, increment, map insert or delete, append, clear or element store
to a guarded field or variable, made without holding its mutex. Concurrent
writers lose updates or corrupt the map; concurrent readers see torn values.`,
		Bad: `func (r *Registry) Reset() {
	r.backends = map[string]Backend{} // no lock
}`,
		Good: `func (r *Registry) Reset() {
	r.mu.Lock()
	r.backends = map[string]Backend{}
	r.mu.Unlock()
}`,
	})
	register(&Check{
		ID: WriteUnderRLock, Name: "write-under-rlock", Severity: Error,
		Title: "write of a guarded field while only the read lock is held",
		Doc: `RLock admits many readers at once. A write made while holding only the read
lock of a sync.RWMutex races with every other reader: map writes under RLock
crash with "concurrent map writes". Take the write lock (Lock) to modify.`,
		Bad: `func (r *Registry) Touch(name string) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.hits[name]++
}`,
		Good: `func (r *Registry) Touch(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hits[name]++
}`,
	})
	register(&Check{
		ID: WrongLock, Name: "wrong-lock", Severity: Error,
		Title: "guarded field accessed while holding a different mutex",
		Doc: `The access holds a mutex, but not the one that guards the field. This is
easy to miss in review because the code "looks locked". Two mutexes do not
exclude each other: the access races with every holder of the real guard.`,
		Bad: `func (r *Registry) populate() {
	r.populateMu.Lock()
	defer r.populateMu.Unlock()
	if len(r.backends) > 0 { // backends is guarded by mu
		return
	}
	r.load()
}`,
		Good: `func (r *Registry) populate() {
	r.populateMu.Lock()
	defer r.populateMu.Unlock()
	r.mu.Lock()
	n := len(r.backends)
	r.mu.Unlock()
	if n > 0 {
		return
	}
	r.load()
}`,
	})
	register(&Check{
		ID: GoroutineUnderLock, Name: "goroutine-under-lock", Severity: Error,
		Title: "guarded field accessed in a goroutine started while the lock was held",
		Doc: `A goroutine does not inherit its creator's locks. A function literal started
with go inside a critical section runs later, after the creator may have
released the mutex, so its accesses to guarded state are unguarded.`,
		Bad: `r.mu.Lock()
defer r.mu.Unlock()
go func() {
	r.backends[name] = b
}()`,
		Good: `go func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.backends[name] = b
}()`,
	})
}
