package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/comuna/comuna/internal/sqlstore"
	"github.com/comuna/comuna/internal/translog"
	"github.com/comuna/comuna/internal/web"
	"golang.org/x/mod/sumdb/note"
)

// serveLog configures the transparency log of a server: the store's log,
// named origin, served under /log/, with checkpoints signed by the key in
// file, whose public key it publishes. Without a key file, a --demo
// server on a SQLite file keeps a demo key in DB.log-key next to the
// database (made on first use, mode 0600); a --demo server on PostgreSQL
// makes one for the session. Otherwise records and tiles are served and
// /log/checkpoint answers 503.
func serveLog(ctx context.Context, env *Env, cfg *web.Config, st *sqlstore.DB, file, origin, dsn string, demoMode bool) error {
	if err := st.SetLogOrigin(origin); err != nil {
		return fmt.Errorf("--log-origin: %w", err)
	}
	signer, vkey, err := logSigner(env, file, dsn, demoMode)
	if err != nil || signer == nil {
		return err
	}
	if err := st.PublishLogKey(ctx, vkey); err != nil {
		return err
	}
	cfg.LogSigner = signer
	fmt.Fprintf(env.Stdout, "Transparency log %q signed by %s\n", origin, vkey)
	return nil
}

// logSigner loads or, for a demo, makes the log's signing key.
func logSigner(env *Env, file, dsn string, demoMode bool) (note.Signer, string, error) {
	if file != "" {
		_, vkey, signer, err := readLogKey(file)
		return signer, vkey, err
	}
	if !demoMode {
		fmt.Fprintln(env.Stderr, "warning: no log signing key (--log-key-file or COMUNA_LOG_KEY_FILE): /log/checkpoint answers 503")
		return nil, "", nil
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		skey, vkey, err := translog.GenerateKey("comuna-demo")
		if err != nil {
			return nil, "", err
		}
		signer, err := note.NewSigner(skey)
		fmt.Fprintln(env.Stderr, "warning: demo log key made for this session only: checkpoints after a restart use another key")
		return signer, vkey, err
	}
	path := dsn + ".log-key"
	if _, err := os.Stat(path); err == nil {
		_, vkey, signer, err := readLogKey(path)
		return signer, vkey, err
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, "", fmt.Errorf("demo log key: %w", err)
	}
	skey, vkey, err := translog.GenerateKey("comuna-demo")
	if err != nil {
		return nil, "", err
	}
	if err := writeLogKey(path, skey, vkey, false); err != nil {
		return nil, "", fmt.Errorf("demo log key: %w", err)
	}
	fmt.Fprintf(env.Stderr, "warning: made demo log key %s (a demo key: never use it for a real vote)\n", path)
	signer, err := note.NewSigner(skey)
	return signer, vkey, err
}
