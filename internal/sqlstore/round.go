package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/comuna/comuna/internal/comuna"
)

const roundColumns = `id, name, vote_date, min_age, max_age, ballot_size, winners, amount, currency,
	exchange_rate, tie_break, tie_break_seed, vote_rule, phase, territory_version, created, created_by,
	alloc_rule, alloc_sat, alloc_completion, alloc_fill, alloc_budget, walkin_share, cap_cost, doc_types, separate_ve`

func scanRound(s interface{ Scan(...any) error }) (*comuna.Round, error) {
	var r comuna.Round
	var voteDate, tieBreak, voteRule, phase, allocRule string
	var created int64
	a := &r.Allocation
	var createdBy sql.NullInt64
	err := s.Scan(&r.ID, &r.Name, &voteDate, &r.MinAge, &r.MaxAge, &r.BallotSize, &r.WinnersPerCircuit,
		&r.AmountPerProject, &r.Currency, &r.ExchangeRate, &tieBreak, &r.TieBreakSeed, &voteRule, &phase,
		&r.TerritoryVersion, &created, &createdBy, &allocRule, &a.Sat, &a.Completion, &a.Fill, &a.Budget, &r.WalkInShare, &r.CapCost, &r.DocTypes, &r.SeparateVE)
	if err != nil {
		return nil, err
	}
	r.VoteDate = parseDate(voteDate)
	r.TieBreak, r.VoteRule, r.Phase = comuna.TieBreak(tieBreak), comuna.VoteRule(voteRule), comuna.Phase(phase)
	r.Created, r.CreatedBy = fromMS(created), createdBy.Int64
	a.Rule = comuna.AllocRule(allocRule)
	return &r, nil
}

// findRound returns one round; ENotFound if absent. With lock set, the
// row is share-locked until the transaction ends, so its phase cannot
// change under a write that depends on it.
func findRound(ctx context.Context, tx *Tx, id int64, lock bool) (*comuna.Round, error) {
	q := "SELECT " + roundColumns + " FROM rounds WHERE id = ?"
	if lock {
		q += tx.d.ShareLock()
	}
	r, err := scanRound(tx.tx.QueryRowContext(ctx, tx.d.Rebind(q), id))
	if err == sql.ErrNoRows {
		return nil, comuna.Errorf(comuna.ENotFound, "round %d not found", id)
	} else if err != nil {
		return nil, tx.d.Err(err)
	}
	return r, nil
}

// checkUser returns an EInvalid error naming field unless user id exists;
// 0 (nobody, e.g. the command line) is accepted.
func checkUser(ctx context.Context, tx *Tx, id int64, field string) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := tx.get(ctx, "SELECT COUNT(*) FROM users WHERE id = ?", []any{id}, &n); err != nil {
		return err
	}
	if n == 0 {
		return comuna.FieldError(field, "unknown user %d", id)
	}
	return nil
}

// CreateRound validates r, freezes a copy of the editable territory for it
// and stores it as a draft, setting r.ID, r.Phase, r.Created and
// r.TerritoryVersion. If the territory has not changed since the last
// copy, the round shares that frozen copy.
func (db *DB) CreateRound(ctx context.Context, r *comuna.Round) error {
	r.Defaults()
	r.Phase = comuna.PhaseDraft
	if err := r.Validate(); err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	defer tx.rollback()
	if err := checkUser(ctx, tx, r.CreatedBy, "created_by"); err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	v, err := freezeTerritory(ctx, tx, r.Name)
	if err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	r.TerritoryVersion, r.Created = v, tx.now
	if err := insertRound(ctx, tx, r); err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("create round: %w", err)
	}
	return nil
}

