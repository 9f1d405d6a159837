package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// pbBatch is how many voters' ballots one INSERT carries (6 parameters
// each, far below both engines' limits).
const pbBatch = 1000

// ImportPB stores a whole participatory budget in one transaction: the
// units into the editable territory, a round on a frozen copy of it, the
// projects as proposals, one published ballot per circuit and every
// voter's ballot; then it moves the round phase by phase to results,
// logging each move as imp.UserID. Any error stores nothing.
func (db *DB) ImportPB(ctx context.Context, imp *comuna.PBImport, progress func(n int)) error {
	const op = "import pb"
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	r := imp.Round
	r.Defaults()
	r.Phase = comuna.PhaseDraft
	if err := r.Validate(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := checkUser(ctx, tx, imp.UserID, "user"); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := importPBUnits(ctx, tx, imp.Units); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if r.TerritoryVersion, err = freezeTerritory(ctx, tx, r.Name); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	r.Created, r.CreatedBy = tx.now, imp.UserID
	if err := insertRound(ctx, tx, r); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := importPBProposals(ctx, tx, imp); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	sizes, err := importPBBallots(ctx, tx, imp)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	n, err := insertPBVotes(ctx, tx, r.ID, imp.Votes, sizes, progress)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for r.Phase != comuna.PhaseResults {
		if err := moveRound(ctx, tx, r, comuna.NextPhase(r.Phase), imp.UserID); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := tx.analyze(ctx, n, "pb_ballots", "proposals"); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// importPBUnits adds or replaces units of the editable territory, parents
// first, as ImportUnits does.
func importPBUnits(ctx context.Context, tx *Tx, units []comuna.Unit) error {
	v, err := editableVersion(ctx, tx)
	if err != nil {
		return err
	}
	ui := &unitImport{tx: tx, version: v.ID, lines: make(map[unitKey]int), known: make(map[unitKey]bool)}
	for i := range units {
		if err := ui.check(ctx, &units[i], i+1); err != nil {
			return fmt.Errorf("unit %s %q: %w", units[i].Level, units[i].Code, err)
		}
		ui.batch = append(ui.batch, units[i])
		if len(ui.batch) == batchSize {
			if err := ui.flush(ctx); err != nil {
				return err
			}
		}
	}
	if len(ui.batch) > 0 {
		if err := ui.flush(ctx); err != nil {
			return err
		}
	}
	_, err = tx.exec(ctx, "UPDATE territory_versions SET revision = revision + 1 WHERE id = ?", v.ID)
	return err
}

// importPBProposals validates and stores the projects, each in its
// council's circuit of the round's territory.
func importPBProposals(ctx context.Context, tx *Tx, imp *comuna.PBImport) error {
	councils, err := councilCircuits(ctx, tx, imp.Round.TerritoryVersion)
	if err != nil {
		return err
	}
	for i, p := range imp.Proposals {
		p.RoundID = imp.Round.ID
		if err := p.Validate(); err != nil {
			return fmt.Errorf("project %d (%q): %w", i+1, p.ExternalID, err)
		}
		circuit, ok := councils[p.Council]
		if !ok {
			return fmt.Errorf("project %d (%q): %w", i+1, p.ExternalID, comuna.FieldError("council", "unknown council %q", p.Council))
		}
		p.Circuit = circuit
		if p.Status == "" {
			p.Status = comuna.StatusAccepted
		}
		p.SubmittedBy, p.Submitted = imp.UserID, tx.now
		if p.Status != comuna.StatusSubmitted {
			p.ReviewedBy, p.Reviewed = imp.UserID, tx.now
		}
	}
	return insertProposals(ctx, tx, imp.Proposals, nil)
}

// importPBBallots stores one published ballot per circuit and returns
// each circuit's ballot length.
func importPBBallots(ctx context.Context, tx *Tx, imp *comuna.PBImport) (map[string]int, error) {
	circuits := make([]string, 0, len(imp.Ballots))
	for c := range imp.Ballots {
		circuits = append(circuits, c)
	}
	sort.Strings(circuits)
	sizes := make(map[string]int, len(circuits))
	bs := make([]*comuna.Ballot, 0, len(circuits))
	for _, c := range circuits {
		b := &comuna.Ballot{RoundID: imp.Round.ID, Circuit: c, Version: 1, Published: true,
			CreatedBy: imp.UserID, Created: tx.now, PublishedAt: tx.now}
		d := comuna.BallotDraft{}
		for j, k := range imp.Ballots[c] {
			if k < 0 || k >= len(imp.Proposals) {
				return nil, fmt.Errorf("ballot of circuit %q: no project %d", c, k)
			}
			p := imp.Proposals[k]
			if p.Circuit != c || p.Status != comuna.StatusAccepted {
				return nil, fmt.Errorf("ballot of circuit %q: %w", c, comuna.FieldError("proposals",
					"project %q is not an accepted project of the circuit", p.Title))
			}
			b.Items = append(b.Items, comuna.BallotItem{Number: j + 1, ProposalID: p.ID})
			d.Proposals = append(d.Proposals, p.ID)
		}
		if err := d.Validate(imp.Round.BallotSize); err != nil {
			return nil, fmt.Errorf("ballot of circuit %q: %w", c, err)
		}
		sizes[c] = len(b.Items)
		bs = append(bs, b)
	}
	if err := insertBallots(ctx, tx, bs); err != nil {
		return nil, err
	}
	return sizes, logImportedBallots(ctx, tx, bs)
}

// insertPBVotes checks every voter's ballot against its circuit's ballot
// and stores them in batches; it returns how many it stored.
func insertPBVotes(ctx context.Context, tx *Tx, roundID int64, votes map[string][]comuna.PBBallot, sizes map[string]int, progress func(int)) (int, error) {
	circuits := make([]string, 0, len(votes))
	for c := range votes {
		circuits = append(circuits, c)
	}
	sort.Strings(circuits)
	n := 0
	args := make([]any, 0, pbBatch*6)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		_, err := tx.exec(ctx, "INSERT INTO pb_ballots (round_id, circuit, seq, voter, projects, points) VALUES "+
			placeholders(6, len(args)/6), args...)
		args = args[:0]
		if progress != nil {
			progress(n)
		}
		return err
	}
	for _, c := range circuits {
		size, ok := sizes[c]
		if !ok {
			return 0, comuna.FieldError("circuit", "votes for circuit %q, which has no ballot", c)
		}
		for i, b := range votes[c] {
			if err := checkPBBallot(&b, size); err != nil {
				return 0, fmt.Errorf("voter %q: %w", b.Voter, err)
			}
			args = append(args, roundID, c, i+1, b.Voter, joinInts(b.Projects), joinInts(b.Points))
			n++
			if len(args) == pbBatch*6 {
				if err := flush(); err != nil {
					return 0, err
				}
			}
		}
	}
	return n, flush()
}

// checkPBBallot checks that a ballot names existing ballot numbers once
// each and gives points, if any, to every one.
func checkPBBallot(b *comuna.PBBallot, size int) error {
	if b.Points != nil && len(b.Points) != len(b.Projects) {
		return comuna.FieldError("points", "%d points for %d projects", len(b.Points), len(b.Projects))
	}
	for i, k := range b.Projects {
		if k < 1 || k > size {
			return comuna.FieldError("projects", "ballot number %d is not on the circuit's ballot of %d", k, size)
		}
		for _, j := range b.Projects[:i] {
			if j == k {
				return comuna.FieldError("projects", "ballot number %d appears twice", k)
			}
		}
	}
	return nil
}

// moveRound moves a round to the next phase inside tx and records and
// logs the move, as TransitionRound does.
func moveRound(ctx context.Context, tx *Tx, r *comuna.Round, to comuna.Phase, userID int64) error {
	from := r.Phase
	if err := comuna.CheckTransition(from, to); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE rounds SET phase = ? WHERE id = ?", string(to), r.ID); err != nil {
		return err
	}
	idx, err := logTransition(ctx, tx, r, from, to, userID)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "INSERT INTO phase_transitions (round_id, from_phase, to_phase, user_id, at, log_index) VALUES (?, ?, ?, ?, ?, ?)",
		r.ID, string(from), string(to), nullID(userID), ms(tx.now), idx); err != nil {
		return err
	}
	r.Phase = to
	return nil
}

