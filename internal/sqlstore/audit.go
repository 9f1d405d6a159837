package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
)

var _ audit.Store = (*DB)(nil)

const auditColumns = "id, round_id, kind, seed, risk_limit, table_count, epoch, created_by, created"

func scanAudit(s interface{ Scan(...any) error }) (*audit.Audit, error) {
	var a audit.Audit
	var kind string
	var createdBy sql.NullInt64
	var created int64
	if err := s.Scan(&a.ID, &a.RoundID, &kind, &a.Seed, &a.RiskLimit, &a.Tables, &a.Epoch, &createdBy, &created); err != nil {
		return nil, err
	}
	a.Kind, a.CreatedBy, a.Created = audit.Kind(kind), createdBy.Int64, fromMS(created)
	return &a, nil
}

// validateAudit checks what CreateAudit stores, before any query.
func validateAudit(a *audit.Audit) error {
	a.Seed = strings.TrimSpace(a.Seed)
	if a.Seed == "" {
		return comuna.FieldError("seed", "an audit needs the random seed drawn at the public ceremony")
	}
	if len(a.Seed) > 200 {
		return comuna.FieldError("seed", "the seed is longer than 200 characters")
	}
	switch a.Kind {
	case audit.KindRisk:
		if !(a.RiskLimit > 0 && a.RiskLimit < 1) {
			return comuna.FieldError("risk_limit", "the risk limit must be between 0 and 1, not %g", a.RiskLimit)
		}
		a.Tables = 0
	case audit.KindDraw:
		if a.Tables < 1 || a.Tables > 1_000_000 {
			return comuna.FieldError("tables", "a draw needs between 1 and 1,000,000 tables, not %d", a.Tables)
		}
		a.RiskLimit = 0
	default:
		return comuna.FieldError("kind", "unknown audit kind %q (want %q or %q)", a.Kind, audit.KindRisk, audit.KindDraw)
	}
	return nil
}

