package checks

// Check IDs of the registry lifecycle family (RA3xxx), reported by
// analyzer/lifecycle from the registry model (analyzer/registry).
const (
	MissingCleanup       = "RA3001"
	IncompleteCleanup    = "RA3002"
	RemovalLeak          = "RA3003"
	UnvalidatedDuplicate = "RA3004"
	UnvalidatedNil       = "RA3005"
)

func init() {
	register(&Check{
		ID: MissingCleanup, Name: "missing-cleanup", Severity: Warning,
		OptIn: true, Evidence: "On registry code it was never tuned on (bench/HELDOUT.md, second to fourth held-out sets, each measured before any rule was written for it) none of its 2 reports were a real bug or a point a reviewer would raise.",
		Title: "registry creates releasable entries but nothing releases them",
		Doc: `A registry owns the entries it creates: connections it dials, files it opens,
values of constructors whose type has Close/Stop/Shutdown/Release, tickers and
timers, context cancel funcs, goroutines it starts with a stop channel. When no
function of the package ever releases an entry of the collection (no Close on an
entry, no cancel call, no close of the channel), every entry leaks when the
registry is discarded. The diagnostic is reported at the registry type and names
the collection and where its entries are created. Values handed in by callers
are not owned by the registry and never trigger this check.`,
		Bad: `type Pool struct {
	mu    sync.Mutex
	conns map[string]net.Conn
}

func (p *Pool) Get(addr string) (net.Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[addr]; ok {
		return c, nil
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.conns[addr] = c
	return c, nil
}`,
		Good: `func (p *Pool) Close() {
	p.mu.Lock()
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}`,
	})
	register(&Check{
		ID: IncompleteCleanup, Name: "incomplete-cleanup", Severity: Warning,
		OptIn: true, Evidence: "On registry code it was never tuned on (bench/HELDOUT.md, second to fourth held-out sets, each measured before any rule was written for it) none of its 9 reports were a real bug or a point a reviewer would raise.",
		Title: "cleanup method is unguarded, leaves released entries in the collection, or forgets owned state",
		Doc: `A cleanup method (Close, Cleanup, Shutdown, Stop, Reset, Destroy, Release, ...)
that ranges over or resets a registry's collection must:

  - hold the collection's guard while it touches it (a concurrent Add races with
    the cleanup; detach-then-release — swap the collection out under the lock and
    release the entries after unlocking — is correct);
  - reset the collection when it releases the entries (r.m = nil, make, clear, or
    delete per entry), or later lookups hand out closed entries;
  - release every collection the registry owns, and stop the background
    goroutines it started (close their stop channel or call the cancel func).

Accesses already reported by the unguarded-access family (RA1xxx) are not
reported again here. Not reported either: a clear/reset method whose name says
what it resets (clearScheduledCheckpoints) for the rest of the registry, nor
another cleanup verb with a qualifier (closeRequireLeader) on a type whose own
teardown is named by the verb alone (Close): it is checked only for the
collections its qualifier names; a
cleanup with a comment saying why entries need no release ("There's no need to
shut down SubConns", "already closed"; not a TODO); closing a part of each entry
that the entry's own release method leaves open (a stream's write pipe); and
released entries left by a cleanup documented as terminal ("No method may be
called after Close"), or by one after which the registry is dead: every other
operation that reads the collection or adds to it first tests a state the
cleanup sets (closed = true, an event's Fire, close(done)), itself or at every
call site of an unexported helper. For an unexported cleanup called only
directly, the state its callers set around every call of it counts too: a
part's close called from its owner's Close, which marks the owner closed,
leaves a dead part if every path to the part's lookups tests that mark. Nor
are entries the registry itself keeps in their released state: the release
method is undone by another method of the entry type that the package calls
(stop sets started = false, start sets it back to true), and an operation
other than a cleanup releases an entry in place, removing nothing from the
collection (a balancer stopping its lower-priority children and restarting
them later).`,
		Bad: `func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	} // the closed connections stay in p.conns
}`,
		Good: `func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}`,
	})
	register(&Check{
		ID: RemovalLeak, Name: "removal-leak", Severity: Warning,
		OptIn: true, Evidence: "On registry code it was never tuned on (bench/HELDOUT.md, second to fourth held-out sets, each measured before any rule was written for it) 2 of its 17 reports were a real bug or a point a reviewer would raise.",
		Title: "owned entry removed from the registry without being released",
		Doc: `When a registry owns its entries (it created them, or its cleanup releases them),
removing an entry transfers the duty to release it to the remover. Deleting or
filtering it out without calling its release method (and without returning it to
the caller, handing it to another function, or it being the caller's own value)
leaks it: the registry's cleanup will no longer see it. Reference-counted entries
released when the count drops to zero are accepted, and so are removals under a
test showing the entry released (a flag its release method clears) or below a
comment saying why it needs no release ("already shut down"; not a TODO).`,
		Bad: `func (p *Pool) Forget(addr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, addr)
}`,
		Good: `func (p *Pool) Forget(addr string) {
	p.mu.Lock()
	c := p.conns[addr]
	delete(p.conns, addr)
	p.mu.Unlock()
	if c != nil {
		c.Close()
	}
}`,
	})
	register(&Check{
		ID: UnvalidatedDuplicate, Name: "unvalidated-duplicate", Severity: Warning,
		Title: "registration silently overwrites an existing entry",
		Doc: `An exported Register/Add-style function stores a caller-supplied value under a
caller-supplied key in a guarded map without first looking the key up. A second
registration under the same name silently replaces the first, which is almost
never what the caller meant: most registries of the standard library panic or
return an error on duplicates (database/sql, expvar, net/rpc, runtime/pprof).
Functions documented as replacing ("replaces", "overrides") or stating the
precondition ("must not exist", "must be unique", "the caller ensures (checks,
verifies) ... is not registered", "checked by the caller") are not reported, nor are registries only their own module can use
(an internal package, or a type whose constructors all take an internal type).`,
		Bad: `func Register(name string, d Driver) {
	mu.Lock()
	defer mu.Unlock()
	drivers[name] = d
}`,
		Good: `func Register(name string, d Driver) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := drivers[name]; dup {
		panic("Register called twice for driver " + name)
	}
	drivers[name] = d
}`,
	})
	register(&Check{
		ID: UnvalidatedNil, Name: "unvalidated-nil", Severity: Note,
		Title: "registration stores a caller's value without a nil check, and entries are later used",
		Doc: `An exported Register/Add-style function stores a caller-supplied pointer,
interface or func without checking it for nil, while the package later calls or
dereferences entries of the collection. The nil is accepted at registration and
crashes far from the mistake, at lookup time. Only 2 of 12 standard library
registries check, so this check is a note. Functions whose doc says the value
"must not be nil", and registries only their own module can use, are not
reported.`,
		Bad: `func Register(name string, d Driver) error {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := drivers[name]; dup {
		return errDup
	}
	drivers[name] = d // later: drivers[name].Open(dsn)
	return nil
}`,
		Good: `func Register(name string, d Driver) error {
	if d == nil {
		return errors.New("register: nil driver")
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := drivers[name]; dup {
		return errDup
	}
	drivers[name] = d
	return nil
}`,
	})
}
