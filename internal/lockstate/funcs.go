package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/regaudit/regaudit/internal/lazyre"
)

// FuncInfo describes one function declaration.
type FuncInfo struct {
	Decl   *ast.FuncDecl
	Obj    *types.Func
	File   *ast.File
	Params []*types.Var // receiver first
	Test   bool         // declared in a _test.go file

	// NotConcurrent is why accesses in this function are neither evidence
	// nor reported ("" if they are): "init", "a *Locked helper", a doc
	// comment saying the caller holds the lock, "a test file".
	NotConcurrent string
	// RequiresDoc is the doc comment sentence saying a lock must be held,
	// RequiresMatch the phrase in it that says so.
	RequiresDoc   string
	RequiresMatch string
	// CallerLocked is the NotConcurrent reason of a helper whose callers
	// hold a lock (a *Locked name, a "must be held" doc), cleared once that
	// lock is known: its accesses are then judged with the lock held, but
	// are not evidence for inference.
	CallerLocked string

	// LazyInit is set for a method that locks, returns at once if a field
	// of its receiver says the work is done, and otherwise initializes
	// (gosym's parsePclnTab): the fields only it writes are set once, under
	// the lock, and read-only afterwards.
	LazyInit bool

	// Setup is set for methods named as initializers (Start, Init,
	// Setup...) that take no lock themselves: they set the value up
	// before it is used concurrently (etcd's Transport.Start), like a
	// constructor; so is their function form, InitT(x *T, ...). The walk
	// clears it at the first lock operation.
	Setup bool

	// UnknownCallers is set for unexported functions reached only through
	// function values, stored closures or recursion: the locks their
	// callers hold cannot be seen, so their accesses are not judged.
	UnknownCallers bool
	// Uninteresting bodies neither lock, call anything that could, nor
	// touch what a mutex may guard: they are not walked.
	Uninteresting bool
	// UnlockSelector: the body has a selector naming Unlock or RUnlock
	// (which may be a method value handing the unlock to someone).
	UnlockSelector bool

	// CallerUnlocks are the mutexes the function unlocks without having
	// locked them itself (its caller's), even if it locks them again
	// before returning (RUnlock; defer RLock; Lock upgrade helpers).
	CallerUnlocks map[Key]bool

	// TypeEntry are mutex fields that every call site holds on some
	// value, where the value cannot be matched to this function's
	// parameters (node methods called by store methods holding
	// s.worldLock, reading n.store.CurrentIndex): a lock of the same field
	// is taken as held on entry when judging accesses.
	TypeEntry map[*types.Var]Mode   // the weakest mode over the call sites
	Entry     State                 // locks held on entry (declared or inferred from call sites)
	EntryWhy  string                // how Entry was established: "declared", "inferred", EntryReleased, EntryOwned
	Locals    map[types.Object]bool // variables holding values allocated here
	// FreshPtrs are the pointer fields of values allocated here (a key
	// rooted at one of Locals) that the function sets, once, to a value
	// it allocated (c.router = newRouter()): as unshared as a local.
	FreshPtrs map[Key]bool
	// FieldVars are the pointer fields of values allocated here that the
	// composite literal sets to a variable and nothing in the function sets
	// again (tx := &Tx{db: db}: tx.db is db), with that variable.
	FieldVars map[Key]types.Object
	Aliases   map[types.Object]Key  // local variables holding a mutex's address
	RLockers  map[types.Object]bool // aliases made with RLocker()
	Calls     []*ast.CallExpr       // the calls in the body
	Inline    map[types.Object]*ast.FuncLit
	Started   map[types.Object]*ast.FuncLit // see Prescan.Started
	Summary   *Summary

	// ParamDerefs describes the pointer parameters (indexes into Params,
	// the receiver excluded) that the body uses only through dereferences
	// (*p, p.f, p.m()), outside function literals and go and defer
	// statements: the locks held at every such use. A parameter used
	// otherwise (passed on, stored, returned, compared, captured) or not
	// used is absent. Set by the walk: a caller passing &x.f there hands
	// the field to code that touches it only under those locks.
	ParamDerefs map[int]*ParamDeref

	// CallerOwns lists the pointer parameters (indexes into Params) of a
	// package-level function with no caller in its package that touches
	// what their mutexes may guard without locking them: its callers own
	// the value or hold its lock (they are in Locals too, and checked at
	// the call sites in importers, RA2007).
	CallerOwns []int

	// ParamEntry are the locks held on entry, beyond Entry, when a bool
	// parameter (never assigned) is false ([0]) or true ([1]): those held
	// at every call site not passing the other constant. The walk adds them
	// on the branch of an "if p" of the body where p has that value.
	ParamEntry map[types.Object][2]State
}

