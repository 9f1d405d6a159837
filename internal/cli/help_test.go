package cli

import (
	"sort"
	"strings"
	"testing"
)

// TestEveryCommandAnswersHelp asks every command, and every command of a
// group, for help: each prints its usage on standard error and exits 0.
func TestEveryCommandAnswersHelp(t *testing.T) {
	var args [][]string
	for name := range commands {
		for _, h := range []string{"-h", "--help"} {
			args = append(args, []string{name, h})
		}
	}
	for group, subs := range map[string][]subcommand{"user": userCommands, "keys": keysCommands, "pollbook": pollBookCommands, "audit": auditCommands} {
		for _, s := range subs {
			args = append(args, []string{group, s.name, "-h"})
		}
	}
	for _, kinds := range []string{"import", "export"} {
		ks := importKinds
		if kinds == "export" {
			ks = exportKinds
		}
		for k := range ks {
			args = append(args, []string{kinds, k, "--help"})
		}
	}
	sort.Slice(args, func(i, j int) bool { return strings.Join(args[i], " ") < strings.Join(args[j], " ") })
	for _, a := range args {
		_, stderr, code := runCLI(t, a...)
		if code != 0 || !strings.Contains(stderr, "Usage: comuna "+a[0]) {
			t.Errorf("comuna %s: exit %d, stderr %q; want exit 0 and the usage", strings.Join(a, " "), code, stderr)
		}
	}
}

// TestGroupsWithoutCommand checks that a group named alone prints its
// commands and exits 2.
func TestGroupsWithoutCommand(t *testing.T) {
	for _, group := range []string{"user", "keys", "pollbook", "audit"} {
		_, stderr, code := runCLI(t, group)
		if code != 2 || !strings.Contains(stderr, "Usage: comuna "+group+" <command>") {
			t.Errorf("comuna %s: exit %d, stderr %q; want exit 2 and the group's usage", group, code, stderr)
		}
	}
}

// TestStrayArguments checks that commands refuse words left after their
// flags instead of ignoring them, before touching any database.
func TestStrayArguments(t *testing.T) {
	db := t.TempDir() + "/none.db"
	tests := [][]string{
		{"migrate", "--db", db, "extra"},
		{"demo", "--db", db, "extra"},
		{"user", "list", "--db", db, "extra"},
		{"user", "token", "--username", "ana", "--db", db, "extra"},
		{"verify", "--dir", t.TempDir(), "extra"},
		{"audit", "status", "--audit", "1", "--db", db, "extra"},
		{"keys", "rotate", "--key-file", "k", "--db", db, "extra"},
	}
	for _, a := range tests {
		_, stderr, code := runCLI(t, a...)
		if code != 2 || !strings.Contains(stderr, `unexpected argument "extra"`) {
			t.Errorf("comuna %s: exit %d, stderr %q; want exit 2 and unexpected argument \"extra\"", strings.Join(a, " "), code, stderr)
		}
	}
}
