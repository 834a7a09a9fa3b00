package lockstate

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

const classifySrc = `package p

type mutex struct{}

type C struct {
	mu         mutex
	channelsMu mutex
}

func bar() {}

func (c *C) helper() {}

// fooLocked removes an entry. c.mu must be held.
func (c *C) fooLocked() {}

// self1 must be called with c.mu held.
func (c *C) self1() {}

// self2 is called with c.mu held.
func (c *C) self2() {}

// self3 does things. It runs with the lock held.
func (c *C) self3() {}

// self4 does things. Callers must hold c.mu.
func (c *C) self4() {}

// self5 and initLocked are called with c.mu held.
func (c *C) self5(initLocked func()) {}

// self6 is like bar, but must be called with c.mu held.
func (c *C) self6() {}

// self7 returns a channel.
//
// The initLocked function runs first.
//
// Must be called with the c.channelsMu held.
func (c *C) self7(initLocked func()) {}

// other1 returns a channel for the config.
//
// The initLocked function runs some initialization logic before the channel
// is returned.
//
// Both initLocked and deInitLocked are called with the c.channelsMu held.
//
// Returns the channel and a cleanup function.
func (c *C) other1(initLocked, deInitLocked func()) {}

// other2 calls bar. bar is called with c.mu held.
func (c *C) other2() {}

// other3 starts c.helper. c.helper is invoked with c.mu held.
func (c *C) other3() {}

// other4 takes a callback; fnLocked runs with c.mu held.
func (c *C) other4(f func()) {}

// other5 is called with c.mu held, and then cbLocked is called with c.channelsMu held.
func (c *C) other5() {}
`

// TestClassifyFuncDocSubject checks that a "called with the lock held"
// sentence makes the function held on entry only when it speaks of the
// function itself, not of other functions it names (grpc xdsclient.go:
// "Both initLocked and deInitLocked are called with the c.channelsMu held").
func TestClassifyFuncDocSubject(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", classifySrc, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	if _, err := new(types.Config).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	// whether the doc makes the function held on entry
	want := map[string]bool{
		"fooLocked": true,  // c.mu must be held
		"self1":     true,  // self1 must be called with c.mu held
		"self2":     true,  // self2 is called with c.mu held
		"self3":     true,  // It runs with the lock held
		"self4":     true,  // Callers must hold c.mu
		"self5":     true,  // self5 and initLocked are called with c.mu held
		"self6":     true,  // ..., but must be called with c.mu held
		"self7":     true,  // Must be called with the c.channelsMu held
		"other1":    false, // Both initLocked and deInitLocked are called with ...
		"other2":    false, // bar is called with c.mu held
		"other3":    false, // c.helper is invoked with c.mu held
		"other4":    false, // fnLocked runs with c.mu held
		"other5":    true,  // other5 is called with c.mu held, and then cbLocked ...
	}
	seen := 0
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		w, ok := want[fd.Name.Name]
		if !ok {
			continue
		}
		seen++
		obj := info.Defs[fd.Name].(*types.Func)
		fi := &FuncInfo{Decl: fd, Obj: obj, File: f, Params: Params(obj)}
		ClassifyFunc(fset, fi)
		if got := fi.RequiresDoc != ""; got != w {
			t.Errorf("%s: held on entry by its doc = %v (%q), want %v", fd.Name.Name, got, fi.RequiresDoc, w)
		}
		if !w && fi.NotConcurrent == "its doc comment says the caller holds the lock" {
			t.Errorf("%s: NotConcurrent = %q", fd.Name.Name, fi.NotConcurrent)
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of %d functions", seen, len(want))
	}
}

// TestMustHoldResponsible checks the "caller is responsible for locking"
// family of documented preconditions (FP127, paho.golang State.tidy):
// it names the caller and a lock; other duties of the caller, duties of
// the function itself, and functions that take the named lock themselves
// are not preconditions.
func TestMustHoldResponsible(t *testing.T) {
	cases := []struct {
		doc  string
		body string
		want bool
	}{
		{"caller is responsible for locking s.mu", "", true},
		{"The caller is responsible for holding the lock.", "", true},
		{"Callers are responsible for acquiring\n// c.connLock before calling it.", "", true},
		{"It is the caller's responsibility to hold the mutex.", "", true},
		{"it is the callers' responsibility to take s.stateMutex", "", true},
		{"The caller is responsible for closing the returned channel.", "", false},
		{"The caller is responsible for unlocking s.mu.", "", false},
		{"Callers are responsible for locking the returned entry.", "", false},
		{"The caller is responsible for taking the multiple entries out.", "", false},
		{"This function is responsible for locking s.mu.", "", false},
		{"The caller is not responsible for locking s.mu.", "", false},
		{"Locking s.mu is our responsibility.", "", false},
		{"It takes s.mu; the caller is responsible for locking s.mu again later.", "s.mu.Lock(); s.mu.Unlock()", false},
		{"The caller is responsible for holding the lock.", "s.lock.RLock(); s.lock.RUnlock()", false},
		{"The caller is responsible for holding s.mu.", "go func() { s.mu.Lock() }()", true},
		{"The caller is responsible for holding s.mu.", "s.other.Lock(); s.other.Unlock()", true},
	}
	src := "package p\n\nimport \"sync\"\n\ntype S struct{ mu, lock, other sync.RWMutex }\n"
	for i, c := range cases {
		src += fmt.Sprintf("\n// f%d does things.\n// %s\nfunc (s *S) f%d() { %s }\n", i, c.doc, i, c.body)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		var i int
		if _, err := fmt.Sscanf(fd.Name.Name, "f%d", &i); err != nil {
			continue
		}
		seen++
		obj := info.Defs[fd.Name].(*types.Func)
		fi := &FuncInfo{Decl: fd, Obj: obj, File: f, Params: Params(obj)}
		ClassifyFunc(fset, fi)
		if got := fi.RequiresDoc != ""; got != cases[i].want {
			t.Errorf("%q (body %q): held on entry by its doc = %v (%q), want %v", cases[i].doc, cases[i].body, got, fi.RequiresDoc, cases[i].want)
		}
	}
	if seen != len(cases) {
		t.Errorf("found %d of %d functions", seen, len(cases))
	}
}
