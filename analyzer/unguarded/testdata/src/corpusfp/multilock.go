package corpusfp

import (
	"sync"
	"unsafe"
)

// --- FP161 (go-fuse fs/inode.go): helpers that lock several inodes at
// once, in address order. lockNode2(a, b) locks a.mu only when a == b (then
// a.mu is b.mu); lockNodes(ns ...) locks n.mu of every element, passed
// directly, as an array literal or as a slice reset by append(s[:0], n).
type inode struct {
	mu      sync.Mutex
	counter int
	parent  *inode
	kids    map[string]*inode
}

func nodeLess(a, b *inode) bool {
	return uintptr(unsafe.Pointer(a)) < uintptr(unsafe.Pointer(b))
}

func lockNode2(a, b *inode) {
	if a == b {
		a.mu.Lock()
	} else if nodeLess(a, b) {
		a.mu.Lock()
		b.mu.Lock()
	} else {
		b.mu.Lock()
		a.mu.Lock()
	}
}

func unlockNode2(a, b *inode) {
	if a == b {
		a.mu.Unlock()
	} else {
		a.mu.Unlock()
		b.mu.Unlock()
	}
}

func lockNodes(ns ...*inode) {
	var prev *inode
	for _, n := range ns {
		if n != prev {
			n.mu.Lock()
			prev = n
		}
	}
}

func unlockNodes(ns ...*inode) {
	var prev *inode
	for _, n := range ns {
		if n != prev {
			n.mu.Unlock()
			prev = n
		}
	}
}

func (n *inode) Bump() {
	n.mu.Lock()
	n.counter++
	n.counter += n.counter
	n.mu.Unlock()
}

func (n *inode) Counter() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.counter
}

func (n *inode) Reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.counter = 0
}

func (n *inode) Add(d int) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.counter += d
	if n.counter < 0 {
		n.counter = 0
	}
	return n.counter
}

func (n *inode) Positive() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.counter > 0 && n.counter < 1<<20
}

func (n *inode) Swap(v int) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	old := n.counter
	n.counter = v
	return old
}

func (n *inode) Double() {
	n.mu.Lock()
	n.counter *= 2
	n.counter++
	n.mu.Unlock()
}

func (n *inode) Inc2() {
	n.mu.Lock()
	n.counter++
	n.counter += n.counter
	n.mu.Unlock()
}

func (n *inode) Inc3() {
	n.mu.Lock()
	n.counter++
	n.counter += n.counter
	n.mu.Unlock()
}

func (n *inode) Inc4() {
	n.mu.Lock()
	n.counter++
	n.counter += n.counter
	n.mu.Unlock()
}

func (n *inode) Inc5() {
	n.mu.Lock()
	n.counter++
	n.counter += n.counter
	n.mu.Unlock()
}

func (n *inode) Inc6() {
	n.mu.Lock()
	n.counter++
	n.counter += n.counter
	n.mu.Unlock()
}

func (n *inode) Inc7() {
	n.mu.Lock()
	n.counter++
	n.counter += n.counter
	n.mu.Unlock()
}

func (n *inode) Inc8() {
	n.mu.Lock()
	n.counter++
	n.counter += n.counter
	n.mu.Unlock()
}

func (n *inode) Inc9() {
	n.mu.Lock()
	n.counter++
	n.counter += n.counter
	n.mu.Unlock()
}

// (the accesses above and at the end of the file make mu counter's guard
// even when the helpers are not understood)

// Good: both inodes locked by lockNode2.
func (n *inode) Move(ch *inode) {
	lockNode2(n, ch)
	n.counter++
	ch.counter++
	unlockNode2(n, ch)
}

// Good: the inodes passed to lockNodes directly.
func (n *inode) Rename(newParent, child *inode) {
	lockNodes(n, newParent, child)
	n.counter++
	newParent.counter++
	child.counter++
	unlockNodes(n, newParent, child)
}

// Good: an array literal of the inodes, sliced.
func (n *inode) Replace(ch, prev *inode) {
	lockme := [3]*inode{n, ch, prev}
	lockNodes(lockme[:]...)
	prev.counter++
	n.counter++
	unlockNodes(lockme[:]...)
}

// Good: n is the first element of the slice reset before the call.
func (n *inode) RemoveRef() {
	var lockme []*inode
	for {
		lockme = append(lockme[:0], n)
		for p := n.parent; p != nil; p = p.parent {
			lockme = append(lockme, p)
		}
		lockNodes(lockme...)
		if n.counter != 0 {
			unlockNodes(lockme...)
			continue
		}
		n.counter--
		unlockNodes(lockme...)
		return
	}
}

// Bad: the controls. lockNode2 locks n and ch, not other; the slice's
// elements are not known (a parameter); lockNodes releases nothing.
func (n *inode) MoveOther(ch, other *inode) {
	lockNode2(n, ch)
	other.counter++ // want `counter is guarded by mu .*; written here with n\.mu and ch\.mu held instead \(RA1004\)`
	unlockNode2(n, ch)
}

func (n *inode) RenameAll(all []*inode) {
	lockNodes(all...)
	n.counter++ // want `counter is guarded by mu .*; written here without it \(RA1002\)`
	unlockNodes(all...)
}

func (n *inode) RenameAfter(ch *inode) {
	lockNodes(n, ch)
	unlockNodes(n, ch)
	ch.counter++ // want `counter is guarded by mu .*; written here without it \(RA1002\)`
}

// more accesses under the lock
func (n *inode) More0() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More1() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More2() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More3() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More4() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More5() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More6() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More7() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More8() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More9() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More10() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More11() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More12() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More13() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More14() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More15() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More16() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More17() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More18() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}

func (n *inode) More19() {
	n.mu.Lock()
	n.counter++
	n.mu.Unlock()
}
