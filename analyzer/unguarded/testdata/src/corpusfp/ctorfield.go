package corpusfp

import "sync"

// --- FP92: the address of a struct field of a value the caller allocated
// (gcache: c := &ARC{}; buildCache(&c.baseCache, cb)) is as unshared as the
// value: an unexported helper that every call site hands such an address
// sets up a value being constructed.
type ctorBase struct {
	mu      sync.RWMutex
	size    int
	onEvict func(int)
	items   map[int]int
}

type ctorBuilder struct {
	size    int
	onEvict func(int)
}

func buildCtorBase(c *ctorBase, cb *ctorBuilder) {
	c.size = cb.size
	c.onEvict = cb.onEvict
	c.items = make(map[int]int, cb.size)
}

type ctorARC struct {
	ctorBase
	hits int
}

type ctorLRU struct {
	base ctorBase
}

func newCtorARC(cb *ctorBuilder) *ctorARC {
	c := &ctorARC{}
	buildCtorBase(&c.ctorBase, cb)
	return c
}

func newCtorLRU(cb *ctorBuilder) *ctorLRU {
	c := &ctorLRU{}
	buildCtorBase(&c.base, cb)
	return c
}

func (c *ctorBase) Set(k, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= c.size {
		for old := range c.items {
			delete(c.items, old)
			if c.onEvict != nil {
				c.onEvict(old)
			}
			break
		}
	}
	c.items[k] = v
}

func (c *ctorBase) Get(k int) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}

func (c *ctorBase) Cap() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.size
}

func (c *ctorBase) Resize(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.size = n
	c.onEvict = nil
}

// Control: the same helper also called on a shared value.
type ctorBase2 struct {
	mu      sync.RWMutex
	size    int
	onEvict func(int)
	items   map[int]int
}

func buildCtorBase2(c *ctorBase2, cb *ctorBuilder) {
	c.size = cb.size                     // want `size is guarded by mu .*; written here without it \(RA1002\)`
	c.onEvict = cb.onEvict               // want `onEvict is guarded by mu .*; written here without it \(RA1002\)`
	c.items = make(map[int]int, cb.size) // want `items is guarded by mu .*; written here without it \(RA1002\)`
}

type ctorARC2 struct {
	ctorBase2
}

func newCtorARC2(cb *ctorBuilder) *ctorARC2 {
	c := &ctorARC2{}
	buildCtorBase2(&c.ctorBase2, cb)
	return c
}

func (c *ctorARC2) Reconfigure(cb *ctorBuilder) {
	buildCtorBase2(&c.ctorBase2, cb)
}

func (c *ctorBase2) Set(k, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= c.size {
		for old := range c.items {
			delete(c.items, old)
			if c.onEvict != nil {
				c.onEvict(old)
			}
			break
		}
	}
	c.items[k] = v
}

func (c *ctorBase2) Get(k int) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}

func (c *ctorBase2) Cap() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.size
}

func (c *ctorBase2) Resize(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.size = n
	c.onEvict = nil
}

// Control: the field is reached through a pointer field of the fresh value,
// set to a value the constructor was given (it may be shared).
type ctorBase3 struct {
	mu      sync.RWMutex
	size    int
	onEvict func(int)
	items   map[int]int
}

func buildCtorBase3(c *ctorBase3, cb *ctorBuilder) {
	c.size = cb.size       // want `size is guarded by mu .*; written here without it \(RA1002\)`
	c.onEvict = cb.onEvict // want `onEvict is guarded by mu .*; written here without it \(RA1002\)`
}

type ctorOuter3 struct {
	inner *ctorHolder3
}

type ctorHolder3 struct {
	base ctorBase3
}

func newCtorOuter3(h *ctorHolder3, cb *ctorBuilder) *ctorOuter3 {
	c := &ctorOuter3{inner: h}
	buildCtorBase3(&c.inner.base, cb)
	return c
}

func (c *ctorBase3) Set(k, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= c.size {
		for old := range c.items {
			delete(c.items, old)
			if c.onEvict != nil {
				c.onEvict(old)
			}
			break
		}
	}
	c.items[k] = v
}

