package unguarded

import (
	"go/types"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/analyzer/lockstate"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Writes under the guard's read lock serialized by another mutex (FP86):
// watermill's GoChannel.Publish writes persistedMessages holding only the
// read lock of subscribersLock, its inferred guard, but holding
// persistedMessagesLock exclusively. A write under a read lock is a race
// with whatever else runs under the same read lock: the same write in
// another goroutine and the other accesses holding the guard only in read
// mode. When the write holds another mutex exclusively and every such
// access holds that mutex too, none of them runs beside it, and the
// accesses holding the guard exclusively cannot either: no RA1003.
// Accesses holding neither are reported on their own (RA1001, RA1002,
// RA1004), as the race they are. Only for unexported fields and variables
// of this package, whose accesses are all in view; an access whose locks
// are not known (its callers hold them: a *Locked helper, unknown callers,
// a stored closure) counts as one under the read lock.

// serializedWrite reports whether the write a, made with only the read
// lock of its guard (key) held, holds another mutex of the field's
// candidates exclusively that every other access holding the guard, but
// not exclusively, holds too.
func serializedWrite(pkg *types.Package, g *guards.Guard, a *ls.Access, key ls.Key, c *lockstate.Candidate, accs []*ls.Access) bool {
	if c == nil || a.Obj.Exported() || a.Obj.Pkg() != pkg {
		return false
	}
	for _, mu := range c.Mutexes {
		k, ok := mu.KeyAt(a)
		if !ok || k == key {
			continue
		}
		if mode, ok := a.Held.MustHold(k); !ok || mode != ls.Exclusive {
			continue
		}
		if excludesOthers(g, a, mu, accs) {
			return true
		}
	}
	return false
}

// excludesOthers reports whether every access of accs other than a that
// may hold the guard g in read mode holds mu.
func excludesOthers(g *guards.Guard, a *ls.Access, mu lockstate.MutexRef, accs []*ls.Access) bool {
	for _, b := range accs {
		if b == a || b.Local || b.Atomic || b.Func.Construction() || b.Ctx.Inside(ls.CtxOnce) {
			continue
		}
		kg, ok := g.KeyAt(b)
		if !ok {
			return false
		}
		if mode, ok := b.Held.MustHold(kg); ok && mode == ls.Exclusive {
			continue // the guard's write lock excludes a
		}
		if km, ok := mu.KeyAt(b); ok {
			if _, held := b.Held.MustHold(km); held || b.Func.HeldByType(km, b.Ctx) {
				continue // mu, held exclusively by a, excludes it
			}
		}
		_, some := b.Held.Lookup(kg)
		if !some && !b.Func.HeldByType(kg, b.Ctx) && guards.Concurrent(b) {
			continue // holds no guard: reported on its own
		}
		return false
	}
	return true
}
