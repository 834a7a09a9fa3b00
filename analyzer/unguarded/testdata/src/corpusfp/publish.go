package corpusfp

import (
	"sync"
	"sync/atomic"
)

// --- FP53: double-checked initialization published by an atomic flag ---
// (protobuf internal/filedesc File.lazyInit): l2 is written under mu two
// helpers below the function that then stores the flag, once only (l2 is
// nil); readers load the flag and read l2 without mu once it is set, or
// after running the initializer.
type lazyFile struct {
	once uint32     // atomically set if l2 is valid
	mu   sync.Mutex // protects l2
	l2   *fileL2
	raw  []byte
}

type fileL2 struct{ imports []string }

func (fd *lazyFile) Imports() []string { return fd.lazyInit().imports }

func (fd *lazyFile) lazyInit() *fileL2 {
	if atomic.LoadUint32(&fd.once) == 0 {
		fd.lazyInitOnce()
	}
	return fd.l2
}

func (fd *lazyFile) lazyInitOnce() {
	fd.mu.Lock()
	if fd.l2 == nil {
		fd.lazyRawInit()
	}
	atomic.StoreUint32(&fd.once, 1)
	fd.mu.Unlock()
}

func (fd *lazyFile) lazyRawInit() { fd.unmarshalFull(fd.raw) }

func (fd *lazyFile) unmarshalFull(b []byte) {
	fd.l2 = new(fileL2)
	fd.l2.imports = append(fd.l2.imports, string(b))
	if len(fd.l2.imports) > 1 {
		fd.raw = nil
	}
}

// The same with an atomic.Bool stored by a deferred call (protobuf
// ExtensionInfo.lazyInitSlow), the initializer returning at once if the
// flag is set, and readers testing the flag either way.
type lazyConf struct {
	ready atomic.Bool
	mu    sync.Mutex
	vals  map[string]string // guarded by mu
}

func (c *lazyConf) Get(k string) string {
	if !c.ready.Load() {
		c.load()
	}
	return c.vals[k]
}

func (c *lazyConf) Lookup(k string) (string, bool) {
	if c.ready.Load() {
		v, ok := c.vals[k]
		return v, ok
	}
	return "", false
}

func (c *lazyConf) Len() int {
	if !c.ready.Load() {
		return 0
	}
	return len(c.vals)
}

func (c *lazyConf) load() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready.Load() {
		return
	}
	defer c.ready.Store(true)
	c.vals = map[string]string{"a": "b"}
}

// Reported: an initializer that runs again after the flag is set (no
// once-only check) rewrites the map while readers read it.
type lazyConf2 struct {
	ready atomic.Bool
	mu    sync.Mutex
	vals  map[string]string // guarded by mu
}

func (c *lazyConf2) Get(k string) string {
	if !c.ready.Load() {
		c.refresh()
	}
	return c.vals[k] // want `vals is guarded by mu .*; read here without it \(RA1001\)`
}

func (c *lazyConf2) refresh() {
	c.mu.Lock()
	c.vals = map[string]string{"a": "b"}
	c.ready.Store(true)
	c.mu.Unlock()
}

// Reported: a write made after the flag store.
type lazyConf3 struct {
	ready atomic.Bool
	mu    sync.Mutex
	vals  map[string]string // guarded by mu
}

func (c *lazyConf3) Get(k string) string {
	if c.ready.Load() {
		return c.vals[k] // want `vals is guarded by mu .*; read here without it \(RA1001\)`
	}
	return ""
}

func (c *lazyConf3) load() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready.Load() {
		return
	}
	c.vals = map[string]string{"a": "b"}
	c.ready.Store(true)
	c.vals["c"] = "d"
}

// Reported: a write outside the initialization (a setter), and a read
// where the flag was seen unset.
type lazyConf4 struct {
	once uint32
	mu   sync.Mutex
	vals map[string]string // guarded by mu
}

func (c *lazyConf4) Get(k string) string {
	if atomic.LoadUint32(&c.once) != 0 {
		return c.vals[k] // want `vals is guarded by mu .*; read here without it \(RA1001\)`
	}
	return ""
}

func (c *lazyConf4) Peek(k string) string {
	if atomic.LoadUint32(&c.once) == 0 {
		return c.vals[k] // want `vals is guarded by mu .*; read here without it \(RA1001\)`
	}
	return ""
}

func (c *lazyConf4) load() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.vals == nil {
		c.vals = map[string]string{"a": "b"}
	}
	atomic.StoreUint32(&c.once, 1)
}

func (c *lazyConf4) Set(k, v string) {
	c.mu.Lock()
	c.vals[k] = v
	c.mu.Unlock()
}
