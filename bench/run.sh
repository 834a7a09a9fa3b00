#!/usr/bin/env bash
# bench/run.sh: the regaudit benchmark, in one command.
#
#   bench/run.sh [-runs N] [-nowarm] [part ...]
#
# Prepares the pinned corpus if needed (bench/prepare.sh), builds regaudit
# from this checkout, the no-op floor tool and the vetwrap cache defeater into
# bench/out/bin, then times, cold and alternating run by run,
#
#   go vet                     (default analyzers: the vet binary of the installed Go)
#   go vet -vettool=regaudit
#   go vet -vettool=noop       (type-checking floor)
#
# on each part of the corpus (default: all: std prometheus etcd grpc consul
# bbolt client-go) and prints median cpu, wall and peak RSS and the ratios
# regaudit/vet and regaudit/floor. The markdown summary is also written to
# bench/out/summary.md, with the machine description, and the raw runs to
# bench/out/results.jsonl and bench/out/runs/. -nowarm skips the untimed
# warm-up run per part (when export data is known to be built already).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export GOTOOLCHAIN=local

runs=3
warm=()
parts=()
while (($#)); do
	case $1 in
	-runs) runs=$2; shift 2 ;;
	-runs=*) runs=${1#-runs=}; shift ;;
	-nowarm) warm=(-nowarm); shift ;;
	-h|-help|--help) sed -n '2,19p' "$0"; exit 0 ;;
	-*) echo "run.sh: unknown flag $1" >&2; exit 2 ;;
	*) parts+=("$1"); shift ;;
	esac
done
((${#parts[@]})) || parts=(all)
partlist=$(IFS=,; echo "${parts[*]}")

if ! GOFLAGS=-mod=readonly go -C bench/corpus list -m k8s.io/client-go >/dev/null 2>&1; then
	bench/prepare.sh
fi

bin=$root/bench/out/bin
mkdir -p "$bin"
go build -o "$bin/regaudit" ./cmd/regaudit
go build -o "$bin/noop" ./bench/noop
go build -o "$bin/vetwrap" ./bench/vetwrap
go build -o "$bin/benchrun" ./bench/benchrun

rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git -C "$root" status --porcelain -- analyzer internal cmd 2>/dev/null)" ]]; then rev="$rev+dirty"; fi
{
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): regaudit $rev, parts $partlist, $runs runs"
	echo
	echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/{print $2}') GiB, $(uname -sr); $(go version | cut -d' ' -f3-)"
} >bench/out/summary.md

"$bin/benchrun" -corpus bench/corpus -list bench/corpus.list -out bench/out \
	-wrap "$bin/vetwrap" -runs "$runs" -parts "$partlist" "${warm[@]}" \
	-tool "vet=$(go env GOTOOLDIR)/vet" -tool "regaudit=$bin/regaudit" -tool "noop=$bin/noop" \
	-md bench/out/summary.part.md
cat bench/out/summary.part.md >>bench/out/summary.md
rm -f bench/out/summary.part.md
echo "run.sh: summary in bench/out/summary.md" >&2
