package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/guards"
	"github.com/regaudit/regaudit/internal/checks"
	reg "github.com/regaudit/regaudit/internal/registry"
)

// BuildPackage turns the registry model of a package and the regaudit
// diagnostics reported for it into its review. files are the package's
// syntax trees (to locate type declarations).
func BuildPackage(path string, m *reg.Model, files []*ast.File, diags []analysis.Diagnostic) *Package {
	p := &Package{Path: path, Registries: []*Registry{}, Findings: []Finding{}}
	b := &builder{fset: m.Fset, pkg: m.Pkg}
	spans := typeSpans(files)
	used := make([]bool, len(diags))
	for _, r := range m.Registries {
		rr := b.registry(r)
		// findings located in the registry's type or operations
		for i, d := range diags {
			if used[i] || !b.inRegistry(r, spans, d.Pos) {
				continue
			}
			used[i] = true
			rr.Findings = append(rr.Findings, b.finding(d))
		}
		rr.Conclusion = conclude(rr)
		p.Registries = append(p.Registries, rr)
	}
	for i, d := range diags {
		if !used[i] {
			p.Findings = append(p.Findings, b.finding(d))
		}
	}
	return p
}

type builder struct {
	fset *token.FileSet
	pkg  *types.Package
}

type span struct{ pos, end token.Pos }

func typeSpans(files []*ast.File) map[token.Pos]span {
	out := map[token.Pos]span{}
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				start := ts.Pos()
				if len(gd.Specs) == 1 {
					start = gd.Pos()
				}
				out[ts.Name.Pos()] = span{start, ts.End()}
			}
		}
	}
	return out
}

func (b *builder) inRegistry(r *reg.Registry, spans map[token.Pos]span, pos token.Pos) bool {
	if s, ok := spans[r.Pos]; ok && s.pos <= pos && pos <= s.end {
		return true
	}
	for _, op := range r.Ops {
		if op.Decl.Pos() <= pos && pos <= op.Decl.End() {
			return true
		}
	}
	return false
}

func (b *builder) pos(p token.Pos) Pos {
	pp := b.fset.Position(p)
	return Pos{File: filepath.Base(pp.Filename), Line: pp.Line}
}

func (b *builder) line(p token.Pos) int {
	if !p.IsValid() {
		return 0
	}
	return b.fset.Position(p).Line
}

func (b *builder) typeString(t types.Type) string {
	if t == nil {
		return ""
	}
	return types.TypeString(t, func(p *types.Package) string {
		if p == b.pkg {
			return ""
		}
		return p.Name()
	})
}

func (b *builder) finding(d analysis.Diagnostic) Finding {
	f := Finding{ID: d.Category, Pos: b.pos(d.Pos), Message: strings.TrimSuffix(d.Message, " ("+d.Category+")")}
	if c, ok := checks.Lookup(d.Category); ok {
		f.Name = c.Name
		f.Severity = string(c.Severity)
	}
	return f
}

func opName(op *reg.Op) string {
	sig := op.Obj.Type().(*types.Signature)
	if sig.Recv() == nil {
		return op.Obj.Name()
	}
	t := sig.Recv().Type()
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name() + "." + op.Obj.Name()
	}
	return op.Obj.Name()
}

func sourceName(g *guards.Guard) string {
	switch g.Source {
	case guards.Explicit:
		return "explicit comment"
	case guards.Convention:
		return "mutex comment"
	case guards.Inferred:
		return "inferred from use"
	case guards.Imported:
		return "imported fact"
	}
	return ""
}

