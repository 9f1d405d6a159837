package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/blob"
	"github.com/comuna/comuna/internal/counting"
	"github.com/comuna/comuna/internal/demo"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/web"
)

// runServe serves the web pages and the JSON API until ctx ends.
func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "serve", "[--db DSN] [--addr HOST:PORT] [--demo] [--pollbook-key-file FILE]")
	db := dbFlag(fs, env)
	addr := fs.String("addr", envOr(env, "COMUNA_ADDR", "localhost:8080"), "address to listen on; port 0 picks a free one (env COMUNA_ADDR)")
	withDemo := fs.Bool("demo", false, "load the small demo consultation first if the database is empty")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (set when serving over HTTPS)")
	keyFile := fs.String("pollbook-key-file", "", "file holding the poll-book key (64 hex digits or base64 of 32 bytes); env COMUNA_POLLBOOK_KEY holds the key itself")
	logKeyFile := fs.String("log-key-file", env.getenv("COMUNA_LOG_KEY_FILE"), "file holding the transparency log's signing key, from comuna keys create (env COMUNA_LOG_KEY_FILE)")
	logOrigin := fs.String("log-origin", envOr(env, "COMUNA_LOG_ORIGIN", "comuna"), "the log's name, first line of every checkpoint (env COMUNA_LOG_ORIGIN)")
	evidenceDir := fs.String("evidence-dir", env.getenv("COMUNA_EVIDENCE_DIR"), "directory keeping funded projects' evidence files by hash (env COMUNA_EVIDENCE_DIR; default beside a SQLite database, ./evidence for PostgreSQL)")
	if err := parseFlags(fs, args); err != nil {
		return err
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
	key, err := pollBookKey(env, *keyFile, *db, *withDemo)
	if err != nil {
		return err
	}
	cfg := serverConfig(st)
	cfg.Logger, cfg.SecureCookies, cfg.PollBookKey = logger, *secure, key
	cfg.Blobs = blob.Dir(evidencePath(*evidenceDir, *db))
	if err := serveLog(ctx, env, &cfg, st, *logKeyFile, *logOrigin, *db, *withDemo); err != nil {
		return err
	}
	srv, err := web.New(cfg)
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

// serverConfig wires the web server's services over the store, as the
// one place that knows they are all the same SQL store: the records, vote
// day, audits, the transparency log, funded projects, federations,
// communal parliaments, and the counting use cases
// (results, decisions, audit reports) built over it.
func serverConfig(st *sqlstore.DB) web.Config {
	return web.Config{Store: st, VoteDay: st, Audits: st, Log: st, Execution: st, Federation: st, Parliament: st,
		Counting: counting.New(st)}
}

// loadDemoIfEmpty loads the small demo into a database without rounds and
// prints the demo logins either way.
func loadDemoIfEmpty(ctx context.Context, env *Env, st *sqlstore.DB) error {
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

// pollBookKey finds the electoral authority's key for hashing identity
// documents: the file named by --pollbook-key-file, or else the key in
// COMUNA_POLLBOOK_KEY. Without either, a --demo server on a SQLite file
// keeps a demo key in DB.pollbook-key next to the database (created on
// first use, mode 0600), so check-ins stay comparable across restarts; a
// --demo server on PostgreSQL makes a key for the session only. Anything
// else serves without a key, and check-ins answer 503. The key itself is
// never printed, only its fingerprint.
func pollBookKey(env *Env, file, dsn string, demoMode bool) (pollbook.Key, error) {
	src, text := "", ""
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return pollbook.Key{}, fmt.Errorf("poll-book key: %w", err)
		}
		src, text = file, string(b)
	case env.getenv("COMUNA_POLLBOOK_KEY") != "":
		src, text = "COMUNA_POLLBOOK_KEY", env.getenv("COMUNA_POLLBOOK_KEY")
	}
	if src != "" {
		k, err := pollbook.ParseKey(text)
		if err != nil {
			return pollbook.Key{}, fmt.Errorf("poll-book key from %s: %w", src, err)
		}
		fmt.Fprintf(env.Stdout, "Poll-book key %s loaded from %s.\n", k.Fingerprint(), src)
		if file != "" && !demoMode {
			for _, w := range keyFileWarnings(file, dsn) {
				fmt.Fprintln(env.Stderr, "warning: "+w)
			}
		}
		return k, nil
	}
	if !demoMode {
		fmt.Fprintln(env.Stderr, "warning: no poll-book key (--pollbook-key-file or COMUNA_POLLBOOK_KEY): check-ins answer 503")
		return pollbook.Key{}, nil
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		k := pollbook.NewKey()
		fmt.Fprintf(env.Stderr, "warning: demo poll-book key %s made for this session only: check-ins will not be comparable across restarts\n", k.Fingerprint())
		return k, nil
	}
	path := dsn + ".pollbook-key"
	if b, err := os.ReadFile(path); err == nil {
		k, err := pollbook.ParseKey(string(b))
		if err != nil {
			return pollbook.Key{}, fmt.Errorf("demo poll-book key %s: %w", path, err)
		}
		fmt.Fprintf(env.Stdout, "Demo poll-book key %s read from %s.\n", k.Fingerprint(), path)
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return pollbook.Key{}, fmt.Errorf("demo poll-book key: %w", err)
	}
	k := pollbook.NewKey()
	if err := os.WriteFile(path, []byte(k.Hex()+"\n"), 0o600); err != nil {
		return pollbook.Key{}, fmt.Errorf("demo poll-book key: %w", err)
	}
	fmt.Fprintf(env.Stderr, "warning: made demo poll-book key %s in %s (a demo key: never use it for a real vote)\n", k.Fingerprint(), path)
	return k, nil
}

// evidencePath is where evidence files live: the flag's directory, or
// DB-evidence beside a SQLite file, or ./evidence for PostgreSQL.
func evidencePath(dir, db string) string {
	if dir != "" {
		return dir
	}
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return "evidence"
	}
	return strings.TrimSuffix(db, ".db") + "-evidence"
}
