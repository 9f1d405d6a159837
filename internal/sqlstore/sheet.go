package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

const versionColumns = `v.id, v.round_id, v.table_code, v.circuit, v.version, v.sheet, v.reason, v.signed_by,
	COALESCE(u.username, ''), v.entered_by, v.accepted`

const versionFrom = " FROM sheet_versions v LEFT JOIN users u ON u.id = v.signed_by"

func scanVersion(s interface{ Scan(...any) error }) (*voteday.SheetVersion, error) {
	var v voteday.SheetVersion
	var sheet, enteredBy string
	var signedBy sql.NullInt64
	var accepted int64
	if err := s.Scan(&v.ID, &v.RoundID, &v.Table, &v.Circuit, &v.Version, &sheet, &v.Reason, &signedBy,
		&v.Signer, &enteredBy, &accepted); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(sheet), &v.Sheet); err != nil {
		return nil, fmt.Errorf("sheet version %d: %w", v.ID, err)
	}
	v.SignedBy, v.Accepted = signedBy.Int64, fromMS(accepted)
	v.EnteredBy = parseIDs(enteredBy)
	return &v, nil
}

// formatIDs stores a list of user ids as "1,2".
func formatIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// parseIDs reads a list stored by formatIDs.
func parseIDs(s string) []int64 {
	if s == "" {
		return nil
	}
	var ids []int64
	for _, f := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// readVersions scans a query's sheet versions.
func readVersions(ctx context.Context, tx *Tx, q string, args ...any) ([]*voteday.SheetVersion, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var vs []*voteday.SheetVersion
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, tx.d.Err(err)
	}
	return vs, nil
}

// sheetVersions returns a table's versions, newest first; limit 1 returns
// the current one only.
func sheetVersions(ctx context.Context, tx *Tx, roundID int64, table string, limit int) ([]*voteday.SheetVersion, error) {
	q := "SELECT " + versionColumns + versionFrom + " WHERE v.round_id = ? AND v.table_code = ? ORDER BY v.version DESC"
	args := []any{roundID, table}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	return readVersions(ctx, tx, q, args...)
}

