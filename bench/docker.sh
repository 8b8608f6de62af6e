#!/usr/bin/env bash
# Docker drift benchmark (issue 7). In one run:
#   1. N running containers of a small busybox image, 10 changes each
#      (3 edited /etc files, 2 added files, an added directory with an
#      executable, a chmod, a deletion); immutcheck docker over all N
#      (one process) against `docker diff` run on each container in turn;
#   2. the same 10 changes in one container of the 10 MB image and in one of
#      an image with SIZE_MB more data (one large file and 5,000 small
#      ones): cost must follow the changes, not the image size.
# Prints wall times and ratios.
#
# Usage: N=100 SIZE_MB=1024 bench/docker.sh
# Needs the Docker Engine of scripts/setup/docker.sh (run when the socket
# does not answer).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${N:-100}"
size="${SIZE_MB:-1024}"
rounds="${ROUNDS:-5}"
export IMMUTCHECK_CACHE="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
if ! docker info >/dev/null 2>&1 || ! docker image inspect immutcheck-test/busybox:1 >/dev/null 2>&1; then
	IMMUTCHECK_ENV_FILE="$(mktemp)" bash scripts/setup/docker.sh >/dev/null
fi
small=immutcheck-test/busybox:1
big="immutcheck-test/busybox-big:${size}m"
run="bench$$"

work="$(mktemp -d)"
cleanup() {
	docker ps -aq --filter "label=immutcheck-bench=$run" | xargs -r docker rm -f >/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/immutcheck" ./cmd/immutcheck

if ! docker image inspect "$big" >/dev/null 2>&1; then
	echo "building $big (${size} MB more than $small)"
	cat >"$work/Dockerfile" <<DOCKERFILE
FROM $small
RUN dd if=/dev/urandom of=/big.bin bs=1M count=$size 2>/dev/null && mkdir -p /usr/share/bulk && for i in \$(seq 1 5000); do echo \$i > /usr/share/bulk/f\$i; done
DOCKERFILE
	DOCKER_BUILDKIT=0 docker build -q -t "$big" "$work" >/dev/null
fi

changes='echo a >> /etc/app.conf; echo bob:x:1000:1000::/home/bob:/bin/sh >> /etc/passwd; echo c > /etc/new.conf;
echo d > /root/notes; echo e > /srv.txt; mkdir -p /opt/tool; cp /bin/busybox /opt/tool/x;
chmod 700 /root; rm /bin/yes; touch /opt/marker'

start() { # image name
	docker run -d --label "immutcheck-bench=$run" --name "$2" "$1" >/dev/null
	docker exec "$2" sh -c "$changes"
}

echo "starting $n containers with 10 changes each"
for i in $(seq 1 "$n"); do start "$small" "$run-$i"; done
names=$(docker ps -q --filter "label=immutcheck-bench=$run")

t0=$(date +%s.%N)
"$work/immutcheck" docker --label "immutcheck-bench=$run" --format json >"$work/report.json" || [ $? -eq 1 ]
t1=$(date +%s.%N)
for c in $names; do docker diff "$c" >/dev/null; done
t2=$(date +%s.%N)
found=$(grep -c '"rule"' "$work/report.json" || true)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$n" -v f="$found" 'BEGIN {
	i = b - a; d = c - b
	printf "immutcheck docker, %d containers: %.2f s (%d findings)\n", n, i, f
	printf "docker diff on each:             %.2f s\n", d
	printf "ratio immutcheck / docker diff:  %.2f\n", i / d
}'

echo "same 10 changes, small image vs +${size} MB image ($rounds rounds, median)"
start "$small" "$run-small"
start "$big" "$run-big"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timeit() {
	for _ in $(seq 1 "$rounds"); do
		s=$(date +%s.%N)
		"$work/immutcheck" docker --name "$1" --format json >/dev/null || [ $? -eq 1 ]
		e=$(date +%s.%N)
		awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f\n", e - s }'
	done | median
}
ts=$(timeit "$run-small")
tb=$(timeit "$run-big")
awk -v s="$ts" -v b="$tb" -v m="$size" 'BEGIN {
	printf "small image: %.3f s   +%d MB image: %.3f s   ratio %.2f\n", s, m, b, b / s
}'
