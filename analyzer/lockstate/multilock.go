package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"

	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Helpers that lock several values at once (FP161, go-fuse's inode tree):
//
//	func lockNode2(a, b *Inode) {
//		if a == b {
//			a.mu.Lock()
//		} else { ... a.mu.Lock(); b.mu.Lock() }
//	}
//	func lockNodes(ns ...*Inode) {
//		for _, n := range ns {
//			if n != prev { n.mu.Lock() }
//		}
//	}
//
// In the branch of if a == b (a and b pointers, not assigned in it), a.mu
// is b.mu: locking one locks the other (equalKeys). A function that, in a
// range over a slice parameter, locks (or unlocks) a mutex of the range's
// value and never the other way round locks (unlocks) that mutex of every
// element: a call passing the elements directly, or a slice whose
// elements are known (an array or slice literal, or a slice reset by
// s = append(s[:0], x, ...) earlier in an enclosing block, then only
// appended to), locks (unlocks) the mutex of each (elemEffects).

// equalKeys is the Engine's Equal for fi.
func (a *analysis_) equalKeys(fi *ls.FuncInfo) func(*ast.CallExpr, ls.Key) []ls.Key {
	if f, ok := a.equal[fi]; ok {
		return f
	}
	if a.equal == nil {
		a.equal = map[*ls.FuncInfo]func(*ast.CallExpr, ls.Key) []ls.Key{}
	}
	f := a.computeEqualKeys(fi)
	a.equal[fi] = f
	return f
}

func (a *analysis_) computeEqualKeys(fi *ls.FuncInfo) func(*ast.CallExpr, ls.Key) []ls.Key {
	info := a.pass.TypesInfo
	type pair struct{ x, y ls.Key }
	var eq map[*ast.CallExpr][]pair
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			be, ok := ast.Unparen(n.Cond).(*ast.BinaryExpr)
			if !ok || be.Op != token.EQL {
				return true
			}
			tx, ty := info.TypeOf(be.X), info.TypeOf(be.Y)
			if tx == nil || ty == nil || !types.Identical(tx, ty) {
				return true
			}
			if _, ptr := tx.Underlying().(*types.Pointer); !ptr {
				return true
			}
			kx, okx := ls.PathOf(info, be.X)
			ky, oky := ls.PathOf(info, be.Y)
			if !okx || !oky || kx == ky || assigns(info, n.Body, kx.Root) || assigns(info, n.Body, ky.Root) {
				return true
			}
			ast.Inspect(n.Body, func(m ast.Node) bool {
				switch m := m.(type) {
				case *ast.FuncLit:
					return false
				case *ast.CallExpr:
					if _, _, ok := ls.LockCall(info, m); ok {
						if eq == nil {
							eq = map[*ast.CallExpr][]pair{}
						}
						eq[m] = append(eq[m], pair{kx, ky})
					}
				}
				return true
			})
		}
		return true
	})
	if eq == nil {
		return nil
	}
	return func(call *ast.CallExpr, k ls.Key) []ls.Key {
		var out []ls.Key
		for _, p := range eq[call] {
			if k2, ok := rebase(k, p.x, p.y); ok {
				out = append(out, k2)
			} else if k2, ok := rebase(k, p.y, p.x); ok {
				out = append(out, k2)
			}
		}
		return out
	}
}

// rebase rewrites k, under from, to the same path under to.
func rebase(k, from, to ls.Key) (ls.Key, bool) {
	if k.Root != from.Root || len(k.Path) <= len(from.Path) || k.Path[:len(from.Path)] != from.Path || k.Path[len(from.Path)] != '.' {
		return ls.Key{}, false
	}
	return ls.Key{Root: to.Root, Path: to.Path + k.Path[len(from.Path):]}, true
}

// assigns reports whether n assigns the variable v.
func assigns(info *types.Info, n ast.Node, v types.Object) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if found {
			return false
		}
		var lhs []ast.Expr
		switch m := m.(type) {
		case *ast.AssignStmt:
			lhs = m.Lhs
		case *ast.IncDecStmt:
			lhs = []ast.Expr{m.X}
		case *ast.UnaryExpr:
			if m.Op == token.AND {
				lhs = []ast.Expr{m.X}
			}
		}
		for _, l := range lhs {
			if id, ok := ast.Unparen(l).(*ast.Ident); ok && (info.Uses[id] == v || info.Defs[id] == v) {
				found = true
			}
		}
		return !found
	})
	return found
}

