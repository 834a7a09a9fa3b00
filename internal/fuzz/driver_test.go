package fuzz

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// The standard library is type-checked from source once per process and
// shared by every run (the importer caches packages), so every run uses the
// same FileSet.
var (
	stdMu   sync.Mutex
	stdFset = token.NewFileSet()
	stdImp  = importer.ForCompiler(stdFset, "source", nil)
)

// checkSource parses and type-checks one file as package p. ok is false if
// the source is not a valid Go package (the input is then uninteresting).
func checkSource(src string) (fset *token.FileSet, files []*ast.File, pkg *types.Package, info *types.Info, ok bool) {
	fset = stdFset
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, nil, nil, false
	}
	files = []*ast.File{f}
	info = &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Instances:    map[*ast.Ident]types.Instance{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{Importer: stdImp, Error: func(error) {}, GoVersion: "go1.26", Sizes: types.SizesFor("gc", "amd64")}
	pkg, err = conf.Check("example.com/p", fset, files, info)
	if err != nil {
		return nil, nil, nil, nil, false
	}
	return fset, files, pkg, info, true
}

// analyze type-checks src and runs the analyzer a (and, first, everything it
// requires) on it, the way a driver does for one package whose dependencies
// have no facts. It returns the diagnostics of a, formatted, in the order
// reported; ok is false if src is not a valid package. A panic propagates;
// an error returned by any analyzer is returned.
func analyze(a *analysis.Analyzer, src string) (diags []string, ok bool, err error) {
	stdMu.Lock()
	defer stdMu.Unlock()
	fset, files, pkg, info, ok := checkSource(src)
	if !ok {
		return nil, false, nil
	}
	d := &driver{
		fset: fset, files: files, pkg: pkg, info: info,
		results: map[*analysis.Analyzer]any{},
		facts:   map[factKey]analysis.Fact{},
		top:     a,
	}
	if _, err := d.run(a); err != nil {
		return nil, true, err
	}
	return d.diags, true, nil
}

type factKey struct {
	obj types.Object   // nil for a package fact
	pkg *types.Package // for a package fact
	typ reflect.Type
}

type driver struct {
	fset    *token.FileSet
	files   []*ast.File
	pkg     *types.Package
	info    *types.Info
	results map[*analysis.Analyzer]any
	facts   map[factKey]analysis.Fact
	top     *analysis.Analyzer
	diags   []string
}

func (d *driver) run(a *analysis.Analyzer) (any, error) {
	if r, ok := d.results[a]; ok {
		return r, nil
	}
	resultOf := map[*analysis.Analyzer]any{}
	for _, req := range a.Requires {
		r, err := d.run(req)
		if err != nil {
			return nil, err
		}
		resultOf[req] = r
	}
	pass := &analysis.Pass{
		Analyzer:   a,
		Fset:       d.fset,
		Files:      d.files,
		Pkg:        d.pkg,
		TypesInfo:  d.info,
		TypesSizes: types.SizesFor("gc", "amd64"),
		ResultOf:   resultOf,
		Report: func(diag analysis.Diagnostic) {
			if a != d.top {
				return
			}
			p := d.fset.Position(diag.Pos)
			d.diags = append(d.diags, fmt.Sprintf("%d:%d: [%s] %s", p.Line, p.Column, diag.Category, diag.Message))
		},
		ReadFile: func(string) ([]byte, error) { return nil, fmt.Errorf("ReadFile is not supported here") },
		ImportObjectFact: func(obj types.Object, fact analysis.Fact) bool {
			return d.importFact(factKey{obj: obj, typ: reflect.TypeOf(fact)}, fact)
		},
		ImportPackageFact: func(pkg *types.Package, fact analysis.Fact) bool {
			return d.importFact(factKey{pkg: pkg, typ: reflect.TypeOf(fact)}, fact)
		},
		ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
			if obj.Pkg() != d.pkg {
				panic(fmt.Sprintf("%s: ExportObjectFact(%s) of another package", a.Name, obj))
			}
			d.facts[factKey{obj: obj, typ: reflect.TypeOf(fact)}] = fact
		},
		ExportPackageFact: func(fact analysis.Fact) {
			d.facts[factKey{pkg: d.pkg, typ: reflect.TypeOf(fact)}] = fact
		},
		AllObjectFacts: func() []analysis.ObjectFact {
			var out []analysis.ObjectFact
			for k, f := range d.facts {
				if k.obj != nil && d.ownsFact(a, k.typ) {
					out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
				}
			}
			sort.Slice(out, func(i, j int) bool { return out[i].Object.Pos() < out[j].Object.Pos() })
			return out
		},
		AllPackageFacts: func() []analysis.PackageFact {
			var out []analysis.PackageFact
			for k, f := range d.facts {
				if k.obj == nil && d.ownsFact(a, k.typ) {
					out = append(out, analysis.PackageFact{Package: k.pkg, Fact: f})
				}
			}
			return out
		},
	}
	res, err := a.Run(pass)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", a.Name, err)
	}
	if a.ResultType != nil && res != nil && reflect.TypeOf(res) != a.ResultType {
		return nil, fmt.Errorf("%s: result of type %T, want %v", a.Name, res, a.ResultType)
	}
	d.results[a] = res
	return res, nil
}

func (d *driver) importFact(k factKey, fact analysis.Fact) bool {
	f, ok := d.facts[k]
	if !ok {
		return false
	}
	reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(f).Elem())
	return true
}

func (d *driver) ownsFact(a *analysis.Analyzer, t reflect.Type) bool {
	for _, f := range a.FactTypes {
		if reflect.TypeOf(f) == t {
			return true
		}
	}
	return false
}
