// Package lazyre provides regular expressions compiled on first use, with
// a literal prefilter.
//
// Under go vet, regaudit runs once per package (most of them
// dependencies analysed only for their facts), and most packages never
// need most of its patterns: compiling them all at start-up, as
// package-level regexp.MustCompile does, costs every run.
//
// Its patterns are long alternations of phrases, most of them
// case-insensitive, matched against comments, which Go's regexp engines
// scan slowly. Every match of such a pattern contains one of a set of
// literals (one per alternative): a text that contains none of them is
// not matched, at the cost of a few strings.Contains. The literals come
// from parsing the expression, which is much cheaper than compiling it:
// the expression is compiled only when a text passes the prefilter, which
// in most packages none does.
package lazyre

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// A Regexp is a regular expression compiled when first used. It is safe
// for concurrent use.
type Regexp struct {
	expr   string
	filter func() prefilter      // parsed on first use
	re     func() *regexp.Regexp // compiled on first use that passes the filter
}

type prefilter struct {
	// Every match contains one of these (nil: no such set is known).
	need []literal
}

// A literal is a string every match of an alternative contains, exactly
// or, if fold, in any case.
type literal struct {
	s    string // lower-cased if fold
	fold bool
}

var (
	mu  sync.Mutex
	all []*Regexp
)

// New returns the regular expression expr, compiled on first use (which
// panics if expr does not compile: CompileAll, in a test, finds out first).
func New(expr string) *Regexp {
	r := &Regexp{
		expr: expr,
		filter: sync.OnceValue(func() prefilter {
			var f prefilter
			if re, err := syntax.Parse(expr, syntax.Perl); err == nil {
				f.need = required(re)
			}
			return f
		}),
		re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) }),
	}
	mu.Lock()
	all = append(all, r)
	mu.Unlock()
	return r
}

// CompileAll compiles every expression made by New so far and returns the
// first error.
func CompileAll() error {
	mu.Lock()
	defer mu.Unlock()
	for _, r := range all {
		if _, err := regexp.Compile(r.expr); err != nil {
			return err
		}
	}
	return nil
}

// All returns the expressions made by New so far.
func All() []*Regexp {
	mu.Lock()
	defer mu.Unlock()
	return append([]*Regexp(nil), all...)
}

// Regexp returns the compiled expression (without the prefilter).
func (r *Regexp) Regexp() *regexp.Regexp { return r.re() }

// String returns the source text of the expression.
func (r *Regexp) String() string { return r.expr }

// may reports whether s may contain a match.
func (r *Regexp) may(s string) bool {
	need := r.filter().need
	if need == nil {
		return true
	}
	var lower string
	for _, l := range need {
		if !l.fold {
			if strings.Contains(s, l.s) {
				return true
			}
			continue
		}
		if lower == "" {
			// The Kelvin sign and the long s fold to k and s, and
			// strings.ToLower does not map the long s to s.
			if strings.ContainsAny(s, "\u212a\u017f") {
				return true
			}
			lower = strings.ToLower(s)
		}
		if strings.Contains(lower, l.s) {
			return true
		}
	}
	return false
}

func (r *Regexp) MatchString(s string) bool {
	return r.may(s) && r.re().MatchString(s)
}

func (r *Regexp) FindString(s string) string {
	if r.may(s) {
		return r.re().FindString(s)
	}
	return ""
}

func (r *Regexp) FindStringIndex(s string) []int {
	if r.may(s) {
		return r.re().FindStringIndex(s)
	}
	return nil
}

func (r *Regexp) FindStringSubmatch(s string) []string {
	if r.may(s) {
		return r.re().FindStringSubmatch(s)
	}
	return nil
}

func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	if r.may(s) {
		return r.re().FindStringSubmatchIndex(s)
	}
	return nil
}

func (r *Regexp) FindAllString(s string, n int) []string {
	if r.may(s) {
		return r.re().FindAllString(s, n)
	}
	return nil
}

func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	if r.may(s) {
		return r.re().FindAllStringSubmatch(s, n)
	}
	return nil
}

func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	if r.may(s) {
		return r.re().FindAllStringIndex(s, n)
	}
	return nil
}

// required returns literals one of which every match of re contains, or
// nil if it knows of none.
func required(re *syntax.Regexp) []literal {
	switch re.Op {
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		s := string(re.Rune)
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return nil // leave case folding beyond ASCII to the regexp
			}
		}
		if fold {
			s = strings.Map(unicode.ToLower, s)
		}
		return []literal{{s, fold}}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		// every part is in the match: the most selective part's set
		var best []literal
		for _, sub := range re.Sub {
			if ls := required(sub); ls != nil && (best == nil || shortest(ls) > shortest(best)) {
				best = ls
			}
		}
		return best
	case syntax.OpAlternate:
		var out []literal
		for _, sub := range re.Sub {
			ls := required(sub)
			if ls == nil {
				return nil // an alternative without one
			}
			out = append(out, ls...)
		}
		return out
	}
	return nil
}

func shortest(ls []literal) int {
	n := -1
	for _, l := range ls {
		if n < 0 || len(l.s) < n {
			n = len(l.s)
		}
	}
	return n
}
