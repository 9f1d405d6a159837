package sqlstore

// Vote day (package voteday) on the shared store. The tables are:
//
//   - check_ins (round_id, doc_hash, centre, key_hash): one row per voter
//     and round, unique on (round_id, doc_hash) and on (round_id,
//     key_hash); no time, table or user, so nothing joins a voter to a
//     table, a moment or a ballot.
//   - table_status (round_id, table_code): check_ins, walk_ins, closed,
//     closed_at, closed_by, updated in the transaction that changes them.
//   - idempotency (round_id, idem_key): kind, request_hash and the JSON
//     answer of walk-in reports, entries and corrections.
//   - sheet_entries (round_id, table_code, user_id): each person's latest
//     entry of a table's sheet, as JSON, and whether it was matched.
//   - sheet_versions: accepted sheets, append-only, JSON in a column.
//
// What never changes about a round — its frozen territory's tables,
// centres and circuits — is cached in memory on first use; the phase is
// read in the statements that depend on it.

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

var _ voteday.Store = (*DB)(nil)

// tableInfo is a table of a round's frozen territory.
type tableInfo struct {
	Code, Name, Centre, CentreName, Circuit string
	// Expected is the table's share of its circuit's census 15+, the
	// base of its walk-in cap.
	Expected int64
}

// roundTables is what vote day caches about a round.
type roundTables struct {
	id      int64
	name    string
	tables  map[string]*tableInfo
	centres map[string]string // code → name
}

// table returns a table of the round; ENotFound if it is not in it.
func (rt *roundTables) table(code string) (*tableInfo, error) {
	t, ok := rt.tables[code]
	if !ok {
		return nil, comuna.Errorf(comuna.ENotFound, "table %q is not in the territory of round %q", code, rt.name)
	}
	return t, nil
}

// roundTables returns the round's tables, from the cache or the database;
// ENotFound if the round does not exist. A round's territory is a frozen
// copy, so the cache never goes stale. Loading reads centres and tables
// with two indexed scans joined here rather than a self-join, whose plan
// PostgreSQL gets badly wrong (minutes, not milliseconds) while the
// statistics predate the territory copy a new round makes.
func (db *DB) roundTables(ctx context.Context, roundID int64) (*roundTables, error) {
	if v, ok := db.rounds.Load(roundID); ok {
		return v.(*roundTables), nil
	}
	db.roundsLoad.Lock()
	defer db.roundsLoad.Unlock()
	if v, ok := db.rounds.Load(roundID); ok {
		return v.(*roundTables), nil
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	r, err := findRound(ctx, tx, roundID, false)
	if err != nil {
		return nil, err
	}
	rt := &roundTables{id: r.ID, name: r.Name, tables: map[string]*tableInfo{}, centres: map[string]string{}}
	scan := func(level comuna.Level, each func(code, name, parent, circuit string)) error {
		rows, err := tx.query(ctx, `SELECT code, name, parent, circuit FROM units WHERE version_id = ? AND level = ?`,
			r.TerritoryVersion, string(level))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var code, name, parent, circuit string
			if err := rows.Scan(&code, &name, &parent, &circuit); err != nil {
				return err
			}
			each(code, name, parent, circuit)
		}
		if err := rows.Err(); err != nil {
			return tx.d.Err(err)
		}
		return nil
	}
	all := map[string]string{}
	if err := scan(comuna.LevelCentre, func(code, name, _, _ string) { all[code] = name }); err != nil {
		return nil, err
	}
	err = scan(comuna.LevelTable, func(code, name, parent, circuit string) {
		centre, ok := all[parent]
		if !ok {
			return // as the inner join did: a table without a centre is not served
		}
		rt.tables[code] = &tableInfo{Code: code, Name: name, Centre: parent, CentreName: centre, Circuit: circuit}
		rt.centres[parent] = centre
	})
	if err != nil {
		return nil, err
	}
	census := map[string]int64{}
	rows, err := tx.query(ctx, `SELECT parent, census FROM units WHERE version_id = ? AND level = ?`,
		r.TerritoryVersion, string(comuna.LevelCouncil))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var circuit string
		var n int64
		if err := rows.Scan(&circuit, &n); err != nil {
			return nil, err
		}
		census[circuit] += n
	}
	if err := rows.Err(); err != nil {
		return nil, tx.d.Err(err)
	}
	tables := map[string]int{}
	for _, t := range rt.tables {
		tables[t.Circuit]++
	}
	for _, t := range rt.tables {
		t.Expected = pollbook.ExpectedVoters(census[t.Circuit], tables[t.Circuit])
	}
	v, _ := db.rounds.LoadOrStore(roundID, rt)
	return v.(*roundTables), nil
}

