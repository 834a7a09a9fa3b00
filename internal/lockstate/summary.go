package lockstate

import (
	"fmt"
	"go/ast"
	"go/types"
	"sort"
	"strings"
)

// A RelLock names a mutex relative to a function's parameters (the
// receiver is parameter 0 of a method) or as a package-level variable, so
// that it can be mapped onto any call site.
type RelLock struct {
	Param int    // parameter index (receiver first), or -1 for a package-level variable
	Pkg   string // for Param == -1: package path of the variable
	Var   string // for Param == -1: the variable's name
	Path  string // field path from the parameter or variable
	Mode  Mode
}

func (r RelLock) String() string {
	if r.Param < 0 {
		return r.Pkg + "." + r.Var + r.Path
	}
	return fmt.Sprintf("$%d%s", r.Param, r.Path)
}

// Summary is what a function does to mutexes, as seen by its callers.
// It is exported as a fact so that it is known across packages.
type Summary struct {
	Acquires []RelLock // held at every normal exit and not on entry (lock wrappers)
	Releases []RelLock // released without having been acquired here (unlock wrappers)
	// AcquiresOnSuccess are held at every exit returning a nil error (or
	// true) and at no other exit: lockOpen() error helpers.
	AcquiresOnSuccess []RelLock
	Requires          []RelLock // must be held by the caller (declared or inferred from call sites)
	// Callbacks lists the function-typed parameters the function calls,
	// with the locks it holds while calling them (withLock(mu, fn)).
	Callbacks []Callback
	// Goes lists the function-typed parameters the function starts as
	// goroutines (go f()): a literal passed there runs without the caller's locks.
	Goes []int
	// Stores lists the function-typed parameters the function stores (in a
	// struct or map it builds or updates) and neither calls nor passes on:
	// a literal passed there runs later (a scheduler's job), holding
	// none of the caller's locks, like a stored literal.
	Stores []int
	// RequiresAny is set when a comment says the caller must hold a lock
	// that could not be resolved to a mutex.
	RequiresAny bool
	// Owns lists the pointer parameters whose synchronization the function
	// leaves to its callers (FuncInfo.CallerOwns): importers' calls of it
	// are checked (lockflow's LocksFact says with which guard).
	Owns []int
}

// A Callback is a function-typed parameter called with locks held.
type Callback struct {
	Param int
	Held  []RelLock
}

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

func (s *Summary) String() string {
	return fmt.Sprintf("acquires%v releases%v requires%v", s.Acquires, s.Releases, s.Requires)
}

// Empty reports whether the summary says nothing.
func (s *Summary) Empty() bool {
	return s == nil || (len(s.Acquires) == 0 && len(s.Releases) == 0 && len(s.AcquiresOnSuccess) == 0 && len(s.Requires) == 0 && len(s.Callbacks) == 0 && len(s.Goes) == 0 && len(s.Stores) == 0 && len(s.Owns) == 0 && !s.RequiresAny)
}

// CallArgs returns the argument expressions of a call aligned with the
// callee's parameters, the receiver first for method calls.
func CallArgs(info *types.Info, call *ast.CallExpr) []ast.Expr {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			return append([]ast.Expr{sel.X}, call.Args...)
		}
	}
	return call.Args
}

// promotedPath returns the implicit embedded fields through which a method
// call reaches its receiver (".Base" for d.lock() declared on Base), or "".
func promotedPath(info *types.Info, call *ast.CallExpr) string {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal || len(s.Index()) < 2 {
		return ""
	}
	var b strings.Builder
	writeEmbedded(&b, s.Recv(), s.Index()[:len(s.Index())-1])
	return b.String()
}

// Params returns a function's parameters, the receiver first.
func Params(fn *types.Func) []*types.Var {
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return nil
	}
	var out []*types.Var
	if sig.Recv() != nil {
		out = append(out, sig.Recv())
	}
	for i := 0; i < sig.Params().Len(); i++ {
		out = append(out, sig.Params().At(i))
	}
	return out
}