func (c *ctorBase3) Get(k int) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}

func (c *ctorBase3) Cap() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.size
}

func (c *ctorBase3) Resize(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.size = n
	c.onEvict = nil
}

// --- FP85 (paho): a pointer field of the value the constructor allocated,
// set there to a value it allocated (c.router = newCtorRouter()), is as
// unshared as a local: a method every call site calls on such a value
// (c.router.setDefault(h) in the constructor) is construction, even if it
// locks, and the field it writes is not written after construction.
type ctorRouter struct {
	sync.RWMutex
	routes    map[string]func(int)
	defaultFn func(int)
	messages  chan int
}

func newCtorRouter() *ctorRouter {
	return &ctorRouter{routes: map[string]func(int){}, messages: make(chan int)}
}

func (r *ctorRouter) setDefault(fn func(int)) {
	r.Lock()
	defer r.Unlock()
	r.defaultFn = fn
}

func (r *ctorRouter) addRoute(topic string, fn func(int)) {
	r.Lock()
	defer r.Unlock()
	r.routes[topic] = fn
}

func (r *ctorRouter) dispatch(topic string, m int, order bool) {
	r.RLock()
	defer r.RUnlock()
	if fn, ok := r.routes[topic]; ok {
		go fn(m)
		return
	}
	if r.defaultFn != nil {
		if order {
			r.defaultFn(m)
			return
		}
		go func() {
			r.defaultFn(m)
		}()
	}
}

type ctorClient struct {
	router *ctorRouter
}

func NewCtorClient(def func(int)) *ctorClient {
	c := &ctorClient{}
	c.router = newCtorRouter()
	c.router.setDefault(def)
	return c
}

func (c *ctorClient) AddRoute(topic string, fn func(int)) { c.router.addRoute(topic, fn) }
func (c *ctorClient) Deliver(topic string, m int)         { c.router.dispatch(topic, m, true) }

// Control: the same setter also called on the shared client's router.
type ctorRouter2 struct {
	sync.RWMutex
	routes    map[string]func(int)
	defaultFn func(int)
}

func newCtorRouter2() *ctorRouter2 {
	return &ctorRouter2{routes: map[string]func(int){}}
}

func (r *ctorRouter2) setDefault(fn func(int)) {
	r.Lock()
	defer r.Unlock()
	r.defaultFn = fn
}

func (r *ctorRouter2) addRoute(topic string, fn func(int)) {
	r.Lock()
	defer r.Unlock()
	r.routes[topic] = fn
}

func (r *ctorRouter2) dispatch(topic string, m int, order bool) {
	r.RLock()
	defer r.RUnlock()
	if fn, ok := r.routes[topic]; ok {
		go fn(m)
		return
	}
	if r.defaultFn != nil {
		if order {
			r.defaultFn(m)
			return
		}
		go func() {
			r.defaultFn(m) // want `defaultFn is guarded by RWMutex .*read in a goroutine started at line \d+ while RWMutex was held, but the goroutine does not hold it \(RA1005\)`
		}()
	}
}

type ctorClient2 struct {
	router *ctorRouter2
}

func NewCtorClient2(def func(int)) *ctorClient2 {
	c := &ctorClient2{}
	c.router = newCtorRouter2()
	c.router.setDefault(def)
	return c
}

func (c *ctorClient2) SetDefault(def func(int))            { c.router.setDefault(def) }
func (c *ctorClient2) AddRoute(topic string, fn func(int)) { c.router.addRoute(topic, fn) }
func (c *ctorClient2) Deliver(topic string, m int)         { c.router.dispatch(topic, m, true) }

// Control: the router field is set to a value the constructor was given.
type ctorRouter3 struct {
	sync.RWMutex
	routes    map[string]func(int)
	defaultFn func(int)
}

func (r *ctorRouter3) setDefault(fn func(int)) {
	r.Lock()
	defer r.Unlock()
	r.defaultFn = fn
}

func (r *ctorRouter3) addRoute(topic string, fn func(int)) {
	r.Lock()
	defer r.Unlock()
	r.routes[topic] = fn
}

