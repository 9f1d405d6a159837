package verify

import (
	"context"
	"fmt"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/execution"
	"github.com/comuna/comuna/internal/record"
)

// tracked is a funded project's history as the log holds it.
type tracked struct {
	circuit  string
	proposal int64
	events   []execution.Event
	index    []int64 // log index of each event
}

// addExecution files an execution record under its round and project,
// checking that the project's entries come numbered 1, 2, 3 … in log
// order.
func (h *history) addExecution(x *record.Execution, n int64) {
	r := h.round(x.RoundID)
	if r.projects == nil {
		r.projects = map[int64]*tracked{}
	}
	t := r.projects[x.Proposal]
	if t == nil {
		t = &tracked{circuit: x.Circuit, proposal: x.Proposal}
		r.projects[x.Proposal] = t
		r.projectOrder = append(r.projectOrder, x.Proposal)
	}
	if want := len(t.events) + 1; x.Event.Seq != want {
		h.fail(x.RoundID, x.Circuit, "", n, "entry %d of funded project %d where entry %d was due", x.Event.Seq, x.Proposal, want)
		return
	}
	t.events = append(t.events, x.Event)
	t.index = append(t.index, n)
}

// PublishedProject is the part of a published funded project the verifier
// compares, as the JSON API gives it.
type PublishedProject struct {
	ProposalID int64            `json:"proposal_id"`
	Circuit    string           `json:"circuit"`
	Number     int              `json:"number"`
	Status     execution.Status `json:"status"`
	Physical   string           `json:"physical_progress"`
	Financial  string           `json:"financial_progress"`
	Committed  string           `json:"committed"`
	Disbursed  string           `json:"disbursed"`
	Pending    int              `json:"pending_disbursements"`
	Entries    int              `json:"entries"`
	Findings   int              `json:"open_findings"`
	RunnerUp   bool             `json:"runner_up"`
}

// ExecutionResults is where a verifier reads the funded projects a
// server published. HTTPResults and DirResults implement it.
type ExecutionResults interface {
	// Execution returns a round's funded projects; ENotFound if none are
	// published.
	Execution(ctx context.Context, roundID int64) ([]PublishedProject, error)
}

type executionAnswer struct {
	Projects []PublishedProject `json:"projects"`
}

func executionFile(roundID int64) string { return fmt.Sprintf("results/%d/execution.json", roundID) }

// Execution implements ExecutionResults: GET Base/api/v1/rounds/{id}/execution.
func (h *HTTPResults) Execution(ctx context.Context, roundID int64) ([]PublishedProject, error) {
	var v executionAnswer
	if err := h.get(ctx, fmt.Sprintf("/api/v1/rounds/%d/execution", roundID), executionFile(roundID), &v); err != nil {
		return nil, err
	}
	return v.Projects, nil
}

// Execution implements ExecutionResults.
func (d DirResults) Execution(ctx context.Context, roundID int64) ([]PublishedProject, error) {
	var v executionAnswer
	if err := d.read(executionFile(roundID), &v); err != nil {
		return nil, err
	}
	return v.Projects, nil
}

// checkExecution replays every funded project of a round from the log,
// with the same rules the server applied when it accepted each entry, and
// compares its status, progress and money with what the server publishes.
// It returns how many projects it replayed.
func checkExecution(ctx context.Context, r *round, pub Results, today time.Time) (int, []Mismatch, error) {
	if len(r.projects) == 0 {
		return 0, nil, nil
	}
	var ms []Mismatch
	fail := func(t *tracked, index int64, format string, args ...any) {
		ms = append(ms, Mismatch{Round: r.id, Circuit: t.circuit, Index: index, Message: fmt.Sprintf(format, args...)})
	}
	replayed := map[int64]execution.Summary{}
	for _, id := range r.projectOrder {
		t := r.projects[id]
		s, err := execution.Replay(t.events, today)
		if err != nil {
			at := int64(-1)
			if n := s.Applied(); n < len(t.index) {
				at = t.index[n]
			}
			fail(t, at, "funded project %d: the log's entries break the rules: %s", id, comuna.ErrorMessage(err))
			continue
		}
		replayed[id] = execution.Summarize(s.Project, today)
	}
	ep, ok := pub.(ExecutionResults)
	if pub == nil || !ok {
		return len(r.projects), ms, nil
	}
	published, err := ep.Execution(ctx, r.id)
	if comuna.ErrorCode(err) == comuna.ENotFound {
		return len(r.projects), ms, nil // a server that publishes no execution
	}
	if err != nil {
		return 0, nil, err
	}
	seen := map[int64]bool{}
	for _, p := range published {
		seen[p.ProposalID] = true
		t := r.projects[p.ProposalID]
		if t == nil {
			ms = append(ms, Mismatch{Round: r.id, Circuit: p.Circuit, Index: -1,
				Message: fmt.Sprintf("the server publishes funded project %s/%d (proposal %d), which the log never funded", p.Circuit, p.Number, p.ProposalID)})
			continue
		}
		sum, ok := replayed[p.ProposalID]
		if !ok {
			continue
		}
		last := t.index[len(t.index)-1]
		for _, d := range []struct{ what, got, want string }{
			{"status", string(p.Status), string(sum.Status)},
			{"physical progress", p.Physical, sum.Physical.String()},
			{"financial progress", p.Financial, sum.Financial.String()},
			{"amount committed", p.Committed, sum.Totals.Committed.Amount.Plain()},
			{"amount disbursed", p.Disbursed, sum.Totals.InCommit.Plain()},
			{"entries", fmt.Sprint(p.Entries), fmt.Sprint(len(t.events))},
		} {
			if d.got != d.want {
				fail(t, last, "funded project %s/%d: the server publishes %s %s, the log gives %s", p.Circuit, p.Number, d.what, d.got, d.want)
			}
		}
	}
	for _, id := range r.projectOrder {
		if !seen[id] {
			t := r.projects[id]
			fail(t, t.index[0], "funded project %d is in the log but the server does not publish it", id)
		}
	}
	return len(r.projects), ms, nil
}