// LookupHeld is st.Lookup(k), also under the other names fi.FieldVars
// give a mutex: with tx := &Tx{db: db}, tx.db.mu held is db.mu held.
func (fi *FuncInfo) LookupHeld(st State, k Key) (Held, bool) {
	if h, ok := st.Lookup(k); ok || len(fi.FieldVars) == 0 {
		return h, ok
	}
	ck := fi.fieldVarKey(k)
	for _, h := range st {
		if fi.fieldVarKey(h.Key) == ck {
			return h, true
		}
	}
	return Held{}, false
}

// fieldVarKey rewrites a key rooted at a field of fi.FieldVars to the
// variable the field is set to (tx.db.mu: db.mu), as often as it applies.
func (fi *FuncInfo) fieldVarKey(k Key) Key {
	for range 4 {
		changed := false
		for f, v := range fi.FieldVars {
			// keys of FieldVars are one field deep: at most one matches
			if f.Root == k.Root && (k.Path == f.Path || strings.HasPrefix(k.Path, f.Path+".")) {
				k = Key{Root: v, Path: k.Path[len(f.Path):]}
				changed = true
				break
			}
		}
		if !changed {
			break
		}
	}
	return k
}

// A ParamDeref is how a function uses a pointer parameter that it only
// dereferences (FuncInfo.ParamDerefs).
type ParamDeref struct {
	Held   []RelLock // held (must) at every use, with the weakest mode
	Writes bool      // some use writes through the pointer
}

var mustHoldRe = lazyre.New(`(?i)(must (already )?be held|must (already )?hold (the |its |a |an )?[\w.]*(lock|mu|mutex)\w*\b|must be locked|should be held|caller (must )?holds?\b|callers? must (hold|lock|have)|is held by the caller|(called|invoked|must be called|runs?) with (the )?[\w.]+ (lock )?(held|locked)|(called|invoked|must be called|runs?) while holding (the )?[\w.]+|requires? (that )?(the )?[\w.]+ (lock )?(to )?(be |is )?(held|locked)|assumes? (that )?(the )?[\w.]+ (lock )?is (held|locked)|expects? (the )?[\w.]+ (lock )?to be (held|locked)|lock (is|must be) held|` +
	// "caller is responsible for locking s.mu", "it is the caller's
	// responsibility to hold the mutex": the object must name a lock
	// ("responsible for closing the store" is another duty)
	`\bcallers?\s+(is|are)\s+responsible\s+for\s+(locking|holding|acquiring|taking|grabbing)\s+` + respLockObj +
	`|\bcallers?'s?\s+responsibility\s+to\s+(lock|hold|acquire|take|grab)\s+` + respLockObj + `)`)

// respLockObj is the object of a "caller is responsible for locking"
// phrase: a lock, a mutex, or a (dotted) name ending in one (s.mu,
// c.connLock, stateMutex; not "the multiple entries").
const respLockObj = `((the|its|their|a|an)\s+)?[\w.]*(lock|locker|mu|mtx|mutex)(es|s)?\b`

var mutexNameRe = lazyre.New(`\b([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\b`)

