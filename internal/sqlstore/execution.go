package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/execution"
	"github.com/comuna/comuna/internal/record"
)

var _ execution.Store = (*DB)(nil)

// maxStatementErrors is how many bad lines an import reports before it
// stops reading.
const maxStatementErrors = 20

// FundProject creates a funded project with its commitment entry.
func (db *DB) FundProject(ctx context.Context, ref execution.Ref, e execution.Event) (*execution.Tracked, error) {
	const op = "fund project"
	if e.Kind != execution.EvCommit {
		return nil, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.EInvalid, "a funded project starts with its commitment"))
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	r, err := findRound(ctx, tx, ref.Round, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if r.Phase != comuna.PhaseResults {
		return nil, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.EConflict,
			"projects are funded once the results are final: round %q is in the %s phase", r.Name, r.Phase))
	}
	var circuit, title string
	if err := tx.get(ctx, "SELECT circuit, title FROM proposals WHERE id = ? AND round_id = ?", []any{ref.Proposal, ref.Round}, &circuit, &title); err == sql.ErrNoRows {
		return nil, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.ENotFound, "round %d has no proposal %d", ref.Round, ref.Proposal))
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	ref.Circuit, ref.Title = circuit, title
	var exists int
	if err := tx.get(ctx, "SELECT COUNT(*) FROM funded_projects WHERE round_id = ? AND proposal_id = ?", []any{ref.Round, ref.Proposal}, &exists); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if exists > 0 {
		return nil, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.EConflict, "%s (%s) is funded already", ref.Key(), title))
	}
	if err := tx.get(ctx, "INSERT INTO funded_projects (round_id, circuit, proposal_id, number, title, created) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		[]any{ref.Round, ref.Circuit, ref.Proposal, ref.Number, ref.Title, ms(tx.now)}, &ref.ID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	t := &execution.Tracked{Ref: ref, State: &execution.State{Project: execution.Project{Reviewed: -1}}}
	if err := appendEntry(ctx, tx, t, e); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return t, nil
}

// AppendEntry appends one entry to a project's history.
func (db *DB) AppendEntry(ctx context.Context, projectID int64, e execution.Event) (*execution.Tracked, error) {
	const op = "append entry"
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	t, err := loadTracked(ctx, tx, projectID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := appendEntry(ctx, tx, t, e); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return t, nil
}

// appendEntry applies e to t's state, then stores it with its log record.
func appendEntry(ctx context.Context, tx *Tx, t *execution.Tracked, e execution.Event) error {
	if e.At.IsZero() {
		e.At = tx.now
	}
	e, err := execution.Apply(t.State, e, tx.now)
	if err != nil {
		return err
	}
	rec := &record.Execution{RoundID: t.Round, Circuit: t.Circuit, Proposal: t.Proposal, Event: e}
	idx, err := appendLog(ctx, tx, rec)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "INSERT INTO execution_entries (project_id, seq, kind, body, log_index) VALUES (?, ?, ?, ?, ?)",
		t.ID, e.Seq, string(e.Kind), string(rec.Body()), idx); err != nil {
		return err
	}
	t.Entries = append(t.Entries, e)
	t.Logged = append(t.Logged, idx)
	return nil
}

const fundedColumns = "id, round_id, circuit, proposal_id, number, title"

func scanRef(s interface{ Scan(...any) error }) (execution.Ref, error) {
	var r execution.Ref
	err := s.Scan(&r.ID, &r.Round, &r.Circuit, &r.Proposal, &r.Number, &r.Title)
	return r, err
}

