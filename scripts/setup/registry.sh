#!/usr/bin/env bash
# Starts a real OCI distribution registry (Debian's docker-registry) on a
# loopback port with its storage in a temporary directory and deletes
# enabled, for the registry end-to-end tests and the bench. The system
# service the package may install is not used.
set -euo pipefail
cache="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
port="${IMMUTCHECK_REGISTRY_PORT:-5055}"
mkdir -p "$cache"

if ! command -v docker-registry >/dev/null; then
	# apt-get update at most once per run (marker shared by every step).
	if [ ! -e "$cache/.apt-updated" ] || [ -n "$(find "$cache/.apt-updated" -mmin +720)" ]; then
		apt-get update -qq
		touch "$cache/.apt-updated"
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
	# The package starts its own service on :5000; it is not ours to use.
	if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
		systemctl stop docker-registry || true
	fi
fi

command -v curl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
addr="127.0.0.1:$port"
if ! curl -fsS "http://$addr/v2/" >/dev/null 2>&1; then
	dir="$(mktemp -d "${TMPDIR:-/tmp}/immutcheck-registry.XXXXXX")"
	cat >"$dir/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $addr
CONF
	docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
	pid=$!
	echo "kill $pid 2>/dev/null; rm -rf '$dir'" >>"$cache/stop.sh"
	for _ in $(seq 1 50); do
		curl -fsS "http://$addr/v2/" >/dev/null 2>&1 && break
		sleep 0.2
	done
	curl -fsS "http://$addr/v2/" >/dev/null || { cat "$dir/registry.log" >&2; exit 1; }
fi
if [ -n "${IMMUTCHECK_ENV_FILE:-}" ]; then
	echo "export IMMUTCHECK_REGISTRY=$addr" >>"$IMMUTCHECK_ENV_FILE"
fi
echo "registry: $addr"