// ClassifyFunc sets NotConcurrent and RequiresDoc from the function's name,
// doc comment and file.
func ClassifyFunc(fset *token.FileSet, fi *FuncInfo) {
	name := fi.Decl.Name.Name
	lower := strings.ToLower(name)
	fi.LazyInit = lazyInit(fi)
	if fi.Decl.Recv != nil {
		switch name {
		case "Start", "start", "Init", "Initialize", "initialize", "Setup", "SetUp", "setup":
			fi.Setup = true
		}
	} else if initializerOfParam(fi.Decl) {
		fi.Setup = true
	}
	switch {
	case fi.Decl.Recv == nil && name == "init":
		fi.NotConcurrent = ReasonInit
	case strings.HasSuffix(lower, "unlocked"):
		// SetUnlocked, isUnlocked: not a "caller holds the lock" helper
	case strings.HasSuffix(name, "Locked") || (strings.HasSuffix(lower, "locked") && !strings.HasSuffix(lower, "unlocked") && !strings.HasPrefix(lower, "is")) || strings.HasSuffix(lower, "_locked") || strings.HasSuffix(name, "LockHeld"):
		fi.NotConcurrent = "its name says the caller holds the lock"
	case unsafePrefix(name):
		// UnsafeLoad, unsafeGet: the name says the function does not
		// synchronize, so its caller does (etcd's convention)
		fi.NotConcurrent = "its name says the caller synchronizes"
	}
	if fi.NotConcurrent == "" && fi.Decl.Recv != nil && len(fi.Decl.Recv.List) == 1 {
		// methods of a type named *Locked ("bodyLocked: a reader used when
		// the mutex is already held")
		if id := recvTypeIdent(fi.Decl.Recv.List[0].Type); id != nil && strings.HasSuffix(id.Name, "Locked") {
			fi.NotConcurrent = "its receiver type's name says the lock is held"
		}
	}
	if fi.Decl.Doc != nil && rawMayRequire(fi.Decl.Doc) {
		if doc := fi.Decl.Doc.Text(); mayRequire(doc) && mayMatchMustHold(doc) {
			for _, loc := range mustHoldRe.Regexp().FindAllStringIndex(doc, -1) {
				if aboutOtherFuncs(fi, clauseBefore(doc, loc[0])) {
					continue // "initLocked is called with c.mu held": a callback's requirement
				}
				m := doc[loc[0]:loc[1]]
				if strings.Contains(strings.ToLower(m), "responsib") && locksNamed(fi.Decl.Body, m) {
					continue // "Lock takes s.mu; the caller is responsible for locking s.mu again": not held on entry
				}
				fi.RequiresDoc = sentenceAround(doc, m)
				fi.RequiresMatch = strings.Join(strings.Fields(m), " ")
				if fi.NotConcurrent == "" {
					fi.NotConcurrent = "its doc comment says the caller holds the lock"
				}
				break
			}
		}
	}
	if strings.HasSuffix(fset.File(fi.Decl.Pos()).Name(), "_test.go") {
		fi.Test = true
		if fi.NotConcurrent == "" {
			fi.NotConcurrent = ReasonTestFile
		}
	}
}

// locksNamed reports whether body (outside function literals) locks or
// read-locks a mutex named like the last word of phrase ("s.mu": a Lock
// of s.mu or c.s.mu; "the lock": of x.lock): a function that takes the
// lock itself does not require its caller to hold it.
func locksNamed(body *ast.BlockStmt, phrase string) bool {
	words := strings.Fields(phrase)
	if body == nil || len(words) == 0 {
		return false
	}
	name := words[len(words)-1]
	name = name[strings.LastIndexByte(name, '.')+1:]
	return Contains(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return false
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Lock" && sel.Sel.Name != "RLock" && sel.Sel.Name != "TryLock" && sel.Sel.Name != "TryRLock") {
			return false
		}
		x := ast.Unparen(sel.X)
		if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
			x = ast.Unparen(u.X)
		}
		switch x := x.(type) {
		case *ast.SelectorExpr:
			return strings.EqualFold(x.Sel.Name, name)
		case *ast.Ident:
			return strings.EqualFold(x.Name, name)
		}
		return false
	})
}

var clauseEndRe = lazyre.New(`[.!?;:,](\s|$)|\n\s*\n`)

// clauseBefore returns the text of doc from the start of the clause
// containing offset i up to i: the subject of a "must be held" phrase
// starting there.
func clauseBefore(doc string, i int) string {
	prefix := doc[:i]
	if ends := clauseEndRe.Regexp().FindAllStringIndex(prefix, -1); len(ends) > 0 {
		prefix = prefix[ends[len(ends)-1][1]:]
	}
	return prefix
}

// aboutOtherFuncs reports whether the subject of a "called with the lock
// held" clause names other functions and not fi itself ("Both initLocked
// and deInitLocked are called with the c.channelsMu held" in the doc of
// the function taking them): a function-typed parameter, a function of the
// package, a method of the receiver, or a name ending in Locked. A subject
// naming fi, or none of these ("it", "callers", "this method", no subject),
// is about fi.
func aboutOtherFuncs(fi *FuncInfo, subject string) bool {
	own := fi.Decl.Name.Name
	var recv types.Type
	if fi.Decl.Recv != nil && len(fi.Params) > 0 && fi.Params[0] != nil {
		recv = fi.Params[0].Type()
	}
	other := false
	for _, tok := range mutexNameRe.FindAllString(subject, -1) {
		for _, w := range strings.Split(tok, ".") {
			if w == own {
				return false
			}
			if other || w == "" {
				continue
			}
			if strings.HasSuffix(w, "Locked") || strings.HasSuffix(w, "_locked") {
				other = true
				continue
			}
			for i, p := range fi.Params {
				if p == nil || p.Name() != w || (i == 0 && recv != nil) {
					continue
				}
				if _, ok := p.Type().Underlying().(*types.Signature); ok {
					other = true
				}
			}
			if fi.Obj != nil && fi.Obj.Pkg() != nil {
				if fn, ok := fi.Obj.Pkg().Scope().Lookup(w).(*types.Func); ok && fn != fi.Obj {
					other = true
				}
				if recv != nil {
					if fn, ok := lookupMethod(recv, fi.Obj.Pkg(), w); ok && fn != fi.Obj {
						other = true
					}
				}
			}
		}
	}
	return other
}

