package checks

import (
	"strings"
	"testing"
)

// TestLockFlowChecks checks that every RA2xxx check is fully documented.
func TestLockFlowChecks(t *testing.T) {
	n := 0
	for _, c := range All() {
		if !strings.HasPrefix(c.ID, "RA2") {
			continue
		}
		n++
		if c.Name == "" || c.Title == "" || c.Doc == "" || c.Bad == "" || c.Good == "" || c.Severity == "" {
			t.Errorf("%s: incomplete entry", c.ID)
		}
		if len(c.Name) > 22 {
			t.Errorf("%s: name %q is longer than the -explain list column", c.ID, c.Name)
		}
		if c.Title != strings.ToLower(c.Title[:1])+c.Title[1:] || strings.HasSuffix(c.Title, ".") {
			t.Errorf("%s: title %q should be lowercase without a trailing period", c.ID, c.Title)
		}
		if got, ok := Lookup(c.Name); !ok || got != c {
			t.Errorf("%s: lookup by name %q failed", c.ID, c.Name)
		}
	}
	if n != 8 {
		t.Errorf("got %d RA2 checks, want 8", n)
	}
}