func (b *builder) registry(r *reg.Registry) *Registry {
	rr := &Registry{
		Name: r.Name, Kind: "type", Pos: b.pos(r.Pos),
		Collections: []Collection{}, Operations: []Operation{}, Validations: []Validation{},
		Resources: []Resource{}, Goroutines: []Goroutine{}, Findings: []Finding{},
		Locking: LockingStatus{Unguarded: []int{}},
	}
	if r.Type == nil {
		rr.Kind = "package"
	}
	for _, c := range r.Collections {
		col := Collection{
			Name: c.Obj.Name(), Kind: c.Kind, Type: b.typeString(c.Obj.Type()), Entry: b.typeString(c.Entry),
			Pos: b.pos(c.Obj.Pos()),
		}
		if g := c.Guard; g != nil {
			col.Guard = Guard{Mutex: g.MutexName(), RW: g.RW(), Source: sourceName(g), Evidence: g.Evidence(b.fset, c.Obj.Pos()), WriteOnly: g.WriteOnly}
		}
		rr.Collections = append(rr.Collections, col)
	}
	inReg := map[*reg.Collection]bool{}
	for _, c := range r.Collections {
		inReg[c] = true
	}
	for _, op := range r.Ops {
		touches := false
		for _, a := range op.Accesses {
			touches = touches || inReg[a.Coll]
		}
		if !touches {
			continue // e.g. a method that does not touch the collections
		}
		o := Operation{Name: opName(op), Pos: b.pos(op.Decl.Pos()), Roles: []string{}, Accesses: []Access{}, Guarded: true}
		for _, role := range op.Roles {
			o.Roles = append(o.Roles, string(role))
		}
		why := ""
		for _, a := range op.Accesses {
			if !inReg[a.Coll] {
				continue
			}
			acc := Access{Collection: a.Coll.Obj.Name(), Line: b.line(a.Pos), Verb: a.Verb, Held: a.Held}
			if a.Held {
				acc.Mode = a.HeldMode
				acc.LockedAt = b.line(a.LockedAt)
			}
			switch {
			case !a.Concurrent:
				acc.Note = "not concurrent: " + a.Why
				why = a.Why
			case !a.Held && len(a.Other) > 0:
				acc.Note = "holds " + strings.Join(a.Other, " and ") + " instead"
			case a.Held && a.Write && a.HeldMode == "read":
				acc.Note = "written under the read lock"
			}
			if a.Concurrent {
				o.Concurrent = true
				rr.Locking.Accesses++
				if a.Held && !(a.Write && a.HeldMode == "read") {
					rr.Locking.Guarded++
				} else if !(a.Coll.Guard != nil && a.Coll.Guard.WriteOnly && !a.Write) {
					o.Guarded = false
					rr.Locking.Unguarded = append(rr.Locking.Unguarded, acc.Line)
				} else {
					rr.Locking.Guarded++
				}
			}
			o.Accesses = append(o.Accesses, acc)
		}
		if !o.Concurrent {
			o.Guarded = false
			o.NotConcurrent = why
		}
		rr.Operations = append(rr.Operations, o)
		for _, st := range op.Stores {
			if inReg[st.Coll] {
				rr.Validations = append(rr.Validations, b.validation(op, st))
			}
		}
	}
	for _, c := range r.Collections {
		rr.Resources = append(rr.Resources, b.resource(r, c))
	}
	for _, g := range r.Goroutines {
		gg := Goroutine{StartedIn: opName(g.Op), Line: b.line(g.Pos), WaitsOn: g.Stop.Name()}
		for _, op := range r.Ops {
			if !op.Has(reg.Cleanup) {
				continue
			}
			if s, ok := op.Stopped(g); ok {
				gg.StoppedBy = fmt.Sprintf("%s (line %d)", opName(op), b.line(s.Pos))
				break
			}
		}
		rr.Goroutines = append(rr.Goroutines, gg)
	}
	return rr
}

func (b *builder) validation(op *reg.Op, st *reg.Store) Validation {
	v := Validation{Operation: opName(op), Collection: st.Coll.Obj.Name(), Line: b.line(st.Pos)}
	na := Check{Status: "not applicable"}
	switch {
	case st.Bulk:
		v.Store = "bulk insert"
		v.Nil, v.Duplicate = na, na
		v.Nil.Note, v.Duplicate.Note = "bulk insert", "bulk insert"
		if st.DupCheck.IsValid() {
			v.Duplicate = Check{Status: "present", Line: b.line(st.DupCheck), Note: "the collection is read first"}
		}
		return v
	case st.Key != nil:
		v.Store = fmt.Sprintf("%s stored under %s", types.ExprString(st.Value), types.ExprString(st.Key))
	default:
		v.Store = fmt.Sprintf("%s appended", types.ExprString(st.Value))
	}
	// nil
	switch {
	case st.ValParam == nil:
		v.Nil = Check{Status: "not applicable", Note: "the value is not the caller's"}
	case !st.ValDirect:
		v.Nil = Check{Status: "not applicable", Note: "the value wraps the caller's " + st.ValParam.Name()}
	case !st.Nilable:
		v.Nil = Check{Status: "not applicable", Note: "the value cannot be nil"}
	case st.NilCheck.IsValid():
		v.Nil = Check{Status: "present", Line: b.line(st.NilCheck)}
		if st.NilFailFast {
			v.Nil.Note = "dereferenced before the store: a nil fails fast"
		}
	default:
		v.Nil = Check{Status: "missing"}
		if len(st.Coll.Uses) == 0 {
			v.Nil.Note = "entries are never called or dereferenced"
		}
	}
	// duplicate
	switch {
	case st.Coll.SetLike:
		v.Duplicate = Check{Status: "not applicable", Note: "a set: re-adding is idempotent"}
	case st.Coll.KeyEntries:
		v.Duplicate = Check{Status: "not applicable", Note: "keyed by the entry: a store updates its state"}
	case st.DupCheck.IsValid():
		v.Duplicate = Check{Status: "present", Line: b.line(st.DupCheck)}
		if st.DupCheckUnguarded {
			v.Duplicate.Note = "made without the guard: a concurrent registration can slip in between"
		}
	case st.Key != nil && st.KeyParam == nil:
		v.Duplicate = Check{Status: "not applicable", Note: "the key is not the caller's"}
	case st.Key == nil && st.ValParam == nil:
		v.Duplicate = Check{Status: "not applicable", Note: "the value is not the caller's"}
	case st.Replaces:
		v.Duplicate = Check{Status: "missing", Note: "documented as replacing"}
	default:
		v.Duplicate = Check{Status: "missing"}
	}
	return v
}

