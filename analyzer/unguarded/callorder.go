package unguarded

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/internal/lazyre"
	ls "github.com/regaudit/regaudit/internal/lockstate"
)

// A function whose doc comment states a call-order precondition against
// an operation of its package leaves the order to its callers, as one
// documented "must be held" leaves them the lock:
//
//	// Err returns the reason the connection was closed. It is not safe to
//	// call this function until l.Notify has been closed.
//	func (l *ListenerConn) Err() error { return l.err }
//
// Its reads (in its own body, not in goroutines or stored closures it
// makes) are not reported: the caller orders them after the writes the
// operation ends. The precondition must say when the function may be
// called ("must not be called until/before X", "not safe to call this
// function until X", "must only be called after X") and X must name a
// function, method or struct field declared in the package (compared
// case-insensitively: docs lag behind renames), so that a vague "must
// not be called before the stream is ready" does not count. Writes stay
// reported: the order says the writes the reader depends on are done,
// not that no one else writes meanwhile.

// callOrderRe matches a call-order precondition; its group 1 is the text
// naming the operation the call must follow.
var callOrderRe = lazyre.New(`(?is)(?:\b(?:must|should|may|can)(?:\s+not|n't)\s+(?:be\s+)?called\s+(?:until|before)|\bnot\s+safe\s+to\s+call\s+(?:this\s+(?:function|method)\s+|it\s+)?(?:until|before)|\b(?:must|should|may|can)\s+only\s+be\s+called\s+after|\bmust\s+be\s+called\s+only\s+after|\bonly\s+(?:be\s+)?called\s+after)\s+(?:after\s+)?([^.;]*(?:\.\w[^.;]*)*)`)

// identRe matches a (possibly qualified) Go identifier, with the
// parentheses of a call.
var identRe = lazyre.New(`[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\(\))?`)

// callOrders caches, per function, whether its doc states a call-order
// precondition naming an operation of the package.
type callOrders struct {
	pass  *analysis.Pass
	names map[string]bool // lower-cased names of the package's functions, methods and fields
	doc   map[*ls.FuncInfo]bool
}

func newCallOrders(pass *analysis.Pass) *callOrders {
	c := &callOrders{pass: pass, names: map[string]bool{}, doc: map[*ls.FuncInfo]bool{}}
	for id, obj := range pass.TypesInfo.Defs {
		switch o := obj.(type) {
		case *types.Func:
			c.names[strings.ToLower(id.Name)] = true
		case *types.Var:
			if o.IsField() {
				c.names[strings.ToLower(id.Name)] = true
			}
		}
	}
	return c
}

// ordered reports whether a is a read in the body of a function documented
// as called only after an operation of the package.
func (c *callOrders) ordered(a *ls.Access) bool {
	if a.Kind != ls.Read || a.Func == nil || a.Func.Decl == nil || a.Func.Decl.Doc == nil ||
		a.Ctx.Inside(ls.CtxGoroutine) || a.Ctx.Inside(ls.CtxUnknown) {
		return false
	}
	v, ok := c.doc[a.Func]
	if !ok {
		v = c.documented(a.Func.Decl)
		c.doc[a.Func] = v
	}
	return v
}

func (c *callOrders) documented(fd *ast.FuncDecl) bool {
	text := strings.Join(strings.Fields(fd.Doc.Text()), " ")
	for _, m := range callOrderRe.FindAllStringSubmatch(text, -1) {
		for _, id := range identRe.FindAllString(m[1], -1) {
			// Code, not prose: qualified (l.Notify), called (Start()) or
			// mixed-case (WriteHeader, Notify).
			code := strings.ContainsAny(id, ".(") || strings.ToLower(id) != id
			id = strings.TrimSuffix(id, "()")
			id = id[strings.LastIndexByte(id, '.')+1:]
			if code && id != fd.Name.Name && c.names[strings.ToLower(id)] {
				return true
			}
		}
	}
	return false
}
