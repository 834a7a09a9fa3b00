// Package plugin registers regaudit as a golangci-lint v2 module plugin.
//
// Build a custom golangci-lint with it (see docs/golangci-lint.md and the
// example .custom-gcl.yml), then enable it in .golangci.yml:
//
//	linters:
//	  enable:
//	    - regaudit
//	  settings:
//	    custom:
//	      regaudit:
//	        type: module
//	        description: lock-guarded state accessed without its lock
//	        settings:
//	          checks: ["default", "-RA1003"]
//	          unused-suppressions: true
//
// Every setting is one of the regaudit analyzer's flags (regaudit -flags
// lists them), with the same name and meaning; a list value is joined with
// commas. Unknown settings and bad values are errors.
package plugin

import (
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

// Name is the linter name to use in .golangci.yml, and in //nolint:regaudit.
const Name = "regaudit"

func init() {
	register.Plugin(Name, New)
}

type linter struct{}

// New configures regaudit from the plugin settings of .golangci.yml. Flags
// without a setting get their default value.
func New(conf any) (register.LinterPlugin, error) {
	settings, err := register.DecodeSettings[map[string]any](conf)
	if err != nil {
		return nil, fmt.Errorf("regaudit: %v", err)
	}
	if err := apply(&regaudit.Analyzer.Flags, settings); err != nil {
		return nil, err
	}
	return linter{}, nil
}

func (linter) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{regaudit.Analyzer}, nil
}

func (linter) GetLoadMode() string { return register.LoadModeTypesInfo }

// apply resets every flag of fs to its default, then sets the ones named in
// settings.
func apply(fs *flag.FlagSet, settings map[string]any) error {
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if fs.Lookup(k) == nil {
			var known []string
			fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) }) // sorted
			return fmt.Errorf("regaudit: unknown setting %q (known settings: %s)", k, strings.Join(known, ", "))
		}
	}

	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err == nil {
			if e := f.Value.Set(f.DefValue); e != nil {
				err = fmt.Errorf("regaudit: internal error: resetting %s: %v", f.Name, e)
			}
		}
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		v, err := flagValue(settings[k])
		if err != nil {
			return fmt.Errorf("regaudit: setting %s: %v", k, err)
		}
		if err := fs.Set(k, v); err != nil {
			return fmt.Errorf("regaudit: setting %s: %v", k, err)
		}
	}
	return nil
}

// flagValue renders a decoded YAML/JSON setting as a flag value.
func flagValue(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case []any:
		items := make([]string, len(v))
		for i, item := range v {
			s, ok := item.(string)
			if !ok {
				return "", fmt.Errorf("want a list of strings, got %T %v in it", item, item)
			}
			items[i] = s
		}
		return strings.Join(items, ","), nil
	case nil:
		return "", fmt.Errorf("no value")
	default:
		return "", fmt.Errorf("want a string, number, boolean or list of strings, got %T", v)
	}
}
