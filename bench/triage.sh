#!/usr/bin/env bash
# bench/triage.sh: which of regaudit's current diagnostics on the corpus are
# untriaged, and which triaged ones are gone.
#
#   bench/triage.sh [part ...]      (default: all parts of the corpus)
#   bench/triage.sh -text bench/out/runs/std-regaudit-0.out std
#                                   (triage the diagnostics of a timed run
#                                   of bench/run.sh instead of running go vet)
#
# Builds regaudit from this checkout, runs it on the corpus through
# "go vet -vettool -json" (cached by go vet while regaudit is unchanged),
# writes the diagnostics to bench/out/diags.tsv, compares them with
# bench/triage.tsv (position, check ID, verdict, reason; tab-separated) and
# prints UNTRIAGED and GONE lines and the precision per check. The untriaged
# ones are also written to bench/out/untriaged.tsv in triage.tsv's format,
# with the verdict "?", to be judged and appended. Exits 1 if anything is
# untriaged or gone.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export GOTOOLCHAIN=local
text=()
if [[ "${1:-}" == -text ]]; then
	text=(-text "$2")
	shift 2
fi
parts=("$@")
((${#parts[@]})) || parts=(all)
partlist=$(IFS=,; echo "${parts[*]}")

if ! GOFLAGS=-mod=readonly go -C bench/corpus list -m k8s.io/client-go >/dev/null 2>&1; then
	bench/prepare.sh
fi
bin=$root/bench/out/bin
mkdir -p "$bin"
go build -o "$bin/regaudit" ./cmd/regaudit
go build -o "$bin/triage" ./bench/triage
"$bin/triage" -corpus bench/corpus -list bench/corpus.list -parts "$partlist" \
	-tool "$bin/regaudit" -triage bench/triage.tsv -out bench/out "${text[@]}"
