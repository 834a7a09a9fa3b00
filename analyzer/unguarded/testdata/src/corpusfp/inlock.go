package corpusfp

import "sync"

// --- FP121 (go-commons-pool doDestroy): a bool parameter says whether the
// caller holds the lock. The unlocked helper runs only "if inLock", and
// the only call site passing true holds p.lock; the one passing false
// calls the locking method instead.
type pooledObj struct {
	lock  sync.Mutex
	state int // guarded by lock
}

func (o *pooledObj) invalidate() { o.state = 3 }

func (o *pooledObj) Invalidate() {
	o.lock.Lock()
	defer o.lock.Unlock()
	o.invalidate()
}

func (o *pooledObj) Allocate() bool {
	o.lock.Lock()
	defer o.lock.Unlock()
	if o.state != 0 {
		return false
	}
	o.state = 1
	return true
}

type objPool struct{ n int }

func (pool *objPool) doDestroy(p *pooledObj, inLock bool) {
	if inLock {
		p.invalidate()
	} else {
		p.Invalidate()
	}
}

func (pool *objPool) destroy(p *pooledObj) { pool.doDestroy(p, false) }

func (pool *objPool) InvalidateObject(p *pooledObj) {
	p.lock.Lock()
	pool.doDestroy(p, true)
	p.lock.Unlock()
}

func (pool *objPool) Evict(p *pooledObj) { pool.destroy(p) }

// A call site passing true without the lock: reported.
type pooledObj2 struct {
	lock  sync.Mutex
	state int // guarded by lock
}

func (o *pooledObj2) invalidate() { o.state = 3 } // want `state is guarded by lock .*written here without it \(RA1002\)`

func (o *pooledObj2) Invalidate() {
	o.lock.Lock()
	defer o.lock.Unlock()
	o.invalidate()
}

func (pool *objPool) doDestroy2(p *pooledObj2, inLock bool) {
	if inLock {
		p.invalidate()
	} else {
		p.Invalidate()
	}
}

func (pool *objPool) InvalidateObject2(p *pooledObj2) {
	p.lock.Lock()
	pool.doDestroy2(p, true)
	p.lock.Unlock()
}

func (pool *objPool) Drop2(p *pooledObj2) { pool.doDestroy2(p, true) }

func (pool *objPool) Evict2(p *pooledObj2) { pool.doDestroy2(p, false) }

// The parameter is reassigned before the test (and a caller holding the
// lock then reaches the locking Invalidate): reported.
type pooledObj3 struct {
	lock  sync.Mutex
	state int // guarded by lock
}

func (o *pooledObj3) invalidate() { o.state = 3 } // want `state is guarded by lock .*written here without it \(RA1002\)`

func (o *pooledObj3) Invalidate() {
	o.lock.Lock()
	defer o.lock.Unlock()
	o.invalidate()
}

func (pool *objPool) doDestroy3(p *pooledObj3, inLock bool) {
	inLock = inLock && pool.n > 0
	if inLock {
		p.invalidate()
	} else {
		p.Invalidate()
	}
}

func (pool *objPool) InvalidateObject3(p *pooledObj3) {
	p.lock.Lock()
	pool.doDestroy3(p, true)
	p.lock.Unlock()
}

func (pool *objPool) Evict3(p *pooledObj3) { pool.doDestroy3(p, false) }

// The caller's lock is released before the test: reported.
type pooledObj4 struct {
	lock  sync.Mutex
	state int // guarded by lock
}

func (o *pooledObj4) invalidate() { o.state = 3 } // want `state is guarded by lock .*written here without it \(RA1002\)`

func (o *pooledObj4) Invalidate() {
	o.lock.Lock()
	defer o.lock.Unlock()
	o.invalidate()
}

func (pool *objPool) doDestroy4(p *pooledObj4, inLock bool) {
	if inLock {
		p.lock.Unlock()
	}
	if inLock {
		p.invalidate()
	} else {
		p.Invalidate()
	}
}

func (pool *objPool) InvalidateObject4(p *pooledObj4) {
	p.lock.Lock()
	pool.doDestroy4(p, true)
}

func (pool *objPool) Evict4(p *pooledObj4) { pool.doDestroy4(p, false) }