// roundPhase returns a round's phase, share-locked with lock set.
func roundPhase(ctx context.Context, tx *Tx, roundID int64, lock bool) (comuna.Phase, error) {
	q := "SELECT phase FROM rounds WHERE id = ?"
	if lock {
		q += tx.d.ShareLock()
	}
	var p string
	if err := tx.get(ctx, q, []any{roundID}, &p); err == sql.ErrNoRows {
		return "", comuna.Errorf(comuna.ENotFound, "round %d not found", roundID)
	} else if err != nil {
		return "", err
	}
	return comuna.Phase(p), nil
}

// requirePhase returns EConflict unless the round is in one of phases.
func requirePhase(ctx context.Context, tx *Tx, rt *roundTables, what string, phases ...comuna.Phase) error {
	p, err := roundPhase(ctx, tx, rt.id, true)
	if err != nil {
		return err
	}
	for _, q := range phases {
		if p == q {
			return nil
		}
	}
	return comuna.Errorf(comuna.EConflict, "%s only while round %q is %v; it is in the %s phase", what, rt.name, phases, p)
}

// tableCounts returns a table's counters; zero for a table with none yet.
func tableCounts(ctx context.Context, tx *Tx, roundID int64, table string) (voteday.TableCount, int64, error) {
	var c voteday.TableCount
	var closedAt int64
	err := tx.get(ctx, "SELECT check_ins, walk_ins, closed, closed_at, closed_by_phase FROM table_status WHERE round_id = ? AND table_code = ?",
		[]any{roundID, table}, &c.CheckIns, &c.WalkIns, &c.Closed, &closedAt, &c.ClosedByPhase)
	if err != nil && err != sql.ErrNoRows {
		return c, 0, err
	}
	return c, closedAt, nil
}

// tableState reads a table's state inside tx.
func tableState(ctx context.Context, tx *Tx, rt *roundTables, t *tableInfo) (*voteday.TableState, error) {
	c, closedAt, err := tableCounts(ctx, tx, rt.id, t.Code)
	if err != nil {
		return nil, err
	}
	st := &voteday.TableState{RoundID: rt.id, Table: t.Code, TableName: t.Name, Centre: t.Centre, CentreName: t.CentreName,
		Circuit: t.Circuit, Closed: c.Closed, ClosedAt: fromMS(closedAt), ClosedByPhase: c.ClosedByPhase,
		CheckIns: c.CheckIns, WalkIns: c.WalkIns}
	var share int
	if err := tx.get(ctx, "SELECT walkin_share FROM rounds WHERE id = ?", []any{rt.id}, &share); err != nil {
		return nil, err
	}
	st.WalkInCap = pollbook.WalkInCap(share, t.Expected)
	if st.WalkInReports, err = walkInReports(ctx, tx, rt.id, t.Code); err != nil {
		return nil, err
	}
	es, err := pendingEntries(ctx, tx, rt.id, t.Code)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		st.Entries = append(st.Entries, voteday.PendingEntry{UserID: e.userID, Username: e.username})
	}
	st.EntriesDiffer = entriesDiffer(es)
	vs, err := sheetVersions(ctx, tx, rt.id, t.Code, 1)
	if err != nil {
		return nil, err
	}
	if len(vs) > 0 {
		st.Sheet = vs[0]
	}
	return st, nil
}

