package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"
)

// AccessKind says how an access uses the value.
type AccessKind uint8

const (
	Read AccessKind = iota
	Write
)

// An Access is one use of a field or package variable that may be guarded.
type Access struct {
	Obj     *types.Var // the field (its generic origin) or package variable
	Base    Key        // access path of the base (for fields); Base.Root == nil if not a path
	HasBase bool       // Obj is a field and Base is valid
	Expr    ast.Expr   // the selector or identifier
	Kind    AccessKind
	Verb    string   // "read", "written", "ranged over", "deleted from", ...
	Held    State    // locks held before the access
	Ctx     *Context // concurrency context
	Func    *FuncInfo
	Local   bool // the base is a value allocated in this function (not yet shared)
	Atomic  bool // used as the operand of a sync/atomic call
	// BeyondEntry: in a helper whose callers hold a lock (*Locked, "must
	// be held"), the access is to an object the locked one points to
	// (c.r.hasByte holding c.mu): its callers' business, neither evidence
	// nor judged.
	BeyondEntry bool
}

// Pos returns the position of the access.
func (a *Access) Pos() token.Pos { return a.Expr.Pos() }

// InLazyInit reports whether a is made by a lazy initializer (FuncInfo.
// LazyInit) itself, on its own goroutine: not in a goroutine it starts or
// a closure it stores, which run after the initialization, as often as
// they like.
func (a *Access) InLazyInit() bool {
	return a.Func.LazyInit && !a.Ctx.Inside(CtxGoroutine) && !a.Ctx.Inside(CtxUnknown)
}

// ClassifyAccess decides whether the expression at the top of stack (e) is
// read or written, from its syntactic context.
func ClassifyAccess(info *types.Info, e ast.Expr, stack []ast.Node) (AccessKind, string, bool) {
	child := ast.Node(e)
	written := false // a write to the value itself or an element of it
	atomic := false
	for i := len(stack) - 1; i >= 0; i-- {
		p := stack[i]
		switch p := p.(type) {
		case *ast.ParenExpr:
			child = p
			continue
		case *ast.IndexExpr:
			if p.X != child {
				return Read, "read", false
			}
			// element of a map, slice or array: storing an element writes
			// the collection (a write through a pointer element is caught
			// by the selector case above it)
			written = true
			child = p
			continue
		case *ast.SelectorExpr:
			if p.X != child {
				return Read, "read", false
			}
			if s, ok := info.Selections[p]; ok && s.Kind() == types.MethodVal {
				// method call on the value
				if isMutator(s.Obj()) {
					return Write, "modified", false
				}
				return Read, "read", false
			}
			// field of a struct value: writing it writes the whole value,
			// unless the base is a pointer.
			if isPointerLike(info.TypeOf(child.(ast.Expr))) {
				return Read, "read", false
			}
			written = true
			child = p
			continue
		case *ast.StarExpr:
			return Read, "read", false
		case *ast.UnaryExpr:
			if p.Op == token.AND {
				// &x: passed to sync/atomic, or address taken
				if i > 0 {
					if call, ok := stack[i-1].(*ast.CallExpr); ok {
						if len(call.Args) > 0 && call.Args[0] == p && modifiesArg(info, call) {
							return Write, "modified", false // heap.Push(&r.q, x)
						}
						if fillsArg(info, call, p) {
							return Write, "written", false // json.Unmarshal(data, &r.cfg)
						}
						if fn := Callee(info, call); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "sync/atomic" {
							atomic = true
						}
					}
				}
				return Read, "read", atomic
			}
			return Read, "read", false
		case *ast.AssignStmt:
			for _, l := range p.Lhs {
				if l == child {
					if written {
						return Write, "written", false
					}
					return Write, "written", false
				}
			}
			return Read, "read", false
		case *ast.IncDecStmt:
			return Write, "written", false
		case *ast.RangeStmt:
			if p.X == child && !written {
				return Read, "ranged over", false
			}
			if p.Key == child || p.Value == child {
				return Write, "written", false
			}
			return Read, "read", false
		case *ast.CallExpr:
			if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && len(p.Args) > 0 && p.Args[0] == child {
				if b, ok := info.Uses[id].(*types.Builtin); ok {
					switch b.Name() {
					case "delete":
						return Write, "deleted from", false
					case "clear":
						return Write, "cleared", false
					case "copy":
						return Write, "copied into", false
					case "len", "cap":
						return Read, "read (" + b.Name() + ")", false
					}
				}
			}
			if len(p.Args) > 0 && p.Args[0] == child && modifiesArg(info, p) {
				if _, ptr := info.TypeOf(child.(ast.Expr)).Underlying().(*types.Pointer); ptr {
					// heap.Fix(h.data, i): the pointee is modified, not
					// the field holding the pointer
					return Read, "read", false
				}
				return Write, "modified", false
			}
			return Read, "read", false
		case *ast.ExprStmt, *ast.ReturnStmt, *ast.SendStmt, *ast.ValueSpec, *ast.KeyValueExpr, *ast.CompositeLit,
			*ast.BinaryExpr, *ast.SliceExpr, *ast.TypeAssertExpr, *ast.IfStmt, *ast.SwitchStmt, *ast.CaseClause:
			if written {
				return Read, "read", false
			}
			return Read, "read", false
		default:
			return Read, "read", false
		}
	}
	return Read, "read", false
}

