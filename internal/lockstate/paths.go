package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// PathOf returns the access path of an expression such as r, r.mu,
// (*r).inner.mu, &r.mu or pkg.Var, following implicit embedded fields.
func PathOf(info *types.Info, e ast.Expr) (Key, bool) {
	var b strings.Builder
	root, ok := pathOf(info, e, &b)
	if !ok {
		return Key{}, false
	}
	return Key{Root: root, Path: b.String()}, true
}

func pathOf(info *types.Info, e ast.Expr, b *strings.Builder) (types.Object, bool) {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return pathOf(info, e.X, b)
	case *ast.StarExpr:
		return pathOf(info, e.X, b)
	case *ast.UnaryExpr:
		if e.Op.String() == "&" {
			return pathOf(info, e.X, b)
		}
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok {
			return v, true
		}
		if v, ok := info.Defs[e].(*types.Var); ok {
			return v, true
		}
	case *ast.SelectorExpr:
		sel, ok := info.Selections[e]
		if !ok {
			// qualified identifier pkg.Var
			if v, ok := info.Uses[e.Sel].(*types.Var); ok && !v.IsField() {
				return v, true
			}
			return nil, false
		}
		if sel.Kind() != types.FieldVal {
			return nil, false
		}
		root, ok := pathOf(info, e.X, b)
		if !ok {
			return nil, false
		}
		writeEmbedded(b, sel.Recv(), sel.Index()[:len(sel.Index())-1])
		b.WriteString(".")
		b.WriteString(sel.Obj().Name())
		return root, true
	}
	return nil, false
}

// EmbeddedPath returns the field path (".Base.inner") of the implicit
// embedded fields walked by a selection's index path from type t.
func EmbeddedPath(t types.Type, index []int) string {
	var b strings.Builder
	writeEmbedded(&b, t, index)
	return b.String()
}

// writeEmbedded appends the names of the implicit embedded fields walked by
// a selection's index path.
func writeEmbedded(b *strings.Builder, t types.Type, index []int) {
	for _, i := range index {
		st, ok := deref(t).Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return
		}
		f := st.Field(i)
		b.WriteString(".")
		b.WriteString(f.Name())
		t = f.Type()
	}
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// Op is a lock operation.
type Op uint8

const (
	OpNone Op = iota
	OpLock
	OpUnlock
	OpRLock
	OpRUnlock
	OpTryLock
	OpTryRLock
)

func (o Op) String() string {
	return [...]string{"", "Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock"}[o]
}

// IsAcquire reports whether o takes the lock.
func (o Op) IsAcquire() bool { return o == OpLock || o == OpRLock || o == OpTryLock || o == OpTryRLock }

// Mode is the mode an acquiring op takes.
func (o Op) Mode() Mode {
	if o == OpRLock || o == OpTryRLock || o == OpRUnlock {
		return Shared
	}
	return Exclusive
}

var opNames = map[string]Op{
	"Lock": OpLock, "Unlock": OpUnlock, "RLock": OpRLock, "RUnlock": OpRUnlock,
	"TryLock": OpTryLock, "TryRLock": OpTryRLock,
}

// LockCall recognizes a call of a sync.Mutex, sync.RWMutex or sync.Locker
// method (directly, through a pointer or an embedded field) and returns the
// mutex it operates on.
func LockCall(info *types.Info, call *ast.CallExpr) (Key, Op, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return Key{}, OpNone, false
	}
	op, ok := opNames[sel.Sel.Name]
	if !ok {
		return Key{}, OpNone, false
	}
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return Key{}, OpNone, false
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return Key{}, OpNone, false
	}
	var b strings.Builder
	root, ok := pathOf(info, sel.X, &b)
	if !ok {
		return Key{}, OpNone, false
	}
	writeEmbedded(&b, s.Recv(), s.Index()[:len(s.Index())-1])
	return Key{Root: root, Path: b.String()}, op, true
}

// IsMutexType reports whether t is sync.Mutex, sync.RWMutex, a pointer to
// one, or sync.Locker.
func IsMutexType(t types.Type) bool {
	t = deref(types.Unalias(t))
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return false
	}
	switch n.Obj().Name() {
	case "Mutex", "RWMutex", "Locker":
		return true
	}
	return false
}

// IsRWMutexType reports whether t is sync.RWMutex or a pointer to one.
func IsRWMutexType(t types.Type) bool {
	n, ok := deref(types.Unalias(t)).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "RWMutex"
}

