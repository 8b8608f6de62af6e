#!/usr/bin/env bash
# Runs the whole test suite: installs and starts the real components the
# end-to-end tests need (each scripts/setup/*.sh step is idempotent and caches
# what it builds under $IMMUTCHECK_CACHE), then runs every Go test with the
# end-to-end tests enabled and required, then a short fuzzing pass over
# every parser.
#
# Usage: scripts/test.sh            (as root on a Debian machine)
#        FUZZTIME=30s scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

export IMMUTCHECK_CACHE="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
export IMMUTCHECK_E2E=1
# A test whose real component is missing fails rather than skips
# (internal/e2e): after the setup steps, everything must be there.
export IMMUTCHECK_REQUIRE_COMPONENTS=1
mkdir -p "$IMMUTCHECK_CACHE"
# Steps append "export NAME=value" lines here for the tests to read.
export IMMUTCHECK_ENV_FILE="$IMMUTCHECK_CACHE/env.sh"
: >"$IMMUTCHECK_ENV_FILE"

# Stop what the setup steps started (each step registers its own
# cleanup in stop.sh), whether the run passes or fails.
cleanup() {
	if [ -f "$IMMUTCHECK_CACHE/stop.sh" ]; then
		bash "$IMMUTCHECK_CACHE/stop.sh" || true
		rm -f "$IMMUTCHECK_CACHE/stop.sh"
	fi
}
trap cleanup EXIT

for step in scripts/setup/*.sh; do
	[ -e "$step" ] || continue
	echo "== setup: $step"
	bash "$step"
done
# shellcheck disable=SC1090
. "$IMMUTCHECK_ENV_FILE"

echo "== go vet"
go vet ./...
echo "== gofmt"
unformatted="$(gofmt -l $(git ls-files '*.go'))"
if [ -n "$unformatted" ]; then
	echo "gofmt needed on: $unformatted" >&2
	exit 1
fi

echo "== go test"
go test -count=1 -timeout 30m ./...

echo "== fuzz (${FUZZTIME:-10s} per target)"
bash scripts/fuzz.sh "${FUZZTIME:-10s}"
