package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

const unitColumns = "level, code, parent, name, census, circuit, address"

func scanUnit(s interface{ Scan(...any) error }, u *comuna.Unit) error {
	var level string
	if err := s.Scan(&level, &u.Code, &u.Parent, &u.Name, &u.Census, &u.Circuit, &u.Address); err != nil {
		return err
	}
	u.Level = comuna.Level(level)
	return nil
}

// levelOrder is an SQL expression ranking a unit's level in file order
// (parents first), built from comuna.Levels.
var levelOrder = func() string {
	var b strings.Builder
	b.WriteString("CASE level")
	for i, l := range comuna.Levels {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", l, i)
	}
	b.WriteString(" END")
	return b.String()
}()

// levelTree is a VALUES list of (level, parent_level) pairs for the
// recursive walks down the territory, built from comuna.ParentLevel.
var levelTree = func() string {
	var pairs []string
	for _, l := range comuna.Levels {
		if p := comuna.ParentLevel(l); p != "" {
			pairs = append(pairs, fmt.Sprintf("('%s', '%s')", l, p))
		}
	}
	return "VALUES " + strings.Join(pairs, ", ")
}()

// childLevels returns the levels whose parent is at level l.
func childLevels(l comuna.Level) []any {
	var ls []any
	for _, c := range comuna.Levels {
		if comuna.ParentLevel(c) == l {
			ls = append(ls, string(c))
		}
	}
	return ls
}

// EditableVersion returns the version that imports change.
func (db *DB) EditableVersion(ctx context.Context) (*comuna.TerritoryVersion, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("editable version: %w", err)
	}
	defer tx.rollback()
	v, err := editableVersion(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("editable version: %w", err)
	}
	return v, nil
}

func editableVersion(ctx context.Context, tx *Tx) (*comuna.TerritoryVersion, error) {
	return findVersion(ctx, tx, "frozen = FALSE")
}

func findVersion(ctx context.Context, tx *Tx, where string, args ...any) (*comuna.TerritoryVersion, error) {
	var v comuna.TerritoryVersion
	var created int64
	err := tx.get(ctx, "SELECT id, label, frozen, created FROM territory_versions WHERE "+where, args,
		&v.ID, &v.Label, &v.Frozen, &created)
	if err == sql.ErrNoRows {
		return nil, comuna.Errorf(comuna.ENotFound, "territory version not found")
	} else if err != nil {
		return nil, err
	}
	v.Created = fromMS(created)
	return &v, nil
}

// versionID resolves 0 to the editable version and checks that any other
// version exists.
func versionID(ctx context.Context, tx *Tx, id int64) (int64, error) {
	if id == 0 {
		v, err := editableVersion(ctx, tx)
		if err != nil {
			return 0, err
		}
		return v.ID, nil
	}
	if _, err := findVersion(ctx, tx, "id = ?", id); err != nil {
		return 0, comuna.Errorf(comuna.ENotFound, "territory version %d not found", id)
	}
	return id, nil
}

// findUnit returns one unit of a version; ENotFound if absent.
func findUnit(ctx context.Context, tx *Tx, version int64, level comuna.Level, code string) (*comuna.Unit, error) {
	var u comuna.Unit
	err := scanUnit(tx.tx.QueryRowContext(ctx, tx.d.Rebind("SELECT "+unitColumns+" FROM units WHERE version_id = ? AND level = ? AND code = ?"),
		version, string(level), code), &u)
	if err == sql.ErrNoRows {
		return nil, comuna.Errorf(comuna.ENotFound, "%s %q not found", level, code)
	} else if err != nil {
		return nil, tx.d.Err(err)
	}
	return &u, nil
}