func lookupMethod(t types.Type, pkg *types.Package, name string) (*types.Func, bool) {
	obj, _, _ := types.LookupFieldOrMethod(t, true, pkg, name)
	fn, ok := obj.(*types.Func)
	return fn, ok
}

// initializerOfParam reports whether a function (not a method) is the
// function form of an Init method: named Init or Initialize followed by
// the name of the type its first parameter points to
// (InitExtensionInfo(xi *ExtensionInfo, ...), initCipher(c *Cipher)). Like
// (*T).Init, it sets up a value its caller allocated before the value is
// shared.
func initializerOfParam(d *ast.FuncDecl) bool {
	if d.Recv != nil || d.Type.Params == nil || len(d.Type.Params.List) == 0 {
		return false
	}
	star, ok := d.Type.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	t := recvTypeIdent(star.X)
	if t == nil || t.Name == "" {
		return false
	}
	name := d.Name.Name
	for _, prefix := range []string{"Init", "init", "Initialize", "initialize"} {
		rest, ok := strings.CutPrefix(name, prefix)
		if ok && rest != "" && strings.EqualFold(rest[:1], t.Name[:1]) && rest[1:] == t.Name[1:] {
			return true
		}
	}
	return false
}

func recvTypeIdent(e ast.Expr) *ast.Ident {
	switch e := e.(type) {
	case *ast.Ident:
		return e
	case *ast.StarExpr:
		return recvTypeIdent(e.X)
	case *ast.IndexExpr:
		return recvTypeIdent(e.X)
	case *ast.IndexListExpr:
		return recvTypeIdent(e.X)
	case *ast.ParenExpr:
		return recvTypeIdent(e.X)
	}
	return nil
}

// mayRequire is a cheap filter before mustHoldRe: every phrase it matches
// contains one of these words.
func mayRequire(doc string) bool {
	for _, w := range []string{"held", "hold", "lock", "Held", "Hold", "Lock", "HELD", "esponsib", "ESPONSIB"} {
		if strings.Contains(doc, w) {
			return true
		}
	}
	return false
}

var sentenceEndRe = lazyre.New(`[.!?](\s|$)`)

// rawMayRequire is mayRequire on the comments as written: the words it
// looks for cannot appear in the doc text unless they appear there.
func rawMayRequire(doc *ast.CommentGroup) bool {
	for _, c := range doc.List {
		if mayRequire(c.Text) {
			return true
		}
	}
	return false
}

