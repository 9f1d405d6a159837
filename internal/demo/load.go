package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

// Summary reports what Load stored.
type Summary struct {
	Scale  Scale
	Units  map[comuna.Level]int
	Census int64 // residents aged 15 and over in all councils
	Rounds []RoundSummary
	Logins []Login // the demo accounts and their public passwords
	// Federation is the demo federation, when the store keeps them.
	Federation *FederationSummary
	Elapsed    time.Duration
}

// RoundSummary counts what one demo round holds.
type RoundSummary struct {
	ID                            int64
	Name                          string
	Phase                         comuna.Phase
	VoteDate                      time.Time
	Proposals                     int
	Submitted, Accepted, Rejected int
	Ballots                       int
}

// Stages reported to Load's progress function. Each round adds its own
// stages, named by RoundStage: "round 1", "round 1 proposals", "round 1
// ballots", then those of round 2.
const (
	StageTerritory = "territory"
	StageAccounts  = "accounts"
	StageProposals = "proposals"
	StageBallots   = "ballots"
)

// RoundStage names the stage of a round's creation and phase moves (with
// sub ""), or of its proposals or ballots (with sub StageProposals or
// StageBallots); i counts rounds from 1.
func RoundStage(i int, sub string) string {
	if sub == "" {
		return fmt.Sprintf("round %d", i)
	}
	return fmt.Sprintf("round %d %s", i, sub)
}

