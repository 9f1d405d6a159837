package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/demo"
	"github.com/comuna/comuna/internal/web"
)

// runServe serves the web pages and the JSON API until ctx ends.
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "serve", "[--db DSN] [--addr HOST:PORT] [--demo]")
	db := dbFlag(fs, env)
	addr := fs.String("addr", envOr(env, "COMUNA_ADDR", "localhost:8080"), "address to listen on; port 0 picks a free one (env COMUNA_ADDR)")
	withDemo := fs.Bool("demo", false, "load the small demo consultation first if the database is empty")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (set when serving over HTTPS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()

	logger := slog.New(slog.NewTextHandler(env.Stderr, nil))
	if *withDemo {
		if err := loadDemoIfEmpty(ctx, env, st); err != nil {
			return err
		}
	}
	srv, err := web.New(web.Config{Store: st, Logger: logger, SecureCookies: *secure})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	fmt.Fprintf(env.Stdout, "Comuna is serving at http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemoIfEmpty loads the small demo into a database without rounds and
// prints the demo logins either way.
func loadDemoIfEmpty(ctx context.Context, env *Env, st comuna.Store) error {
	rounds, err := st.Rounds(ctx)
	if err != nil {
		return err
	}
	if len(rounds) > 0 {
		fmt.Fprintln(env.Stdout, "The database already has rounds; the demo was not loaded again.")
		fmt.Fprintln(env.Stdout, "Demo logins, if this is the demo database (public passwords: never use them for real):")
		for _, l := range demo.Generate(demo.Small).Logins {
			fmt.Fprintf(env.Stdout, "  %-14s %-18s %s %s\n", l.Username, l.Password, l.Role, l.Scope)
		}
		return nil
	}
	sum, err := loadDemo(ctx, env, st, demo.Small)
	if err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	return sum.WriteText(env.Stdout)
}

func envOr(env *Env, key, def string) string {
	if v := env.getenv(key); v != "" {
		return v
	}
	return def
}
