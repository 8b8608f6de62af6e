// Command immutcheck checks that infrastructure is immutable: instances are
// replaced from a common, versioned, verified image and never modified in
// place. Run "immutcheck help" for the commands.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/sirupsen/logrus"

	"github.com/immutcheck/immutcheck/internal/cli"
)

func main() {
	// Libraries that log through logrus (the compose loader) stay quiet;
	// everything the user needs to know is a finding or an error.
	logrus.SetOutput(io.Discard)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
