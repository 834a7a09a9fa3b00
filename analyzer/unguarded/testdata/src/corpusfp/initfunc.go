package corpusfp

import (
	"sync"
	"sync/atomic"
)

// --- FP45: function form of an Init method ------------------------------
// (protobuf internal/impl InitExtensionInfo(xi *ExtensionInfo, ...), called
// on generated code's values at package init): a function named Init
// followed by the name of the type its first parameter points to sets up
// a value its caller allocated, like (*T).Init. Its writes are not
// reported, and the flag publishing the other writes (FP53) then covers
// the reads: desc is written by the initializer, or once under mu before
// the flag is stored.
type extInfo struct {
	init   uint32
	mu     sync.Mutex
	goType string   // guarded by mu
	desc   *extDesc // guarded by mu
	conv   string   // guarded by mu
}

type extDesc struct{ name string }

func InitExtInfo(xi *extInfo, d *extDesc, goType string) {
	xi.goType = goType
	xi.desc = d
	xi.init = 1
}

func (xi *extInfo) Descriptor() *extDesc {
	if atomic.LoadUint32(&xi.init) < 1 {
		xi.lazyInitSlow()
	}
	return xi.desc
}

func (xi *extInfo) Conv() string {
	if atomic.LoadUint32(&xi.init) < 2 {
		xi.lazyInitSlow()
	}
	return xi.conv
}

func (xi *extInfo) lazyInitSlow() {
	xi.mu.Lock()
	defer xi.mu.Unlock()
	if xi.init == 2 {
		return
	}
	defer atomic.StoreUint32(&xi.init, 2)
	if xi.desc == nil {
		xi.initFromLegacy()
	}
	xi.conv = xi.goType + xi.desc.name
}

func (xi *extInfo) initFromLegacy() {
	xi.goType = "legacy"
	xi.desc = &extDesc{name: "legacy"}
}

// Reported: a function whose name does not say it initializes the value
// (a setter of a shared value), and with it the read its unlocked write
// races with.
type extInfo2 struct {
	init   uint32
	mu     sync.Mutex
	goType string   // guarded by mu
	desc   *extDesc // guarded by mu
}

func SetExtInfo2(xi *extInfo2, d *extDesc, goType string) {
	xi.goType = goType // want `goType is guarded by mu .*; written here without it \(RA1002\)`
	xi.desc = d        // want `desc is guarded by mu .*; written here without it \(RA1002\)`
	xi.init = 1
}

func (xi *extInfo2) Descriptor() *extDesc {
	if atomic.LoadUint32(&xi.init) < 1 {
		xi.lazyInitSlow()
	}
	return xi.desc // want `desc is guarded by mu .*; read here without it \(RA1001\)`
}

func (xi *extInfo2) lazyInitSlow() {
	xi.mu.Lock()
	defer xi.mu.Unlock()
	if xi.init == 2 {
		return
	}
	defer atomic.StoreUint32(&xi.init, 2)
	if xi.desc == nil {
		xi.goType = "legacy"
		xi.desc = &extDesc{name: xi.goType}
	}
}

// Reported: Init named after another type than its first parameter's.
type extInfo3 struct {
	mu     sync.Mutex
	goType string // guarded by mu
}

type extOther struct{}

func InitExtOther(xi *extInfo3, goType string) {
	xi.goType = goType // want `goType is guarded by mu .*; written here without it \(RA1002\)`
}

func (xi *extInfo3) Type() string {
	xi.mu.Lock()
	defer xi.mu.Unlock()
	return xi.goType
}

// Reported: an Init function that locks is ordinary code.
type extInfo4 struct {
	mu     sync.Mutex
	ready  bool   // guarded by mu
	goType string // guarded by mu
}

func InitExtInfo4(xi *extInfo4, goType string) {
	xi.mu.Lock()
	xi.ready = true
	xi.mu.Unlock()
	xi.goType = goType // want `goType is guarded by mu .*; written here without it \(RA1002\)`
}

func (xi *extInfo4) Type() string {
	xi.mu.Lock()
	defer xi.mu.Unlock()
	return xi.goType
}

// In-package calls of the three functions above: with them, FP60 (an
// exported function with no call site in its package leaves its parameter
// to its callers) does not apply, so these cases test FP45 alone.
func callExtInits(a *extInfo, b *extInfo2, c *extInfo3) {
	InitExtInfo(a, nil, "")
	SetExtInfo2(b, nil, "")
	InitExtOther(c, "")
}
