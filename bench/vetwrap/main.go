// Command vetwrap wraps a go vet tool for cold-analysis benchmarks.
//
// go vet caches each package's analysis under the tool's "-V=full" id, so a
// second run of the same tool does no analysis. vetwrap answers -V=full with
// an id that contains $VETWRAP_NONCE (a fresh value per benchmark run), which
// defeats that cache for every tool alike, while the compiled export data
// of the packages, keyed by the compiler's id, stays warm. Every other
// invocation runs $VETWRAP_TOOL with the same arguments, and, if
// $VETWRAP_LOG is set, appends one line per analysis unit to it:
//
//	<user+sys µs> <maxrss KiB> <wall µs> <vetxonly 0|1> <exit code> <import path>
//
// Usage: go vet -vettool=/path/to/vetwrap (with VETWRAP_TOOL set).
package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	tool := os.Getenv("VETWRAP_TOOL")
	if tool == "" {
		fmt.Fprintln(os.Stderr, "vetwrap: VETWRAP_TOOL is not set")
		os.Exit(2)
	}
	args := os.Args[1:]
	if len(args) == 1 && args[0] == "-V=full" {
		// The real tool's id, so that different builds never share a
		// cache entry, plus the nonce. "name version X" (not devel) makes
		// go vet use the whole line as the id.
		out, err := exec.Command(tool, "-V=full").Output()
		if err != nil {
			fmt.Fprintf(os.Stderr, "vetwrap: %s -V=full: %v\n", tool, err)
			os.Exit(2)
		}
		sum := sha256.Sum256(out)
		fmt.Printf("%s version bench-%x-%s\n", filepath.Base(tool), sum[:8], os.Getenv("VETWRAP_NONCE"))
		return
	}

	cmd := exec.Command(tool, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			fmt.Fprintf(os.Stderr, "vetwrap: %v\n", err)
			os.Exit(2)
		}
		code = ee.ExitCode()
		if code < 0 {
			code = 2 // killed by a signal
		}
	}
	if logName := os.Getenv("VETWRAP_LOG"); logName != "" && cmd.ProcessState != nil && len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg") {
		ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if ru != nil {
			cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			path, vetxOnly := unit(args[len(args)-1])
			line := fmt.Sprintf("%d %d %d %d %d %s\n", cpu.Microseconds(), ru.Maxrss, wall.Microseconds(), vetxOnly, code, path)
			// One write of a short line to an O_APPEND file: concurrent
			// vetwrap processes do not interleave their lines.
			if f, err := os.OpenFile(logName, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
				f.WriteString(line)
				f.Close()
			}
		}
	}
	os.Exit(code)
}

// unit reads the import path and VetxOnly bit of a vet.cfg file.
func unit(cfgFile string) (string, int) {
	var cfg struct {
		ImportPath string
		VetxOnly   bool
	}
	data, err := os.ReadFile(cfgFile)
	if err == nil {
		err = json.Unmarshal(data, &cfg)
	}
	if err != nil || cfg.ImportPath == "" {
		return "?", 0
	}
	v := 0
	if cfg.VetxOnly {
		v = 1
	}
	return strings.ReplaceAll(cfg.ImportPath, " ", "_"), v
}
