// Package lockstate is regaudit's lock-state engine: for every function it
// computes, flow-sensitively over the control-flow graph, which mutexes are
// held (exclusively or shared, on every path or only on some) at each point.
//
// A mutex is identified by its access path (Key): a root variable (receiver,
// parameter, local or package-level variable) followed by field names, so
// r.mu, r.inner.mu and registry.Mutex (an embedded mutex) are distinct locks,
// and a.mu and b.mu are different locks.
package lockstate

import (
	"go/token"
	"go/types"
	"strings"
)

// Mode is how a lock is held.
type Mode uint8

const (
	Shared    Mode = 1 // RLock
	Exclusive Mode = 2 // Lock
)

func (m Mode) String() string {
	if m == Shared {
		return "read"
	}
	return "write"
}

// A Key identifies a mutex by its access path.
type Key struct {
	Root types.Object // *types.Var: receiver, parameter, local or package-level variable
	Path string       // field path from Root, e.g. ".mu", ".inner.mu", "" for the root itself
}

// String renders the key as source-like text, e.g. "r.mu".
func (k Key) String() string {
	if k.Root == nil {
		return "?" + k.Path
	}
	return k.Root.Name() + k.Path
}

// Field returns the last field name of the path (or the root name).
func (k Key) Field() string {
	if i := strings.LastIndexByte(k.Path, '.'); i >= 0 {
		return k.Path[i+1:]
	}
	return k.Root.Name()
}

// Child returns the key extended by a field path.
func (k Key) Child(path string) Key { return Key{k.Root, k.Path + path} }

func keyLess(a, b Key) bool {
	if a.Root != b.Root {
		pa, pb := rootPos(a.Root), rootPos(b.Root)
		if pa != pb {
			return pa < pb
		}
		return a.Root.Name() < b.Root.Name()
	}
	return a.Path < b.Path
}

func rootPos(o types.Object) token.Pos {
	if o == nil {
		return token.NoPos
	}
	return o.Pos()
}

// Held is one lock in a State.
type Held struct {
	Key  Key
	Mode Mode      // the weakest mode on the paths that hold it
	Must bool      // held on every path reaching this point
	At   token.Pos // where it was (last) acquired, NoPos if held on entry
}

// State is the set of locks held at a point, sorted by Key.
type State []Held

// Lookup returns the entry for k.
func (s State) Lookup(k Key) (Held, bool) {
	for _, h := range s {
		if h.Key == k {
			return h, true
		}
	}
	return Held{}, false
}

// MustHold reports whether k is held on every path, and in which mode.
func (s State) MustHold(k Key) (Mode, bool) {
	h, ok := s.Lookup(k)
	if !ok || !h.Must {
		return 0, false
	}
	return h.Mode, true
}

// Must returns the locks held on every path.
func (s State) Must() []Held {
	var out []Held
	for _, h := range s {
		if h.Must {
			out = append(out, h)
		}
	}
	return out
}

func (s State) with(h Held) State {
	out := make(State, 0, len(s)+1)
	done := false
	for _, x := range s {
		if x.Key == h.Key {
			out = append(out, h)
			done = true
			continue
		}
		if !done && keyLess(h.Key, x.Key) {
			out = append(out, h)
			done = true
		}
		out = append(out, x)
	}
	if !done {
		out = append(out, h)
	}
	return out
}

func (s State) without(k Key) State {
	for i, x := range s {
		if x.Key == k {
			out := make(State, 0, len(s)-1)
			out = append(out, s[:i]...)
			return append(out, s[i+1:]...)
		}
	}
	return s
}

// join merges the states of two incoming edges.
func join(a, b State) State {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	out := make(State, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && keyLess(a[i].Key, b[j].Key)):
			h := a[i]
			h.Must = false
			out = append(out, h)
			i++
		case i >= len(a) || keyLess(b[j].Key, a[i].Key):
			h := b[j]
			h.Must = false
			out = append(out, h)
			j++
		default:
			h := a[i]
			h.Must = a[i].Must && b[j].Must
			if b[j].Mode < h.Mode {
				h.Mode = b[j].Mode
			}
			if b[j].At > h.At {
				h.At = b[j].At
			}
			out = append(out, h)
			i++
			j++
		}
	}
	return out
}

func equal(a, b State) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// WithHeld returns s with h added (or replaced).
func (s State) WithHeld(h Held) State { return s.with(h) }

// Without returns s without k.
func (s State) Without(k Key) State { return s.without(k) }

// Equal reports whether two states are the same.
func (s State) Equal(t State) bool { return len(s) == len(t) && (len(s) == 0 || equal(s, t)) }
