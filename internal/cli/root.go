package cli

import (
	"context"
	"errors"
	"io"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X ...cli.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Libraries that log through logrus (compose-go) stay quiet: everything
	// the user needs to know is a finding or an error.
	logrus.SetOutput(io.Discard)
	root := newRoot(stdin)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	var re *runError
	if err != nil && !errors.As(err, &re) {
		// Cobra's own errors: unknown command or flag, wrong arguments.
		err = &usageError{err}
	} else if re != nil {
		err = re.err
	}
	return exitCode(err, stderr)
}

func newRoot(stdin io.Reader) *cobra.Command {
	root := &cobra.Command{
		Use:   "immutcheck",
		Short: "Check that infrastructure is immutable: versioned, verified images, replaced never modified",
		Long: `immutcheck proves, from the declaration to the running process, that instances
are replaced from a common, versioned, verified image and never modified in
place, and shows exactly where that breaks.

Findings fall into six groups: artifact, disposable, drift, declarative,
rollback and baseline. Run "immutcheck rules" for the catalog and
"immutcheck explain RULE" for one rule.

` + exitCodesHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.HiddenDefaultCmd = true
	root.AddCommand(
		newScanCmd(stdin),
		newDriftCmd(), newBaselineCmd(),
		newImageCmd(),
		newDockerCmd(),
		newClusterCmd(),
		newRulesCmd(),
		newExplainCmd(),
		newDocsCmd(),
		newVersionCmd(),
	)
	return root
}

// runError marks an error returned from inside a command's run function,
// as opposed to cobra's parsing errors.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }

// wrap adapts a run function so its errors are told apart from cobra's.
func wrap(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := fn(cmd, args); err != nil {
			return &runError{err}
		}
		return nil
	}
}
