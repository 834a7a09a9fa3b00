package lockstate

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

func TestAPICallable(t *testing.T) {
	const src = `package p

import "sync/atomic"

type Exported struct {
	embedded       // promoted methods: reachable
	Field    *viaField
	hidden   *notReached
}

type embedded struct{}
type viaField struct{}
type viaResult struct{}
type viaParam struct{}
type viaVar struct{}
type viaAlias struct{}
type viaGeneric struct{}
type viaMethod struct{}
type viaInterface struct{}
type notReached struct{}
type onlyUnexported struct{}

type Alias = viaAlias

type Iface interface{ Get() *viaInterface }

var Var viaVar

var Ptr atomic.Pointer[viaGeneric]

func New() *viaResult          { return nil }
func Use(func(*viaParam))      {}
func (Exported) M() *viaMethod { return nil }
func (Exported) m() *onlyUnexported { return nil }

func (embedded) Do()      {}
func (*viaField) Do()     {}
func (*viaResult) Do()    {}
func (*viaParam) Do()     {}
func (viaVar) Do()        {}
func (viaAlias) Do()      {}
func (*viaGeneric) Do()   {}
func (*viaMethod) Do()    {}
func (*viaInterface) Do() {}
func (*notReached) Do()   {}
func (*onlyUnexported) Do() {}
func (*notReached) do()   {}
func Exp()                {}
func unexp()              {}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"embedded.Do": true, "viaField.Do": true, "viaResult.Do": true, "viaParam.Do": true,
		"viaVar.Do": true, "viaAlias.Do": true, "viaGeneric.Do": true, "viaMethod.Do": true,
		"viaInterface.Do": true, "Exported.M": true, "Exp": true, "New": true, "Use": true,
		"notReached.Do": false, "onlyUnexported.Do": false, "notReached.do": false, "unexp": false, "Exported.m": false,
	}
	api := NewAPI(pkg)
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		fn := info.Defs[fd.Name].(*types.Func)
		name := fn.Name()
		if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
			t := recv.Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			name = t.(*types.Named).Obj().Name() + "." + name
		}
		w, ok := want[name]
		if !ok {
			t.Fatalf("no expectation for %s", name)
		}
		if got := api.Callable(fn); got != w {
			t.Errorf("Callable(%s) = %v, want %v", name, got, w)
		}
	}
}
