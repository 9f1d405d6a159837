package cli

import (
	"context"
	"fmt"

	"github.com/comuna/comuna/internal/sqlstore"

	"github.com/comuna/comuna/internal/demo"
	"github.com/comuna/comuna/internal/progress"
)

// runDemo is `comuna demo [--scale small|national] [--db DSN]`: it loads
// the demo into an empty database with a progress bar on standard error
// and prints what it loaded and the demo logins.
func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "demo", "[--scale small|national] [--db DSN]")
	scaleName := fs.String("scale", string(demo.Small), "how much data: small (a few states, for the browser) or national (5,336 circuits)")
	db := dbFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	scale, err := demo.ParseScale(*scaleName)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := loadDemo(ctx, env, st, scale)
	if err != nil {
		return err
	}
	return sum.WriteText(env.Stdout)
}

// loadDemo loads a demo scale with a progress bar on standard error.
func loadDemo(ctx context.Context, env *Env, st *sqlstore.DB, scale demo.Scale) (*demo.Summary, error) {
	bar := progress.New(env.Stderr, "", 0)
	stage := ""
	sum, err := demo.Load(ctx, st, scale, func(s string, done, total int) {
		if s != stage {
			stage = s
			bar.Stage(s, int64(total))
		}
		bar.SetTotal(int64(total))
		bar.Set(int64(done))
	})
	if stage != "" {
		bar.Finish()
	}
	return sum, err
}