// TableState returns a table of the round's territory with its counts,
// pending entries and current sheet; ENotFound if the table is not in the
// round.
func (db *DB) TableState(ctx context.Context, roundID int64, table string) (*voteday.TableState, error) {
	rt, err := db.roundTables(ctx, roundID)
	if err != nil {
		return nil, fmt.Errorf("table state: %w", err)
	}
	t, err := rt.table(table)
	if err != nil {
		return nil, fmt.Errorf("table state: %w", err)
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("table state: %w", err)
	}
	defer tx.rollback()
	st, err := tableState(ctx, tx, rt, t)
	if err != nil {
		return nil, fmt.Errorf("table state: %w", err)
	}
	return st, nil
}

// PollBookCounts returns the counters of every table of the round's
// territory, zero for tables with no activity, in one query.
func (db *DB) PollBookCounts(ctx context.Context, roundID int64) (map[string]voteday.TableCount, error) {
	if _, err := db.roundTables(ctx, roundID); err != nil {
		return nil, fmt.Errorf("poll book counts: %w", err)
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("poll book counts: %w", err)
	}
	defer tx.rollback()
	counts, err := pollBookCounts(ctx, tx, roundID)
	if err != nil {
		return nil, fmt.Errorf("poll book counts: %w", err)
	}
	return counts, nil
}

// pollBookCounts reads the counters of every table of the round.
func pollBookCounts(ctx context.Context, tx *Tx, roundID int64) (map[string]voteday.TableCount, error) {
	rows, err := tx.query(ctx, `SELECT u.code, COALESCE(s.check_ins, 0), COALESCE(s.walk_ins, 0), COALESCE(s.closed, FALSE),
			COALESCE(s.closed_by_phase, FALSE)
		FROM rounds r JOIN units u ON u.version_id = r.territory_version AND u.level = ?
		LEFT JOIN table_status s ON s.round_id = r.id AND s.table_code = u.code
		WHERE r.id = ?`, string(comuna.LevelTable), roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]voteday.TableCount{}
	for rows.Next() {
		var code string
		var c voteday.TableCount
		if err := rows.Scan(&code, &c.CheckIns, &c.WalkIns, &c.Closed, &c.ClosedByPhase); err != nil {
			return nil, err
		}
		counts[code] = c
	}
	if err := rows.Err(); err != nil {
		return nil, tx.d.Err(err)
	}
	return counts, nil
}

// DestroyCheckIns deletes the round's document hashes once it is in the
// results phase or later, keeping table_status, shreds the round's
// poll-book key and returns how many hashes it deleted. The round is past
// voting, so no document can check in again. Once committed, the engine
// purges the deleted rows from its files (Dialect.Purge): every copy left
// elsewhere (the PostgreSQL WAL, a backup) is useless without the key.
func (db *DB) DestroyCheckIns(ctx context.Context, roundID int64, userID int64) (int64, error) {
	const op = "destroy check-ins"
	tx, err := db.begin(ctx, true)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	r, err := findRound(ctx, tx, roundID, true)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	if comuna.PhaseIndex(r.Phase) < comuna.PhaseIndex(comuna.PhaseResults) {
		return 0, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.EConflict,
			"round %q is in the %s phase; check-ins are destroyed only once results are final", r.Name, r.Phase))
	}
	if err := checkUser(ctx, tx, userID, "user"); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	res, err := tx.exec(ctx, "DELETE FROM check_ins WHERE round_id = ?", roundID)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, tx.d.Err(err))
	}
	if err := shredRoundKey(ctx, tx, roundID); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	if err := db.purgePollBook(ctx); err != nil {
		return n, fmt.Errorf("%s: the hashes and the round's key are deleted, but cleaning the database files failed (run it again): %w", op, err)
	}
	return n, nil
}

// entriesDiffer names the fields on which the latest pending entry and
// the latest of another person differ; nil while one person's entry
// waits alone. Only field names leave the store, never the values.
func entriesDiffer(es []entry) []string {
	if len(es) < 2 {
		return nil
	}
	for _, o := range es[1:] {
		if o.userID != es[0].userID {
			return differingFields(es[0].sheet, o.sheet)
		}
	}
	return nil
}

// differingFields returns the fields tally.Compare finds different.
func differingFields(a, b tally.Sheet) []string {
	var out []string
	for _, d := range tally.Compare(a, b) {
		out = append(out, d.Field)
	}
	return out
}
