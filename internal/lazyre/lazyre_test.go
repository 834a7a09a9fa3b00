package lazyre

import (
	"regexp/syntax"
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
}

func TestRequired(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want string // literals, fold ones prefixed with ~
	}{
		{`abc`, `abc`},
		{`(?i)Abc`, `~abc`},
		{`\bfoo\b|(?i)bar(baz)?`, `foo ~bar`},
		{`lock[- ]free|\bracy\b`, `lock racy`},
		{`(?i)no need to (lock|hold)|without x`, `~no need to  ~without x`},
		{`a*|b`, ``},
		{`x?y`, `y`},
		{`(ab){2,}c|d+`, `ab d`},
		{`é|e`, ``},
		{`\d+`, ``},
	} {
		re, err := syntax.Parse(tc.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range required(re) {
			s := l.s
			if l.fold {
				s = "~" + s
			}
			got = append(got, s)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("required(%s) = %q, want %q", tc.expr, g, tc.want)
		}
	}
}

func TestPrefilter(t *testing.T) {
	r := New(`(?i:must (already )?be held)|\bTODO\b`)
	for text, want := range map[string]bool{
		"The lock MUST be HELD.":  true,
		"must already be held":    true,
		"must be\nheld":           false,
		"nothing here":            false,
		"a todo":                  false,
		"a TODO":                  true,
		"muſt be held (long s)":   true,
		"must be held (Kelvin K)": true,
	} {
		if got := r.MatchString(text); got != want || got != r.Regexp().MatchString(text) {
			t.Errorf("MatchString(%q) = %v, want %v (regexp: %v)", text, got, want, r.Regexp().MatchString(text))
		}
	}
}
