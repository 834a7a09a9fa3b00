package lockstate

import (
	"go/ast"
	"go/types"
	"sort"
	"strings"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// A litEvent is a composite literal of a struct type of the package,
// evaluated in a function's own body (not in a function literal), with the
// locks held there.
type litEvent struct {
	lit   *ast.CompositeLit
	named *types.Named
	held  ls.State
}

// localStruct returns t if it is a (non-generic) named struct type
// declared in this package.
func (a *analysis_) localStruct(t types.Type) *types.Named {
	if t == nil {
		return nil
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n == nil || n.Obj().Pkg() != a.pass.Pkg || n.TypeParams().Len() > 0 {
		return nil
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return nil
	}
	return n
}

// recvNamed returns the named type of a method's receiver.
func recvNamed(fi *ls.FuncInfo) *types.Named {
	sig, ok := fi.Obj.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return nil
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// An ownedLock is a lock that the values of a type hold while they live,
// as a path from the value (".s.mu").
type ownedLock struct {
	path string
	mode ls.Mode
}

// ownedEntries finds the types whose values own a lock of another object:
// a transaction allocated, with the object in one of its fields, by a
// function that holds the object's lock there and still holds it at every
// exit (it hands the lock to the value it allocated), with a method that
// releases the lock through that field without taking it (End, Commit).
// Every literal of the type in the package (outside test files) must be
// such an allocation, and the type must not be allocated otherwise
// (new(T), var t T). The methods of such a type run between the
// allocation and the release, holding the lock: they get it on entry and
// are walked again. A struct type embedded in such a transaction type (the
// fields common to its read and write transactions), and allocated only
// as part of its literals, owns the lock too.
func (a *analysis_) ownedEntries(decls []*ls.FuncInfo) {
	// release methods: a lock of another object reached through a field
	rel := map[*types.Named][]ownedLock{}
	for _, fi := range decls {
		if fi.Test || len(fi.Params) == 0 || fi.Params[0] == nil {
			continue
		}
		named := a.localStruct(recvNamed(fi))
		if named == nil {
			continue
		}
		for k, mode := range a.releasedOnly[fi] {
			if k.Root == fi.Params[0] && strings.Count(k.Path, ".") >= 2 {
				rel[named] = appendOwned(rel[named], ownedLock{k.Path, mode})
			}
		}
	}
	if len(rel) == 0 {
		return
	}
	// the recorded literals, by type, and the exits of their functions
	type litAt struct {
		ev litEvent
		fi *ls.FuncInfo
	}
	lits := map[*types.Named][]litAt{} // a literal walked twice (in a loop) must qualify each time
	for _, fi := range decls {
		ev := a.events[fi]
		if ev == nil || fi.Test {
			continue
		}
		for _, l := range ev.lits {
			lits[l.named] = append(lits[l.named], litAt{l, fi})
		}
	}
	allocs, other := a.allocations()
	owned := map[*types.Named][]ownedLock{}
	inner := map[*ast.CompositeLit][]ownedLock{} // embedded literals of owning values
	innerType := map[*ast.CompositeLit]*types.Named{}
	for named, locks := range rel {
		if other[named] || len(lits[named]) == 0 || countLits(lits[named], func(l litAt) *ast.CompositeLit { return l.ev.lit }) != allocs[named] {
			continue
		}
		var keep []ownedLock
		for _, o := range locks {
			ok := true
			var nested []*ast.CompositeLit
			var nestedPath []string
			for _, l := range lits[named] {
				k, in, rest, found := a.litKey(l.ev.lit, o.path)
				if !found || !a.handedOver(l.fi, l.ev.held, k) {
					ok = false
					break
				}
				if in != nil {
					nested = append(nested, in)
					nestedPath = append(nestedPath, rest)
				}
			}
			if ok {
				keep = append(keep, o)
				for i, in := range nested {
					inner[in] = appendOwned(inner[in], ownedLock{nestedPath[i], o.mode})
					innerType[in] = a.localStruct(a.pass.TypesInfo.TypeOf(in))
				}
			}
		}
		if len(keep) > 0 {
			owned[named] = keep
		}
	}
	// struct types allocated only inside owning literals
	byType := map[*types.Named][]*ast.CompositeLit{}
	for in, t := range innerType {
		if t != nil {
			byType[t] = append(byType[t], in)
		}
	}
	for named, ins := range byType {
		if owned[named] != nil || other[named] || len(ins) != allocs[named] {
			continue
		}
		common := inner[ins[0]]
		for _, in := range ins[1:] {
			common = intersectOwned(common, inner[in])
		}
		if len(common) > 0 {
			owned[named] = common
		}
	}
	if len(owned) == 0 {
		return
	}
	var changed []*ls.FuncInfo
	for _, fi := range decls {
		if fi.EntryWhy != "" || fi.UnknownCallers || fi.Test || fi.NotConcurrent != "" || len(fi.Params) == 0 || fi.Params[0] == nil {
			continue
		}
		locks := owned[recvNamed(fi)]
		if len(locks) == 0 {
			continue
		}
		var entry ls.State
		for _, o := range locks {
			entry = entry.WithHeld(ls.Held{Key: ls.Key{Root: fi.Params[0], Path: o.path}, Mode: o.mode, Must: true})
		}
		fi.Entry, fi.EntryWhy = entry, ls.EntryOwned
		changed = append(changed, fi)
	}
	a.forgetCallSites(changed)
	for _, fi := range changed {
		a.dropEvents(fi)
		a.walk(fi)
	}
}

// handedOver reports whether the function holds k where it allocates the
// value (held) and at every exit of its body.
func (a *analysis_) handedOver(fi *ls.FuncInfo, held ls.State, k ls.Key) bool {
	if _, ok := held.MustHold(k); !ok {
		return false
	}
	ev := a.events[fi]
	exits := 0
	for _, ex := range ev.exits {
		if ex.Ctx.Parent != nil {
			continue
		}
		if _, ok := ex.State.MustHold(k); !ok {
			return false
		}
		exits++
	}
	return exits > 0
}

// litKey resolves a lock path of a literal's type (".s.mu") to the key of
// the lock it names where the literal is evaluated, through the value
// given to its first field (s: the store; s.mu). The value of an embedded
// struct field given as a literal is resolved through that literal, which
// is returned with the rest of the path (common, ".s.mu" for
// ".storeTxnCommon.s.mu").
func (a *analysis_) litKey(lit *ast.CompositeLit, path string) (ls.Key, *ast.CompositeLit, string, bool) {
	st, ok := a.pass.TypesInfo.TypeOf(lit).Underlying().(*types.Struct)
	if !ok || len(path) < 2 || path[0] != '.' {
		return ls.Key{}, nil, "", false
	}
	name, rest, _ := strings.Cut(path[1:], ".")
	rest = "." + rest
	if rest == "." {
		return ls.Key{}, nil, "", false
	}
	var val ast.Expr
	for i, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == name {
				val = kv.Value
			}
			continue
		}
		if i < st.NumFields() && st.Field(i).Name() == name {
			val = e
		}
	}
	if val == nil {
		return ls.Key{}, nil, "", false
	}
	val = ast.Unparen(val)
	if u, ok := val.(*ast.UnaryExpr); ok {
		if in, ok := ast.Unparen(u.X).(*ast.CompositeLit); ok {
			val = in
		}
	}
	if in, ok := val.(*ast.CompositeLit); ok {
		if strings.Count(rest, ".") < 2 {
			return ls.Key{}, nil, "", false // the literal's own mutex
		}
		k, _, _, found := a.litKey(in, rest)
		return k, in, rest, found
	}
	x, ok := ls.PathOf(a.pass.TypesInfo, val)
	if !ok {
		return ls.Key{}, nil, "", false
	}
	return x.Child(rest), nil, "", true
}

// allocations counts the composite literals of each struct type of the
// package in the non-test files, and reports the types also allocated
// otherwise (new(T), var t T).
func (a *analysis_) allocations() (map[*types.Named]int, map[*types.Named]bool) {
	info := a.pass.TypesInfo
	count := map[*types.Named]int{}
	other := map[*types.Named]bool{}
	for _, f := range a.pass.Files {
		if strings.HasSuffix(a.pass.Fset.File(f.Pos()).Name(), "_test.go") {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if named := a.localStruct(info.TypeOf(n)); named != nil {
					count[named]++
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && len(n.Args) == 1 {
					if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "new" {
						if named := a.localStruct(info.TypeOf(n.Args[0])); named != nil {
							other[named] = true
						}
					}
				}
			case *ast.ValueSpec:
				if n.Type != nil && len(n.Values) == 0 {
					if named := a.localStruct(info.TypeOf(n.Type)); named != nil {
						other[named] = true
					}
				}
			}
			return true
		})
	}
	return count, other
}

func countLits[T any](xs []T, lit func(T) *ast.CompositeLit) int {
	seen := map[*ast.CompositeLit]bool{}
	for _, x := range xs {
		seen[lit(x)] = true
	}
	return len(seen)
}

func appendOwned(os []ownedLock, o ownedLock) []ownedLock {
	for i, x := range os {
		if x.path == o.path {
			os[i].mode = min(x.mode, o.mode)
			return os
		}
	}
	os = append(os, o)
	sort.Slice(os, func(i, j int) bool { return os[i].path < os[j].path })
	return os
}

func intersectOwned(a, b []ownedLock) []ownedLock {
	var out []ownedLock
	for _, x := range a {
		for _, y := range b {
			if x.path == y.path {
				out = append(out, ownedLock{x.path, min(x.mode, y.mode)})
			}
		}
	}
	return out
}