// PBBallots returns a circuit's stored ballots in their stored order.
func (db *DB) PBBallots(ctx context.Context, roundID int64, circuit string) ([]comuna.PBBallot, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("pb ballots: %w", err)
	}
	defer tx.rollback()
	var out []comuna.PBBallot
	err = eachRow(ctx, tx, func(scan func(...any) error) error {
		var b comuna.PBBallot
		var projects, points string
		if err := scan(&b.Voter, &projects, &points); err != nil {
			return err
		}
		var err error
		if b.Projects, err = splitInts[int](projects); err != nil {
			return err
		}
		if points != "" {
			if b.Points, err = splitInts[int64](points); err != nil {
				return err
			}
		}
		out = append(out, b)
		return nil
	}, "SELECT voter, projects, points FROM pb_ballots WHERE round_id = ? AND circuit = ? ORDER BY seq", roundID, circuit)
	if err != nil {
		return nil, fmt.Errorf("pb ballots: %w", tx.d.Err(err))
	}
	return out, nil
}

// PBCircuits lists the circuits of a round that have stored ballots.
func (db *DB) PBCircuits(ctx context.Context, roundID int64) ([]string, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("pb circuits: %w", err)
	}
	defer tx.rollback()
	var out []string
	err = eachRow(ctx, tx, func(scan func(...any) error) error {
		var c string
		err := scan(&c)
		out = append(out, c)
		return err
	}, "SELECT DISTINCT circuit FROM pb_ballots WHERE round_id = ? ORDER BY circuit", roundID)
	if err != nil {
		return nil, fmt.Errorf("pb circuits: %w", tx.d.Err(err))
	}
	return out, nil
}

// joinInts writes numbers comma-separated, "" for none.
func joinInts[T int | int64](xs []T) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(int64(x), 10))
	}
	return b.String()
}

// splitInts reads what joinInts wrote.
func splitInts[T int | int64](s string) ([]T, error) {
	if s == "" {
		return []T{}, nil
	}
	parts := strings.Split(s, ",")
	out := make([]T, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("stored ballot %q: %w", s, err)
		}
		out[i] = T(v)
	}
	return out, nil
}
