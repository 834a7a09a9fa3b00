#!/usr/bin/env bash
# Builds golangci-lint v2.15.0 with the regaudit module plugin compiled in
# (what "golangci-lint custom" does, with plain "go build" instead of a git
# clone) and checks it on the demo module testdata/plugin: the expected
# diagnostics appear, //nolint:regaudit is honoured, plugin settings work
# and a bad setting is a clear error.
#
# The first build compiles all of golangci-lint and its ~200 dependencies:
# measured on 2 cores, 7 minutes with the standard library already in the
# build cache, 25 minutes from an empty build cache on a machine loaded by
# other builds; the module download adds about a minute. Later builds take
# seconds. Set GCLTEST_BIN to keep the binary somewhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${GCLTEST_BIN:-$work/golangci-lint-regaudit}

start=$(date +%s)
(cd "$here" && GOFLAGS=-mod=mod go build -o "$bin" .)
echo "gcltest: built golangci-lint v2.15.0 + regaudit in $(( $(date +%s) - start ))s"

# A copy of the demo module, so that the configurations written below stay
# out of the repository.
cp -R "$repo/testdata/plugin" "$work/demo"
cd "$work/demo"
# golangci-lint keys its result cache on the linted code and the config, not
# on the plugin's code: a warm cache would hide a change of the plugin.
export GOLANGCI_LINT_CACHE="$work/cache"

failures=0
fail() { echo "gcltest: FAIL: $*"; failures=$((failures + 1)); }

config() { # config FILE SETTINGS-YAML
	cat >"$1" <<YAML
version: "2"
linters:
  default: none
  enable:
    - regaudit
  settings:
    custom:
      regaudit:
        type: module
        description: lock-guarded state accessed without its lock
        settings:
$2
YAML
}

# lint CONFIG [FLAGS]: runs golangci-lint, output in $out and exit code in $code.
lint() {
	set +e
	out=$("$bin" run -c "$@" --output.text.path=stdout --output.text.print-issued-lines=false \
		--output.text.colors=false --show-stats=false ./... 2>&1)
	code=$?
	set -e
	echo "--- golangci-lint run -c $1 (exit $code)"
	echo "$out"
}

# expect PATTERN / reject PATTERN: grep -E on the last output.
expect() { grep -Eq -- "$1" <<<"$out" || fail "missing: $1"; }
reject() { ! grep -Eq -- "$1" <<<"$out" || fail "unexpected: $1"; }

# 0. The example .custom-gcl.yml builds the golangci-lint version tested here.
want=$(sed -n 's|^\tgithub.com/golangci/golangci-lint/v2 \(v[^ ]*\)$|\1|p' "$here/go.mod")
grep -q "^version: $want\$" "$repo/docs/golangci/.custom-gcl.yml" ||
	fail "docs/golangci/.custom-gcl.yml does not say version: $want"

# 1. The example .golangci.yml (all checks but RA1003, unused suppressions
#    reported), with only regaudit: the findings, each as file:line:col, with
#    the check ID and the linter name; the //nolint:regaudit in meta.go:16
#    hides the finding of line 17.
cp "$repo/docs/golangci/.golangci.yml" all.yml
lint all.yml --enable-only=regaudit
[ "$code" = 1 ] || fail "exit code $code, want 1 (issues found)"
expect '^meta\.go:6:2: suppression of RA1001 needs a reason: .* \(RA9001\) \(regaudit\)$'
expect '^meta\.go:11:2: suppression names unknown check "RA1999" .* \(RA9001\) \(regaudit\)$'
expect '^meta\.go:22:16: .* \(RA9001\) \(regaudit\)$'
reject '^meta\.go:17:'
# The real unguarded read in Registry.Add; Len's is behind //nolint:regaudit,
# Names' behind //regaudit:ignore.
expect '^registry\.go:21:15: backends is guarded by mu .* \(RA1001\) \(regaudit\)$'
reject '^registry\.go:39:'
reject '^registry\.go:4[5-7]:'

# 2. The checks setting turns a check off; thresholds are settings too.
config nometa.yml '          checks: "all,-RA9001"
          unused-suppressions: false
          min-held: 3
          ratio: 0.75'
lint nometa.yml
reject 'RA9001'
expect '^registry\.go:21:15: .*\(RA1001\)'

# 3. A misspelt setting stops golangci-lint with a one-line reason.
config bad.yml '          chekcs: ["all"]'
lint bad.yml
[ "$code" != 0 ] || fail "a bad setting exited 0"
expect 'regaudit: unknown setting "chekcs" \(known settings: checks, .*unused-suppressions'

# 4. A bad check ID in the settings.
config badid.yml '          checks: ["all", "-RA1999"]'
lint badid.yml
[ "$code" != 0 ] || fail "a bad check ID exited 0"
expect 'regaudit: setting checks: unknown check "RA1999"'

if [ "$failures" -gt 0 ]; then
	echo "gcltest: $failures failed"
	exit 1
fi
echo "gcltest: all golangci-lint plugin checks passed"
