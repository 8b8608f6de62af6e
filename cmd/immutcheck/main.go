// Command immutcheck checks that infrastructure is immutable: instances are
// replaced from a common, versioned, verified image and never modified in
// place. Run "immutcheck help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/immutcheck/immutcheck/internal/cli"
	"github.com/immutcheck/immutcheck/load/helm"
)

func main() {
	// A chart is rendered in a bounded child process of this binary.
	helm.ServeChild()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
