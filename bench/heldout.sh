#!/usr/bin/env bash
# bench/heldout.sh: regaudit's precision on held-out code (bench/HELDOUT.md).
#
#   bench/heldout.sh            first set  (corpus module: bench/corpus, or $CORPUS)
#   bench/heldout.sh 2          second set (module bench/heldout2)
#   bench/heldout.sh 3          third set  (module bench/heldout3)
#   bench/heldout.sh 4          fourth set (module bench/heldout4)
#   bench/heldout.sh 5          fifth set  (module bench/heldout5)
#   bench/heldout.sh 6          sixth set  (module bench/heldout6)
#
# First set: runs regaudit (standalone, -test=false: the corpus module lacks
# the test dependencies of these modules) on every package of the modules of
# bench/heldout.list that the corpus (with tests) imports.
#
# Second set: the modules of bench/heldout2.list are no dependencies of the
# corpus; bench/heldout2 is a module of their own whose go.mod (checked in)
# requires each at its pinned version (created here if missing, as
# bench/prepare.sh creates the corpus; the sources go to the module cache).
# regaudit runs (-test=false) on every package of these modules. The third
# set (bench/heldout3.list, module bench/heldout3), the fourth
# (bench/heldout4.list, module bench/heldout4), the fifth
# (bench/heldout5.list, module bench/heldout5) and the sixth
# (bench/heldout6.list, module bench/heldout6) are built the same way
# from other modules.
#
# Writes regaudit's output to bench/out/heldout[2-6]/regaudit.out and compares
# the diagnostics with bench/heldout[2-6].tsv through bench/triage, as
# bench/triage.sh does for the corpus: UNTRIAGED and GONE lines and the
# precision per check. Exits 1 if anything is untriaged or gone.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly
set=${1:-1}
case $set in
1)
	list=bench/heldout.list tsv=bench/heldout.tsv out=$root/bench/out/heldout
	mod=${CORPUS:-$root/bench/corpus}
	[[ -f $mod/go.mod ]] || bench/prepare.sh
	;;
2 | 3 | 4 | 5 | 6)
	list=bench/heldout$set.list tsv=bench/heldout$set.tsv out=$root/bench/out/heldout$set
	mod=$root/bench/heldout$set
	if [[ ! -f $mod/go.mod ]]; then
		mkdir -p "$mod"
		(
			cd "$mod"
			export GOFLAGS=-mod=mod
			go mod init regaudit.bench/heldout$set >/dev/null 2>&1
			# Each module at its version, then every package of each
			# (pulls in the dependencies of all of them; "M/...@v" would
			# look for golang-lru/v2 in golang-lru at v2.0.7).
			# shellcheck disable=SC2046
			go get $(awk '!/^#/ && NF >= 3 { print $2 "@" $3 }' "$root/$list")
			# shellcheck disable=SC2046
			go get $(awk '!/^#/ && NF >= 3 { print $2 "/..." }' "$root/$list")
			# "M/..." may have upgraded one: pin them again.
			# shellcheck disable=SC2046
			go get $(awk '!/^#/ && NF >= 3 { print $2 "@" $3 }' "$root/$list")
		)
	fi
	while read -r name path version; do
		[[ -z "$name" || "$name" == \#* ]] && continue
		got=$(go -C "$mod" list -m -f '{{.Version}}' "$path")
		[[ $got == "$version" ]] || { echo "heldout: $path is at $got in $mod/go.mod, want $version" >&2; exit 2; }
	done <"$list"
	;;
*)
	echo "usage: bench/heldout.sh [1|2|3|4|5|6]" >&2
	exit 2
	;;
esac
bin=$root/bench/out/bin
mkdir -p "$out" "$bin"
go build -o "$bin/regaudit" ./cmd/regaudit
go build -o "$bin/triage" ./bench/triage

mods=$(awk '!/^#/ && NF >= 3 { print $2 }' "$list")
names=$(awk '!/^#/ && NF >= 3 { print $1 }' "$list" | paste -sd,)
if [[ $set == 1 ]]; then
	corp=$(awk '!/^#/ && NF >= 3 { print $2 "/..." }' bench/corpus.list)
	# shellcheck disable=SC2086
	go -C "$mod" list -deps -test -f '{{if .Module}}{{if not .ForTest}}{{.Module.Path}} {{.ImportPath}}{{end}}{{end}}' $corp |
		awk -v mods="$mods" 'BEGIN { n = split(mods, a, "\n"); for (i = 1; i <= n; i++) want[a[i]] = 1 }
			want[$1] && $2 !~ /\.test$/ { print $2 }' | sort -u >"$out/packages"
else
	# Every package of the modules (M/... matches no package of another module).
	# shellcheck disable=SC2046
	go -C "$mod" list $(sed 's,$,/...,' <<<"$mods") | sort -u >"$out/packages"
fi
echo "heldout: $(wc -l <"$out/packages") packages" >&2
# regaudit exits 3 when it reports anything.
(cd "$mod" && "$bin/regaudit" -test=false -checks=all $(cat "$out/packages")) >"$out/regaudit.out" 2>&1 || [[ $? == 3 ]]
"$bin/triage" -corpus "$mod" -list "$list" -parts "$names" \
	-text "$out/regaudit.out" -triage "$tsv" -out "$out"
