package cli

import (
	"errors"
	"fmt"
	"io"
)

// Exit codes, documented in the README and in "immutcheck help".
const (
	// ExitClean: nothing at or above the fail-on severity.
	ExitClean = 0
	// ExitFindings: findings at or above the fail-on severity.
	ExitFindings = 1
	// ExitUsage: bad flags, arguments or configuration.
	ExitUsage = 2
	// ExitCouldNotCheck: an input could not be read or was rejected, or a
	// source was unreachable. Never reported as clean.
	ExitCouldNotCheck = 3
)

const exitCodesHelp = `Exit status:
  0  nothing at or above --fail-on was found
  1  findings at or above --fail-on
  2  usage or configuration error
  3  something could not be checked (unreadable or rejected input,
     unreachable source); never reported as clean`

// usageError marks errors that are the user's to fix: bad flags, bad config.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// exitError carries a decided exit code out of a command without printing.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// exitCode maps the error a command returned to the process exit code, and
// prints it. It is the only place that decides exit codes.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "immutcheck: %v\nRun 'immutcheck help' for usage.\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "immutcheck: %v\n", err)
	return ExitCouldNotCheck
}
