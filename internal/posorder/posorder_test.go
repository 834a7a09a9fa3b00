package posorder

import (
	"go/token"
	"testing"
)

// Files added in the opposite order of their names still sort by name.
func TestLessAcrossFiles(t *testing.T) {
	fset := token.NewFileSet()
	fb := fset.AddFile("b.go", -1, 100)
	fa := fset.AddFile("a.go", -1, 100)
	pb, pa := fb.Pos(10), fa.Pos(50)
	if pb >= pa {
		t.Fatalf("setup: b.go's Pos should be smaller (added first)")
	}
	if !Less(fset, pa, pb) || Less(fset, pb, pa) {
		t.Errorf("a.go:50 should come before b.go:10")
	}
	if !Less(fset, fa.Pos(1), fa.Pos(2)) || Less(fset, fa.Pos(2), fa.Pos(2)) {
		t.Errorf("same file: by offset")
	}
	if !Less(fset, token.NoPos, pb) || Less(fset, pb, token.NoPos) {
		t.Errorf("invalid positions come first")
	}
}