// insertRound stores a validated round, setting r.ID.
func insertRound(ctx context.Context, tx *Tx, r *comuna.Round) error {
	a := &r.Allocation
	return tx.get(ctx, `INSERT INTO rounds (name, vote_date, min_age, max_age, ballot_size, winners, amount, currency,
		exchange_rate, tie_break, tie_break_seed, vote_rule, phase, territory_version, created, created_by,
		alloc_rule, alloc_sat, alloc_completion, alloc_fill, alloc_budget, walkin_share, cap_cost, doc_types, separate_ve)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{r.Name, dateText(r.VoteDate), r.MinAge, r.MaxAge, r.BallotSize, r.WinnersPerCircuit, int64(r.AmountPerProject),
			r.Currency, r.ExchangeRate, string(r.TieBreak), r.TieBreakSeed, string(r.VoteRule), string(r.Phase), r.TerritoryVersion,
			ms(r.Created), nullID(r.CreatedBy), string(a.Rule), a.Sat, a.Completion, a.Fill, int64(a.Budget), r.WalkInShare, r.CapCost, docTypes(r), r.SeparateVE}, &r.ID)
}

// freezeTerritory returns a frozen copy of the editable version, reusing
// the newest copy when the editable version has not changed since.
func freezeTerritory(ctx context.Context, tx *Tx, label string) (int64, error) {
	var editable, revision int64
	if err := tx.get(ctx, "SELECT id, revision FROM territory_versions WHERE frozen = FALSE", nil, &editable, &revision); err != nil {
		return 0, fmt.Errorf("freeze territory: %w", err)
	}
	var id int64
	err := tx.get(ctx, "SELECT id FROM territory_versions WHERE frozen = TRUE AND revision = ? ORDER BY id DESC LIMIT 1",
		[]any{revision}, &id)
	if err == nil {
		return id, nil
	} else if err != sql.ErrNoRows {
		return 0, fmt.Errorf("freeze territory: %w", err)
	}
	if err := tx.get(ctx, "INSERT INTO territory_versions (label, frozen, created, revision) VALUES (?, TRUE, ?, ?) RETURNING id",
		[]any{"snapshot for " + label, ms(tx.now), revision}, &id); err != nil {
		return 0, fmt.Errorf("freeze territory: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO units (version_id, level, code, parent, name, census, circuit, address)
		SELECT ?, level, code, parent, name, census, circuit, address FROM units WHERE version_id = ?`, id, editable); err != nil {
		return 0, fmt.Errorf("freeze territory: %w", err)
	}
	return id, nil
}

