package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// keyFileWarnings says what is wrong with where a production server keeps
// its poll-book key: a key beside a SQLite database is copied with every
// backup of it, and a key others can read lets them test documents
// against the hashes. Whoever has both the database and the key can link
// documents to the poll book, so they must never travel together.
func keyFileWarnings(file, dsn string) []string {
	var out []string
	if fi, err := os.Stat(file); err == nil && fi.Mode().Perm()&0o077 != 0 {
		out = append(out, fmt.Sprintf("the poll-book key file %s is readable by others (mode %04o): chmod 600 it", file, fi.Mode().Perm()))
	}
	if dsn != "" && !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		kd, err1 := filepath.Abs(filepath.Dir(file))
		dd, err2 := filepath.Abs(filepath.Dir(strings.TrimPrefix(dsn, "file:")))
		if err1 == nil && err2 == nil && kd == dd {
			out = append(out, fmt.Sprintf("the poll-book key file %s is in the database's directory %s: keep it elsewhere, so that no copy of the database carries its key", file, dd))
		}
	}
	return out
}