// mayMatchMustHold is a cheap filter before mustHoldRe: every phrase it
// matches contains, in any case, " held" or " locked" (after a space, as
// all its alternatives have it: not "blocked"), "must hold", "must already
// hold", "caller hold", "while hold" (not "threshold"), "must lock",
// "must have" or "responsib". (Runes that case-fold to ASCII letters, the Kelvin sign and
// the long s, defeat the filter.)
func mayMatchMustHold(doc string) bool {
	if strings.ContainsAny(doc, "\u212a\u017f") {
		return true
	}
	lower := strings.ToLower(doc)
	for _, w := range []string{" held", " locked", "must hold", "must already hold", "caller hold", "while hold", "must lock", "must have", "responsib"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

func sentenceAround(text, m string) string {
	text = strings.Join(strings.Fields(text), " ")
	i := strings.Index(text, strings.Join(strings.Fields(m), " "))
	if i < 0 {
		return m
	}
	// a sentence ends at . ! or ? followed by a space (not the dot of
	// "cc.mu")
	start := 0
	for _, loc := range sentenceEndRe.Regexp().FindAllStringIndex(text[:i], -1) {
		start = loc[1]
	}
	end := len(text) - i
	if loc := sentenceEndRe.FindStringIndex(text[i:]); loc != nil {
		end = loc[0] + 1
	}
	return strings.TrimSpace(text[start : i+end])
}

// RequiredMutexNames returns the identifiers that may name the mutex a
// "must be held" sentence requires, nearest first: those inside the
// matched phrase ("called with c.in held"), then the word just before it
// ("t.idleMu must be held") and the word just after it ("caller must hold
// mu"). Other words of the sentence are not considered: "locks c.out
// itself, but is called with c.in held" requires c.in only.
func RequiredMutexNames(sentence, match string) []string {
	out := mutexNameRe.FindAllString(match, -1)
	i := strings.Index(sentence, match)
	if i < 0 {
		return out
	}
	if before := mutexNameRe.FindAllString(sentence[:i], -1); len(before) > 0 {
		out = append(out, before[len(before)-1])
	}
	if after := mutexNameRe.FindAllString(sentence[i+len(match):], -1); len(after) > 0 {
		out = append(out, after[0])
	}
	return out
}

// Prescan is what one pass over a function body finds before the lock
// analysis: the variables holding values allocated in it (&T{}, T{},
// new(T), newT(...), var v T of struct type: accesses through them are
// construction, not concurrent use), the local variables assigned once to a
// mutex's address (mu := &r.mu), and the calls it makes.
type Prescan struct {
	Locals map[types.Object]bool
	// FreshPtrs, FieldVars: see FuncInfo.
	FreshPtrs map[Key]bool
	FieldVars map[Key]types.Object
	Aliases   map[types.Object]Key
	// RLockers are the aliases made with RWMutex.RLocker(): their Lock
	// and Unlock are RLock and RUnlock.
	RLockers map[types.Object]bool
	Calls    []*ast.CallExpr
	// Interesting: the body locks, calls a function of this package or one
	// with a lock summary, starts a goroutine, or touches a field or
	// variable a mutex may guard. Other bodies need no lock analysis.
	Interesting bool
	// Inline are function literals assigned once to a local variable that
	// is only ever called (f := func(){...}; f()): they run where called.
	Inline map[types.Object]*ast.FuncLit
	// Started are function literals assigned once to a local variable
	// whose only use is the function of one go statement
	// (f := func(){...}; go f()): the goroutine's body, walked there.
	Started map[types.Object]*ast.FuncLit
	// UnlockSelector: a selector names Unlock or RUnlock.
	UnlockSelector bool
}

// Scan runs the prescan of a body (function literals included).
// If interesting is not nil, Prescan.Interesting reports whether it
// returned true for any node of the body.
func Scan(info *types.Info, body *ast.BlockStmt, interesting func(ast.Node) bool) Prescan {
	p := Prescan{Locals: map[types.Object]bool{}}
	if body == nil {
		return p
	}
	assigned := map[types.Object]int{}
	lits := map[types.Object]*ast.FuncLit{}
	fresh := map[Key]bool{} // slice fields of local values set to a slice made here
	// pointer fields of local values: the number of times each is set, and
	// whether every time to a value allocated here
	ptrSets := map[Key]int{}
	ptrAlloc := map[Key]bool{}
	fieldVar := map[Key]*types.Var{}   // pointer fields set to a variable by the literal
	addrOf := map[Key]bool{}           // &x.f taken
	defined := map[types.Object]bool{} // locals defined with a value (v := e, var v = e)
	setPtr := func(k Key, t types.Type, rhs ast.Expr) {
		if _, ok := t.Underlying().(*types.Pointer); !ok {
			return
		}
		alloc := rhs != nil && isAlloc(info, rhs)
		if ptrSets[k] == 0 {
			ptrAlloc[k] = alloc
		} else {
			ptrAlloc[k] = ptrAlloc[k] && alloc
		}
		ptrSets[k]++
	}
	assign := func(lhs, rhs ast.Expr) {
		if k, ok := PathOf(info, lhs); ok && k.Path != "" && p.Locals[k.Root] {
			// x.f = make(...) on a local x
			if rhs != nil && isSliceAlloc(info, rhs) {
				fresh[k] = true
			} else {
				delete(fresh, k)
			}
			if t := info.TypeOf(lhs); t != nil {
				setPtr(k, t, rhs) // x.f = newT() on a local x
			}
		}
		id, ok := lhs.(*ast.Ident)
		if !ok {
			return
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		if v, ok := obj.(*types.Var); !ok || isPackageLevel(v) {
			return
		}
		assigned[obj]++
		if rhs == nil {
			return
		}
		if info.Defs[id] != nil {
			defined[obj] = true
		}
		if isAlloc(info, rhs) {
			p.Locals[obj] = true
			freshFields(info, obj, rhs, fresh)
			literalPtrs(info, obj, rhs, func(k Key, t types.Type, e ast.Expr) {
				setPtr(k, t, e)
				if id, ok := ast.Unparen(e).(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() && !isPackageLevel(v) {
						if _, ptr := t.Underlying().(*types.Pointer); ptr {
							fieldVar[k] = v
						}
					}
				}
			})
		}
		if freshElem(info, rhs, p.Locals, fresh) {
			p.Locals[obj] = true // s := &c.shards[i], c and its shards made here
		}
		if lit, ok := ast.Unparen(rhs).(*ast.FuncLit); ok {
			lits[obj] = lit
		}
		if k, rlocker, ok := mutexValue(info, rhs); ok {
			if p.Aliases == nil {
				p.Aliases = map[types.Object]Key{}
			}
			p.Aliases[obj] = k
			if rlocker {
				if p.RLockers == nil {
					p.RLockers = map[types.Object]bool{}
				}
				p.RLockers[obj] = true
			}
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if !p.Interesting && interesting != nil && n != nil && interesting(n) {
			p.Interesting = true
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			p.Calls = append(p.Calls, n)
		case *ast.SelectorExpr:
			if n.Sel.Name == "Unlock" || n.Sel.Name == "RUnlock" {
				p.UnlockSelector = true
			}
		case *ast.AssignStmt:
			for i := range n.Lhs {
				var rhs ast.Expr
				if len(n.Lhs) == len(n.Rhs) {
					rhs = n.Rhs[i]
				}
				assign(n.Lhs[i], rhs)
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if k, ok := PathOf(info, n.X); ok {
					addrOf[k] = true
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if i < len(n.Values) {
					assign(name, n.Values[i])
				} else if len(n.Values) == 0 {
					if obj := info.Defs[name]; obj != nil {
						if _, ok := obj.Type().Underlying().(*types.Struct); ok {
							p.Locals[obj] = true
						}
					}
				}
			}
		}
		return true
	})
	for k, n := range ptrSets {
		if n == 1 && ptrAlloc[k] && assigned[k.Root] <= 1 && p.Locals[k.Root] {
			if p.FreshPtrs == nil {
				p.FreshPtrs = map[Key]bool{}
			}
			p.FreshPtrs[k] = true
		}
	}
	for k, v := range fieldVar {
		// set once (by the literal), the local and the variable never
		// assigned again (a parameter, or a local assigned only where it
		// is defined), no address taken that could set them
		if ptrSets[k] == 1 && assigned[k.Root] <= 1 && p.Locals[k.Root] && (assigned[v] == 0 || assigned[v] == 1 && defined[v]) && !addrOf[k] && !addrOf[Key{Root: v}] && !addrOf[Key{Root: k.Root}] {
			if p.FieldVars == nil {
				p.FieldVars = map[Key]types.Object{}
			}
			p.FieldVars[k] = v
		}
	}
	for obj := range p.Aliases {
		if assigned[obj] != 1 {
			delete(p.Aliases, obj)
			delete(p.RLockers, obj)
		}
	}
	var uses, called, gone map[types.Object]int // uses of function-typed locals, as the callee of a call, of a go statement
	if len(lits) > 0 {
		// uses of the locals bound to a literal, and calls of them
		uses, called, gone = map[types.Object]int{}, map[types.Object]int{}, map[types.Object]int{}
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				if id, ok := ast.Unparen(n.Call.Fun).(*ast.Ident); ok {
					if obj := info.Uses[id]; obj != nil && lits[obj] != nil && lits[obj].End() <= n.Pos() {
						gone[obj]++
					}
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
					if obj := info.Uses[id]; obj != nil && lits[obj] != nil {
						called[obj]++
					}
				}
			case *ast.Ident:
				if obj, ok := info.Uses[n].(*types.Var); ok && lits[obj] != nil && !isPackageLevel(obj) {
					if _, ok := obj.Type().Underlying().(*types.Signature); ok {
						uses[obj]++
					}
				}
			}
			return true
		})
	}
	for obj, lit := range lits {
		if assigned[obj] != 1 {
			continue
		}
		switch {
		case uses[obj] == 1 && gone[obj] == 1:
			// go f(): the goroutine runs the literal
			if p.Started == nil {
				p.Started = map[types.Object]*ast.FuncLit{}
			}
			p.Started[obj] = lit
		case uses[obj] > 0 && uses[obj] == called[obj]:
			if p.Inline == nil {
				p.Inline = map[types.Object]*ast.FuncLit{}
			}
			p.Inline[obj] = lit
		}
	}
	return p
}

// mutexValue recognizes the expressions that denote a mutex with an access
// path: &r.mu, sync.Locker(&r.mu), r.mu.RLocker() (rlocker true).
func mutexValue(info *types.Info, e ast.Expr) (Key, bool, bool) {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		if len(call.Args) == 1 {
			if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
				return mutexValue(info, call.Args[0]) // conversion
			}
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "RLocker" && len(call.Args) == 0 && IsRWMutexType(info.TypeOf(sel.X)) {
			if k, ok := PathOf(info, sel.X); ok {
				return k, true, true
			}
		}
		return Key{}, false, false
	}
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND && IsMutexType(info.TypeOf(u.X)) {
		if k, ok := PathOf(info, u.X); ok {
			return k, false, true
		}
	}
	return Key{}, false, false
}

