package sqlstore

import (
	"context"
	"fmt"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/translog"
)

// DefaultLogOrigin names the transparency log when none is configured; it
// is the first line of every checkpoint.
const DefaultLogOrigin = "comuna"

// SetLogOrigin names the log, e.g. "consultas.example.org", for the
// checkpoints it signs from now on. Call it before serving.
func (db *DB) SetLogOrigin(origin string) error {
	if _, err := translog.New(origin, &translog.MemStorage{}); err != nil {
		return err
	}
	db.logOrigin = origin
	return nil
}

// LogOrigin returns the log's name.
func (db *DB) LogOrigin() string {
	if db.logOrigin == "" {
		return DefaultLogOrigin
	}
	return db.logOrigin
}

// appendLog appends recs to the transparency log inside tx and returns the
// index of the first; they commit or roll back with tx. The origin plays
// no part in appending, so helpers need no *DB.
func appendLog(ctx context.Context, tx *Tx, recs ...record.Record) (int64, error) {
	data := make([][]byte, len(recs))
	for i, r := range recs {
		b, err := record.Encode(r)
		if err != nil {
			return 0, fmt.Errorf("log %s record: %w", r.Kind(), err)
		}
		data[i] = b
	}
	l, err := translog.New(DefaultLogOrigin, newTxLog(tx, true))
	if err != nil {
		return 0, err
	}
	return l.Append(ctx, data...)
}

// logTransition appends the records of a phase change: before the phase
// record, when the round enters voting, its rules and its territory, so
// they are public before the first vote. It returns the phase record's
// index.
func logTransition(ctx context.Context, tx *Tx, r *comuna.Round, from, to comuna.Phase, userID int64) (int64, error) {
	by := ""
	if userID != 0 {
		var err error
		if by, err = userName(ctx, tx, userID, "user"); err != nil {
			return 0, err
		}
	}
	var recs []record.Record
	if to == comuna.PhaseVoting {
		t, err := territoryRecord(ctx, tx, r)
		if err != nil {
			return 0, err
		}
		recs = append(recs, record.NewRound(r), t)
	}
	recs = append(recs, &record.Phase{RoundID: r.ID, From: from, To: to, At: tx.now, By: by})
	first, err := appendLog(ctx, tx, recs...)
	if err != nil {
		return 0, err
	}
	return first + int64(len(recs)) - 1, nil
}

// territoryRecord reads the round's circuits, their census (the sum of
// their councils') and their tables.
func territoryRecord(ctx context.Context, tx *Tx, r *comuna.Round) (*record.Territory, error) {
	t := &record.Territory{RoundID: r.ID, TerritoryVersion: r.TerritoryVersion}
	idx := map[string]int{}
	err := eachRow(ctx, tx, func(scan func(...any) error) error {
		var c record.Circuit
		if err := scan(&c.Code, &c.Census); err != nil {
			return err
		}
		idx[c.Code] = len(t.Circuits)
		t.Circuits = append(t.Circuits, c)
		return nil
	}, `SELECT c.code, CAST(COALESCE((SELECT SUM(k.census) FROM units k
		WHERE k.version_id = c.version_id AND k.level = ? AND k.parent = c.code), 0) AS BIGINT)
		FROM units c WHERE c.version_id = ? AND c.level = ?`,
		string(comuna.LevelCouncil), r.TerritoryVersion, string(comuna.LevelCircuit))
	if err != nil {
		return nil, fmt.Errorf("territory record: %w", err)
	}
	err = eachRow(ctx, tx, func(scan func(...any) error) error {
		var code, circuit string
		if err := scan(&code, &circuit); err != nil {
			return err
		}
		i, ok := idx[circuit]
		if !ok {
			return comuna.Errorf(comuna.EInvalid, "table %q serves unknown circuit %q", code, circuit)
		}
		t.Circuits[i].Tables = append(t.Circuits[i].Tables, code)
		return nil
	}, "SELECT code, circuit FROM units WHERE version_id = ? AND level = ?", r.TerritoryVersion, string(comuna.LevelTable))
	if err != nil {
		return nil, fmt.Errorf("territory record: %w", err)
	}
	t.Sort()
	return t, nil
}

// logBallots appends a record for each published ballot in bs, whose
// items must carry titles and costs, and stores its index on the row.
func logBallots(ctx context.Context, tx *Tx, bs []*comuna.Ballot) error {
	var recs []record.Record
	var ids []int64
	for _, b := range bs {
		if b.Published {
			recs = append(recs, record.NewBallot(b))
			ids = append(ids, b.ID)
		}
	}
	if len(recs) == 0 {
		return nil
	}
	first, err := appendLog(ctx, tx, recs...)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if _, err := tx.exec(ctx, "UPDATE ballots SET log_index = ? WHERE id = ?", first+int64(i), id); err != nil {
			return err
		}
	}
	return nil
}

// logImportedBallots logs the published ballots of an import, reading
// their items' titles and costs first.
func logImportedBallots(ctx context.Context, tx *Tx, bs []*comuna.Ballot) error {
	var pub []*comuna.Ballot
	for _, b := range bs {
		if b.Published {
			c := *b
			if err := ballotItems(ctx, tx, &c); err != nil {
				return err
			}
			pub = append(pub, &c)
		}
	}
	return logBallots(ctx, tx, pub)
}