// An elemLock is a lock operation a function performs on a mutex of every
// element of its slice parameter.
type elemLock struct {
	param int    // index into the parameters, the receiver first
	path  string // from the element: ".mu"
	op    ls.Op
}

// elemLocks returns the element lock operations of a local function.
func (a *analysis_) elemLocks(fn *types.Func) []elemLock {
	if a.elems == nil {
		a.elems = map[*types.Func][]elemLock{}
	}
	if e, ok := a.elems[fn]; ok {
		return e
	}
	var out []elemLock
	defer func() { a.elems[fn] = out }()
	fi := a.local[fn]
	if fi == nil || fi.Decl.Body == nil {
		return nil
	}
	info := a.pass.TypesInfo
	paramIdx := map[types.Object]int{}
	for i, p := range fi.Params {
		if p == nil {
			continue
		}
		if _, ok := p.Type().Underlying().(*types.Slice); ok && !assigns(info, fi.Decl.Body, p) {
			paramIdx[p] = i
		}
	}
	if len(paramIdx) == 0 {
		return nil
	}
	// the lock operations on keys rooted at the value of a range over a
	// slice parameter, and any other operation on the same path
	type rk struct {
		v    types.Object
		path string
	}
	found := map[rk]ls.Op{}
	bad := map[rk]bool{}
	rangeParam := map[types.Object]int{}
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.RangeStmt:
			id, ok := n.X.(*ast.Ident)
			if !ok || n.Value == nil {
				return true
			}
			i, ok := paramIdx[info.Uses[id]]
			vid, vok := n.Value.(*ast.Ident)
			if !ok || !vok || info.Defs[vid] == nil || assigns(info, n.Body, info.Defs[vid]) {
				return true
			}
			rangeParam[info.Defs[vid]] = i
		case *ast.CallExpr:
			k, op, ok := ls.LockCall(info, n)
			if !ok {
				return true
			}
			if _, isElem := rangeParam[k.Root]; !isElem || k.Path == "" {
				return true
			}
			x := rk{k.Root, k.Path}
			if prev, seen := found[x]; seen && prev != op || op == ls.OpTryLock || op == ls.OpTryRLock {
				bad[x] = true
			}
			found[x] = op
		}
		return true
	})
	for x, op := range found {
		if !bad[x] {
			out = append(out, elemLock{param: rangeParam[x.v], path: x.path, op: op})
		}
	}
	return out
}

// elemEffects returns the effects at call of a local function's element
// lock operations, on the elements that can be told.
func (a *analysis_) elemEffects(call *ast.CallExpr) []ls.Effect {
	fn := ls.Callee(a.pass.TypesInfo, call)
	if fn == nil || a.local[fn.Origin()] == nil {
		return nil
	}
	els := a.elemLocks(fn.Origin())
	if len(els) == 0 {
		return nil
	}
	info := a.pass.TypesInfo
	args := ls.CallArgs(info, call)
	sig := fn.Type().(*types.Signature)
	var out []ls.Effect
	for _, el := range els {
		var elems []ast.Expr
		switch {
		case el.param >= len(args):
			continue
		case sig.Variadic() && el.param == len(ls.Params(fn))-1 && !call.Ellipsis.IsValid():
			elems = args[el.param:]
		default:
			elems = a.knownElems(call, args[el.param])
		}
		for _, e := range elems {
			if k, ok := ls.PathOf(info, e); ok {
				out = append(out, ls.Effect{Key: k.Child(el.path), Op: el.op})
			}
		}
	}
	return out
}

