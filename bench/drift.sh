#!/usr/bin/env bash
# Benchmark of drift baselines against AIDE and the hashing floor.
#
# Builds a tree of N copies of the debootstrap rootfs (scripts/setup/
# debootstrap.sh caches it), then times, in one run and with a warm page
# cache:
#   immutcheck baseline create DIR      vs  aide --init   (sha256)
#   immutcheck drift (unchanged tree)   vs  aide --check  (sha256)
#   immutcheck drift --fast (second run on the unchanged tree)
#   find -type f -print0 | xargs -0 -P2 openssl dgst -sha256   (the floor)
# and prints wall times, peak memory and the ratios.
#
# Usage: bench/drift.sh [COPIES]   (default 10; as root, for the rootfs owners)
set -euo pipefail
cd "$(dirname "$0")/.."
copies="${1:-10}"
cache="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
tarball="${IMMUTCHECK_ROOTFS_TAR:-$cache/debootstrap-bookworm-minbase.tar}"
if [ ! -s "$tarball" ]; then
	echo "no rootfs tarball at $tarball; run scripts/setup/debootstrap.sh" >&2
	exit 1
fi
work="$(mktemp -d /var/tmp/immutcheck-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/immutcheck" ./cmd/immutcheck

tree="$work/tree"
mkdir -p "$tree"
for i in $(seq 1 "$copies"); do
	mkdir "$tree/copy$i"
	tar --numeric-owner --xattrs --xattrs-include='*' -C "$tree/copy$i" -xpf "$tarball"
done
files="$(find "$tree" -type f | wc -l)"
bytes="$(du -sb "$tree" | cut -f1)"
echo "tree: $copies copies, $files regular files, $((bytes / 1048576)) MiB"

# measure NAME CMD...: wall seconds and peak RSS (KiB) into $NAME_s, $NAME_kb.
measure() {
	local name="$1"
	shift
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/$name.err" || {
		local rc=$?
		# aide --check exits 1-7 when it found differences; none expected here.
		if [ "$name" != aide_check ] || [ "$rc" -ge 8 ]; then
			echo "$name failed ($rc):" >&2
			cat "$work/$name.err" >&2
			exit 1
		fi
	}
	read -r s kb <"$work/time"
	printf -v "${name}_s" '%s' "$s"
	printf -v "${name}_kb" '%s' "$kb"
	printf '%-18s %8.2f s %8d MiB\n' "$name" "$s" "$((kb / 1024))"
}

cat >"$work/aide.conf" <<CONF
database_in=file:$work/aide.db
database_out=file:$work/aide.db.new
gzip_dbout=no
report_format=json
report_url=stdout
root_prefix=$tree
F = p+u+g+s+sha256+ftype+xattrs+n
D = p+u+g+ftype
L = u+g+l+ftype
/ f F
/ d D
/ l L
CONF

# Warm the page cache so every tool reads from memory.
# Write the extracted tree back first, or the kernel's writeback of 1.6 GiB
# runs during the first timings; then read it into the page cache.
sync
find "$tree" -type f -print0 | xargs -0 cat >/dev/null

measure floor bash -c "find '$tree' -type f -print0 | xargs -0 -P2 openssl dgst -sha256"
measure ic_create "$work/immutcheck" baseline create "$tree" -o "$work/tree.baseline"
measure ic_drift "$work/immutcheck" drift --baseline "$work/tree.baseline" --allow-unsigned --state "" --fail-on none "$tree"
"$work/immutcheck" drift --baseline "$work/tree.baseline" --allow-unsigned --state "" --fail-on none --fast --fast-cache "$work/fast" "$tree" >/dev/null 2>&1
measure ic_fast "$work/immutcheck" drift --baseline "$work/tree.baseline" --allow-unsigned --state "" --fail-on none --fast --fast-cache "$work/fast" "$tree"
measure aide_init aide --init -c "$work/aide.conf"
mv "$work/aide.db.new" "$work/aide.db"
measure aide_check aide --check -c "$work/aide.conf"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 0.01; printf "%.1fx", a / b }'; }
echo
echo "baseline create: $(ratio "$aide_init_s" "$ic_create_s") faster than aide --init; $(ratio "$ic_create_s" "$floor_s") the openssl floor"
echo "drift check:     $(ratio "$aide_check_s" "$ic_drift_s") faster than aide --check; $(ratio "$ic_drift_s" "$floor_s") the openssl floor"
echo "drift --fast:    $(ratio "$ic_drift_s" "$ic_fast_s") faster than a full drift check on the unchanged tree"
echo "baseline size:   $(stat -c %s "$work/tree.baseline") bytes for $files files; aide db $(stat -c %s "$work/aide.db") bytes"
