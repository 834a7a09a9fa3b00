#!/usr/bin/env bash
# bench/robust.sh: regaudit must not crash and must be deterministic.
#
#   bench/robust.sh [slice ...]
#
# A slice is a part of the corpus, optionally narrowed to some packages:
#
#   std                          the whole standard library
#   std:sync,database/sql,net/http
#   grpc                         google.golang.org/grpc/... (names: bench/corpus.list)
#   grpc:internal/transport,.    packages relative to the module path ("." is the root)
#
# Default: every part of the corpus. For each slice it runs the standalone
# regaudit (with tests) twice on the same packages and fails if either run
# prints "panic:" or "internal error", exits other than 0 (clean) or 3
# (diagnostics), or if the two outputs differ; the same for -report json
# (which must exit 0). std slices need no corpus;
# module slices need bench/prepare.sh (run on demand).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export GOTOOLCHAIN=local
slices=("$@")
if ((${#slices[@]} == 0)); then
	slices=(std)
	while read -r name _; do
		[[ -z "$name" || "$name" == \#* ]] && continue
		slices+=("$name")
	done <bench/corpus.list
fi

out=$root/bench/out/robust
mkdir -p "$out" "$root/bench/out/bin"
go build -o "$root/bench/out/bin/regaudit" ./cmd/regaudit
bin=$root/bench/out/bin/regaudit

modpath() { awk -v n="$1" '$1 == n { print $2 }' bench/corpus.list; }

fail=0
for slice in "${slices[@]}"; do
	name=${slice%%:*}
	pkgs=()
	if [[ "$name" == std ]]; then
		dir=$root
		if [[ "$slice" == *:* ]]; then IFS=, read -ra pkgs <<<"${slice#*:}"; else pkgs=(std); fi
	else
		mp=$(modpath "$name")
		if [[ -z "$mp" ]]; then echo "robust: unknown slice $slice" >&2; exit 2; fi
		if ! GOFLAGS=-mod=readonly go -C bench/corpus list -m "$mp" >/dev/null 2>&1; then bench/prepare.sh; fi
		dir=$root/bench/corpus
		if [[ "$slice" == *:* ]]; then
			IFS=, read -ra rel <<<"${slice#*:}"
			for r in "${rel[@]}"; do
				if [[ "$r" == . ]]; then pkgs+=("$mp"); elif [[ "$r" == "$mp"* ]]; then pkgs+=("$r"); else pkgs+=("$mp/$r"); fi
			done
		else
			pkgs=("$mp/...")
		fi
	fi
	tag=$(echo "$slice" | tr '/:,.' '____')
	codes=()
	for run in 1 2; do
		start=$(date +%s)
		set +e
		# -json: x/tools prints it as one object keyed by package (sorted),
		# while the plain text's order across packages and their test
		# variants follows the driver's scheduling.
		(cd "$dir" && GOFLAGS=-mod=readonly "$bin" -checks=all -json "${pkgs[@]}") >"$out/$tag.$run" 2>&1
		code=$?
		set -e
		codes+=("$code")
		echo "robust: $slice run $run: exit $code, $(grep -c . "$out/$tag.$run" || true) output lines, $(($(date +%s) - start))s" >&2
		# The review report, from the same model: deterministic too.
		set +e
		(cd "$dir" && GOFLAGS=-mod=readonly "$bin" -report json "${pkgs[@]}") >"$out/$tag.report.$run" 2>&1
		code=$?
		set -e
		if [[ "$code" != 0 ]]; then codes+=("report:$code"); fi
	done
	ok=1
	for code in "${codes[@]}"; do
		if [[ "$code" != 0 && "$code" != 3 ]]; then
			echo "robust: FAIL $slice: exit $code (want 0 or 3); see $out/$tag.*" >&2
			ok=0
		fi
	done
	if grep -nE 'panic:|internal error' "$out/$tag.1" "$out/$tag.2" | head -5 >&2; then
		echo "robust: FAIL $slice: panic or internal error; see $out/$tag.*" >&2
		ok=0
	fi
	if ! cmp -s "$out/$tag.report.1" "$out/$tag.report.2"; then
		echo "robust: FAIL $slice: -report json differs between two runs:" >&2
		diff "$out/$tag.report.1" "$out/$tag.report.2" | head -20 >&2 || true
		ok=0
	fi
	if grep -nE 'panic:|internal error' "$out/$tag.report.1" "$out/$tag.report.2" | head -5 >&2; then
		echo "robust: FAIL $slice: panic or internal error in -report; see $out/$tag.report.*" >&2
		ok=0
	fi
	if ! cmp -s "$out/$tag.1" "$out/$tag.2"; then
		echo "robust: FAIL $slice: output differs between two runs:" >&2
		diff "$out/$tag.1" "$out/$tag.2" | head -20 >&2 || true
		ok=0
	fi
	if ((ok)); then
		echo "robust: ok $slice ($(grep -cE '"posn": ' "$out/$tag.1" || true) diagnostics, identical on two runs)"
	else
		fail=1
	fi
done
exit $fail