// modifiesArg reports whether call is to a library function known to
// modify the contents of its first argument.
func modifiesArg(info *types.Info, call *ast.CallExpr) bool {
	fn := Callee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() + "." + fn.Name() {
	case "container/heap.Push", "container/heap.Pop", "container/heap.Remove", "container/heap.Fix", "container/heap.Init",
		"sort.Sort", "sort.Stable", "sort.Slice", "sort.SliceStable", "sort.Strings", "sort.Ints",
		"slices.Sort", "slices.SortFunc", "slices.SortStableFunc", "slices.Reverse", "maps.DeleteFunc":
		return true
	}
	return false
}

// fillers are the standard library functions that store into the variables
// their pointer arguments point to (decoders, scanners), with the index of
// the first such argument; for the variadic ones (fmt.Sscan, Rows.Scan)
// every argument from there on.
var fillers = map[string]int{
	"encoding/json.Unmarshal":            1,
	"encoding/json.Decoder.Decode":       0,
	"encoding/xml.Unmarshal":             1,
	"encoding/xml.Decoder.Decode":        0,
	"encoding/xml.Decoder.DecodeElement": 0,
	"encoding/gob.Decoder.Decode":        0,
	"encoding/asn1.Unmarshal":            1,
	"encoding/asn1.UnmarshalWithParams":  1,
	"encoding/binary.Read":               2,
	"encoding/binary.Decode":             2,
	"errors.As":                          1,
	"fmt.Scan":                           0,
	"fmt.Scanln":                         0,
	"fmt.Scanf":                          1,
	"fmt.Sscan":                          1,
	"fmt.Sscanln":                        1,
	"fmt.Sscanf":                         2,
	"fmt.Fscan":                          1,
	"fmt.Fscanln":                        1,
	"fmt.Fscanf":                         2,
	"database/sql.Row.Scan":              0,
	"database/sql.Rows.Scan":             0,
}

// fillsArg reports whether call is to a standard library function that
// stores through its argument arg, the address of a variable (&r.cfg for
// json.Unmarshal): taking the address for it writes the variable. An
// address passed to any other function (whose use of it is not known) is
// not a write.
func fillsArg(info *types.Info, call *ast.CallExpr, arg ast.Expr) bool {
	fn := Callee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	name := fn.Pkg().Path() + "."
	if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
		n, ok := types.Unalias(deref(recv.Type())).(*types.Named)
		if !ok {
			return false
		}
		name += n.Obj().Name() + "."
	}
	first, ok := fillers[name+fn.Name()]
	if !ok {
		return false
	}
	variadic := fn.Type().(*types.Signature).Variadic()
	for i, a := range call.Args {
		if a == arg && (i == first || variadic && i > first) {
			return true
		}
	}
	return false
}

func isPointerLike(t types.Type) bool {
	if t == nil {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Slice, *types.Chan, *types.Interface, *types.Signature:
		return true
	}
	return false
}

// isMutator reports whether a method is known to modify its receiver's
// contents (container/list, bytes.Buffer, strings.Builder).
func isMutator(obj types.Object) bool {
	fn, ok := obj.(*types.Func)
	if !ok || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "container/list":
		switch fn.Name() {
		case "PushBack", "PushFront", "PushBackList", "PushFrontList", "Remove", "InsertBefore", "InsertAfter",
			"MoveToFront", "MoveToBack", "MoveBefore", "MoveAfter", "Init":
			return true
		}
	case "container/ring":
		switch fn.Name() {
		case "Link", "Unlink":
			return true
		}
	case "bytes", "strings":
		switch fn.Name() {
		case "Write", "WriteString", "WriteByte", "WriteRune", "Reset", "Grow", "Truncate", "ReadFrom":
			return true
		}
	}
	return false
}