// LastField returns the field object the key's path ends in (the mu of
// cc.ccb.cc.mu), or nil for a path-less key or one that does not resolve.
func (k Key) LastField() *types.Var {
	if k.Root == nil || k.Path == "" {
		return nil
	}
	t := k.Root.Type()
	var f *types.Var
	for _, name := range strings.Split(strings.TrimPrefix(k.Path, "."), ".") {
		pkg := k.Root.Pkg()
		if n, ok := types.Unalias(deref(t)).(*types.Named); ok {
			pkg = n.Obj().Pkg()
		}
		obj, _, _ := types.LookupFieldOrMethod(t, true, pkg, name)
		v, ok := obj.(*types.Var)
		if !ok {
			return nil
		}
		f, t = v, v.Type()
	}
	return f
}

// Object returns the key of the allocation the struct k denotes lies in:
// k itself when it is reached through a pointer (the root, or a pointer
// field: c.r of type *connReader), else the object of the struct value
// holding it (c.stats, a struct-valued field of *c, lies in c). A path that
// does not resolve is its own object.
func (k Key) Object() Key {
	if k.Root == nil || k.Path == "" {
		return k
	}
	t := k.Root.Type()
	obj := Key{Root: k.Root}
	path := ""
	for _, name := range strings.Split(strings.TrimPrefix(k.Path, "."), ".") {
		pkg := k.Root.Pkg()
		if n, ok := types.Unalias(deref(t)).(*types.Named); ok {
			pkg = n.Obj().Pkg()
		}
		f, ok := lookupField(t, pkg, name)
		if !ok {
			return k
		}
		path += "." + name
		t = f.Type()
		if _, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
			obj = Key{Root: k.Root, Path: path}
		}
	}
	return obj
}

// Parent returns the key of the struct holding the field k ends in (c for
// c.mu), and false for a path-less key.
func (k Key) Parent() (Key, bool) {
	i := strings.LastIndexByte(k.Path, '.')
	if k.Root == nil || i < 0 {
		return Key{}, false
	}
	return Key{Root: k.Root, Path: k.Path[:i]}, true
}

func lookupField(t types.Type, pkg *types.Package, name string) (*types.Var, bool) {
	obj, _, _ := types.LookupFieldOrMethod(t, true, pkg, name)
	v, ok := obj.(*types.Var)
	return v, ok
}

// StmtList returns the statements of a block, case clause or select
// clause, and whether n is one of them.
func StmtList(n ast.Node) ([]ast.Stmt, bool) {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List, true
	case *ast.CaseClause:
		return n.Body, true
	case *ast.CommClause:
		return n.Body, true
	}
	return nil, false
}

// IsPanic reports whether st is a call of panic (by name, as the syntax
// shows it).
func IsPanic(st *ast.ExprStmt) bool {
	call, ok := ast.Unparen(st.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	return ok && id.Name == "panic"
}

// Assignments counts the assignments of the variable v in body (assignment
// statements, var declarations and its own definition) and reports whether
// body also changes it otherwise: increments it, assigns it in a range
// clause, or takes its address.
func Assignments(info *types.Info, body ast.Node, v types.Object) (n int, other bool) {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (info.Uses[id] == v || info.Defs[id] == v)
	}
	ast.Inspect(body, func(nd ast.Node) bool {
		switch nd := nd.(type) {
		case *ast.AssignStmt:
			for _, l := range nd.Lhs {
				if is(l) {
					n++
				}
			}
		case *ast.ValueSpec:
			for _, name := range nd.Names {
				if is(name) {
					n++
				}
			}
		case *ast.IncDecStmt:
			other = other || is(nd.X)
		case *ast.RangeStmt:
			other = other || (nd.Key != nil && is(nd.Key)) || (nd.Value != nil && is(nd.Value))
		case *ast.UnaryExpr:
			other = other || (nd.Op == token.AND && is(nd.X))
		}
		return true
	})
	return n, other
}

// CompositeLit returns the composite literal that e is, or whose address e
// takes (T{...}, &T{...}).
func CompositeLit(e ast.Expr) (*ast.CompositeLit, bool) {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	return lit, ok
}

// Contains reports whether a node of n outside function literals (which
// run another time) satisfies pred.
func Contains(n ast.Node, pred func(ast.Node) bool) bool {
	found := false
	ast.Inspect(n, func(nd ast.Node) bool {
		if found || nd == nil {
			return false
		}
		if _, lit := nd.(*ast.FuncLit); lit {
			return false
		}
		found = pred(nd)
		return !found
	})
	return found
}
