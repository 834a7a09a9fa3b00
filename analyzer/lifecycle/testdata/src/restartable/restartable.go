// Package restartable tests RA3002's kept released entries when the
// release is one the registry undoes: reduced from grpc
// xds/balancer/priority balancer.go:221 (bench/FALSE_POSITIVES.md FP100).
// The balancer stops its lower-priority children in place and restarts
// them later (stop sets started = false, start sets it back), so a stopped
// child in the map is a state of normal operation; Close stopping them all
// and keeping them leaves nothing the balancer does not meet every day.
package restartable

import "sync"

type child struct {
	name    string
	started bool
	timer   func()
}

func newChild(name string) *child { return &child{name: name} }

func (c *child) start() {
	if c.started {
		return
	}
	c.started = true
}

func (c *child) stop() {
	if !c.started {
		return
	}
	c.started = false
	c.timer = nil
}

func (c *child) update() {}

// Balancer: silent.
type Balancer struct {
	mu         sync.Mutex
	done       bool
	priorities []string
	children   map[string]*child
}

func New() *Balancer { return &Balancer{children: map[string]*child{}} }

func (b *Balancer) Update(names []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, n := range names {
		c, ok := b.children[n]
		if !ok {
			b.children[n] = newChild(n)
			continue
		}
		c.update()
	}
	for n, c := range b.children {
		if !contains(names, n) {
			c.stop()
			delete(b.children, n)
		}
	}
	b.priorities = names
	b.sync()
}

// sync starts the first child and stops the others in place.
//
// Caller must hold b.mu.
func (b *Balancer) sync() {
	for i, n := range b.priorities {
		c, ok := b.children[n]
		if !ok {
			continue
		}
		if i == 0 {
			switchTo(c)
			continue
		}
		c.stop()
	}
}

func switchTo(c *child) {
	if !c.started {
		c.start()
	}
}

func (b *Balancer) Close() { // silent: the children are stopped and restarted in place
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = true
	for _, c := range b.children {
		c.stop()
	}
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// Final: the same balancer, but its children are never started again
// once stopped (no method sets started back): a stopped child is dead,
// and Update finds the ones Close left.
type wchild struct{ running bool }

func newWChild() *wchild   { return &wchild{running: true} }
func (c *wchild) stop()    { c.running = false }
func (c *wchild) refresh() {}

type Final struct {
	mu       sync.Mutex
	children map[string]*wchild
	paused   []string
}

func NewFinal() *Final { return &Final{children: map[string]*wchild{}} }

func (f *Final) Update(names []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range names {
		c, ok := f.children[n]
		if !ok {
			f.children[n] = newWChild()
			continue
		}
		c.refresh()
	}
}

func (f *Final) Pause(n string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.children[n]; ok {
		c.stop()
	}
}

func (f *Final) Close() { // want `cleanup Close releases the entries of children \(line \d+\) but leaves them in the collection, where Update still finds them`
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.children {
		c.stop()
	}
}

// Unused: the entries have a start method undoing stop, but the package
// never calls it: nothing restarts a stopped entry.
type uchild struct{ started bool }

func newUChild() *uchild      { return &uchild{} }
func (c *uchild) start()      { c.started = true }
func (c *uchild) stop()       { c.started = false }
func (c *uchild) refresh()    {}
func (c *uchild) restart()    { c.start() }
func (c *uchild) ready() bool { return c.started }

type Unused struct {
	mu       sync.Mutex
	children map[string]*uchild
}

func NewUnused() *Unused { return &Unused{children: map[string]*uchild{}} }

func (u *Unused) Update(names []string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, n := range names {
		c, ok := u.children[n]
		if !ok {
			u.children[n] = newUChild()
			continue
		}
		c.refresh()
	}
}

func (u *Unused) Pause(n string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if c, ok := u.children[n]; ok {
		c.stop()
	}
}

func (u *Unused) Close() { // want `cleanup Close releases the entries of children \(line \d+\) but leaves them in the collection, where Update still finds them`
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, c := range u.children {
		c.stop()
	}
}

// NotInPlace: the entries can be restarted, but the registry never keeps a
// stopped one: every other stop removes it. Only Close leaves stopped
// entries in the map, where Resume restarts them after Close.
type NotInPlace struct {
	mu       sync.Mutex
	children map[string]*child
}

func NewNotInPlace() *NotInPlace { return &NotInPlace{children: map[string]*child{}} }

func (p *NotInPlace) Add(n string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.children[n]; !ok {
		p.children[n] = newChild(n)
	}
}

func (p *NotInPlace) Resume(n string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.children[n]; ok {
		c.start()
	}
}

func (p *NotInPlace) Drop(n string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.children[n]; ok {
		c.stop()
		delete(p.children, n)
	}
}

func (p *NotInPlace) Close() { // want `cleanup Close releases the entries of children \(line \d+\) but leaves them in the collection, where (Add|Resume) still finds them`
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.children {
		c.stop()
	}
}
