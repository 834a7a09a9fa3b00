package checks

import (
	"strings"
	"testing"
)

// The opt-in checks are off by default, on with "all", and "default"
// names the default set so that one can be added to it.
func TestOptIn(t *testing.T) {
	optIn := []string{MissingCleanup, IncompleteCleanup, RemovalLeak}
	def := DefaultSelection()
	for _, id := range optIn {
		c, _ := Lookup(id)
		if !c.OptIn || c.Evidence == "" {
			t.Errorf("%s: OptIn %v, Evidence %q; want opt-in with its evidence", id, c.OptIn, c.Evidence)
		}
		if def[id] {
			t.Errorf("%s is on by default", id)
		}
		if !strings.Contains(Explain(c), "Opt-in: off unless selected") {
			t.Errorf("-explain %s does not say it is opt-in", id)
		}
	}
	for _, c := range All() {
		if !c.OptIn && !def[c.ID] {
			t.Errorf("%s is off by default but not opt-in", c.ID)
		}
		if !c.OptIn && strings.Contains(Explain(c), "Opt-in") {
			t.Errorf("-explain %s says opt-in", c.ID)
		}
	}
	parsed, err := ParseSelection("default")
	if err != nil || parsed.String() != def.String() {
		t.Errorf(`ParseSelection("default") = %v, %v; want %v`, parsed, err, def)
	}
	all, _ := ParseSelection("all")
	plus, _ := ParseSelection("default,RA3002")
	minus, _ := ParseSelection("all,-default")
	for _, id := range optIn {
		if !all[id] {
			t.Errorf(`"all" does not select %s`, id)
		}
		if !minus[id] {
			t.Errorf(`"all,-default" does not keep %s`, id)
		}
	}
	if !plus[IncompleteCleanup] || plus[MissingCleanup] || !plus["RA1001"] {
		t.Errorf(`"default,RA3002" = %v`, plus)
	}
	if minus["RA1001"] {
		t.Errorf(`"all,-default" keeps RA1001`)
	}
}
