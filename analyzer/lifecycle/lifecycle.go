// Package lifecycle checks the lifecycle and validation of registries (see
// analyzer/registry):
//
//	RA3001 missing cleanup: the registry creates releasable entries and nothing releases them
//	RA3002 incomplete cleanup: a cleanup touches the collection without its lock, releases
//	       entries but leaves them in the collection, or forgets an owned collection or a
//	       background goroutine
//	RA3003 removal leak: an owned entry removed without being released (or returned)
//	RA3004 unvalidated duplicate: a Register/Add-style function silently overwrites
//	RA3005 unvalidated nil: a Register/Add-style function stores nil values that are later used
//
// Detach-then-release, deferred unlock/relock and reference-counted entries
// are accepted as correct cleanup. Its Result is a []checks.Finding reported
// by the regaudit analyzer.
package lifecycle

import (
	"fmt"
	"go/ast"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/analyzer/registry"
	"github.com/regaudit/regaudit/analyzer/unguarded"
	"github.com/regaudit/regaudit/internal/checks"
	"github.com/regaudit/regaudit/internal/lazyre"
	reg "github.com/regaudit/regaudit/internal/registry"
)

var Analyzer = &analysis.Analyzer{
	Name:       "lifecycle",
	Doc:        "check the cleanup, removal and registration validation of registries",
	Run:        run,
	Requires:   []*analysis.Analyzer{registry.Analyzer, unguarded.Analyzer},
	ResultType: reflect.TypeFor[[]checks.Finding](),
}

// registerNameRe matches the names of registration functions.
var registerNameRe = lazyre.New(`^(Register|Add|Install|Mount|Subscribe|Attach|Enroll)`)

func run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[registry.Analyzer].(*reg.Model)
	reported := map[string]bool{} // file:line of unguarded findings
	for _, f := range pass.ResultOf[unguarded.Analyzer].([]checks.Finding) {
		reported[lineKey(pass.Fset, f.Pos)] = true
	}
	c := &checker{pass: pass, reported: reported}
	for _, r := range m.Registries {
		c.registry(r)
	}
	sort.SliceStable(c.out, func(i, j int) bool { return c.out[i].Pos < c.out[j].Pos })
	return c.out, nil
}

type checker struct {
	pass     *analysis.Pass
	reported map[string]bool
	out      []checks.Finding
}

func lineKey(fset *token.FileSet, p token.Pos) string {
	pp := fset.Position(p)
	return fmt.Sprintf("%s:%d", pp.Filename, pp.Line)
}

