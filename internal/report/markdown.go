package report

import (
	"fmt"
	"io"
	"strings"
)

// Markdown renders the report as Markdown (GitHub-flavoured tables).
func Markdown(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString("# regaudit registry review\n")
	n := 0
	for _, p := range r.Packages {
		n += len(p.Registries)
	}
	fmt.Fprintf(&b, "\n%d registr%s in %d package%s.\n", n, plural(n, "y", "ies"), len(r.Packages), plural(len(r.Packages), "", "s"))
	for _, p := range r.Packages {
		for _, reg := range p.Registries {
			registryMD(&b, p, reg)
		}
		if len(p.Findings) > 0 {
			fmt.Fprintf(&b, "\n## Other findings in `%s`\n\n", p.Path)
			findingsMD(&b, p.Findings)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

func registryMD(b *strings.Builder, p *Package, r *Registry) {
	fmt.Fprintf(b, "\n## %s %s (`%s`, %s:%d)\n", strings.ToUpper(r.Kind[:1])+r.Kind[1:], code(r.Name), p.Path, r.Pos.File, r.Pos.Line)

	b.WriteString("\n### Collections and their guards\n\n")
	b.WriteString("| Collection | Type | Guard | How the guard is established |\n|---|---|---|---|\n")
	for _, c := range r.Collections {
		guard := code(c.Guard.Mutex)
		if c.Guard.RW {
			guard += " (RWMutex)"
		}
		if c.Guard.WriteOnly {
			guard += " (writes only)"
		}
		fmt.Fprintf(b, "| %s (line %d) | %s | %s | %s: %s |\n", code(c.Name), c.Pos.Line, code(c.Type), guard, c.Guard.Source, cell(c.Guard.Evidence))
	}

	b.WriteString("\n### Proper use of mutexes\n\n")
	b.WriteString("| Operation | Role | Accesses (line: use) | Guard held |\n|---|---|---|---|\n")
	for _, o := range r.Operations {
		roles := strings.Join(o.Roles, ", ")
		if roles == "" {
			roles = "other"
		}
		var accs []string
		byLine := map[int]int{} // line -> index in accs
		locked := map[int]bool{}
		var lockedAt []string
		var bad []string
		for _, a := range o.Accesses {
			verb := a.Verb
			if len(r.Collections) > 1 {
				verb = a.Collection + " " + verb
			}
			if i, ok := byLine[a.Line]; ok {
				if !strings.Contains(accs[i], verb) {
					accs[i] += ", " + verb
				}
			} else {
				byLine[a.Line] = len(accs)
				accs = append(accs, fmt.Sprintf("%d: %s", a.Line, verb))
			}
			if a.LockedAt > 0 && !locked[a.LockedAt] {
				locked[a.LockedAt] = true
				lockedAt = append(lockedAt, fmt.Sprint(a.LockedAt))
			}
			if !a.Held && !strings.HasPrefix(a.Note, "not concurrent") {
				msg := fmt.Sprintf("line %d", a.Line)
				if a.Note != "" {
					msg += " (" + a.Note + ")"
				}
				bad = append(bad, msg)
			} else if a.Note != "" && !strings.HasPrefix(a.Note, "not concurrent") {
				bad = append(bad, fmt.Sprintf("line %d (%s)", a.Line, a.Note))
			}
		}
		allHeld := true
		for _, a := range o.Accesses {
			allHeld = allHeld && a.Held
		}
		var held string
		switch {
		case !o.Concurrent && allHeld:
			held = fmt.Sprintf("yes (locked at %s %s; not concurrent: %s)", plural(len(lockedAt), "line", "lines"), strings.Join(lockedAt, ", "), o.NotConcurrent)
		case !o.Concurrent:
			held = "not concurrent: " + o.NotConcurrent
		case len(bad) == 0:
			held = "yes"
			if len(lockedAt) > 0 {
				held += fmt.Sprintf(" (locked at %s %s)", plural(len(lockedAt), "line", "lines"), strings.Join(lockedAt, ", "))
			} else {
				held += " (held by the caller)"
			}
		default:
			held = "**no**: " + strings.Join(bad, ", ")
		}
		fmt.Fprintf(b, "| %s (line %d) | %s | %s | %s |\n", code(o.Name), o.Pos.Line, roles, cell(strings.Join(accs, "; ")), cell(held))
	}
	if r.Locking.Accesses > 0 {
		if len(r.Locking.Unguarded) == 0 {
			fmt.Fprintf(b, "\nEvery one of the %d accesses in concurrent code holds its guard.\n", r.Locking.Accesses)
		} else {
			fmt.Fprintf(b, "\n%d of the %d accesses in concurrent code hold their guard; %s do%s not.\n",
				r.Locking.Guarded, r.Locking.Accesses, linesText(r.Locking.Unguarded), plural(len(r.Locking.Unguarded), "es", ""))
		}
	}

	b.WriteString("\n### Validations\n\n")
	if len(r.Validations) == 0 {
		b.WriteString("No operation stores into the collections.\n")
	} else {
		b.WriteString("| Operation | Store | Nil check | Duplicate check |\n|---|---|---|---|\n")
		for _, v := range r.Validations {
			fmt.Fprintf(b, "| %s | %s (line %d) | %s | %s |\n", code(v.Operation), cell(code(v.Store)), v.Line, cell(checkText(v.Nil)), cell(checkText(v.Duplicate)))
		}
	}

	b.WriteString("\n### Resource management\n\n")
	for _, res := range r.Resources {
		rel := "not releasable"
		if res.Releasable {
			rel = "releasable"
			if res.Release != "" {
				rel += " (" + releaseText(res.Release) + ")"
			}
		}
		fmt.Fprintf(b, "- %s: entries of type %s, %s; %s.\n", code(res.Collection), code(res.Entry), rel, ownText(res))
		for _, s := range res.Created {
			fmt.Fprintf(b, "  - Created: line %d, %s in %s.\n", s.Line, s.What, code(s.In))
		}
		for _, st := range res.Cleanup {
			var parts []string
			if st.Releases > 0 && !st.EveryEntry {
				parts = append(parts, fmt.Sprintf("releases some of the entries (under a condition or in goroutines) at line %d", st.Releases))
			} else if st.Releases > 0 {
				parts = append(parts, fmt.Sprintf("releases the entries at line %d", st.Releases))
			} else {
				parts = append(parts, "does not release the entries")
			}
			if st.Resets > 0 {
				parts = append(parts, fmt.Sprintf("resets the collection at line %d (%s)", st.Resets, st.Note))
			} else {
				parts = append(parts, "does not reset the collection")
			}
			lock := "holding the guard"
			if !st.Guarded {
				lock = "**without the guard**"
			}
			fmt.Fprintf(b, "  - Cleanup: %s (line %d) %s, %s.\n", code(st.Operation), st.Line, strings.Join(parts, " and "), lock)
		}
		if len(res.Cleanup) == 0 && res.Owned {
			b.WriteString("  - Cleanup: none.\n")
		}
		for _, st := range res.Removals {
			fmt.Fprintf(b, "  - Removal: %s at line %d: %s.\n", code(st.Operation), st.Line, st.Note)
		}
	}
	if len(r.Goroutines) == 0 {
		b.WriteString("- Background goroutines: none.\n")
	}
	for _, g := range r.Goroutines {
		stop := "not stopped by any cleanup"
		if g.StoppedBy != "" {
			stop = "stopped by " + g.StoppedBy
		}
		fmt.Fprintf(b, "- Background goroutine started in %s at line %d, waiting on %s: %s.\n", code(g.StartedIn), g.Line, code(g.WaitsOn), stop)
	}

	b.WriteString("\n### Findings\n\n")
	if len(r.Findings) == 0 {
		b.WriteString("None.\n")
	} else {
		findingsMD(b, r.Findings)
	}

	b.WriteString("\n### Conclusion\n\n")
	fmt.Fprintf(b, "**%s**", strings.ToUpper(r.Conclusion.Verdict[:1])+r.Conclusion.Verdict[1:])
	b.WriteString("\n\n")
	for _, pt := range r.Conclusion.Points {
		fmt.Fprintf(b, "- %s\n", pt)
	}
	b.WriteString("\nThis review covers what regaudit models: lock discipline over the guarded collections, registration validation and the lifecycle of entries. It is not a full security audit.\n")
}

func findingsMD(b *strings.Builder, fs []Finding) {
	b.WriteString("| ID | Check | Severity | Where | Message |\n|---|---|---|---|---|\n")
	for _, f := range fs {
		fmt.Fprintf(b, "| %s | %s | %s | %s:%d | %s |\n", f.ID, f.Name, f.Severity, f.Pos.File, f.Pos.Line, cell(f.Message))
	}
}

func checkText(c Check) string {
	var s string
	switch c.Status {
	case "present":
		s = fmt.Sprintf("yes (line %d)", c.Line)
	case "missing":
		s = "**missing**"
	default:
		s = "n/a"
	}
	if c.Note != "" {
		s += " — " + c.Note
	}
	return s
}

func releaseText(r string) string {
	switch r {
	case "call":
		return "called to cancel"
	case "close":
		return "closed"
	}
	return code(r)
}

func ownText(res Resource) string {
	if res.Owned {
		return "owned: " + res.Ownership
	}
	return res.Ownership
}
