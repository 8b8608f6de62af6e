#!/usr/bin/env bash
# Builds (once, cached) and starts a real Kubernetes control plane on
# loopback for the cluster end-to-end tests and the bench: etcd,
# kube-apiserver, kube-controller-manager and kube-scheduler built from the
# Go module proxy at pinned versions, kwok for simulated nodes, and kubectl.
# Exports IMMUTCHECK_KUBECONFIG (cluster-admin through a static token) and
# IMMUTCHECK_KUBE_BIN (the directory of the binaries).
#
# Tunables: IMMUTCHECK_KUBE_PORT (default 6443), IMMUTCHECK_ETCD_PORT
# (default 2379; it also uses the next port), IMMUTCHECK_KUBE_STATE_DIR
# (default $IMMUTCHECK_CACHE/kube-state; one per control plane),
# IMMUTCHECK_KUBE_QPS (controller-manager and scheduler API
# rate, default 300; the bench needs it).
set -euo pipefail
cache="${IMMUTCHECK_CACHE:-/var/cache/immutcheck-test}"
kube_version="v1.31.4"
staging_version="v0.31.4"
etcd_version="v3.5.17"
kwok_version="v0.6.1"
port="${IMMUTCHECK_KUBE_PORT:-6443}"
# Where the commands that stop what this step starts are appended.
stop="${IMMUTCHECK_STOP_FILE:-$cache/stop.sh}"
etcd_port="${IMMUTCHECK_ETCD_PORT:-2379}"
qps="${IMMUTCHECK_KUBE_QPS:-300}"
bin="$cache/kube-$kube_version/bin"
mkdir -p "$bin"

