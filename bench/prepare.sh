#!/usr/bin/env bash
# bench/prepare.sh: prepare the pinned benchmark corpus in bench/corpus.
#
# bench/corpus is a module of its own (gitignored) whose go.mod requires every
# module of bench/corpus.list at its pinned version, with the test
# dependencies of all its packages (go get -t <module>/...@<version>), so
# that "go vet <module>/..." can be run from it. The grpc examples module is
# replaced by an empty stub: the pattern google.golang.org/grpc/... would
# otherwise match its packages too.
#
# Idempotent: rerunning it with a complete corpus does nothing but verify it.
# Needs the Go module proxy (downloads go to the module cache).
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
corpus=$bench/corpus
export GOTOOLCHAIN=local
export GOFLAGS=-mod=mod

mkdir -p "$corpus/stub/grpc-examples"
cat >"$corpus/stub/grpc-examples/go.mod" <<'MOD'
module google.golang.org/grpc/examples

go 1.21
MOD

cd "$corpus"
if [[ ! -f go.mod ]]; then
	go mod init regaudit.bench/corpus >/dev/null 2>&1
fi
go mod edit -replace=google.golang.org/grpc/examples=./stub/grpc-examples

args=()
while read -r name path version; do
	[[ -z "$name" || "$name" == \#* ]] && continue
	args+=("$path/...@$version")
done <"$bench/corpus.list"

echo "prepare: go get -t ${args[*]}" >&2
go get -t "${args[@]}"

# Verify, as the benchmark will load it (read-only go.mod): every requested module is at exactly its pinned version, and every
# package of the corpus loads (with its tests) without errors.
export GOFLAGS=-mod=readonly
fail=0
while read -r name path version; do
	[[ -z "$name" || "$name" == \#* ]] && continue
	got=$(go list -m -f '{{.Version}}' "$path")
	if [[ "$got" != "$version" ]]; then
		echo "prepare: $path is at $got, want $version" >&2
		fail=1
	fi
	n=$(go list -e -test -f '{{if .Error}}ERR {{.ImportPath}}: {{.Error}}{{end}}' "$path/..." | grep -c '^ERR' || true)
	if [[ "$n" != 0 ]]; then
		echo "prepare: $path/... has $n packages that fail to load:" >&2
		go list -e -test -f '{{if .Error}}  {{.ImportPath}}: {{.Error}}{{end}}' "$path/..." | grep . | head -20 >&2
		fail=1
	fi
done <"$bench/corpus.list"
exit $fail
