package unguarded

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/astutil"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Addresses handed to a locking callee (FP87): c.setDeadline(&c.rTimer, d)
// reads nothing of rTimer; it hands its address to setDeadline, which locks
// c.mux before dereferencing it. &x.f passed as an argument of a call of a
// function of this package is not an access when the callee uses that
// parameter only through dereferences (FuncInfo.ParamDerefs), with the
// guard, mapped onto the call's arguments, held at each of them
// (exclusively if one of them writes through it). A callee that stores,
// passes on or captures the pointer, touches it without the guard, or is
// not known (another package's, a function value, an interface method)
// leaves the access reported.

// lockArgs answers, per package, whether an access hands its field's
// address to such a callee.
type lockArgs struct {
	info  *types.Info
	pkg   *types.Package
	funcs map[*types.Func]*ls.FuncInfo
}

func newLockArgs(info *types.Info, pkg *types.Package, funcs []*ls.FuncInfo) *lockArgs {
	la := &lockArgs{info: info, pkg: pkg, funcs: map[*types.Func]*ls.FuncInfo{}}
	for _, fi := range funcs {
		la.funcs[fi.Obj] = fi
	}
	return la
}

// handedOver reports whether the read a, its guard's key being key, is the
// operand of &x.f passed to a callee that dereferences it only with the
// guard held.
func (la *lockArgs) handedOver(a *ls.Access, key ls.Key) bool {
	if a.Kind != ls.Read || a.Func.File == nil {
		return false
	}
	path, _ := astutil.PathEnclosingInterval(a.Func.File, a.Expr.Pos(), a.Expr.End())
	// path[0] is the access (or an inner node at the same interval)
	i := 0
	for i < len(path) && path[i] != ast.Node(a.Expr) {
		i++
	}
	i++
	for i < len(path) {
		if _, ok := path[i].(*ast.ParenExpr); !ok {
			break
		}
		i++
	}
	if i >= len(path) {
		return false
	}
	addr, ok := path[i].(*ast.UnaryExpr)
	if !ok || addr.Op != token.AND {
		return false
	}
	arg := ast.Node(addr)
	for i++; i < len(path); i++ {
		if _, ok := path[i].(*ast.ParenExpr); !ok {
			break
		}
		arg = path[i]
	}
	if i >= len(path) {
		return false
	}
	call, ok := path[i].(*ast.CallExpr)
	if !ok || call.Fun == arg {
		return false
	}
	fn := ls.Callee(la.info, call)
	if fn == nil {
		return false
	}
	callee := la.funcs[fn.Origin()]
	if callee == nil || callee.ParamDerefs == nil {
		return false
	}
	args := ls.CallArgs(la.info, call)
	param := -1
	for j, x := range args {
		if x == arg {
			param = j
		}
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || param < 0 || param >= len(callee.Params) || (sig.Variadic() && param >= len(callee.Params)-1) {
		return false
	}
	d := callee.ParamDerefs[param]
	if d == nil {
		return false
	}
	for _, r := range d.Held {
		if d.Writes && r.Mode != ls.Exclusive {
			continue
		}
		if k, ok := ls.ToCaller(la.info, call, r, la.lookupVar); ok && k == key {
			return true
		}
	}
	return false
}

func (la *lockArgs) lookupVar(pkg, name string) *types.Var {
	if pkg != la.pkg.Path() {
		return nil
	}
	v, _ := la.pkg.Scope().Lookup(name).(*types.Var)
	return v
}
