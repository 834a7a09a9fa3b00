package guards

import (
	"go/token"
	"testing"
)

func TestExplicitGuard(t *testing.T) {
	for _, tc := range []struct {
		text, name string
		ok         bool
	}{
		{"guarded by mu", "mu", true},
		{"Protected by in.Mutex.", "in.Mutex", true},
		{"+checklocks:mu", "mu", true},
		{"The slice contents are not protected by the mutex.", "", false},
		{"keys is never guarded by mu", "", false},
		{"the conns map, protected by connsMu", "connsMu", true},
		{"a plain comment", "", false},
	} {
		name, _, ok := ExplicitGuard(tc.text)
		if ok != tc.ok || name != tc.name {
			t.Errorf("ExplicitGuard(%q) = %q, %v; want %q, %v", tc.text, name, ok, tc.name, tc.ok)
		}
	}
}

func TestMutexCommentScope(t *testing.T) {
	fields := map[string]bool{"closed": true, "conns": true, "a": true}
	for _, tc := range []struct {
		text      string
		scope     Scope
		count     int
		writeOnly bool
		ok        bool
	}{
		{"protects following fields", ScopeRest, 0, false, true},
		{"guards this group of fields", ScopeGroup, 0, false, true},
		{"guards following 4 fields", ScopeCount, 4, false, true},
		{"guards closed and conns", ScopeNames, 0, false, true},
		{"Guards stores (but not loads) on extensions.", ScopeNone, 0, true, false},
		{"guards all fields below", ScopeRest, 0, false, true},
		{"held while writing", ScopeNone, 0, false, false},
	} {
		mc, ok := ParseMutexComment(tc.text, token.NoPos, fields)
		if ok != tc.ok || (ok && (mc.Scope != tc.scope || mc.Count != tc.count)) || (ok && mc.WriteOnly != tc.writeOnly) {
			t.Errorf("ParseMutexComment(%q) = %+v, %v; want scope %v count %d writeOnly %v ok %v", tc.text, mc, ok, tc.scope, tc.count, tc.writeOnly, tc.ok)
		}
	}
}

func TestCovered(t *testing.T) {
	members := []Member{
		{Name: "mu", IsMutex: true},
		{Name: "a"},
		{Name: "b"},
		{Name: "c", BlankLine: true},
		{Name: "d", Explicit: true},
		{Name: "mu2", IsMutex: true},
		{Name: "e"},
	}
	check := func(mc MutexComment, want ...string) {
		t.Helper()
		var got []string
		for _, i := range Covered(members, 0, mc) {
			got = append(got, members[i].Name)
		}
		if len(got) != len(want) {
			t.Fatalf("%v: got %v want %v", mc.Scope, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%v: got %v want %v", mc.Scope, got, want)
			}
		}
	}
	check(MutexComment{Scope: ScopeGroup}, "a", "b")
	check(MutexComment{Scope: ScopeRest}, "a", "b", "c")
	check(MutexComment{Scope: ScopeCount, Count: 1}, "a")
	check(MutexComment{Scope: ScopeNames, Names: []string{"c", "e"}}, "c", "e")
}
