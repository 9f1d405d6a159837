package web

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
)

// readiness is the check shown before a round opens voting: what would
// go wrong at the tables if it opened now.
type readiness struct {
	// NoBallot are the circuits without a published ballot. Voting opens
	// only once the administrator excludes them explicitly; their tables
	// refuse check-ins.
	NoBallot []string
	Circuits int // circuits in the round's territory
	// NoMembers are tables without a table-member account (the first
	// few) and NoMembersCount how many there are in all.
	NoMembers      []string
	NoMembersCount int
	Tables         int
	// Keys are the electoral authority's keys the server lacks that
	// voting cannot do without (the poll-book key hashes documents).
	Keys []string
	// NoLogKey is set when checkpoints of the transparency log are not
	// signed: voting can open, but the log cannot be verified by key.
	NoLogKey bool
}

// readinessShown is how many tables without members the check names.
const readinessShown = 12

// Blocked reports whether voting cannot open at all.
func (rd *readiness) Blocked() bool { return len(rd.Keys) > 0 }

// ExcludeValue is the exclusion the confirmation form carries: the
// circuits without a ballot, so a ballot published (or withdrawn) since
// the page was shown makes the server ask again.
func (rd *readiness) ExcludeValue() string { return strings.Join(rd.NoBallot, " ") }

// roundReadiness checks a round in the ballots phase before voting.
func (s *Server) roundReadiness(ctx context.Context, round *comuna.Round) (*readiness, error) {
	t, err := s.territoryOf(ctx, round)
	if err != nil {
		return nil, err
	}
	ballots, err := s.circuitBallots(ctx, round)
	if err != nil {
		return nil, err
	}
	rd := &readiness{}
	for _, c := range t.byLevel[comuna.LevelCircuit] {
		rd.Circuits++
		if len(ballots[c.Code]) == 0 {
			rd.NoBallot = append(rd.NoBallot, c.Code)
		}
	}
	sort.Strings(rd.NoBallot)
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	staffed := map[string]bool{}
	for _, u := range users {
		if u.Role == comuna.RoleTableMember && !u.Disabled {
			staffed[u.Scope] = true
		}
	}
	var empty []string
	for _, tb := range t.byLevel[comuna.LevelTable] {
		rd.Tables++
		if !staffed[tb.Code] && !slices.Contains(rd.NoBallot, tb.Circuit) {
			empty = append(empty, tb.Code)
		}
	}
	sort.Strings(empty)
	rd.NoMembersCount = len(empty)
	rd.NoMembers = empty[:min(len(empty), readinessShown)]
	if s.pollKey == (pollbook.Key{}) {
		rd.Keys = append(rd.Keys, "pollbook")
	}
	rd.NoLogKey = s.logSigner == nil
	return rd, nil
}

// checkVotingReady refuses to open voting while keys are missing, or
// while circuits without a ballot are not excluded: exclude must name
// exactly the circuits that have none now.
func (s *Server) checkVotingReady(ctx context.Context, round *comuna.Round, exclude []string, lang string) error {
	rd, err := s.roundReadiness(ctx, round)
	if err != nil {
		return err
	}
	if rd.Blocked() {
		var names []string
		for _, k := range rd.Keys {
			names = append(names, translate(lang, "ready.key."+k))
		}
		return comuna.Errorf(comuna.EConflict, "%s", translate(lang, "ready.blocked", strings.Join(names, ", ")))
	}
	if len(rd.NoBallot) == 0 {
		return nil
	}
	got := slices.Clone(exclude)
	sort.Strings(got)
	if !slices.Equal(got, rd.NoBallot) {
		return comuna.FieldError("exclude", "%s", translate(lang, "ready.mustexclude", len(rd.NoBallot), rd.Circuits))
	}
	return nil
}

// phaseMove is what the confirmation says a move does and freezes.
type phaseMove struct {
	To      comuna.Phase
	Does    string
	Freezes string
}

func (p *Page) phaseMove(to comuna.Phase) *phaseMove {
	return &phaseMove{To: to, Does: p.T("move.does." + string(to)), Freezes: p.T("move.freezes." + string(to))}
}

// confirmRequested reports whether a transition form is the confirmed
// second step.
func confirmRequested(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }

// today is the server's current date, at midnight UTC.
func (s *Server) today() time.Time {
	y, m, d := s.now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// checkVoteDate refuses a new round whose vote date has passed.
func (s *Server) checkVoteDate(lang string, vote time.Time) error {
	if !vote.IsZero() && vote.Before(s.today()) {
		return comuna.FieldError("vote_date", "%s", translate(lang, "date.votepast", vote.Format(time.DateOnly)))
	}
	return nil
}

// checkAssemblyDate refuses minutes of an assembly dated after today.
func (s *Server) checkAssemblyDate(lang string, day time.Time) error {
	if day.After(s.today()) {
		return comuna.FieldError("assembly_date", "%s", translate(lang, "date.assemblyfuture", day.Format(time.DateOnly)))
	}
	return nil
}
