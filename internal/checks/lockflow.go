package checks

// Check IDs of the lock-flow family (RA2xxx), reported by analyzer/lockflow.
const (
	LockNotReleased     = "RA2001"
	DoubleLock          = "RA2002"
	DeadlockThroughCall = "RA2003"
	RecursiveRLockCall  = "RA2004"
	UnlockNotHeld       = "RA2005"
	GuardedEscape       = "RA2006"
	RequiredLockMissing = "RA2007"
	RecursiveRLock      = "RA2008"
)

func init() {
	register(&Check{
		ID: LockNotReleased, Name: "lock-not-released", Severity: Error,
		Title: "lock not released on some path",
		Doc: `A return statement or the end of the function is reached while a mutex locked in
this function is still held, and no deferred Unlock registered before that point
releases it. The next Lock of that mutex, anywhere in the program, blocks forever.
Early returns added to a critical section (error paths) are the usual cause.

Functions that return holding the lock on every path are lock wrappers and are not
reported; neither is a lock handed to a closure or a callee that unlocks it, nor
one handed to the caller with the returned value (a transaction whose Commit
unlocks it, or a value the doc comment says holds the lock).`,
		Bad: `func (r *Registry) Add(name string, b Backend) error {
	r.mu.Lock()
	if _, dup := r.backends[name]; dup {
		return errDuplicate // r.mu is still locked
	}
	r.backends[name] = b
	r.mu.Unlock()
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
		ID: DoubleLock, Name: "double-lock", Severity: Error,
		Title: "mutex locked while it is already held",
		Doc: `sync.Mutex and sync.RWMutex are not reentrant: Lock of a mutex the goroutine
already holds (or Lock while holding its read lock, or RLock while holding its
write lock) blocks forever. The check also reports defer mu.Unlock() inside a
loop that locks mu on every iteration: the deferred unlocks run only when the
function returns, so the second iteration deadlocks (unless a local flag makes
the branch that locks run once: if !locked { ...; locked = true }).`,
		Bad: `func (r *Registry) Load(names []string) {
	for _, n := range names {
		r.mu.Lock()
		defer r.mu.Unlock() // runs at function exit, not at the end of the iteration
		r.backends[n] = open(n)
	}
}`,
		Good: `func (r *Registry) Load(names []string) {
	for _, n := range names {
		r.mu.Lock()
		r.backends[n] = open(n)
		r.mu.Unlock()
	}
}`,
	})
	register(&Check{
		ID: DeadlockThroughCall, Name: "deadlock-through-call", Severity: Error,
		Title: "call of a function that locks a mutex the caller holds",
		Doc: `The called function (or a function it calls) locks a mutex that is already held
at the call: the goroutine deadlocks on itself. Lock summaries follow calls
across functions and packages, mapping the callee's receiver and parameters
onto the call's arguments. Call a variant that expects the lock held (a *Locked
helper), or release the lock before the call.`,
		Bad: `func (r *Registry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.backends)
}

func (r *Registry) Full() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Len() >= r.max // Len locks r.mu again
}`,
		Good: `func (r *Registry) lenLocked() int { return len(r.backends) }

func (r *Registry) Full() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lenLocked() >= r.max
}`,
	})
	register(&Check{
		ID: RecursiveRLockCall, Name: "rlock-through-call", Severity: Warning,
		Title: "call of a function that read-locks a mutex the caller read-holds",
		Doc: `Recursive read locking deadlocks under contention: once a writer waits in Lock,
new RLock calls block until the writer is done, and the writer waits for the
outer read lock. The sync.RWMutex documentation forbids it. Here the second RLock
happens in a called function.`,
		Bad: `func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for n := range r.backends {
		if r.Has(n) { // Has calls r.mu.RLock
			out = append(out, n)
		}
	}
	return out
}`,
		Good: `func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for n := range r.backends {
		if r.hasLocked(n) {
			out = append(out, n)
		}
	}
	return out
}`,
	})
	register(&Check{
		ID: UnlockNotHeld, Name: "unlock-not-held", Severity: Error,
		Title: "unlock of a mutex that is not held",
		Doc: `The mutex was locked earlier in this function but has already been released on
every path reaching this Unlock (a double unlock), or it is unlocked in the wrong
mode (Unlock of a read lock, RUnlock of a write lock). Unlocking an unlocked
mutex is a fatal error that recover cannot catch. Unlock helpers (whose callers
hold the lock) and functions entered with the lock held are not reported.`,
		Bad: `r.mu.Lock()
n := len(r.backends)
r.mu.Unlock()
if n == 0 {
	r.mu.Unlock() // already released
	return
}`,
		Good: `r.mu.Lock()
n := len(r.backends)
r.mu.Unlock()
if n == 0 {
	return
}`,
	})
	register(&Check{
		ID: GuardedEscape, Name: "guarded-escape", Severity: Warning,
		Title: "guarded map or slice escapes its lock",
		Doc: `Returning a guarded map or slice itself hands the caller a reference it will use
after the lock is released, racing with the writers that mutate it in place.
Likewise a local alias of it (m := r.items) used after Unlock. Return or keep a
copy (maps.Clone, slices.Clone; a suggested fix does this), or swap in a new value
under the lock when the old one is handed off (detach-then-release).`,
		Bad: `func (r *Registry) All() map[string]Backend {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.backends
}`,
		Good: `func (r *Registry) All() map[string]Backend {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.backends)
}`,
	})
	register(&Check{
		ID: RequiredLockMissing, Name: "required-lock-missing", Severity: Error,
		Title: "call of a function that requires a lock, without holding it",
		Doc: `The called function expects its caller to hold a mutex: its name ends in Locked,
or its doc comment says the lock must be held. The mutex is resolved from the
comment, the receiver's only mutex, or the guards of the fields the function
uses. Calling it without the lock makes its accesses unguarded.

Across packages, an exported package-level function that writes the guarded
fields of a parameter without taking any lock, and has no caller in its own
package, leaves the parameter to its callers: a call is reported unless it
holds the guard or passes a value the caller allocated and has not yet stored,
sent or handed to a goroutine.`,
		Bad: `// removeLocked removes name; r.mu must be held.
func (r *Registry) removeLocked(name string) { delete(r.backends, name) }

func (r *Registry) Remove(name string) {
	r.removeLocked(name)
}`,
		Good: `func (r *Registry) Remove(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removeLocked(name)
}`,
	})
	register(&Check{
		ID: RecursiveRLock, Name: "recursive-rlock", Severity: Warning,
		Title: "read lock taken while the same read lock is held",
		Doc: `RLock of a sync.RWMutex that this goroutine already read-holds: if a writer
calls Lock between the two, the second RLock waits for the writer, which waits
for the first read lock to be released. The program deadlocks under contention.`,
		Bad: `r.mu.RLock()
n := len(r.backends)
r.mu.RLock()
b := r.backends[name]
r.mu.RUnlock()
r.mu.RUnlock()`,
		Good: `r.mu.RLock()
n := len(r.backends)
b := r.backends[name]
r.mu.RUnlock()`,
	})
}
