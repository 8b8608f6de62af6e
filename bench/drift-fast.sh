#!/usr/bin/env bash
# --fast against a full drift check on the same unchanged tree.
#
# Builds the tree of bench/drift.sh (N copies of the debootstrap rootfs),
# a baseline of it and a filled --fast cache, then alternates RUNS full
# checks and RUNS --fast checks and prints the fastest of each (wall,
# user, system seconds, peak KiB) and their ratio: on a shared machine the
# fastest run is the one least disturbed.
#
# It also times the floor of any --fast check, a metadata walk that does
# nothing else: two `find -printf` processes over the copies in parallel,
# printing each file's size, mtime and ctime (one getdents per directory,
# one lstat per entry), and prints the ratio a --fast check could reach if
# it cost no more than that floor.
#
# Usage: bench/drift-fast.sh [COPIES] [RUNS]   (default 10 and 5; as root)
set -euo pipefail
cd "$(dirname "$0")/.."
copies="${1:-10}"
runs="${2:-5}"
cache="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
tarball="${IMMUTCHECK_ROOTFS_TAR:-$cache/debootstrap-bookworm-minbase.tar}"
if [ ! -s "$tarball" ]; then
	echo "no rootfs tarball at $tarball; run scripts/setup/debootstrap.sh" >&2
	exit 1
fi
work="$(mktemp -d /var/tmp/immutcheck-fast.XXXXXX)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/immutcheck" ./cmd/immutcheck
tree="$work/tree"
for i in $(seq 1 "$copies"); do
	mkdir -p "$tree/copy$i"
	tar --numeric-owner --xattrs --xattrs-include='*' -C "$tree/copy$i" -xpf "$tarball"
done
# Write the extracted tree back first, or the kernel's writeback of 1.6 GiB
# runs during the first timings; then read it into the page cache.
sync
find "$tree" -type f -print0 | xargs -0 cat >/dev/null
ic=("$work/immutcheck" drift --baseline "$work/b" --allow-unsigned --state "" --fail-on none)
"$work/immutcheck" baseline create "$tree" -o "$work/b" >/dev/null
sleep 2 # files changed less than 2 s before a check are not cached
"${ic[@]}" --fast --fast-cache "$work/fast" "$tree" >/dev/null 2>&1
floor=(bash -c "ls '$tree' | xargs -P2 -I{} find '$tree/{}' -printf '%s %T@ %C@\n' >/dev/null")
for _ in $(seq 1 "$runs"); do
	/usr/bin/time -f "%e %U %S %M" -a -o "$work/full" "${ic[@]}" "$tree" >/dev/null 2>&1
	/usr/bin/time -f "%e %U %S %M" -a -o "$work/fastrun" "${ic[@]}" --fast --fast-cache "$work/fast" "$tree" >/dev/null 2>&1
	/usr/bin/time -f "%e %U %S %M" -a -o "$work/floor" "${floor[@]}"
done
echo "fastest of $runs (wall s, user s, system s, peak KiB):"
echo "full:   $(sort -n "$work/full" | head -1)"
echo "--fast: $(sort -n "$work/fastrun" | head -1)"
echo "floor:  $(sort -n "$work/floor" | head -1)   (2 × find -printf: list and lstat only)"
best() { sort -n "$1" | head -1 | cut -d' ' -f1; }
awk -v f="$(best "$work/full")" -v g="$(best "$work/fastrun")" -v h="$(best "$work/floor")" 'BEGIN {
	printf "ratio:  --fast %.1fx faster than a full check; the floor would be %.1fx; --fast takes %.2fx the floor\n", f / g, f / h, g / h
}'
