package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
	"golang.org/x/mod/sumdb/tlog"
)

// logCopy is the whole log as read in one transaction.
type logCopy struct {
	records map[int64][]byte
	leaves  map[int64]tlog.Hash // by record index
}

func readLogCopy(ctx context.Context, tx *Tx) (*logCopy, error) {
	c := &logCopy{records: map[int64][]byte{}, leaves: map[int64]tlog.Hash{}}
	err := eachRow(ctx, tx, func(scan func(...any) error) error {
		var n int64
		var data []byte
		err := scan(&n, &data)
		c.records[n] = data
		return err
	}, "SELECT idx, data FROM log_records")
	if err != nil {
		return nil, err
	}
	leafOf := map[int64]int64{}
	for n := range c.records {
		leafOf[tlog.StoredHashIndex(0, n)] = n
	}
	err = eachRow(ctx, tx, func(scan func(...any) error) error {
		var x int64
		var h []byte
		if err := scan(&x, &h); err != nil {
			return err
		}
		if n, ok := leafOf[x]; ok && len(h) == tlog.HashSize {
			c.leaves[n] = tlog.Hash(h)
		}
		return nil
	}, "SELECT idx, hash FROM log_hashes")
	return c, err
}

// check compares the record a row encodes to now with log record n and
// n's leaf hash, returning what is wrong or "".
func (c *logCopy) check(n sql.NullInt64, now record.Record) string {
	if !n.Valid {
		return "the row is not in the transparency log"
	}
	logged, ok := c.records[n.Int64]
	if !ok {
		return fmt.Sprintf("log record %d is missing", n.Int64)
	}
	if leaf, ok := c.leaves[n.Int64]; !ok || tlog.RecordHash(logged) != leaf {
		return fmt.Sprintf("log record %d was altered: it no longer matches its leaf hash", n.Int64)
	}
	data, err := record.Encode(now)
	if err != nil {
		return "the row cannot be encoded: " + err.Error()
	}
	if bytes.Equal(data, logged) {
		return ""
	}
	msg := fmt.Sprintf("the stored row differs from log record %d", n.Int64)
	if old, err := record.Decode(logged); err == nil {
		if os, ok := old.(*record.Sheet); ok {
			if ns, ok := now.(*record.Sheet); ok {
				msg += describeSheetChange(os, ns)
			}
		}
	}
	return msg
}

// describeSheetChange lists the fields changed since a sheet was logged.
func describeSheetChange(logged, now *record.Sheet) string {
	var d []string
	for _, x := range tally.Compare(logged.Sheet, now.Sheet) {
		d = append(d, fmt.Sprintf("%s logged %s, stored %s", x.Field, x.A, x.B))
	}
	if !logged.Accepted.Equal(now.Accepted) {
		d = append(d, "acceptance time")
	}
	if logged.Signer != now.Signer || logged.Reason != now.Reason {
		d = append(d, "signer or reason")
	}
	if len(d) == 0 {
		return ""
	}
	return " (" + strings.Join(d, "; ") + ")"
}

// CheckIntegrity re-encodes every accepted sheet version and published
// ballot of a round (every round if roundID is 0) from the live rows and
// compares each with its log record's bytes and with the log's leaf hash.
// It also reports logged sheets whose row is gone. It returns the problems
// found, none if the database agrees with the log; an attacker who edits
// both a row and its record still breaks the leaf hash, and one who also
// rewrites the hashes is caught by verifiers holding an earlier signed
// checkpoint.
func (db *DB) CheckIntegrity(ctx context.Context, roundID int64) ([]record.Problem, error) {
	const op = "check integrity"
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	c, err := readLogCopy(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	sheets, err := checkSheets(ctx, tx, c, roundID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	ballots, err := checkBallots(ctx, tx, c, roundID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return append(sheets, ballots...), nil
}

type sheetKey struct {
	round   int64
	table   string
	version int
}

func checkSheets(ctx context.Context, tx *Tx, c *logCopy, roundID int64) ([]record.Problem, error) {
	q := "SELECT " + versionColumns + ", v.log_index" + versionFrom
	var args []any
	if roundID != 0 {
		q += " WHERE v.round_id = ?"
		args = append(args, roundID)
	}
	var ps []record.Problem
	seen := map[sheetKey]bool{}
	err := eachRow(ctx, tx, func(scan func(...any) error) error {
		var idx sql.NullInt64
		var v *voteday.SheetVersion
		v, err := scanVersion(scanFunc(func(dest ...any) error { return scan(append(dest, &idx)...) }))
		if err != nil {
			return err
		}
		seen[sheetKey{v.RoundID, v.Table, v.Version}] = true
		if msg := c.check(idx, record.NewSheet(v)); msg != "" {
			ps = append(ps, sheetProblem(v.RoundID, v.Table, v.Circuit, v.Version, idx, msg))
		}
		return nil
	}, q, args...)
	if err != nil {
		return nil, err
	}
	var missing []record.Problem
	for n, data := range c.records {
		r, err := record.Decode(data)
		s, ok := r.(*record.Sheet)
		if err != nil || !ok || roundID != 0 && s.Sheet.RoundID != roundID {
			continue
		}
		if !seen[sheetKey{s.Sheet.RoundID, s.Sheet.Table, s.Version}] {
			missing = append(missing, sheetProblem(s.Sheet.RoundID, s.Sheet.Table, s.Sheet.Circuit, s.Version,
				sql.NullInt64{Int64: n, Valid: true}, fmt.Sprintf("logged at record %d but missing from the database", n)))
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i].LogIndex < missing[j].LogIndex })
	return append(ps, missing...), nil
}

func sheetProblem(round int64, table, circuit string, version int, idx sql.NullInt64, msg string) record.Problem {
	kind := record.KindSheet
	if version != 1 {
		kind = record.KindCorrection
	}
	p := record.Problem{RoundID: round, Kind: kind, Table: table, Circuit: circuit, Version: version, LogIndex: -1, Message: msg}
	if idx.Valid {
		p.LogIndex = idx.Int64
	}
	return p
}

// scanFunc adapts a function to the Scan method scanVersion reads with.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

func checkBallots(ctx context.Context, tx *Tx, c *logCopy, roundID int64) ([]record.Problem, error) {
	q := "SELECT " + ballotColumns + ", log_index FROM ballots WHERE published = TRUE"
	var args []any
	if roundID != 0 {
		q += " AND round_id = ?"
		args = append(args, roundID)
	}
	type row struct {
		b   *comuna.Ballot
		idx sql.NullInt64
	}
	var rows []row
	err := eachRow(ctx, tx, func(scan func(...any) error) error {
		var r row
		var err error
		r.b, err = scanBallot(scanFunc(func(dest ...any) error { return scan(append(dest, &r.idx)...) }))
		rows = append(rows, r)
		return err
	}, q+" ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	var ps []record.Problem
	for _, r := range rows {
		if err := ballotItems(ctx, tx, r.b); err != nil {
			return nil, err
		}
		if msg := c.check(r.idx, record.NewBallot(r.b)); msg != "" {
			p := record.Problem{RoundID: r.b.RoundID, Kind: record.KindBallot, Circuit: r.b.Circuit, Version: r.b.Version,
				LogIndex: -1, Message: msg}
			if r.idx.Valid {
				p.LogIndex = r.idx.Int64
			}
			ps = append(ps, p)
		}
	}
	return ps, nil
}