func (b *builder) resource(r *reg.Registry, c *reg.Collection) Resource {
	res := Resource{
		Collection: c.Obj.Name(), Entry: b.typeString(c.Entry), Releasable: c.Releasable, Release: c.ReleaseName,
		Owned: c.Owned, Ownership: c.OwnedWhy,
		Created: []Site{}, Cleanup: []Step{}, Removals: []Step{}, Releases: []Site{}, Resets: []Site{},
	}
	if !c.Owned {
		res.Ownership = "not owned: values handed in by callers"
	}
	site := func(s reg.Site) Site {
		x := Site{Line: b.line(s.Pos), What: s.What}
		if s.Op != nil {
			x.In = opName(s.Op)
		}
		return x
	}
	for _, s := range c.Created {
		res.Created = append(res.Created, site(s))
	}
	for _, s := range c.Releases {
		res.Releases = append(res.Releases, site(s))
	}
	for _, s := range c.Resets {
		res.Resets = append(res.Resets, site(s))
	}
	guarded := func(op *reg.Op) bool {
		for _, a := range op.Accesses {
			if a.Coll == c && a.Concurrent && !a.Held {
				return false
			}
		}
		return true
	}
	for _, op := range r.Ops {
		if op.Has(reg.Cleanup) {
			_, ranges := op.RangesT[c]
			rel, released := op.ReleasesT[c]
			rst, reset := op.ResetsT[c]
			if !ranges && !released && !reset {
				continue
			}
			st := Step{Operation: opName(op), Line: b.line(op.Decl.Pos()), Guarded: guarded(op)}
			if released {
				st.Releases = b.line(rel.Pos)
				st.EveryEntry = rel.Every
			}
			if reset {
				st.Resets = b.line(rst.Pos)
				st.Note = rst.What
			}
			res.Cleanup = append(res.Cleanup, st)
		}
		for _, rm := range op.Removes {
			if rm.Coll != c || (rm.PerEntry && op.Has(reg.Cleanup)) {
				continue
			}
			st := Step{Operation: opName(op), Line: b.line(rm.Pos), Guarded: guarded(op), Note: rm.What}
			switch {
			case rm.Handled != "":
				st.Note += "; " + rm.Handled
			case op.ReleasesT[c].Pos.IsValid():
				st.Releases = b.line(op.ReleasesT[c].Pos)
				st.Note += "; released"
			default:
				st.Note += "; the removed entry is not released"
			}
			res.Removals = append(res.Removals, st)
		}
	}
	return res
}

