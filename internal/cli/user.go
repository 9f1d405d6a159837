package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
)

// userCommands are the commands of 'comuna user'.
var userCommands = []subcommand{
	{"create", "create an account; prints a generated password unless --password-stdin"},
	{"password", "set a new password for an account, ending its sessions"},
	{"token", "make an API token for an account; prints it once"},
	{"list", "list the accounts"},
}

// runUser manages accounts: create, password, token and list.
func runUser(ctx context.Context, env *Env, args []string) error {
	if done, err := groupHelp(env, "user", userCommands, args); done {
		return err
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet(env, "user "+sub, "[flags]")
	db := dbFlag(fs, env)
	username := fs.String("username", "", "the account's username")
	var name, role, scope, tokenName *string
	var stdinPassword *bool
	switch sub {
	case "create":
		name = fs.String("name", "", "the person's full name")
		role = fs.String("role", "", "admin, coordinator, reviewer, spokesperson, table_member or observer")
		scope = fs.String("scope", "", "unit code: the circuit of a coordinator, council of a spokesperson, table of a table member")
		stdinPassword = fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	case "password":
		stdinPassword = fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	case "token":
		tokenName = fs.String("name", "cli", "a label for the token")
	case "list":
	default:
		return fmt.Errorf("%w: unknown user command %q (want create, password, token or list)", errUsage, sub)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if sub != "list" && *username == "" {
		return fmt.Errorf("%w: --username is required", errUsage)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()

	switch sub {
	case "create":
		pw, hash, generated, err := newPassword(env, *stdinPassword, *username, *name)
		if err != nil {
			return err
		}
		u := &comuna.User{Username: *username, Name: *name, Role: comuna.Role(*role), Scope: *scope, PasswordHash: hash}
		if err := st.CreateUser(ctx, u); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created user %s (%s)\n", u.Username, u.Role)
		if generated {
			fmt.Fprintf(env.Stdout, "password: %s\n", pw)
		}
	case "password":
		u, err := st.UserByUsername(ctx, *username)
		if err != nil {
			return err
		}
		pw, hash, generated, err := newPassword(env, *stdinPassword, u.Username, u.Name)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "password of %s changed; their sessions were ended\n", u.Username)
		if generated {
			fmt.Fprintf(env.Stdout, "password: %s\n", pw)
		}
	case "token":
		u, err := st.UserByUsername(ctx, *username)
		if err != nil {
			return err
		}
		token, hash := auth.NewToken()
		if err := st.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: hash, UserID: u.ID, Name: *tokenName}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "API token for %s (shown once; send it as 'Authorization: Bearer <token>'):\n", u.Username)
		fmt.Fprintln(env.Stdout, token)
	case "list":
		users, err := st.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tSCOPE\tNAME")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.Role, u.Scope, u.Name)
		}
		return tw.Flush()
	}
	return nil
}

// newPassword reads one line from stdin, or makes a random password to
// print once, and returns it with its hash.
func newPassword(env *Env, fromStdin bool, userInputs ...string) (pw, hash string, generated bool, err error) {
	if fromStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", "", false, fmt.Errorf("read password from standard input: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
		if err := auth.CheckPasswordStrength(pw, userInputs...); err != nil {
			return "", "", false, comuna.FieldError("password", "%s", err.Error())
		}
	} else {
		token, _ := auth.NewToken()
		pw, generated = token[:20], true
	}
	hash, err = auth.HashPassword(pw)
	return pw, hash, generated, err
}
