package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
)

// insertDecision stores a decision of organ o with its search words and
// appends its record to the transparency log.
func insertDecision(ctx context.Context, tx *Tx, o *organRow, d *parliament.Decision) error {
	d.OrganName, d.UnitCode, d.Commune, d.State = o.Name, o.UnitCode, o.commune, o.state
	result, err := json.Marshal(struct {
		R parliament.Result `json:"result"`
		Q parliament.Quorum `json:"quorum"`
	}{d.Result, d.Quorum})
	if err != nil {
		return err
	}
	passed := 0
	if d.Passed {
		passed = 1
	}
	err = tx.get(ctx, `INSERT INTO parliament_decisions (organ_id, session_id, vote, title, text, passed, result, explanation,
		decided_at, unit_code, commune, state_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{o.ID, d.SessionID, d.Vote, d.Title, d.Text, passed, string(result), d.Explanation, ms(d.DecidedAt), o.UnitCode, o.commune, o.state}, &d.ID)
	if err != nil {
		return err
	}
	if err := insertWords(ctx, tx, []int64{d.ID}, [][]string{parliament.Words(d.Title + "\n" + d.Text)}); err != nil {
		return err
	}
	d.LogIndex, err = appendLog(ctx, tx, decisionRecord(d))
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, "UPDATE parliament_decisions SET log_index = ? WHERE id = ?", d.LogIndex, d.ID)
	return err
}

func decisionRecord(d *parliament.Decision) *record.Decision {
	return &record.Decision{ID: d.ID, OrganID: d.OrganID, Organ: d.OrganName, Unit: d.UnitCode, SessionID: d.SessionID,
		Vote: int64(d.Vote), Title: d.Title, Text: d.Text, Passed: d.Passed, Majority: string(d.Result.Majority),
		For: int64(d.Result.For), Against: int64(d.Result.Against), Abstain: int64(d.Result.Abstain), Needed: int64(d.Result.Needed),
		Seated: int64(d.Quorum.Seated), Present: int64(d.Quorum.Present), Quorum: int64(d.Quorum.Required), DecidedAt: d.DecidedAt}
}

// insertWords indexes the words of decisions ids, several rows a
// statement.
func insertWords(ctx context.Context, tx *Tx, ids []int64, words [][]string) error {
	const batch = 400
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		_, err := tx.exec(ctx, "INSERT INTO parliament_decision_words (word, decision_id) VALUES "+placeholders(2, len(args)/2), args...)
		args = args[:0]
		return err
	}
	for i, id := range ids {
		for _, w := range words[i] {
			args = append(args, w, id)
			if len(args) == 2*batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

const decisionColumns = `d.id, d.organ_id, d.session_id, d.vote, d.title, d.text, d.passed, d.result, d.explanation, d.decided_at,
	d.unit_code, d.commune, d.state_code, COALESCE(d.log_index, -1), o.name`

// Decisions searches the register of decisions. Every word of the query
// must start a word of the decision's title or text. See
// parliament.Store.
func (db *DB) Decisions(ctx context.Context, f parliament.DecisionFilter) ([]parliament.Decision, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	if f.Offset < 0 || f.Offset > 100000 {
		return nil, fmt.Errorf("decisions: %w", comuna.FieldError("offset", "offset is between 0 and 100000"))
	}
	var where []string
	var args []any
	words := parliament.Words(f.Query)
	if len(words) > 8 {
		words = words[:8]
	}
	for _, w := range words {
		where = append(where, "d.id IN (SELECT decision_id FROM parliament_decision_words WHERE word >= ? AND word < ?)")
		args = append(args, w, w+"\U0010FFFF")
	}
	if f.Unit != "" {
		where = append(where, "(d.unit_code = ? OR d.commune = ? OR d.state_code = ?)")
		args = append(args, f.Unit, f.Unit, f.Unit)
	}
	if f.OrganID != 0 {
		where = append(where, "d.organ_id = ?")
		args = append(args, f.OrganID)
	}
	q := "SELECT " + decisionColumns + " FROM parliament_decisions d JOIN parliament_organs o ON o.id = d.organ_id"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY d.decided_at DESC, d.id DESC LIMIT ? OFFSET ?"
	args = append(args, f.Limit, f.Offset)
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	defer tx.rollback()
	out := []parliament.Decision{}
	err = eachRow(ctx, tx, func(scan func(...any) error) error {
		var d parliament.Decision
		var passed int
		var result string
		var at int64
		if err := scan(&d.ID, &d.OrganID, &d.SessionID, &d.Vote, &d.Title, &d.Text, &passed, &result, &d.Explanation, &at,
			&d.UnitCode, &d.Commune, &d.State, &d.LogIndex, &d.OrganName); err != nil {
			return err
		}
		var rq struct {
			R parliament.Result `json:"result"`
			Q parliament.Quorum `json:"quorum"`
		}
		if err := json.Unmarshal([]byte(result), &rq); err != nil {
			return err
		}
		d.Passed, d.Result, d.Quorum, d.DecidedAt = passed == 1, rq.R, rq.Q, fromMS(at)
		out = append(out, d)
		return nil
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", tx.d.Err(err))
	}
	return out, nil
}

// ImportDecisions stores decisions as given, for the demo and benchmarks,
// with their search words, in one transaction. They are not logged: the
// demo's history is generated, not decided.
func (db *DB) ImportDecisions(ctx context.Context, ds []parliament.Decision) error {
	const op = "import decisions"
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	organs := map[int64]*organRow{}
	const batch = 200
	for lo := 0; lo < len(ds); lo += batch {
		part := ds[lo:min(lo+batch, len(ds))]
		var args []any
		for i := range part {
			d := &part[i]
			o := organs[d.OrganID]
			if o == nil {
				if o, err = findOrgan(ctx, tx, d.OrganID); err != nil {
					return fmt.Errorf("%s: %w", op, err)
				}
				organs[d.OrganID] = o
			}
			result, _ := json.Marshal(struct {
				R parliament.Result `json:"result"`
				Q parliament.Quorum `json:"quorum"`
			}{d.Result, d.Quorum})
			passed := 0
			if d.Passed {
				passed = 1
			}
			args = append(args, o.ID, d.SessionID, d.Vote, d.Title, d.Text, passed, string(result), d.Explanation, ms(d.DecidedAt), o.UnitCode, o.commune, o.state)
		}
		rows, err := tx.query(ctx, `INSERT INTO parliament_decisions (organ_id, session_id, vote, title, text, passed, result, explanation,
			decided_at, unit_code, commune, state_code) VALUES `+placeholders(12, len(part))+" RETURNING id", args...)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("%s: %w", op, err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: %w", op, tx.d.Err(err))
		}
		words := make([][]string, len(part))
		for i := range part {
			part[i].ID = ids[i]
			words[i] = parliament.Words(part[i].Title + "\n" + part[i].Text)
		}
		if err := insertWords(ctx, tx, ids, words); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := tx.analyze(ctx, len(ds), "parliament_decisions", "parliament_decision_words"); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}
