#!/usr/bin/env bash
# Live cluster audit benchmark (issue 5). Starts a control plane of its own
# (scripts/setup/kube.sh on other ports, controller manager and scheduler at
# 300 QPS), fills it with NODES kwok nodes and PODS pods across DEPLOYMENTS
# Deployments (digest-pinned images, kubelet image IDs left empty as kwok
# does), then measures in one run, ROUNDS times each:
#   - the floor: raw LISTs of pods, replicasets, deployments and nodes with
#     `kubectl get --raw` (one after the other, JSON, no decoding);
#   - kubectl get pods,replicasets,deployments,statefulsets,daemonsets,nodes
#     -A -o json > /dev/null;
#   - immutcheck cluster -A (every rule, JSON report to /dev/null);
# with wall time and peak RSS (/usr/bin/time), and prints the ratios.
#
# Usage: bench/cluster.sh            (NODES=200 PODS=10000 DEPLOYMENTS=500)
#        KEEP=1 bench/cluster.sh     (leave the control plane running, filled,
#                                     for the next run)
#        IMMUTCHECK_BIN=PATH         (measure this binary instead of building one)
set -euo pipefail
cd "$(dirname "$0")/.."
nodes="${NODES:-200}"
pods="${PODS:-10000}"
deployments="${DEPLOYMENTS:-500}"
rounds="${ROUNDS:-3}"
namespaces=$(( deployments < 50 ? deployments : 50 ))
replicas=$(( pods / deployments ))
export IMMUTCHECK_CACHE="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"

work="$(mktemp -d)"
env_file="$work/env.sh"
stop_file="$IMMUTCHECK_CACHE/stop-bench.sh"
cleanup() {
	if [ -z "${KEEP:-}" ] && [ -f "$stop_file" ]; then
		bash "$stop_file" || true
		rm -f "$stop_file"
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# A control plane of its own, so the bench never loads the one tests use.
IMMUTCHECK_KUBE_PORT=6444 IMMUTCHECK_ETCD_PORT=2479 \
	IMMUTCHECK_KUBE_STATE_DIR="$IMMUTCHECK_CACHE/kube-bench-state" \
	IMMUTCHECK_KUBE_QPS=300 IMMUTCHECK_ENV_FILE="$env_file" IMMUTCHECK_STOP_FILE="$stop_file" \
	bash scripts/setup/kube.sh
# shellcheck disable=SC1090
. "$env_file"
kc="$IMMUTCHECK_KUBECONFIG"
kubectl() { "$IMMUTCHECK_KUBE_BIN/kubectl" --kubeconfig "$kc" "$@"; }

if [ -n "${IMMUTCHECK_BIN:-}" ]; then cp "$IMMUTCHECK_BIN" "$work/immutcheck"; else go build -o "$work/immutcheck" ./cmd/immutcheck; fi

have=$(kubectl get pods -A --no-headers --field-selector=status.phase=Running 2>/dev/null | wc -l)
if [ "$have" -lt "$pods" ]; then
	echo "creating $nodes nodes, $namespaces namespaces, $deployments deployments x $replicas replicas"
	for i in $(seq 1 "$nodes"); do
		cat <<YAML
---
apiVersion: v1
kind: Node
metadata:
  name: bench-node-$i
  annotations: {kwok.x-k8s.io/node: fake}
  labels: {node.kubernetes.io/instance-type: bench-$(( i % 4 )), type: kwok}
status:
  allocatable: {cpu: "64", memory: 256Gi, pods: "110"}
  capacity: {cpu: "64", memory: 256Gi, pods: "110"}
  nodeInfo: {osImage: "Debian GNU/Linux 12", kernelVersion: 6.1.0-28-amd64, containerRuntimeVersion: "containerd://1.7.24", kubeletVersion: v1.31.4}
YAML
	done >"$work/nodes.yaml"
	kubectl apply -f "$work/nodes.yaml" >/dev/null
	for n in $(seq 1 "$namespaces"); do echo "---"; echo "apiVersion: v1"; echo "kind: Namespace"; echo "metadata: {name: bench-$n}"; done >"$work/ns.yaml"
	kubectl apply -f "$work/ns.yaml" >/dev/null
	for d in $(seq 1 "$deployments"); do
		cat <<YAML
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-$d, namespace: bench-$(( d % namespaces + 1 ))}
spec:
  replicas: $replicas
  revisionHistoryLimit: 3
  selector: {matchLabels: {app: app-$d}}
  template:
    metadata: {labels: {app: app-$d}}
    spec:
      nodeSelector: {type: kwok}
      tolerations: [{key: kwok.x-k8s.io/node, operator: Exists, effect: NoSchedule}]
      containers:
      - name: app
        image: registry.example/bench/app@sha256:$(printf '%064d' "$d")
        readinessProbe: {httpGet: {path: /healthz, port: 8080}}
        securityContext: {readOnlyRootFilesystem: true}
YAML
	done >"$work/deployments.yaml"
	kubectl apply -f "$work/deployments.yaml" >/dev/null
	t0=$(date +%s)
	while :; do
		have=$(kubectl get pods -A --no-headers --field-selector=status.phase=Running 2>/dev/null | wc -l)
		echo "  $have/$pods pods running after $(( $(date +%s) - t0 )) s"
		[ "$have" -ge "$pods" ] && break
		[ $(( $(date +%s) - t0 )) -gt 1800 ] && { echo "cluster did not fill in 30 min" >&2; exit 1; }
		sleep 15
	done
fi

measure() { # label, command...: prints "label wall_s max_rss_kb"
	local label="$1"; shift
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
		local rc=$?
		# immutcheck exits 1 when it reports findings; anything else fails.
		if [ "$label" != immutcheck ] || [ "$rc" -ne 1 ]; then cat "$work/err" >&2; exit 1; fi
	}
	echo "$label $(cat "$work/time")"
}
floor() {
	for p in /api/v1/pods /apis/apps/v1/replicasets /apis/apps/v1/deployments /api/v1/nodes; do
		kubectl get --raw "$p" >/dev/null
	done
}
export -f kubectl floor 2>/dev/null || true
export kc IMMUTCHECK_KUBE_BIN

echo "objects: $(kubectl get --raw /api/v1/pods | wc -c) bytes of pod JSON"
for r in $(seq 1 "$rounds"); do
	f=$(measure floor bash -c floor)
	k=$(measure kubectl "$IMMUTCHECK_KUBE_BIN/kubectl" --kubeconfig "$kc" get pods,replicasets,deployments,statefulsets,daemonsets,nodes -A -o json)
	i=$(measure immutcheck "$work/immutcheck" cluster --kubeconfig "$kc" -A --format json -o /dev/null)
	echo "round $r: $f | $k | $i"
	echo "$f $k $i" | awk '{printf "  immutcheck/floor = %.2f (target <= 2), kubectl/immutcheck = %.1f, immutcheck peak RSS = %d MB (target <= 300), kubectl peak RSS = %d MB\n", $8/$2, $5/$8, $9/1024, $6/1024}'
done
