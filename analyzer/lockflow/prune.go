package lockflow

import (
	"go/types"
	"strings"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Importers and hidden mutexes.
//
// Another package can hold a mutex of this package reached through an
// unexported (non-embedded) field or package-level variable only if code
// of this package hands it over: returns holding it (a lock wrapper),
// calls back holding it, or calls anything at all while holding it (a
// callee may run the importer's code, whose doc comment may then declare
// it held). The lock sites of such a mutex that this package never holds
// at a call or an exit are of no use to importers: RA2003 and RA2004 need
// the caller to hold the mutex, and a summary built from them in an
// importer is again about a mutex that nobody there can hold. They are
// left out of the exported facts (not of the package's own), and facts
// left empty are not exported.

// handedOver returns the names of the fields and package-level variables
// on the paths of the mutexes this package holds at a call or an exit, or
// returns holding (Acquires, AcquiresOnSuccess, Callbacks).
func (c *checker) handedOver() map[string]bool {
	h := map[string]bool{}
	addPath := func(path string) {
		for _, n := range strings.Split(path, ".") {
			if n != "" {
				h[n] = true
			}
		}
	}
	addKey := func(k ls.Key) {
		if v, ok := k.Root.(*types.Var); ok && ls.IsPackageLevel(v) {
			h[v.Name()] = true
		}
		addPath(k.Path)
	}
	addRel := func(r ls.RelLock) {
		if r.Param < 0 {
			h[r.Var] = true
		}
		addPath(r.Path)
	}
	for _, fi := range c.res.Funcs {
		if s := fi.Summary; s != nil {
			for _, r := range s.Acquires {
				addRel(r)
			}
			for _, r := range s.AcquiresOnSuccess {
				addRel(r)
			}
			for _, cb := range s.Callbacks {
				for _, r := range cb.Held {
					addRel(r)
				}
			}
		}
	}
	for _, ce := range c.res.Calls {
		for _, held := range ce.Before {
			addKey(held.Key)
		}
	}
	for _, ex := range c.res.Exits {
		for _, held := range ex.State {
			addKey(held.Key)
		}
	}
	return h
}

// hidden reports whether a lock of fi's summary is reached through a field
// or package-level variable of this package that importers cannot name
// and that h does not list.
func (c *checker) hidden(fi *ls.FuncInfo, r ls.RelLock, h map[string]bool) bool {
	var t types.Type
	if r.Param < 0 {
		v := c.lookupVar(r.Pkg, r.Var)
		if v == nil {
			return false
		}
		if v.Pkg() == c.pass.Pkg && !v.Exported() && !h[v.Name()] {
			return true
		}
		t = v.Type()
	} else {
		ps := ls.Params(fi.Obj) // receiver first, as r.Param counts
		if r.Param >= len(ps) {
			return false
		}
		t = ps[r.Param].Type()
	}
	for _, name := range strings.Split(r.Path, ".") {
		if name == "" {
			continue
		}
		t = types.Unalias(t)
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return false
		}
		var f *types.Var
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Name() == name {
				f = st.Field(i)
				break
			}
		}
		if f == nil {
			return false
		}
		if f.Pkg() == c.pass.Pkg && !f.Exported() && !f.Embedded() && !h[name] {
			return true
		}
		t = f.Type()
	}
	return false
}

// exported returns f without the lock sites of hidden mutexes (f itself if
// it has none), computing the handed-over names on first use.
func (c *checker) exported(fi *ls.FuncInfo, f *LocksFact, h *map[string]bool) *LocksFact {
	var keep []LockSite
	for i, l := range f.Locks {
		if *h == nil {
			*h = c.handedOver()
		}
		if c.hidden(fi, l.Lock, *h) {
			if keep == nil {
				keep = append(make([]LockSite, 0, len(f.Locks)-1), f.Locks[:i]...)
			}
			continue
		}
		if keep != nil {
			keep = append(keep, l)
		}
	}
	if keep == nil {
		return f
	}
	return &LocksFact{Locks: keep, Requires: f.Requires, RequiresWhy: f.RequiresWhy, Owns: f.Owns}
}
