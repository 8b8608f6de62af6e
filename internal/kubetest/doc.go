// Package kubetest connects end-to-end tests to the real Kubernetes control
// plane that scripts/setup/kube.sh starts (etcd, kube-apiserver,
// controller manager, scheduler and kwok), and gives each test an isolated
// namespace and simulated nodes that are removed when the test ends.
//
// When the control plane is not configured, tests skip with a message naming
// it, or fail where components are required (see package e2e).
package kubetest