// conclude derives the verdict from the sections of the review.
func conclude(r *Registry) Conclusion {
	c := Conclusion{Verdict: "no findings", Points: []string{}}
	if len(r.Findings) > 0 {
		c.Verdict = "findings"
	}
	// locking
	var guards []string
	for _, col := range r.Collections {
		if col.Guard.Mutex != "" {
			guards = append(guards, fmt.Sprintf("%s guards %s (%s)", col.Guard.Mutex, col.Name, col.Guard.Source))
		}
	}
	if len(guards) > 0 {
		c.Points = append(c.Points, strings.Join(guards, "; ")+".")
	}
	switch {
	case r.Locking.Accesses == 0:
		c.Points = append(c.Points, "No access to the collections is made in concurrent code.")
	case len(r.Locking.Unguarded) == 0:
		var roles []string
		seen := map[string]bool{}
		for _, op := range r.Operations {
			for _, role := range op.Roles {
				if role != "construct" && !seen[role] {
					seen[role] = true
					roles = append(roles, role)
				}
			}
		}
		c.Points = append(c.Points, fmt.Sprintf("All %d accesses in concurrent code hold the guard (%s).", r.Locking.Accesses, strings.Join(roles, ", ")))
	default:
		c.Points = append(c.Points, fmt.Sprintf("%d of %d accesses in concurrent code do not hold the guard (%s).",
			len(r.Locking.Unguarded), r.Locking.Accesses, linesText(r.Locking.Unguarded)))
	}
	// validations
	var nilOK, nilMissing, dupOK, dupMissing []string
	for _, v := range r.Validations {
		switch v.Nil.Status {
		case "present":
			nilOK = append(nilOK, v.Operation)
		case "missing":
			nilMissing = append(nilMissing, v.Operation)
		}
		switch v.Duplicate.Status {
		case "present":
			dupOK = append(dupOK, v.Operation)
		case "missing":
			if v.Duplicate.Note == "" {
				dupMissing = append(dupMissing, v.Operation)
			}
		}
	}
	if len(nilOK)+len(dupOK) > 0 {
		c.Points = append(c.Points, fmt.Sprintf("Registrations are validated: %s.", strings.Join(nonEmpty(
			join("nil values rejected in ", nilOK), join("duplicates detected in ", dupOK)), "; ")))
	}
	if len(nilMissing)+len(dupMissing) > 0 {
		c.Points = append(c.Points, fmt.Sprintf("Validation is missing: %s.", strings.Join(nonEmpty(
			join("no nil check in ", nilMissing), join("no duplicate check in ", dupMissing)), "; ")))
	}
	// resources
	for _, res := range r.Resources {
		switch {
		case !res.Owned:
			if res.Releasable {
				c.Points = append(c.Points, fmt.Sprintf("The entries of %s are handed in by callers; the registry does not own them.", res.Collection))
			}
		case len(res.Cleanup) == 0:
			c.Points = append(c.Points, fmt.Sprintf("%s owns the entries of %s: %s; but no cleanup releases them.", r.Name, res.Collection, res.Ownership))
		default:
			var steps []string
			for _, st := range res.Cleanup {
				what := "touches the collection"
				some := ""
				if st.Releases > 0 && !st.EveryEntry {
					some = " some of"
				}
				switch {
				case st.Releases > 0 && st.Resets > 0:
					what = fmt.Sprintf("releases%s the entries (line %d) and resets the collection (line %d)", some, st.Releases, st.Resets)
				case st.Releases > 0:
					what = fmt.Sprintf("releases%s the entries (line %d) without resetting the collection", some, st.Releases)
				case st.Resets > 0:
					what = fmt.Sprintf("resets the collection (line %d) without releasing the entries", st.Resets)
				}
				lock := "holding its guard"
				if !st.Guarded {
					lock = "without its guard"
				}
				steps = append(steps, fmt.Sprintf("%s, %s, %s", st.Operation, lock, what))
			}
			c.Points = append(c.Points, fmt.Sprintf("%s owns the entries of %s: %s. %s.", r.Name, res.Collection, res.Ownership, strings.Join(steps, "; ")))
		}
	}
	for _, g := range r.Goroutines {
		if g.StoppedBy != "" {
			c.Points = append(c.Points, fmt.Sprintf("The goroutine started in %s (line %d) is stopped by %s.", g.StartedIn, g.Line, g.StoppedBy))
		} else {
			c.Points = append(c.Points, fmt.Sprintf("The goroutine started in %s (line %d) waits on %s, which no cleanup closes or cancels.", g.StartedIn, g.Line, g.WaitsOn))
		}
	}
	if len(r.Findings) == 0 {
		c.Points = append(c.Points, "regaudit reports no findings for "+r.Name+".")
	} else {
		ids := map[string]int{}
		for _, f := range r.Findings {
			ids[f.ID]++
		}
		var parts []string
		for id, n := range ids {
			parts = append(parts, fmt.Sprintf("%d × %s", n, id))
		}
		sort.Strings(parts)
		c.Points = append(c.Points, fmt.Sprintf("regaudit reports %d finding(s) for %s: %s.", len(r.Findings), r.Name, strings.Join(parts, ", ")))
	}
	return c
}

func join(prefix string, xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return prefix + strings.Join(dedup(xs), ", ")
}

func dedup(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func nonEmpty(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func linesText(ls []int) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, fmt.Sprint(l))
	}
	if len(ls) == 1 {
		return "line " + parts[0]
	}
	return "lines " + strings.Join(parts, ", ")
}
