// Package guards reads the guard declarations that Go code makes in
// comments: explicit ones on a field or variable ("guarded by mu",
// "protected by mu", checklocks' "+checklocks:mu") and the standard
// library's convention of a mutex commented as protecting the fields that
// follow it, with the scope its words give.
package guards

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"github.com/regaudit/regaudit/internal/lazyre"
)

// Scope is the extent a mutex comment gives to the fields it protects.
type Scope uint8

const (
	ScopeNone  Scope = iota
	ScopeGroup       // "this group": up to the next blank line
	ScopeRest        // "following", "below", "the rest": up to the next mutex or the end
	ScopeCount       // "following N fields"
	ScopeNames       // "guards x and y": the named fields
)

// MutexComment is what a mutex's comment says it protects.
type MutexComment struct {
	Scope     Scope
	Count     int      // for ScopeCount
	Names     []string // for ScopeNames
	WriteOnly bool     // "guards stores (but not loads)", "changing x only"
	Text      string   // the comment, on one line
	Pos       token.Pos
}

var (
	verbRe      = lazyre.New(`(?i)\b(guards?|guarding|protects?|protecting|serializes|synchronizes|covers|locks)\b`)
	explicitRe  = lazyre.New(`(?i)\b(?:guarded|protected|synchronized|locked|covered|owned)\s+(?:by|with|under)\s+(?:the\s+)?([A-Za-z_][\w.]*)`)
	checklockRe = lazyre.New(`\+checklocks(?:read)?:([A-Za-z_][\w.]*)`)
	countRe     = lazyre.New(`(?i)\bfollowing\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+fields?\b`)
	groupRe     = lazyre.New(`(?i)\b(this|the)\s+(group|block)\b|\bgroup of fields\b|\bfields in this group\b`)
	restRe      = lazyre.New(`(?i)\b(following|below|the rest|rest of|subsequent|fields after|that follow|all fields|everything after|the fields?\s+after)\b`)
	writeOnlyRe = lazyre.New(`(?i)\bbut not loads\b|\bnot (?:reads|loads)\b|\b(?:stores|writes|changes|changing|updates|mutations)\b[^.]*\bonly\b|\bonly (?:stores|writes|changes|updates|mutations)\b|\bguards (?:stores|writes|changes|updates)\b`)
	wordRe      = lazyre.New(`[A-Za-z_][\w]*`)
	negatedRe   = lazyre.New(`(?i)\b(not|never|isn't|aren't|no longer)\s+(\w+\s+)?$`)
)

var numbers = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

// CommentText joins a field's doc and line comments on one line.
func CommentText(groups ...*ast.CommentGroup) (string, token.Pos) {
	var parts []string
	pos := token.NoPos
	for _, g := range groups {
		if g == nil {
			continue
		}
		if pos == token.NoPos {
			pos = g.Pos()
		}
		parts = append(parts, strings.Join(strings.Fields(g.Text()), " "))
	}
	return strings.TrimSpace(strings.Join(parts, " ")), pos
}

// ParseMutexComment reads the comment of a mutex. fieldNames are the names
// of the other fields of the struct (or variables of the block), used to
// recognise "guards x and y".
func ParseMutexComment(text string, pos token.Pos, fieldNames map[string]bool) (MutexComment, bool) {
	mc := MutexComment{Text: text, Pos: pos}
	if text == "" {
		return mc, false
	}
	if !verbRe.MatchString(text) {
		return mc, false
	}
	mc.WriteOnly = writeOnlyRe.MatchString(text)
	switch {
	case countRe.MatchString(text):
		m := countRe.FindStringSubmatch(text)
		n, err := strconv.Atoi(m[1])
		if err != nil {
			n = numbers[strings.ToLower(m[1])]
		}
		mc.Scope, mc.Count = ScopeCount, n
	case groupRe.MatchString(text):
		mc.Scope = ScopeGroup
	case restRe.MatchString(text):
		mc.Scope = ScopeRest
	default:
		// "guards x and y": names that are fields, after the verb
		loc := verbRe.FindStringIndex(text)
		rest := text[loc[1]:]
		for _, w := range wordRe.FindAllString(rest, -1) {
			if fieldNames[w] {
				mc.Names = append(mc.Names, w)
			}
		}
		if len(mc.Names) == 0 {
			return mc, false
		}
		mc.Scope = ScopeNames
	}
	return mc, true
}

// ExplicitGuard returns the mutex an explicit comment on a field or
// variable names ("guarded by mu", "guarded by r.mu", "+checklocks:mu"),
// as written, and the matched text.
func ExplicitGuard(text string) (name, match string, ok bool) {
	if m := checklockRe.FindStringSubmatch(text); m != nil {
		return m[1], m[0], true
	}
	if loc := explicitRe.FindStringSubmatchIndex(text); loc != nil {
		if negatedRe.MatchString(text[:loc[0]]) {
			return "", "", false // "not protected by the mutex"
		}
		m := text[loc[2]:loc[3]]
		return strings.TrimRight(m, "."), text[loc[0]:loc[1]], true
	}
	return "", "", false
}

// Member is one field of a struct, or one variable of a var block, in
// source order, for applying a mutex comment's scope.
type Member struct {
	Name      string
	IsMutex   bool
	BlankLine bool // a blank line separates it from the previous member
	Explicit  bool // it has its own guard comment, which ends a "following" scope
}

// Covered returns the indexes of the members that the mutex at index mi
// guards according to mc.
func Covered(members []Member, mi int, mc MutexComment) []int {
	var out []int
	switch mc.Scope {
	case ScopeNames:
		for i, m := range members {
			for _, n := range mc.Names {
				if m.Name == n && !m.IsMutex {
					out = append(out, i)
				}
			}
		}
	case ScopeCount:
		for i := mi + 1; i < len(members) && len(out) < mc.Count; i++ {
			if members[i].IsMutex {
				break
			}
			out = append(out, i)
		}
	case ScopeGroup:
		for i := mi + 1; i < len(members); i++ {
			if members[i].IsMutex || members[i].BlankLine || members[i].Explicit {
				break
			}
			out = append(out, i)
		}
	case ScopeRest:
		for i := mi + 1; i < len(members); i++ {
			if members[i].IsMutex || members[i].Explicit {
				break
			}
			out = append(out, i)
		}
	}
	return out
}
