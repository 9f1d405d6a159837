package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/comuna/comuna/internal/comuna"
)

// batchSize is how many rows one multi-row INSERT carries: large enough to
// load the national territory in seconds, small enough to stay far below
// both engines' limits on bound parameters.
const batchSize = 500

type unitKey struct {
	level comuna.Level
	code  string
}

// unitImport is the state of one ImportUnits transaction.
type unitImport struct {
	tx      *Tx
	version int64
	lines   map[unitKey]int  // units read so far, with their line
	known   map[unitKey]bool // units looked up in the version
	batch   []comuna.Unit
}

// ImportUnits adds or replaces units of the editable version by (level,
// code), in one transaction: any error leaves the territory as it was and
// is returned with the line at fault. A unit's parent, and a table's
// circuit, must come earlier in the stream or exist in the version
// already.
func (db *DB) ImportUnits(ctx context.Context, src comuna.UnitSource, progress func(n int)) (int, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return 0, fmt.Errorf("import units: %w", err)
	}
	defer tx.rollback()
	v, err := editableVersion(ctx, tx)
	if err != nil {
		return 0, fmt.Errorf("import units: %w", err)
	}
	imp := &unitImport{tx: tx, version: v.ID, lines: make(map[unitKey]int), known: make(map[unitKey]bool)}
	n := 0
	for {
		u, line, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err // the source's own error, with its line and field
		}
		if err := imp.check(ctx, &u, line); err != nil {
			return 0, err
		}
		imp.batch = append(imp.batch, u)
		n++
		if len(imp.batch) == batchSize {
			if err := imp.flush(ctx); err != nil {
				return 0, fmt.Errorf("import units: %w", err)
			}
			if progress != nil {
				progress(n)
			}
		}
	}
	if len(imp.batch) > 0 {
		if err := imp.flush(ctx); err != nil {
			return 0, fmt.Errorf("import units: %w", err)
		}
		if progress != nil {
			progress(n)
		}
	}
	if n > 0 {
		if _, err := tx.exec(ctx, "UPDATE territory_versions SET revision = revision + 1 WHERE id = ?", v.ID); err != nil {
			return 0, fmt.Errorf("import units: %w", err)
		}
	}
	if err := tx.analyze(ctx, n, "units"); err != nil {
		return 0, fmt.Errorf("import units: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("import units: %w", err)
	}
	return n, nil
}

// atLine returns err, an *comuna.Error, with its Line set.
func atLine(err error, line int) error {
	var e *comuna.Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Line = line
	return &c
}

// check validates one unit and its references.
func (imp *unitImport) check(ctx context.Context, u *comuna.Unit, line int) error {
	if err := u.Validate(); err != nil {
		return atLine(err, line)
	}
	key := unitKey{u.Level, u.Code}
	if first, dup := imp.lines[key]; dup {
		return &comuna.Error{Code: comuna.EInvalid, Field: "code", Line: line,
			Message: fmt.Sprintf("%s %q appears twice (first on line %d)", u.Level, u.Code, first)}
	}
	if u.Level != comuna.LevelState {
		pl := comuna.ParentLevel(u.Level)
		ok, err := imp.exists(ctx, unitKey{pl, u.Parent})
		if err != nil {
			return err
		}
		if !ok {
			return &comuna.Error{Code: comuna.EInvalid, Field: "parent", Line: line,
				Message: fmt.Sprintf("unknown %s %q (parents must come before their children)", pl, u.Parent)}
		}
	}
	if u.Level == comuna.LevelTable {
		ok, err := imp.exists(ctx, unitKey{comuna.LevelCircuit, u.Circuit})
		if err != nil {
			return err
		}
		if !ok {
			return &comuna.Error{Code: comuna.EInvalid, Field: "circuit", Line: line,
				Message: fmt.Sprintf("unknown circuit %q (circuits must come before the tables that serve them)", u.Circuit)}
		}
	}
	imp.lines[key] = line
	return nil
}

// exists reports whether a unit was read earlier or is in the version.
func (imp *unitImport) exists(ctx context.Context, k unitKey) (bool, error) {
	if _, ok := imp.lines[k]; ok {
		return true, nil
	}
	if ok, seen := imp.known[k]; seen {
		return ok, nil
	}
	var n int
	err := imp.tx.get(ctx, "SELECT COUNT(*) FROM units WHERE version_id = ? AND level = ? AND code = ?",
		[]any{imp.version, string(k.level), k.code}, &n)
	if err != nil {
		return false, fmt.Errorf("import units: %w", err)
	}
	imp.known[k] = n > 0
	return n > 0, nil
}

// flush upserts the batch with one multi-row INSERT.
func (imp *unitImport) flush(ctx context.Context) error {
	args := make([]any, 0, len(imp.batch)*8)
	for _, u := range imp.batch {
		args = append(args, imp.version, string(u.Level), u.Code, u.Parent, u.Name, u.Census, u.Circuit, u.Address)
	}
	_, err := imp.tx.exec(ctx, "INSERT INTO units (version_id, level, code, parent, name, census, circuit, address) VALUES "+
		placeholders(8, len(imp.batch))+
		" ON CONFLICT (version_id, level, code) DO UPDATE SET parent = excluded.parent, name = excluded.name,"+
		" census = excluded.census, circuit = excluded.circuit, address = excluded.address", args...)
	imp.batch = imp.batch[:0]
	return err
}