func (r *ctorRouter3) dispatch(topic string, m int, order bool) {
	r.RLock()
	defer r.RUnlock()
	if fn, ok := r.routes[topic]; ok {
		go fn(m)
		return
	}
	if r.defaultFn != nil {
		if order {
			r.defaultFn(m)
			return
		}
		go func() {
			r.defaultFn(m) // want `defaultFn is guarded by RWMutex .*read in a goroutine started at line \d+ while RWMutex was held, but the goroutine does not hold it \(RA1005\)`
		}()
	}
}

type ctorClient3 struct {
	router *ctorRouter3
}

func NewCtorClient3(r *ctorRouter3, def func(int)) *ctorClient3 {
	c := &ctorClient3{}
	c.router = r
	c.router.setDefault(def)
	return c
}

func (c *ctorClient3) AddRoute(topic string, fn func(int)) { c.router.addRoute(topic, fn) }
func (c *ctorClient3) Deliver(topic string, m int)         { c.router.dispatch(topic, m, true) }

// Control: the constructor starts a goroutine on the value before it
// builds the field (badger's Open before db.vlog.open(db)): the value is
// shared from then on.
type ctorBase4 struct {
	mu      sync.RWMutex
	size    int
	onEvict func(int)
	items   map[int]int
}

func buildCtorBase4(c *ctorBase4, cb *ctorBuilder) {
	c.size = cb.size       // want `size is guarded by mu .*; written here without it \(RA1002\)`
	c.onEvict = cb.onEvict // want `onEvict is guarded by mu .*; written here without it \(RA1002\)`
}

type ctorARC4 struct {
	ctorBase4
	done chan struct{}
}

func newCtorARC4(cb *ctorBuilder) *ctorARC4 {
	c := &ctorARC4{done: make(chan struct{})}
	go c.janitor()
	buildCtorBase4(&c.ctorBase4, cb)
	return c
}

func (c *ctorARC4) janitor() {
	for range c.done {
		c.Resize(0)
	}
}

func (c *ctorBase4) Set(k, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= c.size {
		for old := range c.items {
			delete(c.items, old)
			if c.onEvict != nil {
				c.onEvict(old)
			}
			break
		}
	}
	c.items[k] = v
}

func (c *ctorBase4) Cap() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.size
}

func (c *ctorBase4) Resize(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.size = n
	c.onEvict = nil
}

// Control: the constructor hands the fresh router to someone before it
// sets the default handler.
type ctorRouter5 struct {
	sync.RWMutex
	routes    map[string]func(int)
	defaultFn func(int)
}

var ctorRouters5 []*ctorRouter5

func registerCtorRouter5(r *ctorRouter5) { ctorRouters5 = append(ctorRouters5, r) }

func (r *ctorRouter5) setDefault(fn func(int)) {
	r.Lock()
	defer r.Unlock()
	r.defaultFn = fn
}

func (r *ctorRouter5) addRoute(topic string, fn func(int)) {
	r.Lock()
	defer r.Unlock()
	r.routes[topic] = fn
}

func (r *ctorRouter5) dispatch(topic string, m int, order bool) {
	r.RLock()
	defer r.RUnlock()
	if fn, ok := r.routes[topic]; ok {
		go fn(m)
		return
	}
	if r.defaultFn != nil {
		if order {
			r.defaultFn(m)
			return
		}
		go func() {
			r.defaultFn(m) // want `defaultFn is guarded by RWMutex .*read in a goroutine started at line \d+ while RWMutex was held, but the goroutine does not hold it \(RA1005\)`
		}()
	}
}

type ctorClient5 struct {
	router *ctorRouter5
}

func NewCtorClient5(def func(int)) *ctorClient5 {
	c := &ctorClient5{}
	c.router = &ctorRouter5{routes: map[string]func(int){}}
	registerCtorRouter5(c.router)
	c.router.setDefault(def)
	return c
}

func (c *ctorClient5) AddRoute(topic string, fn func(int)) { c.router.addRoute(topic, fn) }
func (c *ctorClient5) Deliver(topic string, m int)         { c.router.dispatch(topic, m, true) }
