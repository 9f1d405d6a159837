// Package cli implements the comuna command line: one subcommand per file,
// each parsing its own flags and wiring the internal packages together.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Env is what a subcommand may touch of the outside world. Tests pass buffers
// and a fake environment; main passes the process's own.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads configuration such as COMUNA_DB; nil means os.Getenv.
	Getenv func(string) string
}

func (e *Env) getenv(key string) string {
	if e.Getenv == nil {
		return os.Getenv(key)
	}
	return e.Getenv(key)
}

// command is one subcommand: a one-line summary for the usage text and the
// function that runs it with the arguments after its name.
type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// commands lists every subcommand. Each lives in a file of its own name.
var commands = map[string]command{
	"allocate": {"run a participatory-budgeting rule on a pabulib file", runAllocate},
	"count":    {"count a BLT ballot file by STV (scotland, meek-prf, wigm-prf), plurality or approval", runCount},
	"pbbench":  {"time every rule on a folder of pabulib files against the reference", runPBBench},
	"demo":     {"load deterministic demo data (small, or national scale) into an empty database", runDemo},
	"import":   {"import data from a file ('comuna import help' lists the kinds)", runImport},
	"keys":     {"make, rotate and list the transparency log's signing keys", runKeys},
	"check":    {"compare stored sheets and ballots with the transparency log; exit 1 on any mismatch", runCheck},
	"export":   {"export data to a file ('comuna export help' lists the kinds)", runExport},
	"simulate": {"play a whole vote day against a running server and measure it", runSimulate},
	"serve":    {"serve the web pages and the JSON API (--demo loads the demo first)", runServe},
	"migrate":  {"apply the database migrations and print the schema version", runMigrate},
	"pollbook": {"make the poll-book key, or destroy a round's check-ins once results are final", runPollBook},
	"user":     {"manage accounts: create, password, token, list", runUser},
	"verify":   {"check the transparency log and recompute every result from public data", runVerify},
	"audit":    {"audits of the paper: create a risk-limiting audit, draw tables, show status", runAudit},
}

// errUsage marks an error in the command line itself; Main exits 2 for it.
var errUsage = errors.New("usage")

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, env *Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "comuna: unknown command %q\n\n", args[0])
		usage(env.Stderr)
		return 2
	}
	if err := cmd.run(ctx, env, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(env.Stderr, "comuna %s: %v\n", args[0], err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Comuna runs popular consultations and participatory budgets.\n\nUsage: comuna <command> [flags]\n\nCommands:\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", name, commands[name].summary)
	}
	b.WriteString("\nRun 'comuna <command> -h' for a command's flags.\n")
	io.WriteString(w, b.String())
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage to the environment's standard error.
func newFlagSet(env *Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: comuna %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// isHelp reports whether a command-line word asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }

// subcommand is one command of a group such as 'comuna user': its name
// and a one-line summary for the group's usage.
type subcommand struct{ name, summary string }

// groupHelp answers a group's first argument: with none it prints the
// group's usage and returns a usage error (exit 2); with -h, --help or
// help it prints the usage and reports done (exit 0). Otherwise it does
// nothing and the group runs args[0].
func groupHelp(env *Env, group string, subs []subcommand, args []string) (done bool, err error) {
	if len(args) > 0 && !isHelp(args[0]) {
		return false, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: comuna %s <command> [flags]\n\nCommands:\n", group)
	names := make([]string, len(subs))
	for i, s := range subs {
		fmt.Fprintf(&b, "  %-10s %s\n", s.name, s.summary)
		names[i] = s.name
	}
	fmt.Fprintf(&b, "\nRun 'comuna %s <command> -h' for a command's flags.\n", group)
	io.WriteString(env.Stderr, b.String())
	if len(args) == 0 {
		return true, fmt.Errorf("%w: name a command: comuna %s %s", errUsage, group, strings.Join(names, "|"))
	}
	return true, nil
}

// parseFlags parses a command's flags and refuses arguments left over.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}
