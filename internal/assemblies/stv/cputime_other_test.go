//go:build !unix

package stv

func cpuTime() int64 { return 0 }
