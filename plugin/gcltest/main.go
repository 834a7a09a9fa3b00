// Command gcltest is golangci-lint v2.15.0 with the regaudit module plugin
// compiled in: the binary that "golangci-lint custom" would produce from
// docs/.custom-gcl.yml, built here with plain "go build" because "custom"
// clones golangci-lint with git, which needs network access. Like the
// generated plugins.go of "custom", all it adds to golangci-lint's own
// main is a blank import of the plugin. run.sh builds and tests it.
package main

import (
	"fmt"
	"os"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/regaudit/regaudit/plugin"
)

func main() {
	info := commands.BuildInfo{Version: "2.15.0-regaudit", Commit: "gcltest", Date: "-", GoVersion: "-"}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "gcltest: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
