#!/usr/bin/env bash
# Setup step: a real Docker Engine (Debian docker.io) for the
# `immutcheck docker` end-to-end tests and bench. It starts dockerd when the
# socket does not answer, builds a tiny busybox image FROM scratch, and
# imports the debootstrap rootfs (scripts/setup/debootstrap.sh) as a Debian
# image when its tarball is cached. Exports IMMUTCHECK_DOCKER=1,
# IMMUTCHECK_DOCKER_BUSYBOX and IMMUTCHECK_DOCKER_DEBIAN (when imported).
#
# A dockerd this step starts runs with --live-restore (restarting it keeps
# the containers of tests running at the same time), and its start command
# is kept in $cache/dockerd-start.sh with its pid in $cache/dockerd.pid, so
# that tests may restart it (RELIABILITY.md F21). Only then does the step
# export IMMUTCHECK_DOCKERD_RESTARTABLE=1, IMMUTCHECK_DOCKERD_PIDFILE and
# IMMUTCHECK_DOCKERD_START: a daemon someone else runs is never restarted.
# IMMUTCHECK_DOCKERD_LOCK is a file every test using the engine flocks
# shared, and a test restarting it exclusive (tests of other packages and
# other runs may use the daemon at the same time).
# DOCKER_HOST=unix://PATH selects another socket; IMMUTCHECK_DOCKERD_ARGS
# adds dockerd flags (e.g. -H, --data-root, --exec-root and -b with a
# bridge of its own for a private second daemon; never -b none next to
# another daemon: dockerd then deletes docker0).
set -euo pipefail
cache="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
envfile="${IMMUTCHECK_ENV_FILE:-$cache/env.sh}"
mkdir -p "$cache"

apt_update() {
	if [ ! -e "$cache/.apt-updated" ] || [ -n "$(find "$cache/.apt-updated" -mmin +720)" ]; then
		apt-get update -qq
		touch "$cache/.apt-updated"
	fi
}

need=()
command -v dockerd >/dev/null || need+=(docker.io)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v curl >/dev/null || need+=(curl)
if [ "${#need[@]}" -gt 0 ]; then
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	# A service the package may have started is not ours to use or stop.
fi

sock=/var/run/docker.sock
case "${DOCKER_HOST:-}" in unix://*) sock="${DOCKER_HOST#unix://}" ;; esac
answers() { curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; }
pidfile="$cache/dockerd.pid"
start="$cache/dockerd-start.sh"
# ours: the pid file names a running dockerd this step started.
ours() {
	[ -s "$pidfile" ] && [ -x "$start" ] || return 1
	local pid
	pid="$(cat "$pidfile")"
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]
}
if ! answers; then
	log="$cache/dockerd.log"
	# shellcheck disable=SC2086 # IMMUTCHECK_DOCKERD_ARGS is a list of flags
	{
		echo '#!/bin/sh'
		echo '# Starts the dockerd of scripts/setup/docker.sh, detached.'
		printf 'setsid dockerd --live-restore --pidfile %q' "$pidfile"
		for a in ${IMMUTCHECK_DOCKERD_ARGS:-}; do printf ' %q' "$a"; done
		printf ' >>%q 2>&1 </dev/null &\n' "$log"
	} >"$start"
	chmod +x "$start"
	rm -f "$pidfile"
	"$start"
	# Stop by pid file: a test may have restarted the daemon since.
	echo "if [ -s '$pidfile' ]; then kill \"\$(cat '$pidfile')\" 2>/dev/null; fi" >>"$cache/stop.sh"
	for _ in $(seq 1 150); do
		answers && break
		sleep 0.2
	done
	answers || { tail -n 50 "$log" >&2; exit 1; }
fi

busybox=immutcheck-test/busybox:1
if ! docker image inspect "$busybox" >/dev/null 2>&1; then
	ctx="$(mktemp -d)"
	trap 'rm -rf "$ctx"' EXIT
	cp /bin/busybox "$ctx/busybox"
	cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/busybox", "sh", "-c", "mkdir -p /etc /tmp /root && echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd && echo 'root:x:0:' >/etc/group && echo 'greeting=hello' >/etc/app.conf"]
CMD ["/bin/sleep", "3600"]
DOCKERFILE
	DOCKER_BUILDKIT=0 docker build -q --network none -t "$busybox" "$ctx" >/dev/null 2>&1 || docker build -q --network none -t "$busybox" "$ctx" >/dev/null
fi

debian=immutcheck-test/debian:bookworm
tarball="$cache/debootstrap-bookworm-minbase.tar"
if ! docker image inspect "$debian" >/dev/null 2>&1 && [ -s "$tarball" ]; then
	docker import -c 'CMD ["/bin/sleep", "infinity"]' "$tarball" "$debian" >/dev/null
fi

{
	echo "export IMMUTCHECK_DOCKER=1"
	echo "export IMMUTCHECK_DOCKER_BUSYBOX=$busybox"
	if ours; then
		echo "export IMMUTCHECK_DOCKERD_RESTARTABLE=1"
		echo "export IMMUTCHECK_DOCKERD_PIDFILE=$pidfile"
		echo "export IMMUTCHECK_DOCKERD_START=$start"
		touch "$cache/dockerd.lock"
		echo "export IMMUTCHECK_DOCKERD_LOCK=$cache/dockerd.lock"
	else
		echo "export IMMUTCHECK_DOCKERD_RESTARTABLE="
	fi
	if docker image inspect "$debian" >/dev/null 2>&1; then
		echo "export IMMUTCHECK_DOCKER_DEBIAN=$debian"
	fi
} >>"$envfile"
echo "docker: engine up, images $busybox${debian:+ $debian}"