// ToCaller maps a callee-relative lock onto the caller's keys at a call.
func ToCaller(info *types.Info, call *ast.CallExpr, r RelLock, lookupVar func(pkg, name string) *types.Var) (Key, bool) {
	if r.Param < 0 {
		v := lookupVar(r.Pkg, r.Var)
		if v == nil {
			return Key{}, false
		}
		return Key{Root: v, Path: r.Path}, true
	}
	args := CallArgs(info, call)
	if r.Param >= len(args) {
		return Key{}, false
	}
	base, ok := PathOf(info, args[r.Param])
	if !ok {
		return Key{}, false
	}
	if r.Param == 0 {
		base = base.Child(promotedPath(info, call)) // d.lock() declared on an embedded Base
	}
	if r.Path == "" {
		// a value passed as a sync.Locker locks its (embedded) mutex
		base = base.Child(lockerPath(info.TypeOf(args[r.Param])))
	}
	return base.Child(r.Path), true
}

// lockerPath returns the field path to the mutex whose Lock method a value
// of type t promotes ("" if t is a mutex or an interface).
func lockerPath(t types.Type) string {
	if t == nil || IsMutexType(t) {
		return ""
	}
	if _, ok := t.Underlying().(*types.Interface); ok {
		return ""
	}
	obj, index, _ := types.LookupFieldOrMethod(t, true, nil, "Lock")
	fn, ok := obj.(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" || len(index) < 2 {
		return ""
	}
	var b strings.Builder
	writeEmbedded(&b, t, index[:len(index)-1])
	return b.String()
}

// ToCallee maps a caller's lock onto the callee's parameters, if it is
// reachable from one of the arguments or is a package-level variable.
func ToCallee(info *types.Info, call *ast.CallExpr, k Key, mode Mode) (RelLock, bool) {
	if v, ok := k.Root.(*types.Var); ok && isPackageLevel(v) {
		return RelLock{Param: -1, Pkg: v.Pkg().Path(), Var: v.Name(), Path: k.Path, Mode: mode}, true
	}
	for i, a := range CallArgs(info, call) {
		base, ok := PathOf(info, a)
		if !ok || base.Root != k.Root {
			continue
		}
		if i == 0 {
			base = base.Child(promotedPath(info, call))
		}
		if k.Path == base.Path || strings.HasPrefix(k.Path, base.Path+".") {
			return RelLock{Param: i, Path: k.Path[len(base.Path):], Mode: mode}, true
		}
	}
	return RelLock{}, false
}

// FromParams maps a relative lock onto a function's own parameter keys.
func FromParams(params []*types.Var, r RelLock, lookupVar func(pkg, name string) *types.Var) (Key, bool) {
	if r.Param < 0 {
		v := lookupVar(r.Pkg, r.Var)
		if v == nil {
			return Key{}, false
		}
		return Key{Root: v, Path: r.Path}, true
	}
	if r.Param >= len(params) || params[r.Param] == nil {
		return Key{}, false
	}
	return Key{Root: params[r.Param], Path: r.Path}, true
}

// ToRel maps one of a function's own keys to a relative lock.
func ToRel(params []*types.Var, k Key, mode Mode) (RelLock, bool) {
	if v, ok := k.Root.(*types.Var); ok && isPackageLevel(v) {
		return RelLock{Param: -1, Pkg: v.Pkg().Path(), Var: v.Name(), Path: k.Path, Mode: mode}, true
	}
	for i, p := range params {
		if p != nil && p == k.Root {
			return RelLock{Param: i, Path: k.Path, Mode: mode}, true
		}
	}
	return RelLock{}, false
}

func isPackageLevel(v *types.Var) bool {
	return v.Pkg() != nil && !v.IsField() && v.Parent() == v.Pkg().Scope()
}

// IsPackageLevel reports whether v is a package-level variable.
func IsPackageLevel(v *types.Var) bool { return isPackageLevel(v) }

// SortRel sorts relative locks deterministically.
func SortRel(rs []RelLock) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].String() < rs[j].String() })
}
