package lazyre

import (
	"strings"
	"sync"
	"testing"
)

func TestLazy(t *testing.T) {
	r := New(`(?i)\bgu(a)rd(ed)?\b`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if !r.MatchString("Guarded by mu") || r.MatchString("regard") {
				t.Error("MatchString")
			}
		})
	}
	wg.Wait()
	if got := r.FindStringSubmatch("the guard"); strings.Join(got, ",") != "guard,a," {
		t.Errorf("FindStringSubmatch = %q", got)
	}
	if r.String() != `(?i)\bgu(a)rd(ed)?\b` || r.Regexp().NumSubexp() != 2 {
		t.Error("String or Regexp")
	}
	if err := CompileAll(); err != nil {
		t.Fatal(err)
	}
	New(`(`)
	if err := CompileAll(); err == nil {
		t.Error("CompileAll: no error for a bad expression")
	}
}
