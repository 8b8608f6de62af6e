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

# Keep the corpus files every tool can parse (conftest stops at the first
# file it cannot), then replicate them into copy-N directories until there
# are enough files.
ls "$corpus"/k8s/*.y*ml | "$work/baredecode" -ok >"$work/ok"
n=0; copy=0
while [ "$n" -lt "$min_files" ]; do
	mkdir -p "$work/data/copy-$copy"
	xargs -a "$work/ok" cp -t "$work/data/copy-$copy/"
	n=$(find "$work/data" -type f | wc -l); copy=$((copy + 1))
done
bytes=$(du -sb "$work/data" | cut -f1)
echo "input: $n files, $((bytes / 1024 / 1024)) MiB ($copy copies of the $(wc -l <"$work/ok") files of $corpus/k8s that parse)"
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

measure() { # name command... ; prints "name wall_seconds maxrss_kb cpu_seconds"
	local name="$1"; shift
	/usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/$name.err" || true
	read -r secs rss user sys < <(tail -n1 "$work/time")
	echo "$name $secs $rss $(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')"
}

find "$work/data" -type f >"$work/files"
r1=$(measure immutcheck "$work/immutcheck" scan --format json --allow-empty "$work/data")
r2=$(measure conftest "$cache/bin/conftest" test --no-color -p "$work/policy" "$work/data")
r3=$(measure baredecode sh -c "'$work/baredecode' <'$work/files'")
grep -h baredecode "$work/baredecode.err" || true

printf '%-12s %8s %8s %12s %10s\n' tool wall-s cpu-s "peak RSS MB" "files/s"
for r in "$r1" "$r2" "$r3"; do
	set -- $r
	printf '%-12s %8s %8s %12d %10.0f\n' "$1" "$2" "$4" $(($3 / 1024)) "$(awk -v n="$n" -v s="$2" 'BEGIN{print n/s}')"
done
# Ratios on wall time and on CPU time (user+sys); on a shared machine the
# CPU ratio is the steadier of the two.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b/a}'; }
w1=$(echo "$r1" | cut -d' ' -f2); w2=$(echo "$r2" | cut -d' ' -f2); w3=$(echo "$r3" | cut -d' ' -f2)
c1=$(echo "$r1" | cut -d' ' -f4); c2=$(echo "$r2" | cut -d' ' -f4); c3=$(echo "$r3" | cut -d' ' -f4)
echo "throughput immutcheck / conftest:    wall $(ratio "$w1" "$w2")x, cpu $(ratio "$c1" "$c2")x (target >= 5x)"
echo "throughput immutcheck / bare decode: wall $(ratio "$w1" "$w3"), cpu $(ratio "$c1" "$c3") (target >= 0.70)"
