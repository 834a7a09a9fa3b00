package plugin

import (
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"

	"github.com/regaudit/regaudit/analyzer/regaudit"
)

func current(t *testing.T, name string) string {
	t.Helper()
	f := regaudit.Analyzer.Flags.Lookup(name)
	if f == nil {
		t.Fatalf("no flag %s", name)
	}
	return f.Value.String()
}

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("regaudit")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil || len(as) != 1 || as[0] != regaudit.Analyzer {
		t.Fatalf("BuildAnalyzers = %v, %v; want the regaudit analyzer", as, err)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Fatalf("load mode %q, want %q", p.GetLoadMode(), register.LoadModeTypesInfo)
	}
}

func TestSettings(t *testing.T) {
	t.Cleanup(func() { New(nil) }) // back to the defaults
	defaultChecks := current(t, "checks")

	// As golangci-lint passes them: decoded YAML.
	_, err := New(map[string]any{
		"checks":              []any{"all", "-RA1003"},
		"unused-suppressions": true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := current(t, "checks"); strings.Contains(got, "RA1003") || !strings.Contains(got, "RA1001") {
		t.Errorf("checks = %q, want all but RA1003", got)
	}
	if got := current(t, "unused-suppressions"); got != "true" {
		t.Errorf("unused-suppressions = %q", got)
	}

	// A string works as well as a list.
	if _, err := New(map[string]any{"checks": "RA1001"}); err != nil {
		t.Fatal(err)
	}
	if got := current(t, "checks"); got != "RA1001" {
		t.Errorf("checks = %q, want RA1001", got)
	}
	// Settings left out are back to their defaults.
	if got := current(t, "unused-suppressions"); got != "false" {
		t.Errorf("unused-suppressions = %q after a config without it, want false", got)
	}

	// Numbers, for the inference thresholds of the guards family.
	if _, err := New(map[string]any{"min-held": 5, "ratio": 0.6}); err != nil {
		t.Fatal(err)
	}
	if got := current(t, "min-held") + " " + current(t, "ratio"); got != "5 0.6" {
		t.Errorf("min-held ratio = %s, want 5 0.6", got)
	}
	if _, err := New(map[string]any{"min-held": 2.5}); err == nil {
		t.Error("min-held: 2.5 accepted")
	}

	if _, err := New(map[string]any{}); err != nil {
		t.Fatal(err)
	}
	if got := current(t, "checks"); got != defaultChecks {
		t.Errorf("checks = %q with no settings, want the default %q", got, defaultChecks)
	}
}

func TestBadSettings(t *testing.T) {
	t.Cleanup(func() { New(nil) })
	cases := []struct {
		conf map[string]any
		want string
	}{
		{map[string]any{"chekcs": []any{"all"}}, `regaudit: unknown setting "chekcs" (known settings: checks, `},
		{map[string]any{"checks": []any{"all", "-RA1999"}}, `regaudit: setting checks: unknown check "RA1999" (see regaudit -explain list)`},
		{map[string]any{"checks": []any{"all", 3}}, `regaudit: setting checks: want a list of strings, got float64 3 in it`},
		{map[string]any{"checks": map[string]any{"all": true}}, `regaudit: setting checks: want a string, number, boolean or list of strings, got map[string]interface {}`},
		{map[string]any{"unused-suppressions": "maybe"}, `regaudit: setting unused-suppressions: parse error`},
		{map[string]any{"checks": nil}, `regaudit: setting checks: no value`},
	}
	_, err := New(map[string]any{"bogus": 1})
	for _, known := range []string{"checks", "unused-suppressions", "min-held", "ratio"} {
		if err == nil || !strings.Contains(err.Error(), known) {
			t.Errorf("the unknown-setting error does not list %s: %v", known, err)
		}
	}
	for _, c := range cases {
		_, err := New(c.conf)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("New(%v) = %v, want an error starting with %s", c.conf, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("New(%v): error is not one line: %q", c.conf, err)
		}
	}
}