// knownElems returns the elements of the slice e passed at call that are
// known to be in it: those of an array or slice literal defining the
// local variable e (x[:] of it), never assigned again, or those of the
// last reset x = append(x[:0], a, b) in a block enclosing call, when every
// other assignment of x appends to it.
func (a *analysis_) knownElems(call *ast.CallExpr, e ast.Expr) []ast.Expr {
	info := a.pass.TypesInfo
	e = ast.Unparen(e)
	if se, ok := e.(*ast.SliceExpr); ok && se.Low == nil && se.High == nil {
		e = ast.Unparen(se.X)
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || ls.IsPackageLevel(v) {
		return nil
	}
	fi := a.enclosing(call)
	if fi == nil {
		return nil
	}
	var lit *ast.CompositeLit
	var resets []*ast.AssignStmt
	ok = true
	ast.Inspect(fi.Decl.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if ix, isIndex := ast.Unparen(l).(*ast.IndexExpr); isIndex {
					if x, isID := ast.Unparen(ix.X).(*ast.Ident); isID && info.Uses[x] == v {
						ok = false // lockme[i] = x
					}
				}
				lid, isID := ast.Unparen(l).(*ast.Ident)
				if !isID || (info.Defs[lid] != v && info.Uses[lid] != v) {
					continue
				}
				if len(n.Rhs) != len(n.Lhs) {
					ok = false
					return false
				}
				rhs := ast.Unparen(n.Rhs[i])
				if cl, isLit := rhs.(*ast.CompositeLit); isLit && lit == nil && n.Tok == token.DEFINE {
					lit = cl
					continue
				}
				switch appendOf(info, rhs, v) {
				case "reset":
					resets = append(resets, n)
				case "grow":
				default:
					ok = false
				}
			}
		case *ast.ValueSpec:
			for i, n2 := range n.Names {
				if info.Defs[n2] == v && i < len(n.Values) {
					if cl, isLit := ast.Unparen(n.Values[i]).(*ast.CompositeLit); isLit {
						lit = cl
					} else {
						ok = false
					}
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if x, isID := ast.Unparen(n.X).(*ast.Ident); isID && info.Uses[x] == v {
					ok = false
				}
			}
		}
		return ok
	})
	if !ok {
		return nil
	}
	if lit != nil && len(resets) == 0 {
		for _, el := range lit.Elts {
			if _, kv := el.(*ast.KeyValueExpr); kv {
				return nil
			}
		}
		return lit.Elts
	}
	// the reset that precedes the call in a block enclosing it
	for _, r := range resets {
		if precedesIn(fi.Decl.Body, r, call) {
			return ast.Unparen(r.Rhs[0]).(*ast.CallExpr).Args[1:]
		}
	}
	return nil
}

// appendOf classifies e, assigned to v: "reset" for append(v[:0], ...)
// with no spread, "grow" for append(v, ...), "" otherwise.
func appendOf(info *types.Info, e ast.Expr, v types.Object) string {
	c, ok := e.(*ast.CallExpr)
	if !ok || len(c.Args) == 0 {
		return ""
	}
	if b, isB := info.Uses[identOf(c.Fun)].(*types.Builtin); !isB || b.Name() != "append" {
		return ""
	}
	first := ast.Unparen(c.Args[0])
	if id, isID := first.(*ast.Ident); isID && info.Uses[id] == v {
		return "grow"
	}
	se, isSlice := first.(*ast.SliceExpr)
	if !isSlice || se.High == nil || se.Low != nil || c.Ellipsis.IsValid() {
		return ""
	}
	if id, isID := ast.Unparen(se.X).(*ast.Ident); !isID || info.Uses[id] != v {
		return ""
	}
	if tv, isConst := info.Types[se.High]; !isConst || tv.Value == nil || tv.Value.String() != "0" {
		return ""
	}
	return "reset"
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// precedesIn reports whether stmt is a statement of a block of body, and
// node lies in a later statement of the same block.
func precedesIn(body *ast.BlockStmt, stmt ast.Stmt, node ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		list, ok := ls.StmtList(n)
		if !ok {
			return true
		}
		for i, s := range list {
			if s != stmt {
				continue
			}
			for _, later := range list[i+1:] {
				if later.Pos() <= node.Pos() && node.End() <= later.End() {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// enclosing returns the local function whose body contains n.
func (a *analysis_) enclosing(n ast.Node) *ls.FuncInfo {
	for _, fi := range a.local {
		if fi.Decl.Body != nil && fi.Decl.Body.Pos() <= n.Pos() && n.End() <= fi.Decl.Body.End() {
			return fi
		}
	}
	return nil
}
