package cli

import (
	"context"
	"os"
	"testing"

	"github.com/immutcheck/immutcheck/load/helm"
)

// cliChildEnv makes the test binary run the command line given in its
// arguments, as the immutcheck binary would: the hostile-input test runs
// each case in such a child under memory and time bounds.
const cliChildEnv = "IMMUTCHECK_TEST_RUN_CLI"

// TestMain serves the render child of Helm charts (the scan command
// renders charts in a child process of its own binary, here the test
// binary) and the command-line child of the hostile-input test.
func TestMain(m *testing.M) {
	helm.ServeChild()
	if os.Getenv(cliChildEnv) == "1" {
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
