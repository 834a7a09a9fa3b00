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

	// UnknownCallers is set for unexported functions reached only through
	// function values, stored closures or recursion: the locks their
	// callers hold cannot be seen, so their accesses are not judged.
	UnknownCallers bool
	// Uninteresting bodies neither lock, call anything that could, nor
	// touch what a mutex may guard: they are not walked.
	Uninteresting bool

	// CallerUnlocks are the mutexes the function unlocks without having
	// locked them itself (its caller's), even if it locks them again
	// before returning (RUnlock; defer RLock; Lock upgrade helpers).
	CallerUnlocks map[Key]bool

	Entry    State                 // locks held on entry (declared or inferred from call sites)
	EntryWhy string                // how Entry was established
	Locals   map[types.Object]bool // variables holding values allocated here
	Aliases  map[types.Object]Key  // local variables holding a mutex's address
	RLockers map[types.Object]bool // aliases made with RLocker()
	Calls    []*ast.CallExpr       // the calls in the body
	Inline   map[types.Object]*ast.FuncLit
	Summary  *Summary
}

var mustHoldRe = lazyre.New(`(?i)(must (already )?be held|must (already )?hold (the |its |a |an )?[\w.]*(lock|mu|mutex)\w*\b|must be locked|should be held|caller (must )?holds?\b|callers? must (hold|lock|have)|is held by the caller|(called|invoked|must be called|runs?) with (the )?[\w.]+ (lock )?(held|locked)|(called|invoked|must be called|runs?) while holding (the )?[\w.]+|requires? (that )?(the )?[\w.]+ (lock )?(to )?(be |is )?(held|locked)|assumes? (that )?(the )?[\w.]+ (lock )?is (held|locked)|expects? (the )?[\w.]+ (lock )?to be (held|locked)|lock (is|must be) held)`)

var mutexNameRe = lazyre.New(`\b([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\b`)

// ClassifyFunc sets NotConcurrent and RequiresDoc from the function's name,
// doc comment and file.
func ClassifyFunc(fset *token.FileSet, fi *FuncInfo) {
	name := fi.Decl.Name.Name
	lower := strings.ToLower(name)
	switch {
	case fi.Decl.Recv == nil && name == "init":
		fi.NotConcurrent = "init"
	case strings.HasSuffix(lower, "unlocked"):
		// SetUnlocked, isUnlocked: not a "caller holds the lock" helper
	case strings.HasSuffix(name, "Locked") || (strings.HasSuffix(lower, "locked") && !strings.HasSuffix(lower, "unlocked") && !strings.HasPrefix(lower, "is")) || strings.HasSuffix(lower, "_locked") || strings.HasSuffix(name, "LockHeld"):
		fi.NotConcurrent = "its name says the caller holds the lock"
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
			if m := mustHoldRe.FindString(doc); m != "" {
				fi.RequiresDoc = sentenceAround(doc, m)
				fi.RequiresMatch = strings.Join(strings.Fields(m), " ")
				if fi.NotConcurrent == "" {
					fi.NotConcurrent = "its doc comment says the caller holds the lock"
				}
			}
		}
	}
	if strings.HasSuffix(fset.File(fi.Decl.Pos()).Name(), "_test.go") {
		fi.Test = true
		if fi.NotConcurrent == "" {
			fi.NotConcurrent = "a test file"
		}
	}
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
	for _, w := range []string{"held", "hold", "lock", "Held", "Hold", "Lock", "HELD"} {
		if strings.Contains(doc, w) {
			return true
		}
	}
	return false
}

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
// hold", "caller hold", "while hold" (not "threshold"), "must lock" or
// "must have". (Runes that case-fold to ASCII letters, the Kelvin sign and
// the long s, defeat the filter.)
func mayMatchMustHold(doc string) bool {
	if strings.ContainsAny(doc, "\u212a\u017f") {
		return true
	}
	lower := strings.ToLower(doc)
	for _, w := range []string{" held", " locked", "must hold", "must already hold", "caller hold", "while hold", "must lock", "must have"} {
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
	start := strings.LastIndexAny(text[:i], ".!?") + 1
	end := strings.IndexAny(text[i:], ".!?")
	if end < 0 {
		end = len(text) - i
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
	Locals  map[types.Object]bool
	Aliases map[types.Object]Key
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
	assign := func(lhs, rhs ast.Expr) {
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
		if isAlloc(info, rhs) {
			p.Locals[obj] = true
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
		case *ast.AssignStmt:
			for i := range n.Lhs {
				var rhs ast.Expr
				if len(n.Lhs) == len(n.Rhs) {
					rhs = n.Rhs[i]
				}
				assign(n.Lhs[i], rhs)
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
	for obj := range p.Aliases {
		if assigned[obj] != 1 {
			delete(p.Aliases, obj)
			delete(p.RLockers, obj)
		}
	}
	var uses, called map[types.Object]int // uses of function-typed locals, as the callee of a call
	if len(lits) > 0 {
		// uses of the locals bound to a literal, and calls of them
		uses, called = map[types.Object]int{}, map[types.Object]int{}
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
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
		if assigned[obj] == 1 && uses[obj] > 0 && uses[obj] == called[obj] {
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