// at renders p as "line N" when in the same file as ref, else "file.go:N".
func (c *checker) at(p, ref token.Pos) string {
	pp := c.pass.Fset.Position(p)
	if c.pass.Fset.Position(ref).Filename == pp.Filename {
		return fmt.Sprintf("line %d", pp.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(pp.Filename), pp.Line)
}

func (c *checker) report(id string, pos token.Pos, format string, args ...any) {
	c.out = append(c.out, checks.Finding{ID: id, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) registry(r *reg.Registry) {
	var cleanups []*reg.Op
	for _, op := range r.Ops {
		// a cleanup method of this registry (or a package function of a
		// package registry)
		own := op.Recv == r || (r.Type == nil && op.Decl.Recv == nil)
		if op.Has(reg.Cleanup) && own && !op.Info.Test {
			cleanups = append(cleanups, op)
		}
	}
	releasedByCleanup := func(coll *reg.Collection) bool {
		for _, op := range cleanups {
			if _, ok := op.ReleasesT[coll]; ok {
				return true
			}
		}
		return false
	}
	// RA3002: cleanups
	forgotten := map[*reg.Collection]bool{}
	for _, op := range cleanups {
		c.unguardedCleanup(r, op)
		for _, coll := range r.Collections {
			rel, ok := op.ReleasesT[coll]
			if !ok {
				continue
			}
			if _, reset := op.ResetsT[coll]; !reset && !coll.SelfRemoving && rel.Every {
				c.report(checks.IncompleteCleanup, op.Decl.Name.Pos(),
					"cleanup %s releases the entries of %s (%s) but leaves them in the collection: reset it (nil, make, clear or delete per entry)",
					op.Obj.Name(), coll.Obj.Name(), c.at(rel.Pos, op.Decl.Pos()))
			}
		}
		var released []string
		for _, coll := range r.Collections {
			if _, ok := op.ReleasesT[coll]; ok {
				released = append(released, coll.Obj.Name())
			}
		}
		if len(released) == 0 {
			continue
		}
		for _, coll := range r.Collections {
			if forgotten[coll] || !coll.Owned || len(coll.Created) == 0 || releasedByCleanup(coll) {
				continue
			}
			forgotten[coll] = true
			c.report(checks.IncompleteCleanup, op.Decl.Name.Pos(),
				"cleanup %s releases %s but not the entries of %s, which %s creates (%s at %s)",
				op.Obj.Name(), strings.Join(released, " and "), coll.Obj.Name(), r.Name,
				coll.Created[0].What, c.at(coll.Created[0].Pos, op.Decl.Pos()))
		}
	}
	if len(cleanups) > 0 {
		for _, g := range r.Goroutines {
			stopped := false
			for _, op := range cleanups {
				if _, ok := op.Stopped(g); ok {
					stopped = true
				}
			}
			if !stopped {
				op := cleanups[0]
				c.report(checks.IncompleteCleanup, op.Decl.Name.Pos(),
					"cleanup %s does not stop the goroutine %s starts at %s, which waits on %s (%s)",
					op.Obj.Name(), g.Op.Obj.Name(), c.at(g.Pos, op.Decl.Pos()), g.Stop.Name(), c.at(g.Proof, op.Decl.Pos()))
			}
		}
	}
	// RA3001: owned entries never released
	for _, coll := range r.Collections {
		if !coll.Owned || len(coll.Created) == 0 || len(coll.Releases) > 0 || forgotten[coll] {
			continue
		}
		var sites []string
		for i, s := range coll.Created {
			if i == 3 {
				break
			}
			sites = append(sites, fmt.Sprintf("%s at %s", s.What, c.at(s.Pos, r.Pos)))
		}
		c.report(checks.MissingCleanup, r.Pos,
			"%s creates the entries of %s (%s) but no function releases them: %s",
			r.Name, coll.Obj.Name(), strings.Join(sites, "; "), neverReleased(coll))
	}
	// RA3003, RA3004, RA3005
	for _, op := range r.Ops {
		if op.Info.Test {
			continue // test helpers are not the registry's protocol
		}
		for _, rm := range op.Removes {
			coll := rm.Coll
			if !coll.Owned || !coll.Releasable || rm.Handled != "" {
				continue
			}
			if _, ok := op.ReleasesT[coll]; ok {
				continue
			}
			if c.inRegistry(r, coll) {
				c.report(checks.RemovalLeak, rm.Pos,
					"%s removes an entry of %s without releasing it or returning it, but %s owns the entries: %s",
					op.Obj.Name(), coll.Obj.Name(), r.Name, c.ownedText(coll, rm.Pos))
			}
		}
		if !registerNameRe.MatchString(op.Obj.Name()) || !externallyCallable(op) {
			continue
		}
		for _, st := range op.Stores {
			if !c.inRegistry(r, st.Coll) {
				continue
			}
			if st.Coll.Kind == "map" && !st.Coll.SetLike && !st.Coll.KeyEntries && st.KeyParam != nil && st.ValParam != nil && !st.DupCheck.IsValid() && !st.Replaces {
				c.report(checks.UnvalidatedDuplicate, st.Pos,
					"%s stores %s in %s under the caller's key %s with no duplicate check: a second registration silently overwrites the first",
					op.Obj.Name(), st.ValParam.Name(), st.Coll.Obj.Name(), st.KeyParam.Name())
			}
			if st.ValDirect && st.Nilable && !st.NilCheck.IsValid() && len(st.Coll.Uses) > 0 {
				u := st.Coll.Uses[0]
				c.report(checks.UnvalidatedNil, st.Pos,
					"%s stores %s in %s without a nil check, and entries are %s at %s",
					op.Obj.Name(), st.ValParam.Name(), st.Coll.Obj.Name(), u.What, c.at(u.Pos, st.Pos))
			}
		}
	}
}

func (c *checker) inRegistry(r *reg.Registry, coll *reg.Collection) bool {
	for _, x := range r.Collections {
		if x == coll {
			return true
		}
	}
	return false
}

func (c *checker) ownedText(coll *reg.Collection, ref token.Pos) string {
	if len(coll.Created) > 0 {
		return fmt.Sprintf("it creates them (%s at %s)", coll.Created[0].What, c.at(coll.Created[0].Pos, ref))
	}
	return coll.OwnedWhy
}

// unguardedCleanup reports a cleanup's accesses to a collection made
// without its guard, unless the unguarded family reported the line.
func (c *checker) unguardedCleanup(r *reg.Registry, op *reg.Op) {
	done := map[*reg.Collection]bool{}
	for _, a := range op.Accesses {
		if done[a.Coll] || !a.Concurrent || a.Held || a.Coll.Guard == nil {
			continue
		}
		if a.Coll.Guard.WriteOnly && !a.Write {
			continue
		}
		if c.reported[lineKey(c.pass.Fset, a.Pos)] || guards.Explained(c.pass, a.Pos) {
			done[a.Coll] = true
			continue
		}
		done[a.Coll] = true
		c.report(checks.IncompleteCleanup, a.Pos,
			"cleanup %s touches %s without holding its guard %s (%s here)",
			op.Obj.Name(), a.Coll.Obj.Name(), a.Coll.Guard.MutexName(), a.Verb)
	}
}

// externallyCallable reports whether other packages can call op.
func externallyCallable(op *reg.Op) bool {
	if !op.Obj.Exported() {
		return false
	}
	if op.Decl.Recv == nil || len(op.Decl.Recv.List) == 0 {
		return true
	}
	t := op.Decl.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.Ident:
		return x.IsExported()
	case *ast.IndexExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.IsExported()
		}
	case *ast.IndexListExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.IsExported()
		}
	}
	return true
}

// neverReleased says how entries would be released.
func neverReleased(coll *reg.Collection) string {
	switch coll.ReleaseName {
	case "call":
		return "no entry is ever called"
	case "close":
		return "no entry is ever closed"
	case "":
		return "no entry is ever released"
	}
	return coll.ReleaseName + " is never called on an entry"
}