// CreateAudit stores a new audit of a round that is counting or in
// results, with the round's current results epoch.
func (db *DB) CreateAudit(ctx context.Context, a *audit.Audit) error {
	if err := validateAudit(a); err != nil {
		return fmt.Errorf("create audit: %w", err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("create audit: %w", err)
	}
	defer tx.rollback()
	r, err := findRound(ctx, tx, a.RoundID, true)
	if err != nil {
		return fmt.Errorf("create audit: %w", err)
	}
	if r.Phase != comuna.PhaseCounting && r.Phase != comuna.PhaseResults {
		return fmt.Errorf("create audit: %w", comuna.Errorf(comuna.EConflict,
			"audits start once the count is over: round %q is in the %s phase, not counting or results", r.Name, r.Phase))
	}
	if err := checkUser(ctx, tx, a.CreatedBy, "created_by"); err != nil {
		return fmt.Errorf("create audit: %w", err)
	}
	if err := tx.get(ctx, "SELECT COALESCE(MAX(id), 0) FROM sheet_versions WHERE round_id = ?", []any{a.RoundID}, &a.Epoch); err != nil {
		return fmt.Errorf("create audit: %w", err)
	}
	a.Created = tx.now
	err = tx.get(ctx, `INSERT INTO audits (round_id, kind, seed, risk_limit, table_count, epoch, created_by, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{a.RoundID, string(a.Kind), a.Seed, a.RiskLimit, a.Tables, a.Epoch, nullID(a.CreatedBy), ms(a.Created)}, &a.ID)
	if err != nil {
		return fmt.Errorf("create audit: %w", err)
	}
	if err := logAudit(ctx, tx, a); err != nil {
		return fmt.Errorf("create audit: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("create audit: %w", err)
	}
	return nil
}

// logAudit appends an audit's record: its seed and, for a draw, the
// tables drawn from those with an accepted sheet, which anyone re-derives
// with audit.Draw from the sheet records logged before it.
func logAudit(ctx context.Context, tx *Tx, a *audit.Audit) error {
	rec := &record.Audit{RoundID: a.RoundID, Audit: a.ID, AuditKind: string(a.Kind), Seed: a.Seed,
		RiskLimit: strconv.FormatFloat(a.RiskLimit, 'g', -1, 64), Tables: int64(a.Tables), At: a.Created}
	if a.CreatedBy != 0 {
		name, err := userName(ctx, tx, a.CreatedBy, "created_by")
		if err != nil {
			return err
		}
		rec.By = name
	}
	if a.Kind == audit.KindDraw {
		rows, err := tx.query(ctx, "SELECT DISTINCT table_code FROM sheet_versions WHERE round_id = ?", a.RoundID)
		if err != nil {
			return err
		}
		defer rows.Close()
		var pop []string
		for rows.Next() {
			var code string
			if err := rows.Scan(&code); err != nil {
				return err
			}
			pop = append(pop, code)
		}
		if err := rows.Err(); err != nil {
			return tx.d.Err(err)
		}
		rec.Draw = audit.Draw(a.Seed, pop, a.Tables)
	}
	_, err := appendLog(ctx, tx, rec)
	return err
}

// Audit returns one audit; ENotFound if there is none.
func (db *DB) Audit(ctx context.Context, id int64) (*audit.Audit, error) {
	row := db.db.QueryRowContext(ctx, db.dialect.Rebind("SELECT "+auditColumns+" FROM audits WHERE id = ?"), id)
	a, err := scanAudit(row)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("audit: %w", comuna.Errorf(comuna.ENotFound, "audit %d not found", id))
	} else if err != nil {
		return nil, fmt.Errorf("audit: %w", db.dialect.Err(err))
	}
	return a, nil
}

// Audits lists a round's audits, newest first; ENotFound if the round
// does not exist.
func (db *DB) Audits(ctx context.Context, roundID int64) ([]*audit.Audit, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("audits: %w", err)
	}
	defer tx.rollback()
	if _, err := findRound(ctx, tx, roundID, false); err != nil {
		return nil, fmt.Errorf("audits: %w", err)
	}
	rows, err := tx.query(ctx, "SELECT "+auditColumns+" FROM audits WHERE round_id = ? ORDER BY id DESC", roundID)
	if err != nil {
		return nil, fmt.Errorf("audits: %w", err)
	}
	defer rows.Close()
	var out []*audit.Audit
	for rows.Next() {
		a, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("audits: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audits: %w", tx.d.Err(err))
	}
	return out, nil
}

// EnterHandCount stores one auditor's entry of a table's recount and
// accepts the recount when another auditor's latest entry agrees. See
// audit.Store.
func (db *DB) EnterHandCount(ctx context.Context, h *audit.HandCount) (*audit.EntryResult, error) {
	const op = "enter hand count"
	if h.Ballots < 0 {
		return nil, fmt.Errorf("%s: %w", op, comuna.FieldError("ballots", "ballots cannot be negative"))
	}
	for i, v := range h.Counts {
		if v < 0 {
			return nil, fmt.Errorf("%s: %w", op, comuna.FieldError("counts", "the count of number %d cannot be negative", i+1))
		}
	}
	a, err := db.Audit(ctx, h.AuditID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	rt, err := db.roundTables(ctx, a.RoundID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if _, err := rt.table(h.Table); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if err := tx.d.LockSheets(ctx, tx.tx, a.RoundID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, tx.d.Err(err))
	}
	res, err := enterHandCount(ctx, tx, a, h)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return res, nil
}

func enterHandCount(ctx context.Context, tx *Tx, a *audit.Audit, h *audit.HandCount) (*audit.EntryResult, error) {
	var role, scope, name, username string
	err := tx.get(ctx, "SELECT role, scope, name, username FROM users WHERE id = ?", []any{h.EnteredBy}, &role, &scope, &name, &username)
	if err == sql.ErrNoRows {
		return nil, comuna.FieldError("entered_by", "unknown user %d", h.EnteredBy)
	} else if err != nil {
		return nil, err
	}
	if comuna.Role(role) != comuna.RoleAuditor || scope != strconv.FormatInt(a.ID, 10) {
		return nil, comuna.Errorf(comuna.EForbidden, "hand recounts of audit %d are entered by its audit board, not by a %s", a.ID, role)
	}
	if vs, err := sheetVersions(ctx, tx, a.RoundID, h.Table, 1); err != nil {
		return nil, err
	} else if len(vs) > 0 {
		for _, m := range vs[0].Sheet.Members {
			if strings.EqualFold(strings.Join(strings.Fields(m), " "), strings.Join(strings.Fields(name), " ")) {
				return nil, comuna.Errorf(comuna.EForbidden, "%s is a member of table %s on its sheet and may not recount it", name, h.Table)
			}
		}
	}
	var n int
	if err := tx.get(ctx, "SELECT COUNT(*) FROM audit_recounts WHERE audit_id = ? AND table_code = ?", []any{a.ID, h.Table}, &n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, comuna.Errorf(comuna.EConflict, "the recount of table %s is already accepted; recounts never change", h.Table)
	}
	h.Entered = tx.now
	if _, err := tx.exec(ctx, `INSERT INTO audit_recount_entries (audit_id, table_code, user_id, counts, ballots, entered) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (audit_id, table_code, user_id) DO UPDATE SET counts = excluded.counts, ballots = excluded.ballots, entered = excluded.entered`,
		a.ID, h.Table, h.EnteredBy, formatCounts(h.Counts), h.Ballots, ms(h.Entered)); err != nil {
		return nil, err
	}
	var otherBy, otherBallots int64
	var otherCounts string
	err = tx.get(ctx, `SELECT user_id, counts, ballots FROM audit_recount_entries WHERE audit_id = ? AND table_code = ? AND user_id <> ?
		ORDER BY entered DESC, user_id LIMIT 1`, []any{a.ID, h.Table, h.EnteredBy}, &otherBy, &otherCounts, &otherBallots)
	if err == sql.ErrNoRows {
		return &audit.EntryResult{Status: audit.EntryWaiting}, nil
	} else if err != nil {
		return nil, err
	}
	other := parseCounts(otherCounts)
	var diffs []string
	for i := range max(len(other), len(h.Counts)) {
		if i >= len(other) || i >= len(h.Counts) || other[i] != h.Counts[i] {
			diffs = append(diffs, "counts."+strconv.Itoa(i+1))
		}
	}
	if otherBallots != h.Ballots {
		diffs = append(diffs, "ballots")
	}
	if len(diffs) > 0 {
		return &audit.EntryResult{Status: audit.EntryMismatch, Differences: diffs}, nil
	}
	acc := &audit.HandCount{AuditID: a.ID, Recount: audit.Recount{Table: h.Table, Counts: slices.Clone(h.Counts), Ballots: h.Ballots},
		EnteredBy: h.EnteredBy, FirstBy: otherBy, Entered: tx.now}
	if _, err := tx.exec(ctx, `INSERT INTO audit_recounts (audit_id, table_code, counts, ballots, entered_by, first_by, entered)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, acc.AuditID, acc.Table, formatCounts(acc.Counts), acc.Ballots, acc.EnteredBy, acc.FirstBy, ms(acc.Entered)); err != nil {
		return nil, err
	}
	first, err := userName(ctx, tx, acc.FirstBy, "first_by")
	if err != nil {
		return nil, err
	}
	if _, err := appendLog(ctx, tx, &record.Recount{RoundID: a.RoundID, Audit: a.ID, Table: acc.Table, Counts: acc.Counts,
		Ballots: acc.Ballots, At: acc.Entered, FirstBy: first, By: username}); err != nil {
		return nil, err
	}
	return &audit.EntryResult{Status: audit.EntryAccepted, Accepted: acc}, nil
}

// HandCounts returns an audit's recounts ordered by table; ENotFound if
// the audit does not exist.
func (db *DB) HandCounts(ctx context.Context, auditID int64) ([]*audit.HandCount, error) {
	if _, err := db.Audit(ctx, auditID); err != nil {
		return nil, fmt.Errorf("hand counts: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, db.dialect.Rebind(`SELECT table_code, counts, ballots, entered_by, first_by, entered
		FROM audit_recounts WHERE audit_id = ? ORDER BY table_code`), auditID)
	if err != nil {
		return nil, fmt.Errorf("hand counts: %w", db.dialect.Err(err))
	}
	defer rows.Close()
	var out []*audit.HandCount
	for rows.Next() {
		h := &audit.HandCount{AuditID: auditID}
		var counts string
		var by, first sql.NullInt64
		var entered int64
		if err := rows.Scan(&h.Table, &counts, &h.Ballots, &by, &first, &entered); err != nil {
			return nil, fmt.Errorf("hand counts: %w", err)
		}
		h.Counts, h.EnteredBy, h.FirstBy, h.Entered = parseCounts(counts), by.Int64, first.Int64, fromMS(entered)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("hand counts: %w", db.dialect.Err(err))
	}
	return out, nil
}

// formatCounts stores votes per ballot number as "5 3 2".
func formatCounts(c []int64) string {
	s := make([]string, len(c))
	for i, v := range c {
		s[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(s, " ")
}

// parseCounts reads counts stored by formatCounts.
func parseCounts(s string) []int64 {
	out := []int64{}
	for _, f := range strings.Fields(s) {
		v, _ := strconv.ParseInt(f, 10, 64)
		out = append(out, v)
	}
	return out
}
