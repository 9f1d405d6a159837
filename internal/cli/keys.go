package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// keysCommands are the commands of 'comuna keys'.
var keysCommands = []subcommand{
	{"create", "write a new signing key to a new file and print its public key"},
	{"rotate", "replace a key file's key, keeping the old public key published"},
	{"list", "print the published public keys, oldest first"},
}

// runKeys manages the transparency log's signing key.
func runKeys(ctx context.Context, env *Env, args []string) error {
	if done, err := groupHelp(env, "keys", keysCommands, args); done {
		return err
	}
	switch sub, args := args[0], args[1:]; sub {
	case "create":
		return runKeysCreate(env, args)
	case "rotate":
		return runKeysRotate(ctx, env, args)
	case "list":
		return runKeysList(ctx, env, args)
	default:
		return fmt.Errorf("%w: unknown keys command %q (want create, rotate or list)", errUsage, sub)
	}
}

// A log key file holds two lines: the note signer key
// ("PRIVATE+KEY+name+hash+…") and its verifier key ("name+hash+…").

// readLogKey reads a log key file and checks that its two keys belong
// together.
func readLogKey(path string) (skey, vkey string, signer note.Signer, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", nil, fmt.Errorf("log key: %w", err)
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 {
		return "", "", nil, fmt.Errorf("log key %s: want the signer key and the verifier key on two lines", path)
	}
	skey, vkey = lines[0], lines[1]
	if signer, err = note.NewSigner(skey); err != nil {
		return "", "", nil, fmt.Errorf("log key %s: malformed signer key: %v", path, err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return "", "", nil, fmt.Errorf("log key %s: malformed verifier key: %v", path, err)
	}
	msg, err := note.Sign(&note.Note{Text: "key check\n"}, signer)
	if err == nil {
		_, err = note.Open(msg, note.VerifierList(verifier))
	}
	if err != nil {
		return "", "", nil, fmt.Errorf("log key %s: the verifier key does not match the signer key", path)
	}
	return skey, vkey, signer, nil
}

// writeLogKey writes a key file with mode 0600: a new file, or with
// replace set, atomically over an existing one.
func writeLogKey(path, skey, vkey string, replace bool) error {
	data := []byte("# Comuna transparency-log key: keep it secret. The second line is public.\n" + skey + "\n" + vkey + "\n")
	if !replace {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists; a log key is never overwritten (use comuna keys rotate)", path)
		}
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
		return err
	}
	// CreateTemp makes the file with mode 0600, which the rename keeps.
	return writeFileAtomically(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// runKeysCreate writes a new signing key to a new file and prints its
// public verifier key.
func runKeysCreate(env *Env, args []string) error {
	fs := newFlagSet(env, "keys create", "[--name NAME] [--out FILE]")
	name := fs.String("name", "comuna", "the key's name, shown in every signature (e.g. the authority's domain)")
	out := fs.String("out", "log.key", "the new key file (created with mode 0600; never overwritten)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	skey, vkey, err := translog.GenerateKey(*name)
	if err != nil {
		return err
	}
	if err := writeLogKey(*out, skey, vkey, false); err != nil {
		return fmt.Errorf("log key: %w", err)
	}
	fmt.Fprintf(env.Stdout, "wrote the log signing key to %s (mode 0600); its public verifier key:\n%s\n", *out, vkey)
	fmt.Fprintf(env.Stdout, "serve with --log-key-file %s (or COMUNA_LOG_KEY_FILE); the server publishes the public key at /log/keys\n", *out)
	return nil
}

// runKeysRotate replaces the key in a key file with a new one and
// publishes both public keys, so checkpoints signed by the old key stay
// verifiable.
func runKeysRotate(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "keys rotate", "--key-file FILE [--name NAME] [--db DSN]")
	db := dbFlag(fs, env)
	file := fs.String("key-file", env.getenv("COMUNA_LOG_KEY_FILE"), "the key file to rotate (env COMUNA_LOG_KEY_FILE)")
	name := fs.String("name", "", "the new key's name; the old key's name if empty")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *file == "" {
		return fmt.Errorf("%w: comuna keys rotate --key-file FILE", errUsage)
	}
	_, oldV, signer, err := readLogKey(*file)
	if err != nil {
		return err
	}
	if *name == "" {
		*name = signer.Name()
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	keys := translog.Keys{Verifiers: []string{oldV}}
	if err := keys.Rotate(*name); err != nil {
		return err
	}
	newV := keys.Verifiers[1]
	for _, v := range keys.Verifiers {
		if err := st.PublishLogKey(ctx, v); err != nil {
			return err
		}
	}
	if err := writeLogKey(*file, keys.Signer, newV, true); err != nil {
		return fmt.Errorf("log key: %w", err)
	}
	fmt.Fprintf(env.Stdout, "rotated %s; new public key:\n%s\nthe old key stays published:\n%s\nrestart the server to sign with the new key\n", *file, newV, oldV)
	return nil
}

// runKeysList prints the published verifier keys, oldest first.
func runKeysList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "keys list", "[--db DSN]")
	db := dbFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	keys, err := st.LogKeys(ctx)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		fmt.Fprintln(env.Stderr, "no log keys published yet (comuna keys create, then serve with --log-key-file)")
	}
	for _, k := range keys {
		fmt.Fprintln(env.Stdout, k)
	}
	return nil
}
