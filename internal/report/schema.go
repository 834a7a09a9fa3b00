// Package report renders regaudit's review of registries ("regaudit
// -report=md|json"): for every registry found (analyzer/registry), a review
// shaped like a human audit — the collections and the mutexes guarding
// them, with how each guard was established; every operation with whether
// each access holds the guard, with line numbers; the validations present
// or missing (nil, duplicate); resource management (ownership, cleanup
// path, reset); the findings of the check families with their IDs; and a
// conclusion. Everything is derived from the model; nothing is templated.
//
// The JSON form is the Report type below, marshalled with encoding/json;
// its doc comments are the schema (docs/report-schema.md summarises it).
package report

// Report is the review of the registries of the analysed packages.
type Report struct {
	Tool     string     `json:"tool"`    // always "regaudit"
	Version  int        `json:"version"` // schema version, currently 1
	Packages []*Package `json:"packages"`
}

// Package is the review of one package.
type Package struct {
	Path       string      `json:"path"` // import path
	Registries []*Registry `json:"registries"`
	// Findings are the package's findings not located in a registry.
	Findings []Finding `json:"findings"`
}

// Registry is the review of one registry: a struct type, or a package
// whose package-level variables hold the collections.
type Registry struct {
	Name        string        `json:"name"` // type name, or "package <name>"
	Kind        string        `json:"kind"` // "type" or "package"
	Pos         Pos           `json:"pos"`
	Collections []Collection  `json:"collections"`
	Operations  []Operation   `json:"operations"`
	Validations []Validation  `json:"validations"`
	Resources   []Resource    `json:"resources"`
	Goroutines  []Goroutine   `json:"goroutines"`
	Findings    []Finding     `json:"findings"`
	Conclusion  Conclusion    `json:"conclusion"`
	Locking     LockingStatus `json:"locking"`
}

// Pos is a source position: file base name and line.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Collection is a guarded map, slice, array or container/list.
type Collection struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`  // "map", "slice", "array", "list"
	Type  string `json:"type"`  // the declared type, package-qualified relative to the registry's package
	Entry string `json:"entry"` // the entry type (map value, or key of a set-like map)
	Pos   Pos    `json:"pos"`
	Guard Guard  `json:"guard"`
}

// Guard is the mutex guarding a collection and how that was established.
type Guard struct {
	Mutex string `json:"mutex"` // as written, e.g. "mu" or "driversMu"
	RW    bool   `json:"rw"`    // a sync.RWMutex
	// Source is "explicit comment" (on the field), "mutex comment" (the Go
	// convention "mu guards the following"), "inferred from use" or
	// "imported fact".
	Source    string `json:"source"`
	Evidence  string `json:"evidence"`  // e.g. "held at 9 of 9 accesses, e.g. lines 47, 52, 59"
	WriteOnly bool   `json:"writeOnly"` // only writes need the guard
}

// Operation is a function or method touching a registry's collections.
type Operation struct {
	Name string `json:"name"` // "Type.Method" or "Func"
	Pos  Pos    `json:"pos"`
	// Roles: "add", "remove", "lookup", "list", "cleanup", "populate",
	// "construct" (accesses on a value allocated in the function); empty
	// for other uses (e.g. len).
	Roles    []string `json:"roles"`
	Accesses []Access `json:"accesses"`
	// Guarded is true when every access in concurrent code holds the guard.
	Guarded bool `json:"guarded"`
	// Concurrent is false when no access is in concurrent code (a
	// constructor, init, a *Locked helper); NotConcurrent says why.
	Concurrent    bool   `json:"concurrent"`
	NotConcurrent string `json:"notConcurrent,omitempty"`
}

// Access is one access to a collection.
type Access struct {
	Collection string `json:"collection"`
	Line       int    `json:"line"`
	Verb       string `json:"verb"` // "read", "written", "ranged over", "deleted from", ...
	Held       bool   `json:"held"` // the guard is held on every path
	// Mode is "write" or "read" (RLock) when held.
	Mode string `json:"mode,omitempty"`
	// LockedAt is the line where the guard was acquired (0 if held on entry
	// or not held).
	LockedAt int `json:"lockedAt,omitempty"`
	// Note explains accesses outside concurrent code, or the other mutexes
	// held instead of the guard.
	Note string `json:"note,omitempty"`
}

// Validation is what a storing operation checks before storing.
type Validation struct {
	Operation  string `json:"operation"`
	Collection string `json:"collection"`
	Line       int    `json:"line"`  // the store
	Store      string `json:"store"` // e.g. "b appended", "d stored under name", "bulk append"
	Nil        Check  `json:"nil"`
	Duplicate  Check  `json:"duplicate"`
}

// Check is one validation.
type Check struct {
	// Status is "present", "missing" or "not applicable".
	Status string `json:"status"`
	Line   int    `json:"line,omitempty"` // where the check is made
	Note   string `json:"note,omitempty"` // e.g. "documented as replacing", "value is not a caller's"
}

// Resource is the lifecycle of a collection's entries.
type Resource struct {
	Collection string `json:"collection"`
	Entry      string `json:"entry"`
	Releasable bool   `json:"releasable"`
	Release    string `json:"release,omitempty"` // the release method, "call" (cancel funcs) or "close" (channels)
	Owned      bool   `json:"owned"`
	Ownership  string `json:"ownership"` // why owned, or "values handed in by callers"
	Created    []Site `json:"created"`   // where the registry creates entries
	Cleanup    []Step `json:"cleanup"`   // cleanup operations touching the collection
	Removals   []Step `json:"removals"`  // removals and how the removed entry is accounted for
	Releases   []Site `json:"releases"`  // every release of an entry
	Resets     []Site `json:"resets"`    // every reset of the collection
}

// Site is a line with what happens there.
type Site struct {
	Line int    `json:"line"`
	What string `json:"what"`
	In   string `json:"in,omitempty"` // the operation
}

// Step is a cleanup or removal operation's treatment of a collection.
type Step struct {
	Operation string `json:"operation"`
	Line      int    `json:"line"`
	Releases  int    `json:"releases,omitempty"` // line of the release (possibly through a helper)
	// EveryEntry is set when the release runs for every entry of a loop
	// (not under a condition or in a goroutine).
	EveryEntry bool   `json:"everyEntry,omitempty"`
	Resets     int    `json:"resets,omitempty"` // line of the reset
	Guarded    bool   `json:"guarded"`          // every access holds the guard
	Note       string `json:"note,omitempty"`
}

// Goroutine is a background goroutine started by the registry.
type Goroutine struct {
	StartedIn string `json:"startedIn"`
	Line      int    `json:"line"`
	WaitsOn   string `json:"waitsOn"` // the stop channel or context field
	StoppedBy string `json:"stoppedBy,omitempty"`
}

// Finding is a diagnostic of a check family.
type Finding struct {
	ID       string `json:"id"`       // e.g. "RA1001"
	Name     string `json:"name"`     // e.g. "unguarded-read"
	Severity string `json:"severity"` // "error", "warning", "note"
	Pos      Pos    `json:"pos"`
	Message  string `json:"message"`
}

// LockingStatus summarises the lock discipline of the registry.
type LockingStatus struct {
	Accesses  int   `json:"accesses"`  // accesses in concurrent code
	Guarded   int   `json:"guarded"`   // of which hold the guard
	Unguarded []int `json:"unguarded"` // lines of the others
}

// Conclusion is the verdict.
type Conclusion struct {
	// Verdict is "no findings" or "findings".
	Verdict string `json:"verdict"`
	// Points are the statements the verdict rests on, each derived from
	// the sections above.
	Points []string `json:"points"`
}
