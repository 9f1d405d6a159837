//go:build unix

package stv

import "syscall"

// cpuTime is the process's user and system time in nanoseconds, reported
// beside the benchmark's wall time because a shared machine's load inflates
// the latter.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
