#!/usr/bin/env bash
# bench/heldout.sh: regaudit's precision on held-out code (bench/HELDOUT.md).
#
#   bench/heldout.sh            (corpus module: bench/corpus, or $CORPUS)
#
# Runs regaudit (standalone, -test=false: the corpus module lacks the test
# dependencies of these modules) on every package of the modules of
# bench/heldout.list that the corpus (with tests) imports, writes its output
# to bench/out/heldout/regaudit.out, and compares the diagnostics with
# bench/heldout.tsv through bench/triage, as bench/triage.sh does for the
# corpus: UNTRIAGED and GONE lines and the precision per check. Exits 1 if
# anything is untriaged or gone.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly
corpus=${CORPUS:-$root/bench/corpus}
[[ -f $corpus/go.mod ]] || bench/prepare.sh
out=$root/bench/out/heldout
bin=$root/bench/out/bin
mkdir -p "$out" "$bin"
go build -o "$bin/regaudit" ./cmd/regaudit
go build -o "$bin/triage" ./bench/triage

mods=$(awk '!/^#/ && NF >= 3 { print $2 }' bench/heldout.list)
names=$(awk '!/^#/ && NF >= 3 { print $1 }' bench/heldout.list | paste -sd,)
corp=$(awk '!/^#/ && NF >= 3 { print $2 "/..." }' bench/corpus.list)
# shellcheck disable=SC2086
go -C "$corpus" list -deps -test -f '{{if .Module}}{{if not .ForTest}}{{.Module.Path}} {{.ImportPath}}{{end}}{{end}}' $corp |
	awk -v mods="$mods" 'BEGIN { n = split(mods, a, "\n"); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		want[$1] && $2 !~ /\.test$/ { print $2 }' | sort -u >"$out/packages"
echo "heldout: $(wc -l <"$out/packages") packages" >&2
# regaudit exits 3 when it reports anything.
(cd "$corpus" && "$bin/regaudit" -test=false $(cat "$out/packages")) >"$out/regaudit.out" 2>&1 || [[ $? == 3 ]]
"$bin/triage" -corpus "$corpus" -list bench/heldout.list -parts "$names" \
	-text "$out/regaudit.out" -triage bench/heldout.tsv -out "$out"
