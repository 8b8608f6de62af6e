#!/usr/bin/env bash
# Installs the real cosign CLI (pinned) for the registry end-to-end tests and
# the bench: they sign and attest test images with it, so the verifier is
# proven against signatures it did not make. Cached under $IMMUTCHECK_CACHE.
set -euo pipefail
COSIGN_VERSION=v2.6.5 # its go.mod says go 1.25.0, buildable with our toolchain
cache="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
bin="$cache/bin/cosign-$COSIGN_VERSION"
if [ ! -x "$bin" ]; then
	mkdir -p "$cache/bin" "$cache/cosign-build"
	GOBIN="$cache/cosign-build" GOTOOLCHAIN=local CGO_ENABLED=0 \
		go install "github.com/sigstore/cosign/v2/cmd/cosign@$COSIGN_VERSION"
	mv "$cache/cosign-build/cosign" "$bin"
fi
"$bin" version >/dev/null
if [ -n "${IMMUTCHECK_ENV_FILE:-}" ]; then
	echo "export IMMUTCHECK_COSIGN=$bin" >>"$IMMUTCHECK_ENV_FILE"
fi
echo "cosign: $bin"
