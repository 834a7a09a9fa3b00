// Package registry is regaudit's model of registries: struct types (or
// packages) that hold a lock-guarded collection (map, slice, array or
// container/list) together with the operations on it. For every function
// touching a collection it records the roles it plays (add, remove, lookup,
// list, cleanup, populate), each access with the locks held, the
// validations made before a store (nil, duplicate), and the lifecycle of the
// entries: whether the registry owns them (it created them, or its own
// cleanup releases them), where they are released, and whether the
// collection is reset.
//
// The model is built by Build from the guard model of a package (see
// analyzer/guards); analyzer/registry runs it as a pass, analyzer/lifecycle
// derives the RA3xxx checks from it, and internal/report renders it as a
// review.
package registry

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/regaudit/regaudit/analyzer/guards"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// Role is what a function does with a registry's collection.
type Role string

const (
	Add       Role = "add"       // inserts or appends an entry
	Remove    Role = "remove"    // deletes or filters out entries
	Lookup    Role = "lookup"    // indexes or searches the collection for an entry
	List      Role = "list"      // copies entries (or their names) out
	Cleanup   Role = "cleanup"   // a Close/Cleanup/Shutdown/... that ranges over or resets the collection
	Populate  Role = "populate"  // fills the collection in bulk (append of many, a load or refresh)
	Construct Role = "construct" // only accesses on a value allocated here (a constructor)
)

// Model is the registry model of a package.
type Model struct {
	Fset       *token.FileSet
	Pkg        *types.Package
	Guards     *guards.Model
	Registries []*Registry

	states  map[*types.Func]*funcState // state set and tested per local function
	callers map[*types.Func][]calleeAt // call sites of local functions
}

// A Registry is a struct type, or a package, holding guarded collections.
type Registry struct {
	Name        string          // type name, or "package <name>"
	Type        *types.TypeName // nil for a package-level registry
	Pos         token.Pos       // the type's name, or the first collection variable
	Collections []*Collection
	Ops         []*Op        // functions touching the collections, in source order
	Goroutines  []*Goroutine // background goroutines started by the registry
}

// A Collection is a guarded map, slice, array or container/list.
type Collection struct {
	Obj     *types.Var
	Kind    string // "map", "slice", "array", "list"
	Guard   *guards.Guard
	Entry   types.Type // the entry type: map value (key for sets), element
	SetLike bool       // map[K]struct{} or map[K]bool: the keys are the entries
	// KeyEntries is set for maps keyed by releasable values with plain
	// values (map[net.Conn]state): the keys are the entries.
	KeyEntries bool
	// Nested is set for maps of lists of releasable values
	// (map[string][]*conn): the entries are the lists' elements.
	Nested bool

	// Releasable is set when entries have a release method (Close, Stop,
	// Shutdown, Release, ...) or are created as releasable resources.
	Releasable  bool
	ReleaseName string // the release method, "call" for cancel funcs, "close" for channels

	// Ownership.
	Created  []Site // where the registry creates the entries it stores
	Owned    bool
	OwnedWhy string

	Releases []Site // where entries are released (any function)
	// SelfRemoving is set when a method of the entry type removes the entry
	// from the collection (releasing an entry takes it out).
	SelfRemoving bool
	// Handed is set when every value the registry creates for the
	// collection is handed to its owner by the function that stores it,
	// an owner that releases it and takes it out of the collection:
	// returned to the caller when the entry type's own release method
	// takes the entry out (http3's TrackStream returns the stream it
	// tracks, whose Close clears it), or passed to a goroutine of the
	// package that releases it and removes it (miekg/dns's accept loop
	// runs serveTCPConn(rw), which closes rw and deletes it).
	Handed bool

	Resets []Site // where the collection is reset (nil, make, literal, clear, delete in a loop)
	// Uses are places where an entry taken from the collection is called or
	// dereferenced (for the nil validation).
	Uses []Site
	// Shares are the other collections of the registry into which the same
	// created values are stored (the same variable, in the same function):
	// releasing the entries of one releases the entries of the others.
	Shares []*Collection

	stored map[*types.TypeName]bool // the concrete types of the values stored (for interface entries)
}

// A Site is a position with what happens there.
type Site struct {
	Pos  token.Pos
	What string
	Op   *Op // the function it is in (nil if unknown)
	// Every is set, for releases, when the release runs for every entry
	// of a loop (not under a condition, in a goroutine or a closure).
	Every bool
	// Partial is set, for releases, when the release closes a part of the
	// entry (s.writePipe.Close()) that the entry type's own release method
	// does not release: the entry is not released, it is half-closed.
	Partial bool
	// Method is, for a release by a method call (child.stop(true)), the
	// release method (its generic origin).
	Method *types.Func

	coll *Collection // for releases and resets
	stop *types.Var  // for stops: the channel, context or cancel field
	// detach marks a reset that is a removal of released entries (not a
	// reset of the whole collection)
	detach bool
}