// IsAlloc reports whether e allocates a value: a composite literal, its
// address, new(T), or a constructor call newT(...)/NewT(...) returning a
// pointer (first).
func IsAlloc(info *types.Info, e ast.Expr) bool { return isAlloc(info, e) }

// freshFields records the slice fields that the composite literal
// allocating the local obj (rhs) sets to a slice made there
// (&T{shards: make([]shard, n)}).
func freshFields(info *types.Info, obj types.Object, rhs ast.Expr, fresh map[Key]bool) {
	lit, ok := CompositeLit(rhs)
	if !ok {
		return
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if id, ok := kv.Key.(*ast.Ident); ok && isSliceAlloc(info, kv.Value) {
			fresh[Key{Root: obj, Path: "." + id.Name}] = true
		}
	}
}

// literalPtrs reports to set the pointer fields that the composite
// literal allocating the local obj (rhs) sets (&T{router: newRouter()}).
func literalPtrs(info *types.Info, obj types.Object, rhs ast.Expr, set func(Key, types.Type, ast.Expr)) {
	lit, ok := CompositeLit(rhs)
	if !ok {
		return
	}
	st, ok := info.TypeOf(lit).Underlying().(*types.Struct)
	if !ok {
		return
	}
	for i, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				if t := info.TypeOf(kv.Value); t != nil {
					set(Key{Root: obj, Path: "." + id.Name}, t, kv.Value)
				}
			}
		} else if i < st.NumFields() {
			if t := info.TypeOf(elt); t != nil {
				set(Key{Root: obj, Path: "." + st.Field(i).Name()}, t, elt)
			}
		}
	}
}

