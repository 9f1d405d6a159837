package web

import (
	"net/http"

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
}

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
