package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyFileWarnings(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	write := func(path string, mode os.FileMode) string {
		if err := os.WriteFile(path, []byte(strings.Repeat("ab", 32)+"\n"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		return path
	}
	beside := write(filepath.Join(dir, "pollbook.key"), 0o600)
	apart := write(filepath.Join(other, "pollbook.key"), 0o600)
	open := write(filepath.Join(other, "open.key"), 0o644)
	db := filepath.Join(dir, "comuna.db")
	tests := []struct {
		file, dsn string
		want      []string // substrings, one per warning
	}{
		{apart, db, nil},
		{beside, db, []string{"database's directory"}},
		{open, db, []string{"readable by others"}},
		{beside, "postgres://u@h/db", nil},
	}
	for _, tt := range tests {
		got := keyFileWarnings(tt.file, tt.dsn)
		if len(got) != len(tt.want) {
			t.Errorf("keyFileWarnings(%s, %s) = %q, want %d warnings", tt.file, tt.dsn, got, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("keyFileWarnings(%s, %s)[%d] = %q, want it to say %q", tt.file, tt.dsn, i, got[i], w)
			}
		}
	}
}