// loadTracked reads a project and replays its entries.
func loadTracked(ctx context.Context, tx *Tx, id int64) (*execution.Tracked, error) {
	rows, err := tx.query(ctx, "SELECT "+fundedColumns+" FROM funded_projects WHERE id = ?", id)
	if err != nil {
		return nil, err
	}
	var refs []execution.Ref
	for rows.Next() {
		r, err := scanRef(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		refs = append(refs, r)
	}
	rows.Close()
	if len(refs) == 0 {
		return nil, comuna.Errorf(comuna.ENotFound, "funded project %d not found", id)
	}
	ts, err := replayAll(ctx, tx, refs, "project_id = ?", id)
	if err != nil {
		return nil, err
	}
	return ts[0], nil
}

// replayAll reads the entries of refs (selected by where) and replays each
// project.
func replayAll(ctx context.Context, tx *Tx, refs []execution.Ref, where string, args ...any) ([]*execution.Tracked, error) {
	byID := make(map[int64]*execution.Tracked, len(refs))
	out := make([]*execution.Tracked, len(refs))
	for i, r := range refs {
		out[i] = &execution.Tracked{Ref: r}
		byID[r.ID] = out[i]
	}
	rows, err := tx.query(ctx, "SELECT project_id, body, log_index FROM execution_entries WHERE "+where+" ORDER BY project_id, seq", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var pid, idx int64
		var body string
		if err := rows.Scan(&pid, &body, &idx); err != nil {
			return nil, err
		}
		t := byID[pid]
		if t == nil {
			continue
		}
		x, err := record.ParseExecution([]byte(body))
		if err != nil {
			return nil, fmt.Errorf("funded project %d: %w", pid, err)
		}
		t.Entries = append(t.Entries, x.Event)
		t.Logged = append(t.Logged, idx)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, t := range out {
		s, err := execution.Replay(t.Entries, tx.now)
		if err != nil {
			return nil, fmt.Errorf("funded project %s: %w", t.Key(), err)
		}
		t.State = s
	}
	return out, nil
}

// FundedProject returns one project, replayed.
func (db *DB) FundedProject(ctx context.Context, id int64) (*execution.Tracked, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("funded project: %w", err)
	}
	defer tx.rollback()
	t, err := loadTracked(ctx, tx, id)
	if err != nil {
		return nil, fmt.Errorf("funded project: %w", err)
	}
	return t, nil
}

// FundedProjects returns a round's projects, replayed.
func (db *DB) FundedProjects(ctx context.Context, roundID int64) ([]*execution.Tracked, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("funded projects: %w", err)
	}
	defer tx.rollback()
	ts, err := fundedProjects(ctx, tx, roundID)
	if err != nil {
		return nil, fmt.Errorf("funded projects: %w", err)
	}
	return ts, nil
}

