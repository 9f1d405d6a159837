package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/comuna/comuna/internal/execution"
	"github.com/comuna/comuna/internal/progress"
)

// runImportDisbursements is `comuna import disbursements --round N --as
// USERNAME FILE|-`: a bank statement's payments to a round's funded
// projects, streamed, all or none. Each payment is recorded by the fund
// officer named by --as and awaits the payee's confirmation.
func runImportDisbursements(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "import disbursements", "--round N --as USERNAME [--db DSN] FILE|-")
	db := dbFlag(fs, env)
	round := fs.Int64("round", 0, "the round whose funded projects were paid")
	as := fs.String("as", "", "the fund officer who records the payments (an account's username)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *round <= 0 || *as == "" {
		fs.Usage()
		return fmt.Errorf("%w: give --round, --as and one statement file (or - for standard input)", errUsage)
	}
	name := fs.Arg(0)
	var in io.Reader = env.Stdin
	var size int64
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		in = f
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByUsername(ctx, *as)
	if err != nil {
		return err
	}
	var bar *progress.Bar
	if progress.IsTerminal(env.Stderr) {
		bar = progress.New(env.Stderr, "importing "+name, 0)
	}
	counted := &countingReader{r: in}
	r := execution.NewStatementReader(counted)
	if size > 0 {
		bar.Stage("importing "+name, size)
	}
	n, err := st.ImportStatement(ctx, *round, u.Username, r.Next, func(int) { bar.Set(counted.n) })
	bar.Finish()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(env.Stdout, "imported %d disbursements into round %d, recorded by %s; each awaits the payee's confirmation\n", n, *round, u.Username)
	return nil
}

// countingReader counts the bytes read, for the progress bar.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
