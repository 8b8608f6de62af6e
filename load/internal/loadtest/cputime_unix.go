//go:build unix

package loadtest

import (
	"syscall"
	"time"
)

// CPUTime returns the CPU time the process has used, user and system, so
// that a benchmark can report it next to wall time on a shared machine.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