func fundedProjects(ctx context.Context, tx *Tx, roundID int64) ([]*execution.Tracked, error) {
	rows, err := tx.query(ctx, "SELECT "+fundedColumns+" FROM funded_projects WHERE round_id = ? ORDER BY circuit, number", roundID)
	if err != nil {
		return nil, err
	}
	var refs []execution.Ref
	for rows.Next() {
		r, err := scanRef(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		refs = append(refs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return replayAll(ctx, tx, refs, "project_id IN (SELECT id FROM funded_projects WHERE round_id = ?)", roundID)
}

// ImportStatement appends a bank statement's payments, all or none.
func (db *DB) ImportStatement(ctx context.Context, roundID int64, by string, next func() (execution.StatementLine, error), progress func(n int)) (int, error) {
	const op = "import disbursements"
	tx, err := db.begin(ctx, true)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if _, err := findRound(ctx, tx, roundID, true); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	ts, err := fundedProjects(ctx, tx, roundID)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	byKey := make(map[string]*execution.Tracked, len(ts))
	for _, t := range ts {
		byKey[t.Key()] = t
	}
	var errs []error
	n := 0
	for {
		l, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err)
			var ce *comuna.Error
			if !errors.As(err, &ce) || ce.Line == 0 || len(errs) >= maxStatementErrors {
				break
			}
			continue
		}
		t := byKey[l.Project]
		if t == nil {
			errs = append(errs, &comuna.Error{Code: comuna.EInvalid, Line: l.Line, Field: "project",
				Message: fmt.Sprintf("round %d has no funded project %q (write the circuit's code and the ballot number, e.g. ZU-CC-0001/1)", roundID, l.Project)})
			continue
		}
		if err := appendEntry(ctx, tx, t, execution.Event{Kind: execution.EvDisbursement, By: by, Disbursement: l.Disbursement}); err != nil {
			var ce *comuna.Error
			if errors.As(err, &ce) {
				e := *ce
				e.Line = l.Line
				errs = append(errs, &e)
			} else {
				return 0, fmt.Errorf("%s: line %d: %w", op, l.Line, err)
			}
			if len(errs) >= maxStatementErrors {
				break
			}
			continue
		}
		n++
		if progress != nil {
			progress(n)
		}
	}
	if len(errs) > 0 {
		return 0, fmt.Errorf("%s: nothing was imported: %w", op, errors.Join(errs...))
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	return n, nil
}

// SubmitReport holds a citizen's report.
func (db *DB) SubmitReport(ctx context.Context, projectID int64, r execution.Report) (execution.Report, error) {
	const op = "submit report"
	nr, err := execution.NewReport(r.Text)
	if err != nil {
		return r, fmt.Errorf("%s: %w", op, err)
	}
	nr.Photo = r.Photo
	tx, err := db.begin(ctx, true)
	if err != nil {
		return r, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	var n int
	if err := tx.get(ctx, "SELECT COUNT(*) FROM funded_projects WHERE id = ?", []any{projectID}, &n); err != nil {
		return r, fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return r, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.ENotFound, "funded project %d not found", projectID))
	}
	nr.Received = tx.now
	var id int64
	if err := tx.get(ctx, "INSERT INTO execution_reports (project_id, text, photo, state, received) VALUES (?, ?, ?, ?, ?) RETURNING id",
		[]any{projectID, nr.Text, nr.Photo, string(nr.State), ms(tx.now)}, &id); err != nil {
		return r, fmt.Errorf("%s: %w", op, err)
	}
	nr.ID = int(id)
	if err := tx.commit(); err != nil {
		return r, fmt.Errorf("%s: %w", op, err)
	}
	return nr, nil
}

func scanReport(s interface{ Scan(...any) error }) (execution.Report, error) {
	var r execution.Report
	var state string
	var received int64
	err := s.Scan(&r.ID, &r.Text, &r.Photo, &state, &r.Finding, &r.Reason, &received)
	r.State, r.Received = execution.ReportState(state), fromMS(received)
	return r, err
}

// Reports lists a project's reports.
func (db *DB) Reports(ctx context.Context, projectID int64) ([]execution.Report, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	defer tx.rollback()
	rows, err := tx.query(ctx, "SELECT id, text, photo, state, finding, reason, received FROM execution_reports WHERE project_id = ? ORDER BY id", projectID)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	defer rows.Close()
	var out []execution.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// HandleReport dismisses a report or turns it into a finding.
func (db *DB) HandleReport(ctx context.Context, projectID int64, reportID int, by string, a execution.ReportAction) (execution.Report, error) {
	const op = "handle report"
	tx, err := db.begin(ctx, true)
	if err != nil {
		return execution.Report{}, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	r, err := scanReport(tx.tx.QueryRowContext(ctx, tx.d.Rebind("SELECT id, text, photo, state, finding, reason, received FROM execution_reports WHERE id = ? AND project_id = ?"), reportID, projectID))
	if err == sql.ErrNoRows {
		return r, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.ENotFound, "project %d has no report %d", projectID, reportID))
	} else if err != nil {
		return r, fmt.Errorf("%s: %w", op, tx.d.Err(err))
	}
	if a.Dismiss {
		if r, err = execution.Dismiss(r, a.Reason); err != nil {
			return r, fmt.Errorf("%s: %w", op, err)
		}
	} else {
		t, err := loadTracked(ctx, tx, projectID)
		if err != nil {
			return r, fmt.Errorf("%s: %w", op, err)
		}
		if r, err = execution.Triage(r, len(t.State.Findings)+1); err != nil {
			return r, fmt.Errorf("%s: %w", op, err)
		}
		text := a.Text
		if text == "" {
			text = r.Text
		}
		if err := appendEntry(ctx, tx, t, execution.Event{Kind: execution.EvFinding, By: by, Severity: a.Severity, Text: text, Report: r.ID}); err != nil {
			return r, fmt.Errorf("%s: %w", op, err)
		}
	}
	if _, err := tx.exec(ctx, "UPDATE execution_reports SET state = ?, finding = ?, reason = ?, handled_by = ?, handled = ? WHERE id = ?",
		string(r.State), r.Finding, r.Reason, by, ms(tx.now), r.ID); err != nil {
		return r, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return r, fmt.Errorf("%s: %w", op, err)
	}
	return r, nil
}

// RunnerUpPolicy returns the round's runner-up policy in force.
func (db *DB) RunnerUpPolicy(ctx context.Context, roundID int64) (execution.Policy, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return execution.Policy{}, fmt.Errorf("runner-up policy: %w", err)
	}
	defer tx.rollback()
	var p execution.Policy
	var pol string
	var at int64
	err = tx.get(ctx, "SELECT runner_up, set_by, set_at FROM execution_policies WHERE round_id = ? ORDER BY seq DESC LIMIT 1", []any{roundID}, &pol, &p.By, &at)
	if err == sql.ErrNoRows {
		return execution.Policy{RunnerUp: execution.OnCompletion}, nil
	}
	if err != nil {
		return p, fmt.Errorf("runner-up policy: %w", err)
	}
	p.RunnerUp, p.At = execution.RunnerUpPolicy(pol), fromMS(at)
	return p, nil
}

// SetRunnerUpPolicy records a new runner-up policy for a round.
func (db *DB) SetRunnerUpPolicy(ctx context.Context, roundID int64, p execution.Policy) error {
	const op = "set runner-up policy"
	pol, err := execution.ParseRunnerUpPolicy(string(p.RunnerUp))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	if _, err := findRound(ctx, tx, roundID, true); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	var seq int
	if err := tx.get(ctx, "SELECT COALESCE(MAX(seq), 0) FROM execution_policies WHERE round_id = ?", []any{roundID}, &seq); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if _, err := tx.exec(ctx, "INSERT INTO execution_policies (round_id, seq, runner_up, set_by, set_at) VALUES (?, ?, ?, ?, ?)",
		roundID, seq+1, string(pol), p.By, ms(tx.now)); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return tx.commit()
}
