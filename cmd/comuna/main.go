// Command comuna runs popular consultations and participatory budgets: the
// web service, the demo loader, imports and exports, and the allocation
// engine. Every subcommand lives in internal/cli; this file only wires the
// process to it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/comuna/comuna/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
