package lockflow

import (
	"go/ast"
	"go/types"

	"github.com/regaudit/regaudit/analyzer/lockstate"
	"github.com/regaudit/regaudit/internal/checks"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// An OwnedParam is a parameter whose guarded fields a package-level
// function accesses without their guard, leaving the synchronization to
// its callers (lockstate's FuncInfo.CallerOwns): each caller passes a value
// it has not shared yet or holds the guard.
type OwnedParam struct {
	Lock  ls.RelLock // the guard, from the parameter
	Name  string     // the parameter's name
	Field string     // a field accessed through it
	Verb  string     // "writes" or "reads"
	Guard string     // the guard's name, as the field's evidence gives it
}

// ownedParams fills in the Owns of the functions whose callers own a
// parameter, from the guards of the fields they access through it.
func (c *checker) ownedParams() {
	any := false
	for _, fi := range c.res.Funcs {
		if len(fi.CallerOwns) > 0 {
			any = true
			break
		}
	}
	if !any {
		return
	}
	for _, a := range c.res.Accesses {
		fi := a.Func
		if len(fi.CallerOwns) == 0 || !a.HasBase || a.Atomic {
			continue
		}
		g := c.model.Guards[a.Obj]
		if g == nil || !g.Reportable() || (g.WriteOnly && a.Kind != ls.Write) {
			continue
		}
		key, ok := g.KeyAt(a)
		if !ok {
			continue
		}
		mode, verb := ls.Shared, "reads"
		if a.Kind == ls.Write {
			mode, verb = ls.Exclusive, "writes"
		}
		r, ok := ls.ToRel(fi.Params, key, mode)
		if !ok || !owns(fi, r.Param) {
			continue
		}
		f := c.facts[fi.Obj]
		found := false
		for i := range f.Owns {
			o := &f.Owns[i]
			if o.Lock.Param == r.Param && o.Lock.Path == r.Path {
				found = true
				if mode == ls.Exclusive && o.Lock.Mode != ls.Exclusive {
					o.Lock.Mode, o.Field, o.Verb = mode, a.Obj.Name(), verb
				}
			}
		}
		if !found {
			f.Owns = append(f.Owns, OwnedParam{Lock: r, Name: fi.Params[r.Param].Name(), Field: a.Obj.Name(), Verb: verb, Guard: g.MutexName()})
		}
	}
}

func owns(fi *ls.FuncInfo, param int) bool {
	for _, i := range fi.CallerOwns {
		if i == param {
			return true
		}
	}
	return false
}

// owned reports calls of a function that leaves a parameter's
// synchronization to its callers, made with a value that may be shared
// (not allocated by the caller, or already stored, sent or handed to a
// goroutine) without holding its guard (RA2007).
func (c *checker) owned(ce *lockstate.CallEvent, f *LocksFact, fn *types.Func, info *types.Info) {
	fi := ce.Func
	if len(f.Owns) == 0 || fi.Test || (fi.NotConcurrent != "" && fi.EntryWhy != "declared") {
		return
	}
	if ce.Ctx.Inside(ls.CtxOnce) || c.lockedCallback(ce.Ctx) {
		return
	}
	args := ls.CallArgs(info, ce.Call)
	for _, o := range f.Owns {
		if o.Lock.Param >= len(args) {
			continue
		}
		if c.unshared(fi, args[o.Lock.Param], ce) {
			continue
		}
		k, ok := ls.ToCaller(info, ce.Call, o.Lock, c.lookupVar)
		if !ok {
			continue
		}
		h, held := ce.Before.Lookup(k)
		if held && h.Must {
			continue
		}
		if sameFieldHeld(ce.Before, k) || c.releasedByCaller(fi, k) || !c.entryPoint(fi, k) {
			continue
		}
		why := "it " + o.Verb + " its parameter " + o.Name + "'s " + o.Field + ", guarded by " + o.Guard + ", without locking it; pass a value not yet shared"
		if held {
			c.report(checks.RequiredLockMissing, ce.Call.Pos(), ce.Call.End(),
				"calls %s with %s held on some paths only, but %s requires it (%s)",
				callName(ce.Call), k, fn.Name(), why)
		} else {
			c.report(checks.RequiredLockMissing, ce.Call.Pos(), ce.Call.End(),
				"calls %s without holding %s, which %s requires (%s)",
				callName(ce.Call), k, fn.Name(), why)
		}
		return
	}
}

// unshared reports whether arg is a variable holding a value the caller
// allocated (or owns, as a parameter of its own left to its callers), made
// on the caller's own goroutine, that it has not shared before the call:
// not stored in a field, element or package variable, put in a composite
// literal, sent on a channel or used by a go statement, before the call or
// in a loop around it.
func (c *checker) unshared(fi *ls.FuncInfo, arg ast.Expr, ce *lockstate.CallEvent) bool {
	info := c.pass.TypesInfo
	id, ok := ast.Unparen(arg).(*ast.Ident)
	if !ok {
		return false
	}
	v := info.Uses[id]
	if v == nil || !(fi.Locals[v] || fromConstructor(info, fi.Decl.Body, v)) || ce.Ctx.Inside(ls.CtxGoroutine) {
		return false
	}
	call := ce.Call
	var loops []ast.Node // the loops around the call
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Pos() <= call.Pos() && call.End() <= n.End() {
				loops = append(loops, n)
			}
		}
		return n != nil && n.Pos() <= call.Pos()
	})
	// uses reports a use of v in n made before the call (or in a loop
	// around it), outside the call itself
	uses := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(m ast.Node) bool {
			id, ok := m.(*ast.Ident)
			if found || !ok || info.Uses[id] != v || (call.Pos() <= id.Pos() && id.End() <= call.End()) {
				return !found
			}
			if id.Pos() < call.Pos() {
				found = true
			}
			for _, l := range loops {
				if l.Pos() <= id.Pos() && id.End() <= l.End() {
					found = true
				}
			}
			return !found
		})
		return found
	}
	shared := false
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if !c.localVar(l) {
					for _, r := range n.Rhs {
						shared = shared || uses(r)
					}
					break
				}
			}
		case *ast.CompositeLit:
			for _, e := range n.Elts {
				shared = shared || uses(e)
			}
		case *ast.SendStmt:
			shared = shared || uses(n.Value)
		case *ast.GoStmt:
			shared = shared || uses(n.Call)
		}
		return !shared
	})
	return !shared
}

// localVar reports whether e is a variable local to a function.
func (c *checker) localVar(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	if id.Name == "_" {
		return true
	}
	obj := c.pass.TypesInfo.ObjectOf(id)
	v, ok := obj.(*types.Var)
	return ok && !ls.IsPackageLevel(v)
}

// fromConstructor reports whether v is the first variable of the one
// assignment of a body that defines it from a constructor returning more
// than one result (c, err := NewCluster(...)).
func fromConstructor(info *types.Info, body *ast.BlockStmt, v types.Object) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if found || !ok {
			return !found
		}
		if len(as.Lhs) > 1 && len(as.Rhs) == 1 {
			if id, ok := as.Lhs[0].(*ast.Ident); ok && info.Defs[id] == v && ls.IsAlloc(info, as.Rhs[0]) {
				found = true
			}
		}
		return !found
	})
	return found
}
