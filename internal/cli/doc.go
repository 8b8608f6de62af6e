// Package cli is immutcheck's command line: one file per subcommand. Each
// command turns its flags into an options value and calls a flag-free
// runX(ctx, opts, ...) function that tests call directly. Exit codes are
// decided in one place, exit.go.
package cli
