package lockstate

import "go/types"

// An API tells which functions and methods of a package other packages
// can call statically, and so which of them need facts: exported
// functions, and exported methods of the named types that other packages
// can reach. A method of an unexported type can be the static callee of a
// call in another package only if a value of the type comes out of the
// package's exported API: an exported function, method, variable or field
// of that type (or built from it: *T, []T, func() T, Box[T]...), an alias,
// or an embedded field (exported or not) of a reachable struct, whose
// methods are promoted (testing.T embeds the unexported common).
type API struct {
	pkg       *types.Package
	reachable map[*types.TypeName]bool // nil until needed
}

// NewAPI returns the API of pkg; the types it reaches are computed on the
// first question about a method of an unexported type.
func NewAPI(pkg *types.Package) *API { return &API{pkg: pkg} }

// Callable reports whether fn (a function or method declared in the
// package) can be the static callee of a call in another package.
func (api *API) Callable(fn *types.Func) bool {
	if !fn.Exported() {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return true
	}
	t := types.Unalias(recv.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok {
		return true // cannot tell
	}
	obj := n.Origin().Obj()
	if obj.Exported() || obj.Pkg() != api.pkg {
		return true
	}
	if api.reachable == nil {
		api.reach()
	}
	return api.reachable[obj]
}

// reach computes the package's named types reachable from its exported
// API.
func (api *API) reach() {
	api.reachable = map[*types.TypeName]bool{}
	seen := map[types.Type]bool{}
	var visit func(t types.Type)
	visitTuple := func(tu *types.Tuple) {
		for i := 0; i < tu.Len(); i++ {
			visit(tu.At(i).Type())
		}
	}
	visit = func(t types.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Alias:
			visit(types.Unalias(t))
			if ta := t.TypeArgs(); ta != nil {
				for i := 0; i < ta.Len(); i++ {
					visit(ta.At(i))
				}
			}
		case *types.Named:
			if ta := t.TypeArgs(); ta != nil {
				for i := 0; i < ta.Len(); i++ {
					visit(ta.At(i))
				}
			}
			obj := t.Obj()
			if obj.Pkg() != api.pkg && t.TypeArgs() == nil {
				return // another package's type: reaches none of ours
			}
			if obj.Pkg() == api.pkg {
				api.reachable[t.Origin().Obj()] = true
			}
			visit(t.Underlying())
			for i := 0; i < t.NumMethods(); i++ {
				if m := t.Method(i); m.Exported() {
					visit(m.Type())
				}
			}
		case *types.Pointer:
			visit(t.Elem())
		case *types.Slice:
			visit(t.Elem())
		case *types.Array:
			visit(t.Elem())
		case *types.Map:
			visit(t.Key())
			visit(t.Elem())
		case *types.Chan:
			visit(t.Elem())
		case *types.Signature:
			if tp := t.TypeParams(); tp != nil {
				for i := 0; i < tp.Len(); i++ {
					visit(tp.At(i).Constraint())
				}
			}
			visitTuple(t.Params())
			visitTuple(t.Results())
		case *types.Struct:
			for i := 0; i < t.NumFields(); i++ {
				if f := t.Field(i); f.Exported() || f.Embedded() {
					visit(f.Type())
				}
			}
		case *types.Interface:
			for i := 0; i < t.NumExplicitMethods(); i++ {
				visit(t.ExplicitMethod(i).Type())
			}
			for i := 0; i < t.NumEmbeddeds(); i++ {
				visit(t.EmbeddedType(i))
			}
		case *types.Union:
			for i := 0; i < t.Len(); i++ {
				visit(t.Term(i).Type())
			}
		case *types.TypeParam:
			visit(t.Constraint())
		}
	}
	scope := api.pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch obj := obj.(type) {
		case *types.TypeName:
			visit(obj.Type())
		case *types.Func, *types.Var, *types.Const:
			visit(obj.Type())
		}
	}
}
