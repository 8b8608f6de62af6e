#!/usr/bin/env bash
# Runs every FuzzXxx target in the module for a short time each.
# Usage: scripts/fuzz.sh [DURATION]   (default 10s)
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-10s}"
for pkg in $(go list ./...); do
	dir="$(go list -f '{{.Dir}}' "$pkg")"
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "-- $pkg $target"
		go test -run='^$' -fuzz="^${target}\$" -fuzztime="$dur" "$pkg"
	done
done
