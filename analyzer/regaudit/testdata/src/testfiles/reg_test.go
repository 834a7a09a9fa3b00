package testfiles

import "testing"

func TestPeek(t *testing.T) {
	r := &Registry{m: map[string]int{}}
	r.Put("a", 1)
	go r.Put("b", 2)
	if len(r.m) == 0 { // a test's unguarded read: not reported
		t.Fatal("empty")
	}
	r.mu.Lock()
	r.mu.Lock() // a deliberate double lock (a deadlock test): not reported
}

