package removalleak

import (
	"errors"
	"sync"
)

// --- An entry found through a lookup helper (FP94) -------------------------
// (Shopify/toxiproxy proxy_collection.go: Remove finds the proxy with the
// helper getByName, which returns collection.proxies[name], stops it and
// deletes it under its own name.) The helper's result is an entry of the
// map, as m[k] would be: stopping it releases the entry removed.

type lproxy struct {
	Name string
	stop chan struct{}
}

func (p *lproxy) Stop() { close(p.stop) }

type lproxies struct {
	sync.Mutex
	proxies map[string]*lproxy
}

var errNotFound = errors.New("not found")

func (c *lproxies) Add(name string) {
	c.Lock()
	defer c.Unlock()
	c.proxies[name] = &lproxy{Name: name, stop: make(chan struct{})}
}

func (c *lproxies) Clear() {
	c.Lock()
	defer c.Unlock()
	for _, p := range c.proxies {
		p.Stop()
		delete(c.proxies, p.Name)
	}
}

// getByName returns the entry under name; the lock is held.
func (c *lproxies) getByName(name string) (*lproxy, error) {
	p, ok := c.proxies[name]
	if !ok {
		return nil, errNotFound
	}
	return p, nil
}

// Good: the entry the helper found is stopped before its removal.
func (c *lproxies) Remove(name string) error {
	c.Lock()
	defer c.Unlock()
	p, err := c.getByName(name)
	if err != nil {
		return err
	}
	p.Stop()
	delete(c.proxies, p.Name)
	return nil
}

// Bad: the entry found is removed without being stopped.
func (c *lproxies) Forget(name string) error {
	c.Lock()
	defer c.Unlock()
	p, err := c.getByName(name)
	if err != nil {
		return err
	}
	delete(c.proxies, p.Name) // want `Forget removes an entry of proxies without releasing it or returning it, but lproxies owns the entries: .* \(RA3003\)`
	return nil
}

// orFresh returns the entry under name, or a new one it does not store.
func (c *lproxies) orFresh(name string) *lproxy {
	if p, ok := c.proxies[name]; ok {
		return p
	}
	return &lproxy{Name: name, stop: make(chan struct{})}
}

// Bad: the helper may return a value that is not the entry: stopping it
// does not show the entry under name released.
func (c *lproxies) Replace(name string) {
	c.Lock()
	defer c.Unlock()
	p := c.orFresh(name)
	p.Stop()
	delete(c.proxies, name) // want `Replace removes an entry of proxies without releasing it or returning it, but lproxies owns the entries: .* \(RA3003\)`
}
