#!/usr/bin/env bash
# Scan benchmark (issue: foundation). Replicates the Kubernetes part of the
# shared corpus to at least MIN_FILES files and, in one run, measures:
#   1. immutcheck scan with the full rule set,
#   2. conftest with one Rego rule requiring digests (the peer),
#   3. the floor: a bare parallel sigs.k8s.io/yaml strict decode.
# Prints wall time, peak RSS and the throughput ratios.
#
# Usage: bench/scan.sh [CORPUS_DIR]   (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-${IMMUTCHECK_CORPUS:-../shared/corpus}}"
min_files="${MIN_FILES:-10000}"
cache="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
conftest_version="v0.71.1"

[ -d "$corpus/k8s" ] || { echo "corpus not found at $corpus" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/immutcheck" ./cmd/immutcheck
go build -o "$work/baredecode" ./bench/baredecode
if [ ! -x "$cache/bin/conftest" ]; then
	mkdir -p "$cache/bin"
	GOBIN="$cache/bin" go install "github.com/open-policy-agent/conftest@$conftest_version"
fi

# Replicate the corpus into copy-N directories until there are enough files.
n=0; copy=0
while [ "$n" -lt "$min_files" ]; do
	mkdir -p "$work/data/copy-$copy"
	cp "$corpus"/k8s/*.y*ml "$work/data/copy-$copy/"
	n=$(find "$work/data" -type f | wc -l); copy=$((copy + 1))
done
bytes=$(du -sb "$work/data" | cut -f1)
echo "input: $n files, $((bytes / 1024 / 1024)) MiB ($copy copies of $corpus/k8s)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3)"

mkdir -p "$work/policy"
cat >"$work/policy/digest.rego" <<'REGO'
package main

import rego.v1

deny contains msg if {
	some c in input.spec.template.spec.containers
	not contains(c.image, "@sha256:")
	msg := sprintf("image %s is not pinned by digest", [c.image])
}

deny contains msg if {
	some c in input.spec.containers
	not contains(c.image, "@sha256:")
	msg := sprintf("image %s is not pinned by digest", [c.image])
}
REGO

measure() { # name command... ; prints "name seconds maxrss_kb"
	local name="$1"; shift
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/$name.err" || true
	read -r secs rss < <(tail -n1 "$work/time")
	echo "$name $secs $rss"
}

find "$work/data" -type f >"$work/files"
r1=$(measure immutcheck "$work/immutcheck" scan --format json --allow-empty "$work/data")
r2=$(measure conftest "$cache/bin/conftest" test --no-color -p "$work/policy" "$work/data")
r3=$(measure baredecode sh -c "'$work/baredecode' <'$work/files'")
grep -h baredecode "$work/baredecode.err" || true

printf '%-12s %10s %12s %14s\n' tool seconds "peak RSS MB" "files/s"
for r in "$r1" "$r2" "$r3"; do
	set -- $r
	printf '%-12s %10s %12d %14.0f\n' "$1" "$2" $(($3 / 1024)) "$(awk -v n="$n" -v s="$2" 'BEGIN{print n/s}')"
done
t1=$(echo "$r1" | cut -d' ' -f2); t2=$(echo "$r2" | cut -d' ' -f2); t3=$(echo "$r3" | cut -d' ' -f2)
awk -v a="$t1" -v b="$t2" 'BEGIN{printf "throughput immutcheck / conftest:    %.1fx (target >= 5x)\n", b/a}'
awk -v a="$t1" -v c="$t3" 'BEGIN{printf "throughput immutcheck / bare decode: %.0f%% (target >= 70%%)\n", c/a*100}'