// Load generates the demo of a scale and stores it through st: the
// territory, the demo accounts, then each round — created (which freezes
// the territory for it), moved through its phases by the admin, with its
// proposals and published ballots. progress, if not nil, is called as
// each stage advances with the count done and the stage's total.
//
// Load refuses, with an EConflict error, a database that already holds
// rounds, accounts or territory: the demo is for an empty database.
func Load(ctx context.Context, st *sqlstore.DB, scale Scale, progress func(stage string, done, total int)) (*Summary, error) {
	start := time.Now()
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if err := checkEmpty(ctx, st); err != nil {
		return nil, err
	}
	d := Generate(scale)

	// Hash the passwords while the territory loads: argon2id is slow on
	// purpose.
	type hashed struct {
		hashes []string
		err    error
	}
	hashc := make(chan hashed, 1)
	go func() {
		var h hashed
		for _, l := range d.Logins {
			s, err := auth.HashPassword(l.Password)
			if err != nil {
				h.err = err
				break
			}
			h.hashes = append(h.hashes, s)
		}
		hashc <- h
	}()

	progress(StageTerritory, 0, len(d.Units))
	if _, err := st.ImportUnits(ctx, &unitSource{units: d.Units}, func(n int) { progress(StageTerritory, n, len(d.Units)) }); err != nil {
		<-hashc
		return nil, fmt.Errorf("demo territory: %w", err)
	}
	progress(StageTerritory, len(d.Units), len(d.Units))

	h := <-hashc
	if h.err != nil {
		return nil, fmt.Errorf("demo accounts: %w", h.err)
	}
	users := map[comuna.Role]*comuna.User{}
	for i, l := range d.Logins {
		progress(StageAccounts, i, len(d.Logins))
		u := &comuna.User{Username: l.Username, Name: l.Name, Role: l.Role, Scope: l.Scope, PasswordHash: h.hashes[i]}
		if err := st.CreateUser(ctx, u); err != nil {
			return nil, fmt.Errorf("demo account %s: %w", l.Username, err)
		}
		if users[l.Role] == nil {
			users[l.Role] = u // the first account of each role signs the demo's work
		}
	}
	progress(StageAccounts, len(d.Logins), len(d.Logins))

	sum := &Summary{Scale: scale, Units: map[comuna.Level]int{}, Census: d.Census(), Logins: d.Logins}
	for _, u := range d.Units {
		sum.Units[u.Level]++
	}
	for i := range d.Rounds {
		rs, err := loadRound(ctx, st, i+1, &d.Rounds[i], users, progress)
		if err != nil {
			return nil, fmt.Errorf("demo round %q: %w", d.Rounds[i].Round.Name, err)
		}
		sum.Rounds = append(sum.Rounds, *rs)
	}
	fed, err := loadDemoFederation(ctx, st, users[comuna.RoleAdmin])
	if err != nil {
		return nil, err
	}
	sum.Federation = fed
	if scale == Small {
		if err := loadParliaments(ctx, st, d); err != nil {
			return nil, fmt.Errorf("demo organs: %w", err)
		}
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// checkEmpty returns an EConflict error unless the store holds no
// rounds, accounts or territory.
func checkEmpty(ctx context.Context, st comuna.Store) error {
	refuse := func(what string) error {
		return comuna.Errorf(comuna.EConflict, "the database already has %s; the demo loads only into an empty database (choose another with --db)", what)
	}
	rounds, err := st.Rounds(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if len(rounds) > 0 {
		return refuse(plural(len(rounds), "round"))
	}
	users, err := st.Users(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if len(users) > 0 {
		return refuse(plural(len(users), "account"))
	}
	v, err := st.EditableVersion(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	ts, err := st.TerritorySummary(ctx, v.ID)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	n := int64(0)
	for _, c := range ts.Counts {
		n += c
	}
	if n > 0 {
		return refuse("a territory of " + plural(int(n), "unit"))
	}
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// loadRound creates one round, moves it to its phase and stores its
// proposals, with their reviews, and its published ballots (the bulk
// imports ignore the phase, so one pass through the phases suffices).
func loadRound(ctx context.Context, st comuna.Store, num int, dr *Round, users map[comuna.Role]*comuna.User, progress func(string, int, int)) (*RoundSummary, error) {
	admin, reviewer := users[comuna.RoleAdmin], users[comuna.RoleReviewer]
	coord, spokes := users[comuna.RoleCoordinator], users[comuna.RoleSpokesperson]
	target := comuna.PhaseIndex(dr.Phase)
	stage := RoundStage(num, "")
	progress(stage, 0, target+1)
	r := dr.Round
	r.CreatedBy = admin.ID
	if err := st.CreateRound(ctx, &r); err != nil {
		return nil, err
	}
	rs := &RoundSummary{ID: r.ID, Name: r.Name, VoteDate: r.VoteDate, Proposals: len(dr.Proposals), Ballots: len(dr.Ballots)}
	for _, p := range dr.Proposals {
		switch {
		case p.Council == spokes.Scope:
			p.SubmittedBy = spokes.ID
		case p.Circuit == coord.Scope:
			p.SubmittedBy = coord.ID
		default:
			p.SubmittedBy = admin.ID
		}
		if p.Status != comuna.StatusSubmitted {
			p.ReviewedBy = reviewer.ID
		}
		switch p.Status {
		case comuna.StatusSubmitted:
			rs.Submitted++
		case comuna.StatusAccepted:
			rs.Accepted++
		case comuna.StatusRejected:
			rs.Rejected++
		}
	}
	progress(stage, 1, target+1)
	phase := r.Phase
	for i := 1; i <= target; i++ {
		got, err := st.TransitionRound(ctx, r.ID, phase, comuna.Phases[i], admin.ID)
		if err != nil {
			return nil, err
		}
		phase = got.Phase
		progress(stage, i+1, target+1)
	}
	if len(dr.Proposals) > 0 {
		stage, total := RoundStage(num, StageProposals), len(dr.Proposals)
		progress(stage, 0, total)
		if err := st.ImportProposals(ctx, r.ID, dr.Proposals, func(n int) { progress(stage, n, total) }); err != nil {
			return nil, err
		}
	}
	if len(dr.Ballots) > 0 {
		bs := make([]*comuna.Ballot, len(dr.Ballots))
		for j, b := range dr.Ballots {
			by := admin.ID
			if b.Circuit == coord.Scope {
				by = coord.ID
			}
			cb := &comuna.Ballot{Circuit: b.Circuit, Version: 1, Published: true, CreatedBy: by,
				Created: b.Created, PublishedAt: b.Created.Add(2 * time.Hour)}
			for k, pi := range b.Items {
				cb.Items = append(cb.Items, comuna.BallotItem{Number: k + 1, ProposalID: dr.Proposals[pi].ID})
			}
			bs[j] = cb
		}
		stage, total := RoundStage(num, StageBallots), len(bs)
		progress(stage, 0, total)
		if err := st.ImportBallots(ctx, r.ID, bs, func(n int) { progress(stage, n, total) }); err != nil {
			return nil, err
		}
	}
	rs.Phase = phase
	return rs, nil
}

// unitSource yields generated units as if read from a territory file
// with a header: the unit at index i is on line i+2.
type unitSource struct {
	units []comuna.Unit
	i     int
}

func (s *unitSource) Next() (comuna.Unit, int, error) {
	if s.i >= len(s.units) {
		return comuna.Unit{}, 0, io.EOF
	}
	s.i++
	return s.units[s.i-1], s.i + 1, nil
}
