package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/comuna"
)

const organColumns = "id, kind, unit_code, commune, state_code, name, size, quorum_num, quorum_den, tie, weekday, minute, created"

// organRow is an organ with the commune and state its unit lies in.
type organRow struct {
	parliament.Organ
	commune, state string
}

func scanOrgan(s interface{ Scan(...any) error }) (*organRow, error) {
	var o organRow
	var kind, tie string
	var weekday, created int64
	if err := s.Scan(&o.ID, &kind, &o.UnitCode, &o.commune, &o.state, &o.Name, &o.Size, &o.QuorumNum, &o.QuorumDen,
		&tie, &weekday, &o.Minute, &created); err != nil {
		return nil, err
	}
	o.Kind, o.Tie, o.Weekday, o.Created = parliament.OrganKind(kind), parliament.TieRule(tie), time.Weekday(weekday), fromMS(created)
	o.Commune, o.State = o.commune, o.state
	return &o, nil
}

// unitPlace returns the commune and state a council or commune of the
// editable territory lies in; ENotFound if the unit is not there.
func unitPlace(ctx context.Context, tx *Tx, level comuna.Level, code string) (commune, state string, err error) {
	v, err := editableVersion(ctx, tx)
	if err != nil {
		return "", "", err
	}
	lvl, cur := level, code
	for lvl != "" {
		var parent string
		err := tx.get(ctx, "SELECT parent FROM units WHERE version_id = ? AND level = ? AND code = ?", []any{v.ID, string(lvl), cur}, &parent)
		if err == sql.ErrNoRows {
			if lvl == level {
				return "", "", comuna.FieldError("unit", "no %s %q in the territory", level, code)
			}
			return commune, state, nil
		} else if err != nil {
			return "", "", err
		}
		switch lvl {
		case comuna.LevelCommune:
			commune = cur
		case comuna.LevelState:
			state = cur
		}
		lvl, cur = comuna.ParentLevel(lvl), parent
	}
	return commune, state, nil
}

// CreateOrgan stores an organ of an existing council or commune. See
// parliament.Store.
func (db *DB) CreateOrgan(ctx context.Context, o *parliament.Organ) error {
	const op = "create organ"
	if err := o.Validate(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	commune, state, err := unitPlace(ctx, tx, o.Kind.Level(), o.UnitCode)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	o.Created, o.Commune, o.State = tx.now, commune, state
	err = tx.get(ctx, `INSERT INTO parliament_organs (kind, unit_code, commune, state_code, name, size, quorum_num, quorum_den, tie, weekday, minute, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{string(o.Kind), o.UnitCode, commune, state, o.Name, o.Size, o.QuorumNum, o.QuorumDen, string(o.Tie), int(o.Weekday), o.Minute, ms(o.Created)}, &o.ID)
	if comuna.ErrorCode(err) == comuna.EConflict {
		return fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.EConflict, "%s %q already has a %s", o.Kind.Level(), o.UnitCode, o.Kind))
	} else if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

func findOrgan(ctx context.Context, tx *Tx, id int64) (*organRow, error) {
	rows, err := tx.query(ctx, "SELECT "+organColumns+" FROM parliament_organs WHERE id = ?", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, tx.d.Err(err)
		}
		return nil, comuna.Errorf(comuna.ENotFound, "organ %d not found", id)
	}
	return scanOrgan(rows)
}

// Organ returns one organ. See parliament.Store.
func (db *DB) Organ(ctx context.Context, id int64) (*parliament.Organ, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("organ: %w", err)
	}
	defer tx.rollback()
	o, err := findOrgan(ctx, tx, id)
	if err != nil {
		return nil, fmt.Errorf("organ: %w", err)
	}
	return &o.Organ, nil
}

// Organs lists the organs of a unit, or all of them. See parliament.Store.
func (db *DB) Organs(ctx context.Context, unit string) ([]*parliament.Organ, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("organs: %w", err)
	}
	defer tx.rollback()
	q, args := "SELECT "+organColumns+" FROM parliament_organs ORDER BY unit_code, id", []any{}
	if unit != "" {
		q, args = "SELECT "+organColumns+" FROM parliament_organs WHERE unit_code = ? OR commune = ? ORDER BY unit_code, id", []any{unit, unit}
	}
	var out []*parliament.Organ
	err = eachRow(ctx, tx, func(scan func(...any) error) error {
		o, err := scanOrgan(scanFunc(scan))
		if err != nil {
			return err
		}
		out = append(out, &o.Organ)
		return nil
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("organs: %w", tx.d.Err(err))
	}
	return out, nil
}

const seatColumns = "id, organ_id, position, role, holder, gender, committee, start_date, end_date, elected_by"

// SaveSeat stores a new seat or replaces one. See parliament.Store.
func (db *DB) SaveSeat(ctx context.Context, s *parliament.Seat) error {
	const op = "save seat"
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	o, err := findOrgan(ctx, tx, s.OrganID)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := saveSeat(ctx, tx, &o.Organ, s); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

func saveSeat(ctx context.Context, tx *Tx, o *parliament.Organ, s *parliament.Seat) error {
	if err := s.Validate(o); err != nil {
		return err
	}
	args := []any{s.OrganID, s.Position, string(s.Role), s.Holder, s.Gender, s.Committee, dateText(s.Start), dateText(s.End), s.ElectedBy}
	if s.ID == 0 {
		return tx.get(ctx, `INSERT INTO parliament_seats (organ_id, position, role, holder, gender, committee, start_date, end_date, elected_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args, &s.ID)
	}
	res, err := tx.exec(ctx, `UPDATE parliament_seats SET organ_id = ?, position = ?, role = ?, holder = ?, gender = ?, committee = ?,
		start_date = ?, end_date = ?, elected_by = ? WHERE id = ? AND organ_id = ?`, append(args, s.ID, s.OrganID)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return comuna.Errorf(comuna.ENotFound, "seat %d of organ %d not found", s.ID, s.OrganID)
	}
	return nil
}

// Seats lists an organ's seats. See parliament.Store.
func (db *DB) Seats(ctx context.Context, organID int64) ([]parliament.Seat, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("seats: %w", err)
	}
	defer tx.rollback()
	if _, err := findOrgan(ctx, tx, organID); err != nil {
		return nil, fmt.Errorf("seats: %w", err)
	}
	out, err := seats(ctx, tx, organID)
	if err != nil {
		return nil, fmt.Errorf("seats: %w", err)
	}
	return out, nil
}

func seats(ctx context.Context, tx *Tx, organID int64) ([]parliament.Seat, error) {
	var out []parliament.Seat
	err := eachRow(ctx, tx, func(scan func(...any) error) error {
		var s parliament.Seat
		var role, start, end string
		if err := scan(&s.ID, &s.OrganID, &s.Position, &role, &s.Holder, &s.Gender, &s.Committee, &start, &end, &s.ElectedBy); err != nil {
			return err
		}
		s.Role, s.Start, s.End = parliament.SeatRole(role), parseDate(start), parseDate(end)
		out = append(out, s)
		return nil
	}, "SELECT "+seatColumns+" FROM parliament_seats WHERE organ_id = ? ORDER BY position, CASE WHEN role = 'principal' THEN 0 ELSE 1 END, start_date, id", organID)
	if err != nil {
		return nil, tx.d.Err(err)
	}
	return out, nil
}

var _ parliament.Store = (*DB)(nil)
