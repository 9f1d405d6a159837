package web

import (
	"net/http"
	"sort"

	"github.com/comuna/comuna/internal/comuna"
)

// roundVoteDay is what a round's page shows of vote day: the caller's
// table, the poll-book progress for admins and observers while voting,
// and whether results are out.
type roundVoteDay struct {
	Table     string // the caller's table page, for a table member
	TableCode string
	Progress  bool
	Closed    int64
	Expected  int64
	CheckIns  int64
	WalkIns   int64
	Results   bool
	// While counting: the tables without an accepted sheet, those the
	// move to counting closed first, at most maxUnreported of them, and
	// how many more there are.
	Unreported     []unreportedTable
	UnreportedMore int
}

// unreportedTable is a table still owing its sheet while counting.
type unreportedTable struct {
	Code, Name, URL string
	ClosedByPhase   bool
}

// maxUnreported bounds the tables the round's page lists.
const maxUnreported = 25

// ClosedBar is the share of tables closed, 0 to 100.
func (v *roundVoteDay) ClosedBar() float64 {
	if v.Expected == 0 {
		return 0
	}
	return 100 * float64(v.Closed) / float64(v.Expected)
}

func (s *Server) roundVoteDayView(r *http.Request, round *comuna.Round, sum *comuna.Summary) (*roundVoteDay, error) {
	v := &roundVoteDay{Results: comuna.PhaseIndex(round.Phase) >= comuna.PhaseIndex(comuna.PhaseVoting)}
	u := reqInfoOf(r).user
	if u != nil && u.Role == comuna.RoleTableMember && u.Scope != "" && v.Results {
		v.Table, v.TableCode = tableURL(round.ID, u.Scope), u.Scope
	}
	watch := u != nil && (u.Role == comuna.RoleAdmin || u.Role == comuna.RoleObserver)
	if round.Phase == comuna.PhaseCounting && u != nil && (watch || u.Role == comuna.RoleCoordinator) && s.voteday != nil {
		return v, s.unreportedTables(r, round, v)
	}
	if round.Phase != comuna.PhaseVoting || !watch || s.voteday == nil {
		return v, nil
	}
	counts, err := s.voteday.PollBookCounts(r.Context(), round.ID)
	if err != nil {
		return nil, err
	}
	v.Progress = true
	if sum != nil {
		v.Expected = sum.Counts[comuna.LevelTable]
	}
	for _, c := range counts {
		v.CheckIns += c.CheckIns
		v.WalkIns += c.WalkIns
		if c.Closed {
			v.Closed++
		}
	}
	return v, nil
}

// unreportedTables lists, while counting, the tables without an accepted
// sheet: first those the move to counting closed, which their members
// may not know can now report, then the others, by code.
func (s *Server) unreportedTables(r *http.Request, round *comuna.Round, v *roundVoteDay) error {
	res, _, err := s.liveResults(r.Context(), round)
	if err != nil {
		return err
	}
	counts, err := s.voteday.PollBookCounts(r.Context(), round.ID)
	if err != nil {
		return err
	}
	var out []unreportedTable
	for _, n := range res.Level(comuna.LevelTable) {
		if n.TablesReported > 0 {
			continue
		}
		out = append(out, unreportedTable{Code: n.Code, Name: n.Name, URL: tableURL(round.ID, n.Code) + "/sheet",
			ClosedByPhase: counts[n.Code].ClosedByPhase})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ClosedByPhase != out[j].ClosedByPhase {
			return out[i].ClosedByPhase
		}
		return out[i].Code < out[j].Code
	})
	if len(out) > maxUnreported {
		v.UnreportedMore = len(out) - maxUnreported
		out = out[:maxUnreported]
	}
	v.Unreported = out
	return nil
}
