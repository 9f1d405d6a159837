package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
)

// ScheduleSession stores an organ's next session. See parliament.Store.
func (db *DB) ScheduleSession(ctx context.Context, organID int64, t time.Time) (*parliament.Session, error) {
	const op = "schedule session"
	if t.IsZero() {
		return nil, fmt.Errorf("%s: %w", op, comuna.FieldError("scheduled", "a session needs its date and time"))
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	o, err := findOrgan(ctx, tx, organID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var n int
	if err := tx.get(ctx, "SELECT COALESCE(MAX(number), 0) + 1 FROM parliament_sessions WHERE organ_id = ?", []any{organID}, &n); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s := parliament.NewSession(&o.Organ, n, t)
	state, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	err = tx.get(ctx, `INSERT INTO parliament_sessions (organ_id, number, scheduled, status, state, version, updated)
		VALUES (?, ?, ?, ?, ?, 1, ?) RETURNING id`, []any{organID, n, ms(s.Scheduled), string(s.Status), string(state), ms(tx.now)}, &s.ID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s.Version = 1
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return s, nil
}

func findSession(ctx context.Context, tx *Tx, id int64) (*parliament.Session, error) {
	var state string
	s := &parliament.Session{}
	err := tx.get(ctx, "SELECT id, organ_id, version, state FROM parliament_sessions WHERE id = ?", []any{id}, &s.ID, &s.OrganID, &s.Version, &state)
	if err == sql.ErrNoRows {
		return nil, comuna.Errorf(comuna.ENotFound, "session %d not found", id)
	} else if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(state), s); err != nil {
		return nil, fmt.Errorf("session %d: %w", id, err)
	}
	return s, nil
}

// Session returns one session. See parliament.Store.
func (db *DB) Session(ctx context.Context, id int64) (*parliament.Session, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	defer tx.rollback()
	s, err := findSession(ctx, tx, id)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	return s, nil
}

// Sessions lists an organ's sessions, newest first. See parliament.Store.
func (db *DB) Sessions(ctx context.Context, organID int64) ([]parliament.SessionSummary, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	defer tx.rollback()
	if _, err := findOrgan(ctx, tx, organID); err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	var out []parliament.SessionSummary
	err = eachRow(ctx, tx, func(scan func(...any) error) error {
		var s parliament.SessionSummary
		var at int64
		var status, minutes string
		if err := scan(&s.ID, &s.OrganID, &s.Number, &at, &status, &minutes); err != nil {
			return err
		}
		s.Scheduled, s.Status, s.Minutes = fromMS(at), parliament.Status(status), parliament.MinutesStatus(minutes)
		out = append(out, s)
		return nil
	}, `SELECT s.id, s.organ_id, s.number, s.scheduled, s.status, COALESCE(m.status, '') FROM parliament_sessions s
		LEFT JOIN parliament_minutes m ON m.session_id = s.id WHERE s.organ_id = ? ORDER BY s.number DESC`, organID)
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", tx.d.Err(err))
	}
	return out, nil
}

// ApplySession applies one command to a session and writes what it
// produced — decisions, approved minutes, the draft minutes of a closed
// session — logging decisions and approved minutes in the same
// transaction. See parliament.Store.
func (db *DB) ApplySession(ctx context.Context, id int64, version int, c parliament.Command, by string) (*parliament.Session, parliament.Outcome, error) {
	const op = "apply session"
	fail := func(err error) (*parliament.Session, parliament.Outcome, error) {
		return nil, parliament.Outcome{}, fmt.Errorf("%s: %w", op, err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fail(err)
	}
	defer tx.rollback()
	s, err := findSession(ctx, tx, id)
	if err != nil {
		return fail(err)
	}
	if version != 0 && version != s.Version {
		return fail(comuna.Errorf(comuna.EConflict, "session %d changed meanwhile (version %d, not %d): reload it", id, s.Version, version))
	}
	o, err := findOrgan(ctx, tx, s.OrganID)
	if err != nil {
		return fail(err)
	}
	env := parliament.Env{Organ: &o.Organ, By: by, Now: tx.now}
	if c.Op == "open" {
		ss, err := seats(ctx, tx, o.ID)
		if err != nil {
			return fail(err)
		}
		env.Roster = parliament.RosterOn(o.Size, ss, s.Scheduled.In(parliament.Local))
	}
	err = eachRow(ctx, tx, func(scan func(...any) error) error {
		var sid int64
		if err := scan(&sid); err != nil {
			return err
		}
		env.PendingMinutes = append(env.PendingMinutes, sid)
		return nil
	}, `SELECT m.session_id FROM parliament_minutes m JOIN parliament_sessions s ON s.id = m.session_id
		WHERE s.organ_id = ? AND s.number < ? AND m.status = ? ORDER BY s.number`, o.ID, s.Number, string(parliament.MinutesPublished))
	if err != nil {
		return fail(err)
	}
	n, out, err := parliament.Apply(s, c, env)
	if err != nil {
		return fail(err)
	}
	if out.Replayed {
		return s, out, nil
	}
	if out.ApproveMinutes != 0 {
		if err := approveMinutes(ctx, tx, o, out.ApproveMinutes, s.ID); err != nil {
			return fail(err)
		}
	}
	for i := range out.Decisions {
		d := &out.Decisions[i]
		d.SessionID = s.ID
		if err := insertDecision(ctx, tx, o, d); err != nil {
			return fail(err)
		}
	}
	if n.Status == parliament.Closed && s.Status != parliament.Closed {
		text := parliament.Draft(&o.Organ, n, parliament.Local, "es")
		if _, err := tx.exec(ctx, "INSERT INTO parliament_minutes (session_id, text, status, version) VALUES (?, ?, ?, 1)",
			s.ID, text, string(parliament.MinutesDraft)); err != nil {
			return fail(err)
		}
	}
	state, err := json.Marshal(n)
	if err != nil {
		return fail(err)
	}
	res, err := tx.exec(ctx, "UPDATE parliament_sessions SET state = ?, status = ?, version = version + 1, updated = ? WHERE id = ? AND version = ?",
		string(state), string(n.Status), ms(tx.now), s.ID, s.Version)
	if err != nil {
		return fail(err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return fail(comuna.Errorf(comuna.EConflict, "session %d changed meanwhile: try again", id))
	}
	if err := tx.commit(); err != nil {
		return fail(err)
	}
	n.ID, n.OrganID, n.Version = s.ID, s.OrganID, s.Version+1
	return n, out, nil
}

func findMinutes(ctx context.Context, tx *Tx, sessionID int64) (*parliament.Minutes, error) {
	m := &parliament.Minutes{SessionID: sessionID}
	var status string
	var approvedIn, logIndex sql.NullInt64
	var approvedAt int64
	err := tx.get(ctx, "SELECT text, status, version, approved_in, approved_at, log_index FROM parliament_minutes WHERE session_id = ?",
		[]any{sessionID}, &m.Text, &status, &m.Version, &approvedIn, &approvedAt, &logIndex)
	if err == sql.ErrNoRows {
		return nil, comuna.Errorf(comuna.ENotFound, "session %d has no minutes yet: they are drafted when it closes", sessionID)
	} else if err != nil {
		return nil, err
	}
	m.Status, m.ApprovedIn, m.ApprovedAt, m.LogIndex = parliament.MinutesStatus(status), approvedIn.Int64, fromMS(approvedAt), -1
	if logIndex.Valid {
		m.LogIndex = logIndex.Int64
	}
	return m, nil
}

func approveMinutes(ctx context.Context, tx *Tx, o *organRow, sessionID, by int64) error {
	m, err := findMinutes(ctx, tx, sessionID)
	if err != nil {
		return err
	}
	if err := m.Approve(by, tx.now); err != nil {
		return err
	}
	var number int64
	if err := tx.get(ctx, "SELECT number FROM parliament_sessions WHERE id = ?", []any{sessionID}, &number); err != nil {
		return err
	}
	idx, err := appendLog(ctx, tx, &record.Minutes{SessionID: sessionID, OrganID: o.ID, Organ: o.Name, SessionNumber: number,
		ApprovedIn: by, ApprovedAt: m.ApprovedAt, Text: m.Text})
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, "UPDATE parliament_minutes SET status = ?, approved_in = ?, approved_at = ?, log_index = ? WHERE session_id = ?",
		string(m.Status), by, ms(m.ApprovedAt), idx, sessionID)
	return err
}

// Minutes returns a session's minutes. See parliament.Store.
func (db *DB) Minutes(ctx context.Context, sessionID int64) (*parliament.Minutes, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("minutes: %w", err)
	}
	defer tx.rollback()
	m, err := findMinutes(ctx, tx, sessionID)
	if err != nil {
		return nil, fmt.Errorf("minutes: %w", err)
	}
	return m, nil
}

// EditMinutes replaces the text of minutes not yet approved. See
// parliament.Store.
func (db *DB) EditMinutes(ctx context.Context, sessionID int64, text string) (*parliament.Minutes, error) {
	return db.changeMinutes(ctx, "edit minutes", sessionID, func(m *parliament.Minutes) error { return m.Edit(text) })
}

// PublishMinutes publishes draft minutes. See parliament.Store.
func (db *DB) PublishMinutes(ctx context.Context, sessionID int64) (*parliament.Minutes, error) {
	return db.changeMinutes(ctx, "publish minutes", sessionID, (*parliament.Minutes).Publish)
}

func (db *DB) changeMinutes(ctx context.Context, op string, sessionID int64, change func(*parliament.Minutes) error) (*parliament.Minutes, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	m, err := findMinutes(ctx, tx, sessionID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := change(m); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	res, err := tx.exec(ctx, "UPDATE parliament_minutes SET text = ?, status = ?, version = ? WHERE session_id = ? AND status <> ?",
		m.Text, string(m.Status), m.Version, sessionID, string(parliament.MinutesApproved))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return nil, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.EConflict, "the minutes of session %d changed meanwhile", sessionID))
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return m, nil
}
