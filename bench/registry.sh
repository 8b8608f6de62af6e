#!/usr/bin/env bash
# Registry verification benchmark (issue 4). Seeds the local registry with N
# distinct images, each signed and carrying 2 attestations (SLSA provenance
# and a vuln scan), then in one run measures:
#   1. immutcheck image verify over all N (digest + signature + both
#      attestations), one process;
#   2. the cosign CLI doing, per image, `verify` + `verify-attestation
#      --type slsaprovenance` + `verify-attestation --type vuln` (the same
#      checks), on the first COSIGN_SAMPLE images (default: all N); the
#      per-image time is extrapolated to N when sampled, and the script
#      says so.
# Prints wall time, peak RSS and the throughput ratio. Memory flatness is
# shown by a second immutcheck run over N/5 images.
#
# Usage: N=500 COSIGN_SAMPLE=100 bench/registry.sh
# Needs IMMUTCHECK_REGISTRY and IMMUTCHECK_COSIGN (scripts/setup/registry.sh
# and cosign.sh export them; this script runs them when unset).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${N:-500}"
sample="${COSIGN_SAMPLE:-$n}"
export IMMUTCHECK_CACHE="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
if [ -z "${IMMUTCHECK_REGISTRY:-}" ] || [ -z "${IMMUTCHECK_COSIGN:-}" ]; then
	export IMMUTCHECK_ENV_FILE="$(mktemp)"
	bash scripts/setup/registry.sh >/dev/null
	bash scripts/setup/cosign.sh >/dev/null
	# shellcheck disable=SC1090
	. "$IMMUTCHECK_ENV_FILE"
fi
reg="$IMMUTCHECK_REGISTRY"
command -v /usr/bin/time >/dev/null || apt-get install -y time >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/immutcheck" ./cmd/immutcheck
go build -o "$work/registryseed" ./bench/registryseed

echo "seeding $n images with a signature and 2 attestations each in $reg"
"$work/registryseed" -registry "$reg" -n "$n" -out "$work"
mapfile -t refs <"$work/refs.txt"

# measure LABEL CMD... : prints wall seconds and peak RSS (KiB).
measure() {
	local label="$1"; shift
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
		echo "$label failed:" >&2; tail -20 "$work/err" >&2; tail -20 "$work/out" >&2; exit 1; }
	read -r secs rss <"$work/time"
	echo "$label: ${secs}s, peak RSS ${rss} KiB"
	eval "${label//[^a-z]/_}_secs=$secs"
}

verify_flags=(--key "$work/cosign.pub" --type slsaprovenance --type vuln --insecure-registry "$reg" --format json)
measure "immutcheck" "$work/immutcheck" image verify "${verify_flags[@]}" "${refs[@]}"
fifth=$(( n / 5 > 0 ? n / 5 : 1 ))
measure "immutcheck fifth" "$work/immutcheck" image verify "${verify_flags[@]}" "${refs[@]:0:$fifth}"

cosign_all() {
	local c="$IMMUTCHECK_COSIGN" k="$work/cosign.pub"
	for ref in "${refs[@]:0:$sample}"; do
		"$c" verify --key "$k" --insecure-ignore-tlog --allow-http-registry "$ref" >/dev/null 2>&1
		"$c" verify-attestation --key "$k" --insecure-ignore-tlog --allow-http-registry --type slsaprovenance "$ref" >/dev/null 2>&1
		"$c" verify-attestation --key "$k" --insecure-ignore-tlog --allow-http-registry --type vuln "$ref" >/dev/null 2>&1
	done
}
export -f cosign_all
export IMMUTCHECK_COSIGN work sample
refs_file="$work/refs.txt"
measure "cosign" bash -c 'mapfile -t refs <"'"$refs_file"'"; cosign_all'

python3 - "$n" "$sample" "$immutcheck_secs" "$cosign_secs" <<'PY'
import sys
n, sample, ic, co = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
co_n = co / sample * n
print(f"images: {n}; immutcheck {n/ic:.1f} images/s; cosign {sample/co:.2f} images/s"
      + (f" (measured on {sample}, extrapolated to {co_n:.0f}s for {n})" if sample != n else ""))
print(f"ratio (immutcheck throughput / cosign throughput): {co_n/ic:.1f}x")
PY
