//go:build unix

package kube

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used so far.
// The benchmarks report it per op: on a shared machine, wall time varies
// with the neighbours' load, CPU time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