// isSliceAlloc reports whether e makes a new slice: make([]T, n) or a
// slice composite literal.
func isSliceAlloc(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		_, ok := info.TypeOf(e).Underlying().(*types.Slice)
		return ok
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "make" {
				_, ok := info.TypeOf(e).Underlying().(*types.Slice)
				return ok
			}
		}
	}
	return false
}

// freshElem reports whether e is the address of an element of an array
// field of a local value, or of a slice field of it made in this function
// (&c.shards[i]): the element is as unshared as the value.
func freshElem(info *types.Info, e ast.Expr, locals map[types.Object]bool, fresh map[Key]bool) bool {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return false
	}
	ix, ok := ast.Unparen(u.X).(*ast.IndexExpr)
	if !ok {
		return false
	}
	k, ok := PathOf(info, ix.X)
	if !ok || k.Path == "" || !locals[k.Root] {
		return false
	}
	if _, isArray := info.TypeOf(ix.X).Underlying().(*types.Array); isArray {
		return true
	}
	return fresh[k]
}

func isAlloc(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			_, ok := ast.Unparen(e.X).(*ast.CompositeLit)
			return ok
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "new" {
				return true
			}
		}
		// a constructor: newT(...) / NewT(...) returning a pointer
		if fn := Callee(info, e); fn != nil && (strings.HasPrefix(fn.Name(), "new") || strings.HasPrefix(fn.Name(), "New")) {
			if sig, ok := fn.Type().(*types.Signature); ok && sig.Results().Len() >= 1 {
				if _, ok := sig.Results().At(0).Type().Underlying().(*types.Pointer); ok {
					return true
				}
			}
		}
	}
	return false
}

// unsafePrefix reports names starting with the word "unsafe" (UnsafeLoad,
// unsafeGet; not Unsafely or unsafety).
func unsafePrefix(name string) bool {
	rest, ok := strings.CutPrefix(name, "Unsafe")
	if !ok {
		rest, ok = strings.CutPrefix(name, "unsafe")
	}
	return ok && rest != "" && (rest[0] == '_' || (rest[0] >= 'A' && rest[0] <= 'Z'))
}

// EntryReleased is the EntryWhy of a function that releases, at every
// exit, locks it did not take: its callers hold them.
const EntryReleased = "released"

// EntryOwned is the EntryWhy of a method of a type whose values hold a
// lock while they live (a transaction: allocated by a function that hands
// it the lock, released by its End).
const EntryOwned = "owned"

// EntryFromCallers reports whether the locks held on entry are the
// callers' as seen at the call sites ("inferred"), as the function's own
// releases show (EntryReleased) or as its receiver's type's show
// (EntryOwned), not declared: what is done under them is
// the callers' to answer for.
func (fi *FuncInfo) EntryFromCallers() bool {
	return fi.EntryWhy == "inferred" || fi.EntryWhy == EntryReleased || fi.EntryWhy == EntryOwned
}

