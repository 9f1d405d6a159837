package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/logsource"
	"github.com/comuna/comuna/internal/translog"
	"github.com/comuna/comuna/internal/verify"
)

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// errVerifyFailed makes verify exit 1 after printing its report.
var errVerifyFailed = errors.New("verification FAILED: see the report above")

// runVerify checks a Comuna server's transparency log and recomputes every
// result from it, using public data only.
func runVerify(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "verify", "--url URL | --dir DIR [flags]")
	base := fs.String("url", "", "the Comuna server, e.g. https://consulta.example")
	dir := fs.String("dir", "", "verify a copy downloaded with --mirror instead of the server")
	mirror := fs.String("mirror", "", "with --url: first copy the log and the results into this directory, then verify the copy")
	state := fs.String("state", "", "file keeping the checkpoint seen last time (default ~/.comuna/verify-state/HOST, or DIR.verify-state)")
	keysFile := fs.String("keys", "", "file of published verifier keys, one per line (default: the server's /log/keys, or DIR/keys)")
	var keys stringList
	fs.Var(&keys, "key", "a published verifier key (repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *base == "" && *dir == "" {
		return fmt.Errorf("%w: give --url or --dir", errUsage)
	}
	if *mirror != "" && (*base == "" || *dir != "") {
		return fmt.Errorf("%w: --mirror needs --url and no --dir", errUsage)
	}
	if *mirror != "" {
		n, err := logsource.Mirror(ctx, &logsource.HTTPSource{Base: *base}, *mirror)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "mirrored %d records into %s\n", n, *mirror)
		*dir = *mirror
	}

	cfg := verify.Config{}
	switch {
	case *dir != "":
		cfg.Log, cfg.Results = logsource.DirSource(*dir), verify.DirResults(*dir)
		if *base != "" {
			cfg.Results = &verify.HTTPResults{Base: *base, Mirror: *mirror}
		}
	default:
		cfg.Log, cfg.Results = &logsource.HTTPSource{Base: *base}, &verify.HTTPResults{Base: *base}
	}

	var err error
	if cfg.Keys, err = verifierKeys(ctx, env, *keysFile, keys, *base, *dir, *mirror); err != nil {
		return err
	}
	cfg.StatePath = *state
	if cfg.StatePath == "" {
		if cfg.StatePath, err = defaultState(env, *base, *dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(cfg.StatePath), 0o700); err != nil {
		return err
	}
	rep, err := verify.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if err := rep.WriteText(env.Stdout); err != nil {
		return err
	}
	if !rep.OK() {
		return errVerifyFailed
	}
	return nil
}

// verifierKeys returns the keys given by flag, or else those the server
// publishes at /log/keys (saved into the mirror) or DIR/keys.
func verifierKeys(ctx context.Context, env *Env, file string, keys []string, base, dir, mirror string) ([]string, error) {
	if file != "" {
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		ks, err := translog.ParseVerifierKeys(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		keys = append(keys, ks...)
	}
	if len(keys) > 0 {
		return keys, nil
	}
	var text []byte
	var err error
	if dir != "" && mirror == "" {
		text, err = os.ReadFile(filepath.Join(dir, "keys"))
	} else {
		text, err = fetchKeys(ctx, base)
		if err == nil && mirror != "" {
			err = os.WriteFile(filepath.Join(mirror, "keys"), text, 0o644)
		}
		fmt.Fprintln(env.Stderr, "note: using the verifier keys the server publishes; pin the keys published with the round with --keys or --key")
	}
	if err != nil {
		return nil, fmt.Errorf("verifier keys: %w (give --keys or --key)", err)
	}
	ks, err := translog.ParseVerifierKeys(text)
	if err == nil && len(ks) == 0 {
		err = comuna.Errorf(comuna.EInvalid, "no verifier key published")
	}
	return ks, err
}

// fetchKeys downloads the server's published verifier keys.
func fetchKeys(ctx context.Context, base string) ([]byte, error) {
	r := verify.HTTPResults{Base: base}
	return r.GetRaw(ctx, "/log/keys")
}

// defaultState is ~/.comuna/verify-state/HOST for a server, or a file
// next to a downloaded directory.
func defaultState(env *Env, base, dir string) (string, error) {
	if dir != "" {
		return filepath.Clean(dir) + ".verify-state", nil
	}
	home := env.getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no home directory for the state file: %w (give --state)", err)
		}
		home = h
	}
	host := "server"
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		host = strings.NewReplacer(":", "_", "/", "_").Replace(u.Host)
	}
	return filepath.Join(home, ".comuna", "verify-state", host), nil
}
