// Package guardlib exports a registry type whose exported field is
// explicitly guarded, with lock helpers; package guarduser imports it.
package guardlib

import "sync"

type Table struct {
	Mu   sync.Mutex
	Rows map[string]int // guarded by Mu
}

func NewTable() *Table {
	return &Table{Rows: map[string]int{}}
}

// Lock and Unlock are lock helpers for callers in other packages.
func (t *Table) Lock()   { t.Mu.Lock() }
func (t *Table) Unlock() { t.Mu.Unlock() }

// Do calls f holding the table's lock.
func (t *Table) Do(f func()) {
	t.Mu.Lock()
	defer t.Mu.Unlock()
	f()
}

func (t *Table) Put(k string, v int) {
	t.Mu.Lock()
	defer t.Mu.Unlock()
	t.Rows[k] = v
}

func (t *Table) BadSize() int {
	return len(t.Rows) // want `Rows is guarded by Mu \(its comment says "guarded by Mu" at line 9\); read \(len\) here without it \(RA1001\)`
}

// Queue's guard is inferred from use here, and exported as a fact too.
type Queue struct {
	mu    sync.Mutex
	Items []string
}

func (q *Queue) Push(s string) {
	q.mu.Lock()
	q.Items = append(q.Items, s)
	q.mu.Unlock()
}

func (q *Queue) Pop() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := q.Items[0]
	q.Items = q.Items[1:]
	return s
}

// WithQueue calls f holding q's lock.
func WithQueue(q *Queue, f func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	f()
}

// Package-level registry with a package-level mutex.
var (
	RegMu    sync.RWMutex
	Registry = map[string]string{} // guarded by RegMu
)

func Register(k, v string) {
	RegMu.Lock()
	defer RegMu.Unlock()
	Registry[k] = v
}

// Cache is a generic exported registry with an explicit guard.
type Cache[K comparable, V any] struct {
	mu      sync.RWMutex
	Entries map[K]V // guarded by mu
}

func (c *Cache[K, V]) RLock()   { c.mu.RLock() }
func (c *Cache[K, V]) RUnlock() { c.mu.RUnlock() }

// Trace's Events are guarded by an unexported mutex that no exported
// function takes for its caller: importers cannot lock it, so what they
// read is a copy handed out under the lock (grpc channelz ChannelTrace).
type Trace struct {
	mu     sync.Mutex
	Events []string
}

func (t *Trace) Add(e string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.Events = append(t.Events, e)
}

func (t *Trace) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.Events)
}

func (t *Trace) Copy() *Trace {
	t.mu.Lock()
	defer t.mu.Unlock()
	return &Trace{Events: append([]string(nil), t.Events...)}
}

func (t *Trace) Last() string {
	return t.Events[len(t.Events)-1] // want `Events is guarded by mu \(held at 3 of 4 accesses.*\); read here without it \(RA1001\)`
}
