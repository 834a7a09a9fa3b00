// Package stacks prints the goroutines blocked in a call, for the
// deadlock reproductions.
package stacks

import (
	"fmt"
	"runtime"
	"strings"
)

// Matching returns the stacks of the goroutines created by the calling
// goroutine (so not those leaked by an earlier test) whose trace contains
// sub.
func Matching(sub string) string {
	buf := make([]byte, 1<<20)
	self := string(buf[:runtime.Stack(buf, false)])
	var id int
	fmt.Sscanf(self, "goroutine %d ", &id)
	created := fmt.Sprintf(" in goroutine %d\n", id)

	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, sub) && strings.Contains(g+"\n", created) {
			out = append(out, g)
		}
	}
	return strings.Join(out, "\n\n")
}
