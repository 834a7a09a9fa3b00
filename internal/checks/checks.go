// Package checks is the single source of truth for regaudit's checks: their
// stable IDs, titles, severities and documentation (with a bad and a good
// example). The -explain flag, docs/checks.md and the SARIF rules are all
// generated from this table.
package checks

import (
	"go/token"

	"fmt"
	"golang.org/x/tools/go/analysis"
	"sort"
	"strings"
)

// Severity of a check, as shown in SARIF and -explain.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Note    Severity = "note"
)

// A Check describes one diagnostic kind.
type Check struct {
	ID       string   // stable ID, used as the diagnostic category, e.g. "RA1001"
	Name     string   // short kebab-case name, e.g. "unguarded-read"
	Title    string   // one line
	Severity Severity //
	Doc      string   // what it finds and why it matters (plain text, paragraphs)
	Bad      string   // Go code that triggers the check
	Good     string   // the corrected code, which stays silent
	// OptIn checks are off unless selected (-checks=default,RA3001 or
	// -checks=all), as staticcheck's non-default checks: their precision on
	// code regaudit was never tuned on is too low for every build (Evidence
	// says how low). The review report (-report) includes them.
	OptIn    bool
	Evidence string // why the check is opt-in: what it measured on held-out code
}

var registry = map[string]*Check{}

// Register adds c to the table. It is called from init functions of this
// package only (the table is immutable afterwards).
func register(c *Check) {
	if _, dup := registry[c.ID]; dup {
		panic("duplicate check ID " + c.ID)
	}
	registry[c.ID] = c
}

// All returns every check, sorted by ID.
func All() []*Check {
	out := make([]*Check, 0, len(registry))
	for _, c := range registry {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup returns the check with the given ID or name.
func Lookup(idOrName string) (*Check, bool) {
	if c, ok := registry[strings.ToUpper(idOrName)]; ok {
		return c, true
	}
	for _, c := range registry {
		if c.Name == idOrName {
			return c, true
		}
	}
	return nil, false
}

// Selection is a set of enabled check IDs. The zero value enables nothing;
// use DefaultSelection.
type Selection map[string]bool

// DefaultSelection enables every check but the opt-in ones.
func DefaultSelection() Selection {
	s := Selection{}
	for id, c := range registry {
		s[id] = !c.OptIn
	}
	return s
}

// ParseSelection parses a staticcheck-style list: "all", "default" (the
// checks that are on without -checks: all but the opt-in ones), "-RA1001",
// "RA1*", "-RA2*", "unguarded-read", applied left to right starting from
// nothing. An unknown ID is an error.
func ParseSelection(spec string) (Selection, error) {
	s := Selection{}
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return s, nil
	}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		enable := true
		if strings.HasPrefix(item, "-") {
			enable = false
			item = item[1:]
		}
		matched := false
		switch {
		case item == "all" || item == "*":
			for id := range registry {
				s[id] = enable
			}
			matched = true
		case item == "default":
			for id, c := range registry {
				if !c.OptIn {
					s[id] = enable
				}
			}
			matched = true
		case strings.HasSuffix(item, "*"):
			prefix := strings.ToUpper(strings.TrimSuffix(item, "*"))
			for id := range registry {
				if strings.HasPrefix(id, prefix) {
					s[id] = enable
					matched = true
				}
			}
		default:
			if c, ok := Lookup(item); ok {
				s[c.ID] = enable
				matched = true
			}
		}
		if !matched {
			return nil, fmt.Errorf("unknown check %q (see regaudit -explain list)", item)
		}
	}
	return s, nil
}

// String renders the selection as a sorted, comma-separated list of IDs.
func (s Selection) String() string {
	var ids []string
	for id, on := range s {
		if on {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

// Explain renders the documentation of c as plain text, as printed by
// regaudit -explain and collected in docs/checks.md.
func Explain(c *Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n\n", c.ID, c.Name, c.Title)
	fmt.Fprintf(&b, "Severity: %s\n\n", c.Severity)
	if c.OptIn {
		fmt.Fprintf(&b, "Opt-in: off unless selected, e.g. -checks=default,%s (the review report, -report, always includes it). %s\n\n", c.ID, strings.TrimSpace(c.Evidence))
	}
	b.WriteString(strings.TrimSpace(c.Doc))
	b.WriteString("\n\nBad:\n\n")
	b.WriteString(indent(c.Bad))
	b.WriteString("\nGood:\n\n")
	b.WriteString(indent(c.Good))
	return b.String()
}

func indent(code string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.Trim(code, "\n"), "\n") {
		if line == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString("    " + line + "\n")
	}
	return b.String()
}

// A Finding is a diagnostic produced by one of the check families, before
// check selection and suppressions are applied by the regaudit analyzer.
type Finding struct {
	ID      string // check ID, becomes the diagnostic category
	Pos     token.Pos
	End     token.Pos
	Message string
	Related []analysis.RelatedInformation
	Fixes   []analysis.SuggestedFix
}