// Units lists units matching the filter, ordered by level and code.
func (db *DB) Units(ctx context.Context, f comuna.UnitFilter) ([]comuna.Unit, error) {
	if f.Level != "" && !comuna.ValidLevel(f.Level) {
		return nil, comuna.FieldError("level", "unknown level %q", f.Level)
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	defer tx.rollback()
	v, err := versionID(ctx, tx, f.Version)
	if err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	where, args := []string{"version_id = ?"}, []any{v}
	if f.Level != "" {
		where, args = append(where, "level = ?"), append(args, string(f.Level))
	}
	if f.Parent != "" {
		where, args = append(where, "parent = ?"), append(args, f.Parent)
	}
	if f.Circuit != "" {
		where, args = append(where, "circuit = ?"), append(args, f.Circuit)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		pat := "%" + escapeLike(foldSearch(q)) + "%"
		where = append(where, `(LOWER(code) LIKE ? ESCAPE '\' OR `+foldSQL("name")+` LIKE ? ESCAPE '\')`)
		args = append(args, pat, pat)
	}
	limit, offset := f.Limit, f.Offset
	if limit <= 0 {
		limit = 100
	}
	if offset < 0 {
		offset = 0
	}
	args = append(args, limit, offset)
	rows, err := tx.query(ctx, "SELECT "+unitColumns+" FROM units WHERE "+strings.Join(where, " AND ")+
		" ORDER BY "+levelOrder+", code LIMIT ? OFFSET ?", args...)
	if err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	defer rows.Close()
	var us []comuna.Unit
	for rows.Next() {
		var u comuna.Unit
		if err := scanUnit(rows, &u); err != nil {
			return nil, fmt.Errorf("units: %w", err)
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("units: %w", tx.d.Err(err))
	}
	return us, nil
}

// Unit returns one unit with its ancestors, state first; ENotFound if
// absent.
func (db *DB) Unit(ctx context.Context, version int64, level comuna.Level, code string) (*comuna.Path, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("unit: %w", err)
	}
	defer tx.rollback()
	v, err := versionID(ctx, tx, version)
	if err != nil {
		return nil, fmt.Errorf("unit: %w", err)
	}
	u, err := findUnit(ctx, tx, v, level, code)
	if err != nil {
		return nil, fmt.Errorf("unit: %w", err)
	}
	p := &comuna.Path{Unit: *u}
	for cur := u; cur.Parent != ""; {
		parent, err := findUnit(ctx, tx, v, comuna.ParentLevel(cur.Level), cur.Parent)
		if err != nil {
			return nil, fmt.Errorf("unit: ancestor of %s %q: %w", cur.Level, cur.Code, err)
		}
		p.Ancestors = append([]comuna.Unit{*parent}, p.Ancestors...)
		cur = parent
	}
	return p, nil
}

// UnitStats counts what lies below a unit, the unit included: its
// children, the councils and their census, and the tables — located below
// it for places (state, municipality, parish, centre), serving its
// circuits for a commune or circuit. It walks the tree with one recursive
// query along the (version, level, parent) index; CROSS JOIN keeps SQLite
// from scanning units in the outer loop (PostgreSQL plans it freely).
func (db *DB) UnitStats(ctx context.Context, version int64, level comuna.Level, code string) (*comuna.UnitStats, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("unit stats: %w", err)
	}
	defer tx.rollback()
	v, err := versionID(ctx, tx, version)
	if err != nil {
		return nil, fmt.Errorf("unit stats: %w", err)
	}
	if _, err := findUnit(ctx, tx, v, level, code); err != nil {
		return nil, fmt.Errorf("unit stats: %w", err)
	}
	var st comuna.UnitStats
	if cl := childLevels(level); len(cl) > 0 {
		args := append([]any{v, code}, cl...)
		if err := tx.get(ctx, "SELECT COUNT(*) FROM units WHERE version_id = ? AND parent = ? AND level IN ("+
			strings.TrimSuffix(strings.Repeat("?, ", len(cl)), ", ")+")", args, &st.Children); err != nil {
			return nil, fmt.Errorf("unit stats: %w", err)
		}
	}
	tables := "CAST(COALESCE(SUM(CASE WHEN level = 'table' THEN 1 ELSE 0 END), 0) AS BIGINT)"
	args := []any{v, string(level), code, v}
	if level == comuna.LevelCommune || level == comuna.LevelCircuit {
		tables = "(SELECT COUNT(*) FROM units t WHERE t.version_id = ? AND t.level = 'table' AND t.circuit IN (SELECT code FROM below WHERE level = 'circuit'))"
		args = append(args, v)
	}
	q := `WITH RECURSIVE tree (level, parent_level) AS (` + levelTree + `),
below (level, code, census) AS (
	SELECT level, code, census FROM units WHERE version_id = ? AND level = ? AND code = ?
	UNION ALL
	SELECT u.level, u.code, u.census FROM below b CROSS JOIN units u
	WHERE u.version_id = ? AND u.parent = b.code
		AND u.level IN (SELECT tree.level FROM tree WHERE tree.parent_level = b.level)
)
SELECT CAST(COALESCE(SUM(CASE WHEN level = 'council' THEN 1 ELSE 0 END), 0) AS BIGINT),
	CAST(COALESCE(SUM(census), 0) AS BIGINT), ` + tables + ` FROM below`
	if err := tx.get(ctx, q, args, &st.Councils, &st.Census, &st.Tables); err != nil {
		return nil, fmt.Errorf("unit stats: %w", err)
	}
	return &st, nil
}

// EachUnit calls fn for every unit of a version, level by level in file
// order (parents first) and by code within a level.
func (db *DB) EachUnit(ctx context.Context, version int64, fn func(comuna.Unit) error) error {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return fmt.Errorf("each unit: %w", err)
	}
	defer tx.rollback()
	v, err := versionID(ctx, tx, version)
	if err != nil {
		return fmt.Errorf("each unit: %w", err)
	}
	for _, l := range comuna.Levels {
		if err := eachUnitOf(ctx, tx, v, l, fn); err != nil {
			return fmt.Errorf("each unit: %w", err)
		}
	}
	return nil
}

func eachUnitOf(ctx context.Context, tx *Tx, version int64, l comuna.Level, fn func(comuna.Unit) error) error {
	rows, err := tx.query(ctx, "SELECT "+unitColumns+" FROM units WHERE version_id = ? AND level = ? ORDER BY code", version, string(l))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var u comuna.Unit
		if err := scanUnit(rows, &u); err != nil {
			return err
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	return rows.Err()
}

// TerritorySummary counts a version's units by level (every level is
// present, zero if empty) with the census total.
func (db *DB) TerritorySummary(ctx context.Context, version int64) (*comuna.Summary, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("territory summary: %w", err)
	}
	defer tx.rollback()
	v, err := versionID(ctx, tx, version)
	if err != nil {
		return nil, fmt.Errorf("territory summary: %w", err)
	}
	rows, err := tx.query(ctx, "SELECT level, COUNT(*), CAST(COALESCE(SUM(census), 0) AS BIGINT) FROM units WHERE version_id = ? GROUP BY level", v)
	if err != nil {
		return nil, fmt.Errorf("territory summary: %w", err)
	}
	defer rows.Close()
	s := &comuna.Summary{Counts: make(map[comuna.Level]int64, len(comuna.Levels))}
	for _, l := range comuna.Levels {
		s.Counts[l] = 0
	}
	for rows.Next() {
		var level string
		var n, census int64
		if err := rows.Scan(&level, &n, &census); err != nil {
			return nil, fmt.Errorf("territory summary: %w", err)
		}
		s.Counts[comuna.Level(level)] = n
		s.Census += census
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("territory summary: %w", tx.d.Err(err))
	}
	return s, nil
}