# build_kubernetes builds the three control plane binaries and kubectl from
# a tools module: k8s.io/kubernetes cannot be `go install`ed because its
# go.mod replaces every staging module.
build_kubernetes() {
	local mod="$cache/kube-$kube_version/tools"
	mkdir -p "$mod"
	(
		cd "$mod"
		cat >go.mod <<MOD
module immutcheck.test/kubetools

go 1.22

require k8s.io/kubernetes $kube_version

replace (
MOD
		for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go \
			cloud-provider cluster-bootstrap code-generator component-base component-helpers \
			controller-manager cri-api cri-client csi-translation-lib dynamic-resource-allocation \
			endpointslice kms kube-aggregator kube-controller-manager kube-proxy kube-scheduler \
			kubectl kubelet metrics mount-utils pod-security-admission sample-apiserver; do
			echo "	k8s.io/$m => k8s.io/$m $staging_version" >>go.mod
		done
		echo ")" >>go.mod
		cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
		GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || GOFLAGS=-mod=mod go mod download
		for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
			[ -x "$bin/$c" ] || GOFLAGS=-mod=mod go build -trimpath -ldflags=-s -o "$bin/$c" "k8s.io/kubernetes/cmd/$c"
		done
	)
}

build_etcd() {
	local mod="$cache/kube-$kube_version/etcd-tools"
	mkdir -p "$mod"
	(
		cd "$mod"
		cat >go.mod <<MOD
module immutcheck.test/etcdtools

go 1.22

require go.etcd.io/etcd/server/v3 $etcd_version
MOD
		cat >tools.go <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
		GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
		GOFLAGS=-mod=mod go build -trimpath -ldflags=-s -o "$bin/etcd" go.etcd.io/etcd/server/v3
	)
}

for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
	[ -x "$bin/$c" ] || { echo "kube: building kubernetes $kube_version (several minutes the first time)"; build_kubernetes; break; }
done
[ -x "$bin/etcd" ] || { echo "kube: building etcd $etcd_version"; build_etcd; }
[ -x "$bin/kwok" ] || { echo "kube: building kwok $kwok_version"; GOBIN="$bin" go install "sigs.k8s.io/kwok/cmd/kwok@$kwok_version"; }
[ "${IMMUTCHECK_KUBE_BUILD_ONLY:-}" = 1 ] && exit 0

command -v openssl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
command -v curl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null

server="https://127.0.0.1:$port"
state="${IMMUTCHECK_KUBE_STATE_DIR:-$cache/kube-state}"
kubeconfig="$state/admin.kubeconfig"
healthy() {
	[ -f "$state/token" ] && curl -fsSk -H "Authorization: Bearer $(cat "$state/token")" "$server/readyz" >/dev/null 2>&1
}

if ! healthy; then
	rm -rf "$state"
	mkdir -p "$state/pki" "$state/etcd"
	token="$(openssl rand -hex 16)"
	echo "$token" >"$state/token"
	echo "$token,admin,admin,system:masters" >"$state/pki/tokens.csv"
	openssl genrsa -out "$state/pki/sa.key" 2048 2>/dev/null
	openssl rsa -in "$state/pki/sa.key" -pubout -out "$state/pki/sa.pub" 2>/dev/null
	cat >"$kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: $server
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: $token
contexts:
- name: test
  context:
    cluster: test
    user: admin
current-context: test
KC

	"$bin/etcd" --data-dir "$state/etcd" \
		--listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
		--listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
		--initial-cluster "default=http://127.0.0.1:$((etcd_port + 1))" \
		--quota-backend-bytes 4294967296 --unsafe-no-fsync \
		>"$state/etcd.log" 2>&1 &
	echo "kill $! 2>/dev/null" >>"$stop"

	# Audit: every request on pods' interactive subresources at Metadata
	# level (the exec-session rule reads this log), nothing else.
	cat >"$state/audit-policy.yaml" <<POL
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  resources:
  - group: ""
    resources: [pods/exec, pods/attach, pods/ephemeralcontainers, pods/portforward]
- level: None
POL
	# The API server start is written to a script so a test can restart it
	# (fault test: an API server restart during a run).
	cat >"$state/apiserver.sh" <<SH
#!/usr/bin/env bash
exec "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \\
	--bind-address 127.0.0.1 --secure-port "$port" --cert-dir "$state/pki" \\
	--token-auth-file "$state/pki/tokens.csv" --authorization-mode RBAC \\
	--service-account-issuer https://kubernetes.default.svc \\
	--service-account-key-file "$state/pki/sa.pub" \\
	--service-account-signing-key-file "$state/pki/sa.key" \\
	--service-cluster-ip-range 10.96.0.0/16 --allow-privileged=true \\
	--max-requests-inflight 1000 --max-mutating-requests-inflight 500 \\
	--enable-priority-and-fairness=false \\
	--audit-policy-file "$state/audit-policy.yaml" --audit-log-path "$state/audit.log" \\
	--audit-log-format json --audit-log-mode blocking \\
	>>"$state/apiserver.log" 2>&1
SH
	chmod +x "$state/apiserver.sh"
	"$state/apiserver.sh" &
	echo $! >"$state/apiserver.pid"
	echo "kill \$(cat '$state/apiserver.pid') 2>/dev/null" >>"$stop"
	for _ in $(seq 1 120); do
		healthy && break
		sleep 0.5
	done
	healthy || { tail -n 40 "$state/apiserver.log" >&2; echo "kube: API server did not become ready" >&2; exit 1; }

	"$bin/kube-controller-manager" --kubeconfig "$kubeconfig" \
		--service-account-private-key-file "$state/pki/sa.key" \
		--controllers '*,-serviceaccount-token' --leader-elect=false \
		--kube-api-qps "$qps" --kube-api-burst "$((qps * 2))" \
		--concurrent-deployment-syncs 20 --concurrent-replicaset-syncs 20 \
		--secure-port 0 \
		>"$state/controller-manager.log" 2>&1 &
	pids="$!"
	echo "kill $! 2>/dev/null" >>"$stop"
	"$bin/kube-scheduler" --kubeconfig "$kubeconfig" --leader-elect=false \
		--kube-api-qps "$qps" --kube-api-burst "$((qps * 2))" --secure-port 0 \
		>"$state/scheduler.log" 2>&1 &
	pids="$pids $!"
	echo "kill $! 2>/dev/null" >>"$stop"
	"$bin/kwok" --kubeconfig "$kubeconfig" --manage-all-nodes=false \
		--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
		--cidr 10.244.0.0/16 --node-ip 10.0.0.1 \
		>"$state/kwok.log" 2>&1 &
	pids="$pids $!"
	echo "kill $! 2>/dev/null" >>"$stop"
	echo "rm -rf '$state'" >>"$stop"
	# The default service account appears once the controller manager runs.
	for _ in $(seq 1 60); do
		"$bin/kubectl" --kubeconfig "$kubeconfig" get serviceaccount default >/dev/null 2>&1 && break
		sleep 0.5
	done
	# A component that exited (a port in use, a bad flag) fails the step.
	for pid in $pids; do
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 20 "$state"/*.log >&2
			echo "kube: a control plane component exited at start" >&2
			exit 1
		fi
	done
fi
if [ -n "${IMMUTCHECK_ENV_FILE:-}" ]; then
	{
		echo "export IMMUTCHECK_KUBECONFIG=$kubeconfig"
		echo "export IMMUTCHECK_KUBE_BIN=$bin"
		echo "export IMMUTCHECK_KUBE_STATE=$state"
		echo "export IMMUTCHECK_KUBE_AUDIT_LOG=$state/audit.log"
	} >>"$IMMUTCHECK_ENV_FILE"
fi
echo "kube: $server ($kube_version, kwok $kwok_version)"
