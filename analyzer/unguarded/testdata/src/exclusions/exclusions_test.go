package exclusions

import "testing"

// Test files drive the code single-threaded: unlocked accesses there are
// not reported and are no evidence.

func peek(r *Registry, k string) int {
	return r.m[k]
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	r.Put("a", 1)
	r.m["b"] = 2
	delete(r.m, "a")
	if peek(r, "b") != 2 || len(r.m) != 1 {
		t.Fatal(r.m)
	}
	s := NewServer("x")
	s.conns[1] = "one"
	if len(s.conns) != 1 || overrides["teapot"] != 418 {
		t.Fatal(s.conns)
	}
}