// UpdateRound changes a round's settings while it is still a draft. Its
// phase, territory and creation are kept as stored.
func (db *DB) UpdateRound(ctx context.Context, r *comuna.Round) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("update round: %w", err)
	}
	defer tx.rollback()
	cur, err := findRound(ctx, tx, r.ID, true)
	if err != nil {
		return fmt.Errorf("update round: %w", err)
	}
	if cur.Phase != comuna.PhaseDraft {
		return fmt.Errorf("update round: %w", comuna.Errorf(comuna.EConflict,
			"round %q is in the %s phase; only a draft round can be changed", cur.Name, cur.Phase))
	}
	r.Defaults()
	r.Phase, r.TerritoryVersion, r.Created, r.CreatedBy = cur.Phase, cur.TerritoryVersion, cur.Created, cur.CreatedBy
	if err := r.Validate(); err != nil {
		return fmt.Errorf("update round: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE rounds SET name = ?, vote_date = ?, min_age = ?, max_age = ?, ballot_size = ?,
		winners = ?, amount = ?, currency = ?, exchange_rate = ?, tie_break = ?, tie_break_seed = ?, vote_rule = ?,
		alloc_rule = ?, alloc_sat = ?, alloc_completion = ?, alloc_fill = ?, alloc_budget = ?, walkin_share = ?, cap_cost = ?, doc_types = ?, separate_ve = ?
		WHERE id = ?`,
		r.Name, dateText(r.VoteDate), r.MinAge, r.MaxAge, r.BallotSize, r.WinnersPerCircuit, int64(r.AmountPerProject),
		r.Currency, r.ExchangeRate, string(r.TieBreak), r.TieBreakSeed, string(r.VoteRule),
		string(r.Allocation.Rule), r.Allocation.Sat, r.Allocation.Completion, r.Allocation.Fill, int64(r.Allocation.Budget), r.WalkInShare, r.CapCost, docTypes(r), r.SeparateVE, r.ID); err != nil {
		return fmt.Errorf("update round: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("update round: %w", err)
	}
	return nil
}

// Round returns one round; ENotFound if absent.
func (db *DB) Round(ctx context.Context, id int64) (*comuna.Round, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("round: %w", err)
	}
	defer tx.rollback()
	r, err := findRound(ctx, tx, id, false)
	if err != nil {
		return nil, fmt.Errorf("round: %w", err)
	}
	return r, nil
}

// Rounds lists all rounds, newest first.
func (db *DB) Rounds(ctx context.Context) ([]*comuna.Round, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	defer tx.rollback()
	rows, err := tx.query(ctx, "SELECT "+roundColumns+" FROM rounds ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	defer rows.Close()
	var rs []*comuna.Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, fmt.Errorf("rounds: %w", err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rounds: %w", tx.d.Err(err))
	}
	return rs, nil
}

// TransitionRound moves a round from phase from to phase to, which must
// follow it, and records who did it; EConflict if the round is elsewhere.
func (db *DB) TransitionRound(ctx context.Context, id int64, from, to comuna.Phase, userID int64) (*comuna.Round, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("transition round: %w", err)
	}
	defer tx.rollback()
	r, err := findRound(ctx, tx, id, false)
	if err != nil {
		return nil, fmt.Errorf("transition round: %w", err)
	}
	if r.Phase != from {
		return nil, fmt.Errorf("transition round: %w", comuna.Errorf(comuna.EConflict,
			"round %q is in the %s phase, not %s; reload and try again", r.Name, r.Phase, from))
	}
	if err := comuna.CheckTransition(from, to); err != nil {
		return nil, fmt.Errorf("transition round: %w", err)
	}
	if err := checkUser(ctx, tx, userID, "user"); err != nil {
		return nil, fmt.Errorf("transition round: %w", err)
	}
	res, err := tx.exec(ctx, "UPDATE rounds SET phase = ? WHERE id = ? AND phase = ?", string(to), id, string(from))
	if err != nil {
		return nil, fmt.Errorf("transition round: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, fmt.Errorf("transition round: %w", comuna.Errorf(comuna.EConflict, "round %q changed phase meanwhile; reload and try again", r.Name))
	}
	if from == comuna.PhaseVoting && to == comuna.PhaseCounting {
		if err := closeTablesByPhase(ctx, tx, r, userID); err != nil {
			return nil, fmt.Errorf("transition round: %w", err)
		}
	}
	idx, err := logTransition(ctx, tx, r, from, to, userID)
	if err != nil {
		return nil, fmt.Errorf("transition round: %w", err)
	}
	if _, err := tx.exec(ctx, "INSERT INTO phase_transitions (round_id, from_phase, to_phase, user_id, at, log_index) VALUES (?, ?, ?, ?, ?, ?)",
		id, string(from), string(to), nullID(userID), ms(tx.now), idx); err != nil {
		return nil, fmt.Errorf("transition round: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("transition round: %w", err)
	}
	r.Phase = to
	return r, nil
}

// Transitions lists a round's phase history, oldest first.
func (db *DB) Transitions(ctx context.Context, id int64) ([]comuna.Transition, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("transitions: %w", err)
	}
	defer tx.rollback()
	if _, err := findRound(ctx, tx, id, false); err != nil {
		return nil, fmt.Errorf("transitions: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT t.round_id, t.from_phase, t.to_phase, t.user_id, COALESCE(u.username, ''), t.at
		FROM phase_transitions t LEFT JOIN users u ON u.id = t.user_id WHERE t.round_id = ? ORDER BY t.id`, id)
	if err != nil {
		return nil, fmt.Errorf("transitions: %w", err)
	}
	defer rows.Close()
	var ts []comuna.Transition
	for rows.Next() {
		var t comuna.Transition
		var from, to string
		var user sql.NullInt64
		var at int64
		if err := rows.Scan(&t.RoundID, &from, &to, &user, &t.User, &at); err != nil {
			return nil, fmt.Errorf("transitions: %w", err)
		}
		t.From, t.To, t.UserID, t.At = comuna.Phase(from), comuna.Phase(to), user.Int64, fromMS(at)
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("transitions: %w", tx.d.Err(err))
	}
	return ts, nil
}

// closeTablesByPhase closes every table of the round still open when it
// moves from voting to counting, tables never used included, marking
// that the phase change closed them, so each can then report its sheet.
// A check-in racing with it finds the table closed and is refused.
func closeTablesByPhase(ctx context.Context, tx *Tx, r *comuna.Round, userID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO table_status (round_id, table_code, closed, closed_at, closed_by, closed_by_phase)
		SELECT ?, code, TRUE, ?, ?, TRUE FROM units WHERE version_id = ? AND level = ?
		ON CONFLICT (round_id, table_code) DO UPDATE SET closed = TRUE, closed_at = excluded.closed_at,
			closed_by = excluded.closed_by, closed_by_phase = TRUE
		WHERE table_status.closed = FALSE`,
		r.ID, ms(tx.now), nullID(userID), r.TerritoryVersion, string(comuna.LevelTable))
	return err
}

// docTypes is the round's accepted documents, the default if it names none.
func docTypes(r *comuna.Round) string {
	if r.DocTypes == "" {
		return comuna.DefaultDocTypes
	}
	return r.DocTypes
}
