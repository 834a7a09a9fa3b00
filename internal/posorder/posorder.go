// Package posorder orders source positions the same way on every run.
//
// token.Pos values of different files depend on the order in which the
// driver added the files to the FileSet, which varies between runs when
// packages are parsed in parallel (go/packages, as the standalone driver
// does). Sorting by token.Pos across files would make the order of
// findings, evidence and report entries vary; these functions order by
// file name, then offset.
package posorder

import "go/token"

// Compare orders a and b by file name, then offset: -1, 0 or +1. Invalid
// positions come first.
func Compare(fset *token.FileSet, a, b token.Pos) int {
	if a == b {
		return 0
	}
	if !a.IsValid() || !b.IsValid() {
		if !a.IsValid() {
			return -1
		}
		return 1
	}
	fa, fb := fset.File(a), fset.File(b)
	if fa == fb {
		return cmp(int(a), int(b))
	}
	if fa == nil || fb == nil {
		return cmp(int(a), int(b))
	}
	if fa.Name() != fb.Name() {
		if fa.Name() < fb.Name() {
			return -1
		}
		return 1
	}
	return cmp(fa.Offset(a), fb.Offset(b))
}

// Less reports whether a comes before b by file name, then offset.
func Less(fset *token.FileSet, a, b token.Pos) bool { return Compare(fset, a, b) < 0 }

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
