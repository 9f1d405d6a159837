package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/comuna"
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
	if err := tx.commit(); err != nil {
		return fmt.Errorf("create audit: %w", err)
	}
	return nil
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

// SaveHandCount stores a table's recount, replacing an earlier one.
func (db *DB) SaveHandCount(ctx context.Context, h *audit.HandCount) error {
	if h.Ballots < 0 {
		return fmt.Errorf("save hand count: %w", comuna.FieldError("ballots", "ballots cannot be negative"))
	}
	for i, v := range h.Counts {
		if v < 0 {
			return fmt.Errorf("save hand count: %w", comuna.FieldError("counts", "the count of number %d cannot be negative", i+1))
		}
	}
	a, err := db.Audit(ctx, h.AuditID)
	if err != nil {
		return fmt.Errorf("save hand count: %w", err)
	}
	rt, err := db.roundTables(ctx, a.RoundID)
	if err != nil {
		return fmt.Errorf("save hand count: %w", err)
	}
	if _, err := rt.table(h.Table); err != nil {
		return fmt.Errorf("save hand count: %w", err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("save hand count: %w", err)
	}
	defer tx.rollback()
	if err := checkUser(ctx, tx, h.EnteredBy, "entered_by"); err != nil {
		return fmt.Errorf("save hand count: %w", err)
	}
	h.Entered = tx.now
	_, err = tx.exec(ctx, `INSERT INTO audit_recounts (audit_id, table_code, counts, ballots, entered_by, entered)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (audit_id, table_code) DO UPDATE SET counts = excluded.counts, ballots = excluded.ballots,
			entered_by = excluded.entered_by, entered = excluded.entered`,
		h.AuditID, h.Table, formatCounts(h.Counts), h.Ballots, nullID(h.EnteredBy), ms(h.Entered))
	if err != nil {
		return fmt.Errorf("save hand count: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("save hand count: %w", err)
	}
	return nil
}

// HandCounts returns an audit's recounts ordered by table; ENotFound if
// the audit does not exist.
func (db *DB) HandCounts(ctx context.Context, auditID int64) ([]*audit.HandCount, error) {
	if _, err := db.Audit(ctx, auditID); err != nil {
		return nil, fmt.Errorf("hand counts: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, db.dialect.Rebind(`SELECT table_code, counts, ballots, entered_by, entered
		FROM audit_recounts WHERE audit_id = ? ORDER BY table_code`), auditID)
	if err != nil {
		return nil, fmt.Errorf("hand counts: %w", db.dialect.Err(err))
	}
	defer rows.Close()
	var out []*audit.HandCount
	for rows.Next() {
		h := &audit.HandCount{AuditID: auditID}
		var counts string
		var by sql.NullInt64
		var entered int64
		if err := rows.Scan(&h.Table, &counts, &h.Ballots, &by, &entered); err != nil {
			return nil, fmt.Errorf("hand counts: %w", err)
		}
		h.Counts, h.EnteredBy, h.Entered = parseCounts(counts), by.Int64, fromMS(entered)
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