// insertVersion appends a sheet version, setting its ID, and its record
// to the transparency log in the same transaction.
func insertVersion(ctx context.Context, tx *Tx, v *voteday.SheetVersion) error {
	sh := v.Sheet
	sh.EnteredBy, sh.IdempotencyKey = 0, ""
	b, err := json.Marshal(sh)
	if err != nil {
		return err
	}
	idx, err := appendLog(ctx, tx, record.NewSheet(v))
	if err != nil {
		return err
	}
	return tx.get(ctx, `INSERT INTO sheet_versions (round_id, table_code, circuit, version, sheet, reason, signed_by, entered_by, accepted, log_index)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{v.RoundID, v.Table, v.Circuit, v.Version, string(b), v.Reason, nullID(v.SignedBy), formatIDs(v.EnteredBy),
			ms(v.Accepted), idx}, &v.ID)
}

// entry is one person's stored entry of a sheet.
type entry struct {
	userID   int64
	username string
	sheet    tally.Sheet
}

// pendingEntries returns a table's unmatched entries, latest first.
func pendingEntries(ctx context.Context, tx *Tx, roundID int64, table string) ([]entry, error) {
	rows, err := tx.query(ctx, `SELECT e.user_id, COALESCE(u.username, ''), e.sheet FROM sheet_entries e
		LEFT JOIN users u ON u.id = e.user_id
		WHERE e.round_id = ? AND e.table_code = ? AND e.matched = FALSE ORDER BY e.entered DESC, e.user_id`, roundID, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []entry
	for rows.Next() {
		var e entry
		var sheet string
		if err := rows.Scan(&e.userID, &e.username, &sheet); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(sheet), &e.sheet); err != nil {
			return nil, fmt.Errorf("entry of user %d: %w", e.userID, err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, tx.d.Err(err)
	}
	return es, nil
}

// SheetVersions lists a table's accepted versions, newest first; an empty
// list if none; ENotFound if the table is not in the round.
func (db *DB) SheetVersions(ctx context.Context, roundID int64, table string) ([]*voteday.SheetVersion, error) {
	rt, err := db.roundTables(ctx, roundID)
	if err != nil {
		return nil, fmt.Errorf("sheet versions: %w", err)
	}
	if _, err := rt.table(table); err != nil {
		return nil, fmt.Errorf("sheet versions: %w", err)
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("sheet versions: %w", err)
	}
	defer tx.rollback()
	vs, err := sheetVersions(ctx, tx, roundID, table, 0)
	if err != nil {
		return nil, fmt.Errorf("sheet versions: %w", err)
	}
	return vs, nil
}

// CurrentSheets returns the current version of every accepted sheet of the
// round, ordered by table, in one query, and the highest version id.
func (db *DB) CurrentSheets(ctx context.Context, roundID int64) ([]*voteday.SheetVersion, int64, error) {
	if _, err := db.roundTables(ctx, roundID); err != nil {
		return nil, 0, fmt.Errorf("current sheets: %w", err)
	}
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, 0, fmt.Errorf("current sheets: %w", err)
	}
	defer tx.rollback()
	vs, epoch, err := currentSheets(ctx, tx, roundID)
	if err != nil {
		return nil, 0, fmt.Errorf("current sheets: %w", err)
	}
	return vs, epoch, nil
}

// currentSheets reads the current version of every accepted sheet of the
// round and the highest version id.
func currentSheets(ctx context.Context, tx *Tx, roundID int64) ([]*voteday.SheetVersion, int64, error) {
	vs, err := readVersions(ctx, tx, "SELECT "+versionColumns+versionFrom+
		` WHERE v.round_id = ? AND v.version = (SELECT MAX(w.version) FROM sheet_versions w
			WHERE w.round_id = v.round_id AND w.table_code = v.table_code)
		ORDER BY v.table_code`, roundID)
	if err != nil {
		return nil, 0, err
	}
	var epoch int64
	for _, v := range vs {
		epoch = max(epoch, v.ID)
	}
	return vs, epoch, nil
}

// LiveCounts reads, in one snapshot, what a round's results are computed
// from: the current version of every accepted sheet, their epoch, and
// every table's poll-book counters. Read separately, a sheet accepted
// between the two reads could show votes from a table whose check-ins
// are not yet counted.
func (db *DB) LiveCounts(ctx context.Context, roundID int64) (*voteday.Counts, error) {
	if _, err := db.roundTables(ctx, roundID); err != nil {
		return nil, fmt.Errorf("live counts: %w", err)
	}
	tx, err := db.beginSnapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("live counts: %w", err)
	}
	defer tx.rollback()
	c := &voteday.Counts{}
	if c.Sheets, c.Epoch, err = currentSheets(ctx, tx, roundID); err != nil {
		return nil, fmt.Errorf("live counts: %w", err)
	}
	if c.PollBook, err = pollBookCounts(ctx, tx, roundID); err != nil {
		return nil, fmt.Errorf("live counts: %w", err)
	}
	return c, nil
}

// ResultsEpoch returns the highest sheet version id of the round, 0 if it
// has none; ENotFound if the round does not exist.
func (db *DB) ResultsEpoch(ctx context.Context, roundID int64) (int64, error) {
	if _, err := db.roundTables(ctx, roundID); err != nil {
		return 0, fmt.Errorf("results epoch: %w", err)
	}
	var epoch int64
	err := db.db.QueryRowContext(ctx, db.dialect.Rebind("SELECT COALESCE(MAX(id), 0) FROM sheet_versions WHERE round_id = ?"),
		roundID).Scan(&epoch)
	if err != nil {
		return 0, fmt.Errorf("results epoch: %w", db.dialect.Err(err))
	}
	return epoch, nil
}
