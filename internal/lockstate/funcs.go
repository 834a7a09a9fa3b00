package lockstate

import (
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"
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
	// RequiresDoc is the doc comment sentence saying a lock must be held.
	RequiresDoc string

	Entry    State                 // locks held on entry (declared or inferred from call sites)
	EntryWhy string                // how Entry was established
	Locals   map[types.Object]bool // variables holding values allocated here
	Summary  *Summary
}

var mustHoldRe = regexp.MustCompile(`(?i)(must (already )?be held|must (already )?hold|must be locked|should be held|caller (must )?holds?\b|callers? must (hold|lock|have)|is held by the caller|(called|invoked|must be called|runs?) (with|while holding) (the )?[\w.]+ (lock )?(held|locked)?|requires? (that )?(the )?[\w.]+ (lock )?(to )?(be |is )?(held|locked)|assumes? (that )?(the )?[\w.]+ (lock )?is (held|locked)|expects? (the )?[\w.]+ (lock )?to be (held|locked)|lock (is|must be) held)`)

var mutexNameRe = regexp.MustCompile(`\b([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\b`)

// ClassifyFunc sets NotConcurrent and RequiresDoc from the function's name,
// doc comment and file.
func ClassifyFunc(fset *token.FileSet, fi *FuncInfo) {
	name := fi.Decl.Name.Name
	lower := strings.ToLower(name)
	switch {
	case fi.Decl.Recv == nil && name == "init":
		fi.NotConcurrent = "init"
	case strings.HasSuffix(name, "Locked") || (strings.HasSuffix(lower, "locked") && !strings.HasSuffix(lower, "unlocked") && !strings.HasPrefix(lower, "is")) || strings.HasSuffix(lower, "_locked") || strings.HasSuffix(name, "LockHeld"):
		fi.NotConcurrent = "its name says the caller holds the lock"
	}
	if fi.Decl.Doc != nil {
		if m := mustHoldRe.FindString(fi.Decl.Doc.Text()); m != "" {
			fi.RequiresDoc = sentenceAround(fi.Decl.Doc.Text(), m)
			if fi.NotConcurrent == "" {
				fi.NotConcurrent = "its doc comment says the caller holds the lock"
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

// RequiredMutexNames returns the identifiers in a "must be held" sentence
// that may name a mutex (e.g. "t.idleMu", "mu").
func RequiredMutexNames(sentence string) []string {
	var out []string
	for _, m := range mutexNameRe.FindAllString(sentence, -1) {
		out = append(out, m)
	}
	return out
}

// FindLocals returns the variables of a function body that hold values
// allocated in it (&T{}, T{}, new(T), var v T of struct type): accesses
// through them are construction, not concurrent use.
func FindLocals(info *types.Info, body *ast.BlockStmt) map[types.Object]bool {
	locals := map[types.Object]bool{}
	if body == nil {
		return locals
	}
	mark := func(lhs ast.Expr, rhs ast.Expr) {
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
		if rhs == nil || isAlloc(info, rhs) {
			locals[obj] = true
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					mark(n.Lhs[i], n.Rhs[i])
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if i < len(n.Values) {
					mark(name, n.Values[i])
				} else if len(n.Values) == 0 {
					if obj := info.Defs[name]; obj != nil {
						if _, ok := obj.Type().Underlying().(*types.Struct); ok {
							locals[obj] = true
						}
					}
				}
			}
		}
		return true
	})
	return locals
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
	}
	return false
}
