package regaudit

import (
	"testing"

	"github.com/regaudit/regaudit/internal/lazyre"
)

// The regular expressions of every package are compiled on first use
// (internal/lazyre): make sure they all compile.
func TestPatternsCompile(t *testing.T) {
	if err := lazyre.CompileAll(); err != nil {
		t.Fatal(err)
	}
}
