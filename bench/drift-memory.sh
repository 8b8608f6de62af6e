#!/usr/bin/env bash
# Peak memory of drift baselines against the number of files.
#
# Makes two trees of small files, N and 10×N (default N = 50,000: 100 files
# of 64 bytes per directory), and reports the peak RSS (/usr/bin/time -v,
# "Maximum resident set size") of `immutcheck baseline create`, a full
# `immutcheck drift` and a repeat `immutcheck drift --fast` on each. Memory
# flat in the number of files means the two columns are about equal.
#
# Usage: bench/drift-memory.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-50000}"
work="$(mktemp -d /var/tmp/immutcheck-mem.XXXXXX)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/immutcheck" ./cmd/immutcheck

# tree DIR FILES: FILES files of 64 bytes, 100 per directory.
tree() {
	local dir="$1" files="$2"
	mkdir -p "$dir"
	(
		cd "$dir"
		seq -f 'd%.0f' 0 $((files / 100 - 1)) | xargs mkdir
		# awk writes the files without a process per file.
		awk -v n="$files" 'BEGIN { for (i = 0; i < n; i++) { f = sprintf("d%d/f%d", int(i / 100), i % 100); printf "%064d", i > f; close(f) } }'
	)
}

# rss CMD...: peak RSS of the command in KiB.
rss() {
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident set size/ { print $6 }'
}

declare -A result
for size in "$n" "$((n * 10))"; do
	t="$work/tree$size"
	tree "$t" "$size"
	bl="$work/b$size"
	result[create,$size]="$(rss "$work/immutcheck" baseline create "$t" -o "$bl")"
	result[drift,$size]="$(rss "$work/immutcheck" drift --baseline "$bl" --allow-unsigned --state "" --fail-on none "$t")"
	"$work/immutcheck" drift --baseline "$bl" --allow-unsigned --state "" --fail-on none --fast --fast-cache "$work/fast$size" "$t" >/dev/null 2>&1
	result[fast,$size]="$(rss "$work/immutcheck" drift --baseline "$bl" --allow-unsigned --state "" --fail-on none --fast --fast-cache "$work/fast$size" "$t")"
	result[size,$size]="$(stat -c %s "$bl")"
	rm -rf "$t"
done
printf '%-22s %14s %14s\n' "peak RSS (MiB)" "$n files" "$((n * 10)) files"
for step in create drift fast; do
	printf '%-22s %14s %14s\n' "$step" "$((result[$step,$n] / 1024))" "$((result[$step,$((n * 10))] / 1024))"
done
printf '%-22s %14s %14s\n' "baseline bytes" "${result[size,$n]}" "${result[size,$((n * 10))]}"