// An Op is a function or method that touches a registry's collections.
type Op struct {
	Obj      *types.Func
	Decl     *ast.FuncDecl
	Info     *ls.FuncInfo
	Recv     *Registry // the registry whose method this is, if any
	Roles    []Role
	Accesses []*Access
	Stores   []*Store
	Removes  []*Removal
	Releases []Site // releases of entries made here (directly)
	Resets   []Site // resets made here (directly)
	Stops    []Site // closes of stop channels / calls of cancel fields made here
	Calls    []*Op  // operations of the same registry called here

	// Scoped is set for a cleanup named clear/reset + a qualifier
	// (clearScheduledLeasesCheckpoints) that does not reset every
	// collection of its registry, or close/stop/shutdown + a qualifier on
	// a type with its own Close, Stop or Shutdown (CloseStreams, CloseConn):
	// it resets what it names, it is not the registry's teardown. Scope are the collections the qualifier names
	// (see CleansUp).
	Scoped bool
	Scope  []*Collection
	// Explained is, for a cleanup, a comment in it (or its doc) saying why
	// entries need no release there ("There's no need to shut down
	// SubConns"), see ExplainsNoRelease.
	Explained token.Pos

	// Transitive effects (through Calls): the collections whose entries are
	// released or which are reset, and the stop fields closed.
	ReleasesT map[*Collection]Site
	ResetsT   map[*Collection]Site
	StopsT    map[*types.Var]Site
	ReadsT    map[*Collection]token.Pos // index reads or ranges (for duplicate checks through helpers)
	RangesT   map[*Collection]token.Pos // ranges over the collection

	callees      []calleeAt
	reads        []readAt
	ranges       []*ast.RangeStmt
	returnsEntry bool
	// for methods: releases of parts of the receiver (w.conn.Close()) and
	// removals of the receiver, which make the method an entry's own
	// release when the receiver's type is stored in the collection
	recvReleases []Site
	recvRemoves  []*Removal
	indexReads   int
}

// Has reports whether the op plays role r.
func (o *Op) Has(r Role) bool {
	for _, x := range o.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// TearsDown reports whether o is a cleanup of its whole registry (not a
// clear/reset of one collection, see Scoped).
func (o *Op) TearsDown() bool { return o.Has(Cleanup) && !o.Scoped }

// CleansUp reports whether o is a cleanup of c: a teardown of the
// registry, or a clear/reset whose name names c.
func (o *Op) CleansUp(c *Collection) bool {
	if !o.Has(Cleanup) {
		return false
	}
	if !o.Scoped {
		return true
	}
	for _, x := range o.Scope {
		if x == c {
			return true
		}
	}
	return false
}

// An Access is one access to a collection.
type Access struct {
	Coll       *Collection
	Pos        token.Pos
	Verb       string
	Write      bool
	Held       bool      // the guard is held on every path
	HeldMode   string    // "write" or "read" when held
	LockedAt   token.Pos // where the guard was acquired (NoPos if held on entry)
	Concurrent bool      // in concurrent code (see guards.Concurrent)
	Why        string    // for non-concurrent accesses: why (constructor, init, ...)
	Other      []string
}

// A Store is an insertion into a collection.
type Store struct {
	Coll      *Collection
	Pos       token.Pos
	Key       ast.Expr // map key, nil for appends
	Value     ast.Expr // stored value (nil for bulk appends)
	Bulk      bool     // append(s, xs...) or a bulk copy
	KeyParam  *types.Var
	ValParam  *types.Var // the stored value is this parameter (or built from it, see ValDirect)
	ValDirect bool       // the value is the parameter itself
	Nilable   bool       // the stored value's type can be nil
	DupCheck  token.Pos  // a read of the collection that can detect a duplicate
	// DupCheckUnguarded is set when that read does not hold the guard.
	DupCheckUnguarded bool
	NilCheck          token.Pos // a comparison of the value parameter with nil (or a dereference, see NilFailFast)
	// NilFailFast is set when the "check" is a dereference of the value
	// before the store: a nil panics at registration.
	NilFailFast bool
	Replaces    bool   // the doc comment says the function replaces/overrides
	Created     []Site // the value (or its fields) is a resource created here

	entryObj types.Object // the local variable stored as the entry, if any
}

// A Removal is a delete or filter of a collection.
type Removal struct {
	Coll     *Collection
	Pos      token.Pos
	What     string
	Handled  string    // how the removed entry is accounted for ("" if dropped)
	Released token.Pos // release of the removed entry, if any
	PerEntry bool      // a delete (or list Remove) of each entry in a range over the collection

	key *ast.Ident // the key deleted, when an identifier
}

// A Goroutine is a background goroutine started by a registry.
type Goroutine struct {
	Pos   token.Pos
	Op    *Op
	Stop  *types.Var // the (first) field it waits on (a stop/quit channel, or a context)
	Proof token.Pos  // where it waits
	// Stops are all the fields it waits on; WaitsOnContext is set when it
	// waits on a context's Done (a field or a parameter), which a cancel
	// func field stops.
	Stops          []*types.Var
	WaitsOnContext bool
}