// Reasons for NotConcurrent that mean the function runs before the values
// it touches are shared (as opposed to a caller holding the lock).
const (
	ReasonInit     = "init"
	ReasonInitOnly = "it runs only during package initialization"
	ReasonOnce     = "it runs through sync.Once"
	ReasonTestFile = "a test file"
)

// Construction reports whether the function runs before the values it
// touches are shared: init, functions run only from package
// initialization, sync.Once bodies, test files.
func (fi *FuncInfo) Construction() bool {
	switch fi.NotConcurrent {
	case ReasonInit, ReasonInitOnly, ReasonOnce, ReasonTestFile:
		return true
	}
	return fi.Setup
}

// HeldByType reports whether k, not held in the function's own state, is
// a mutex field that every caller holds on some value (see TypeEntry), at
// an access in ctx (not in a goroutine or a stored closure).
func (fi *FuncInfo) HeldByType(k Key, ctx *Context) bool {
	if len(fi.TypeEntry) == 0 || ctx.Inside(CtxGoroutine) || ctx.Inside(CtxUnknown) {
		return false
	}
	f := k.LastField()
	return f != nil && fi.TypeEntry[f] != 0
}

// lazyInit recognizes a once-only initializer guarded by its own lock:
//
//	func (t *T) parse() {
//		t.mu.Lock()
//		defer t.mu.Unlock()
//		if t.version != unknown {
//			return
//		}
//		...
//
// Cleanups of the same shape (Close, Stop, ... with a closed flag) are not
// initializers.
// doneReturn reports whether ret, the early return of a lazy initializer
// with results, lists them and returns nil for each error result.
func doneReturn(fi *FuncInfo, ret *ast.ReturnStmt) bool {
	sig, ok := fi.Obj.Type().(*types.Signature)
	if !ok || len(ret.Results) != sig.Results().Len() {
		return false
	}
	errType := types.Universe.Lookup("error").Type()
	for i, e := range ret.Results {
		if !types.Identical(sig.Results().At(i).Type(), errType) {
			continue
		}
		if id, ok := ast.Unparen(e).(*ast.Ident); !ok || id.Name != "nil" {
			return false
		}
	}
	return true
}

func lazyInit(fi *FuncInfo) bool {
	d := fi.Decl
	if d.Recv == nil || d.Body == nil || len(d.Body.List) < 4 || len(fi.Params) == 0 || fi.Params[0] == nil {
		return false
	}
	lower := strings.ToLower(d.Name.Name)
	for _, w := range []string{"close", "stop", "shutdown", "cancel", "release", "reset", "clear", "remove", "delete", "destroy", "unregister", "drain", "free"} {
		if strings.Contains(lower, w) {
			return false
		}
	}
	isLockCall := func(st ast.Stmt, names ...string) bool {
		var call *ast.CallExpr
		switch st := st.(type) {
		case *ast.ExprStmt:
			call, _ = st.X.(*ast.CallExpr)
		case *ast.DeferStmt:
			call = st.Call
		}
		if call == nil {
			return false
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		for _, n := range names {
			if sel.Sel.Name == n {
				return true
			}
		}
		return false
	}
	if !isLockCall(d.Body.List[0], "Lock") {
		return false
	}
	if _, ok := d.Body.List[1].(*ast.DeferStmt); !ok || !isLockCall(d.Body.List[1], "Unlock") {
		return false
	}
	ifs, ok := d.Body.List[2].(*ast.IfStmt)
	if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) != 1 {
		return false
	}
	ret, ok := ifs.Body.List[0].(*ast.ReturnStmt)
	if !ok {
		return false
	}
	if d.Type.Results != nil && len(d.Type.Results.List) > 0 && !doneReturn(fi, ret) {
		// an initializer returns nothing, or, when done, no error (Start's
		// return c.address, nil); Dial returning errClosed is not one
		return false
	}
	// the condition reads a field of the receiver that the body then sets
	// (the "done" state)
	recv := fi.Params[0].Name()
	fields := map[string]bool{}
	ast.Inspect(ifs.Cond, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == recv {
				fields[sel.Sel.Name] = true
			}
		}
		return true
	})
	sets := false
	for _, st := range d.Body.List[3:] {
		ast.Inspect(st, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok {
				for _, l := range as.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok {
						if id, ok := sel.X.(*ast.Ident); ok && id.Name == recv && fields[sel.Sel.Name] {
							sets = true
						}
					}
				}
			}
			return !sets
		})
	}
	return sets
}
