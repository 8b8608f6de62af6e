// Package e2e decides what a test does when a real component it needs is
// missing: a Docker Engine, the registry, the Kubernetes control plane, the
// cosign CLI, root privileges. Run plainly (go test ./...) the test is
// skipped with a message naming the component and how to start it. When
// components are required — IMMUTCHECK_REQUIRE_COMPONENTS=1, which
// scripts/test.sh sets, or the variable CI set — the test fails with that
// message instead: there, a missing component is never a pass.
//
// It is imported only by tests.
package e2e
