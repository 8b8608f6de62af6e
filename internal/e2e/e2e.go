package e2e

import (
	"net"
	"os"
	"testing"
	"time"
)

// RequireVar is the environment variable that makes a missing component
// fail the tests that need it rather than skip them.
const RequireVar = "IMMUTCHECK_REQUIRE_COMPONENTS"

// Required reports whether missing components fail tests: RequireVar is
// set to anything but "" or "0", or CI is set.
func Required() bool {
	v := os.Getenv(RequireVar)
	return v != "" && v != "0" || os.Getenv("CI") != ""
}

// Missing ends t because component is missing: a failure when components
// are required, a skip otherwise. start says how to provide it, e.g. "run
// scripts/setup/docker.sh".
func Missing(t testing.TB, component, start string) {
	t.Helper()
	if Required() {
		t.Fatalf("missing %s (required: %s=1 or CI is set); %s", component, RequireVar, start)
	}
	t.Skipf("missing %s; %s", component, start)
}

// Env returns the value of the environment variable name, which a setup
// step exports once component runs; without it t ends as Missing says.
func Env(t testing.TB, name, component, start string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		Missing(t, component+" ($"+name+" not set)", start)
	}
	return v
}

// Registry returns the address (host:port) of the real OCI registry that
// scripts/setup/registry.sh runs, once something answers there; without
// it t ends as Missing says.
func Registry(t testing.TB) string {
	t.Helper()
	const start = "run scripts/setup/registry.sh"
	addr := Env(t, "IMMUTCHECK_REGISTRY", "OCI registry", start)
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		Missing(t, "OCI registry at "+addr+" ("+err.Error()+")", start)
	}
	conn.Close()
	return addr
}
