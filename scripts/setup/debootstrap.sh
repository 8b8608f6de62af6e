#!/usr/bin/env bash
# Setup step: a real Debian bookworm rootfs (debootstrap, minbase) for the
# drift end-to-end tests and benchmarks, plus AIDE as the oracle and peer.
# The rootfs is cached as a tarball under $IMMUTCHECK_CACHE, with one real
# .deb the tests install in it; the step exports IMMUTCHECK_ROOTFS_TAR (the
# tarball), IMMUTCHECK_TEST_DEB (the .deb) and IMMUTCHECK_APT_MIRROR.
set -euo pipefail
cache="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
envfile="${IMMUTCHECK_ENV_FILE:-$cache/env.sh}"
mkdir -p "$cache"

# apt-get update at most once (the marker is shared by every setup step).
apt_update() {
	if [ ! -e "$cache/apt-updated" ]; then
		apt-get update -qq
		touch "$cache/apt-updated"
	fi
}

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v aide >/dev/null || need+=(aide)
command -v setcap >/dev/null || need+=(libcap2-bin)
command -v openssl >/dev/null || need+=(openssl)
if [ "${#need[@]}" -gt 0 ]; then
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# The mirror URI comes from the machine's own apt sources (deb822 or
# one-line format).
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
	[ -e "$f" ] || continue
	mirror="$(awk '/^URIs:/ {print $2; exit}' "$f")"
	[ -n "$mirror" ] && break
done
if [ -z "$mirror" ]; then
	mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }')"
fi
if [ -z "$mirror" ]; then
	echo "debootstrap: no apt mirror found in the machine's apt sources" >&2
	exit 1
fi

tarball="$cache/debootstrap-bookworm-minbase.tar"
if [ ! -s "$tarball" ]; then
	work="$(mktemp -d "$cache/debootstrap.XXXXXX")"
	trap 'rm -rf "$work"' EXIT
	debootstrap --variant=minbase bookworm "$work/root" "$mirror"
	# Drop the downloaded .debs: they are volatile cache, not the image.
	rm -f "$work/root"/var/cache/apt/archives/*.deb
	tar --numeric-owner --xattrs --xattrs-include='*' -C "$work/root" -cf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
fi

# A small real package that minbase does not have, installed by the tests
# with dpkg -i inside the rootfs.
debdir="$cache/debs"
if ! ls "$debdir"/tree_*.deb >/dev/null 2>&1; then
	apt_update
	mkdir -p "$debdir"
	(cd "$debdir" && apt-get download tree)
fi
deb="$(ls "$debdir"/tree_*.deb | head -n1)"

{
	echo "export IMMUTCHECK_ROOTFS_TAR=$tarball"
	echo "export IMMUTCHECK_TEST_DEB=$deb"
	echo "export IMMUTCHECK_APT_MIRROR=$mirror"
} >>"$envfile"
