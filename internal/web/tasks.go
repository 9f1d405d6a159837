package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
)

// task is one thing an account may do now, with where to do it.
type task struct {
	Text   string // what to do, in the page's language
	Note   string // why or when, in the page's language
	Href   string
	Action string // the link's label
	Urgent bool   // waiting on this account now
}

// taskGroup is the tasks of one round (or of no round: Round is nil).
type taskGroup struct {
	Round *comuna.Round
	Tasks []task
}

type tasksPage struct {
	*Page
	Scope  *comuna.Unit // the account's council, circuit or table
	Groups []taskGroup
	Empty  bool
}

// tasks is "Mis tareas": what the logged-in account may do now, across
// every round. Every role lands here after logging in.
func (s *Server) tasks(w http.ResponseWriter, r *http.Request) error {
	u := reqInfoOf(r).user
	p := &tasksPage{Page: s.page(r, "tasks.title", "tasks")}
	rounds, err := s.store.Rounds(r.Context())
	if err != nil {
		return err
	}
	if lvl := comuna.ScopeLevel(u.Role); lvl != "" && u.Scope != "" {
		if path, err := s.store.Unit(r.Context(), 0, lvl, u.Scope); err == nil {
			p.Scope = &path.Unit
		} else if comuna.ErrorCode(err) != comuna.ENotFound {
			return err
		}
	}
	for _, rd := range rounds {
		ts, err := s.roundTasks(r.Context(), p.Page, u, rd)
		if err != nil {
			return err
		}
		if len(ts) > 0 {
			p.Groups = append(p.Groups, taskGroup{Round: rd, Tasks: ts})
		}
	}
	if u.Role == comuna.RoleAdmin {
		p.Groups = append(p.Groups, taskGroup{Tasks: []task{
			{Text: p.T("tasks.admin.newround"), Href: "/rounds/new", Action: p.T("rounds.new")},
			{Text: p.T("tasks.admin.users"), Href: "/users", Action: p.T("nav.users")},
		}})
	}
	p.Empty = len(p.Groups) == 0
	return s.render(w, r, http.StatusOK, "tasks", p)
}

// roundTasks lists what u may do in one round.
func (s *Server) roundTasks(ctx context.Context, p *Page, u *comuna.User, rd *comuna.Round) ([]task, error) {
	id := strconv.FormatInt(rd.ID, 10)
	base := "/rounds/" + id
	final := rd.Phase == comuna.PhaseClosed
	var ts []task
	pending := func() (int, error) {
		ps, err := s.store.Proposals(ctx, comuna.ProposalFilter{RoundID: rd.ID, Status: comuna.StatusSubmitted})
		return len(ps), err
	}
	switch u.Role {
	case comuna.RoleAdmin:
		if next := comuna.NextPhase(rd.Phase); next != "" {
			ts = append(ts, task{Text: p.T("tasks.admin.phase", p.L("phase", rd.Phase), p.L("phase", next)),
				Note: p.T("tasks.admin.phasenote"), Href: base, Action: p.T("tasks.open"), Urgent: true})
		}
		if rd.Phase == comuna.PhaseProposals || rd.Phase == comuna.PhaseReview {
			n, err := pending()
			if err != nil {
				return nil, err
			}
			if n > 0 {
				ts = append(ts, task{Text: p.T("tasks.review.pending", p.Int(n)), Href: base + "/review", Action: p.T("nav.review")})
			}
		}
	case comuna.RoleReviewer:
		if rd.Phase != comuna.PhaseProposals && rd.Phase != comuna.PhaseReview {
			break
		}
		n, err := pending()
		if err != nil {
			return nil, err
		}
		if n > 0 {
			ts = append(ts, task{Text: p.T("tasks.review.pending", p.Int(n)), Href: base + "/review", Action: p.T("tasks.review.go"), Urgent: true})
		} else {
			ts = append(ts, task{Text: p.T("tasks.review.none"), Href: base + "/proposals", Action: p.T("tasks.open")})
		}
	case comuna.RoleSpokesperson:
		ps, err := s.store.Proposals(ctx, comuna.ProposalFilter{RoundID: rd.ID, Council: u.Scope})
		if err != nil {
			return nil, err
		}
		if rd.Phase == comuna.PhaseProposals {
			ts = append(ts, task{Text: p.T("tasks.spokes.call", u.Scope), Note: p.T("tasks.spokes.callnote"),
				Href: base + "/proposals/new", Action: p.T("tasks.spokes.submit"), Urgent: true})
		}
		if len(ps) > 0 {
			counts := map[comuna.Status]int{}
			for _, pr := range ps {
				counts[pr.Status]++
			}
			ts = append(ts, task{Text: p.T("tasks.spokes.mine", p.Int(len(ps)), p.Int(counts[comuna.StatusSubmitted]),
				p.Int(counts[comuna.StatusAccepted]), p.Int(counts[comuna.StatusRejected])),
				Href: base + "/proposals", Action: p.T("tasks.open")})
		}
	case comuna.RoleCoordinator:
		circuit := base + "/circuits/" + u.Scope
		switch rd.Phase {
		case comuna.PhaseProposals:
			ts = append(ts, task{Text: p.T("tasks.coord.proposals", u.Scope), Href: base + "/proposals/new?circuit=" + u.Scope, Action: p.T("tasks.spokes.submit")})
		case comuna.PhaseReview, comuna.PhaseBallots:
			b, err := s.store.Ballot(ctx, rd.ID, u.Scope)
			switch {
			case comuna.ErrorCode(err) == comuna.ENotFound:
				ts = append(ts, task{Text: p.T("tasks.coord.noballot", u.Scope), Href: circuit + "/ballot/edit", Action: p.T("tasks.coord.edit"), Urgent: true})
			case err != nil:
				return nil, err
			case !b.Published:
				ts = append(ts, task{Text: p.T("tasks.coord.draft", u.Scope, b.Version), Href: circuit + "/ballot/edit", Action: p.T("tasks.coord.edit"), Urgent: true})
			default:
				ts = append(ts, task{Text: p.T("tasks.coord.published", u.Scope, b.Version), Href: circuit + "/ballot/print", Action: p.T("tasks.coord.print")})
			}
		default:
			if !final && rd.Phase != comuna.PhaseDraft {
				ts = append(ts, task{Text: p.T("tasks.coord.circuit", u.Scope), Href: circuit, Action: p.T("tasks.open")})
			}
		}
	case comuna.RoleTableMember:
		table := base + "/tables/" + u.Scope
		switch rd.Phase {
		case comuna.PhaseBallots:
			ts = append(ts, task{Text: p.T("tasks.table.soon", u.Scope), Note: p.T("tasks.table.opens", p.Date(rd.VoteDate)),
				Href: table, Action: p.T("tasks.open")})
		case comuna.PhaseVoting:
			ts = append(ts, task{Text: p.T("tasks.table.open", u.Scope), Note: p.T("tasks.table.opennote"),
				Href: table, Action: p.T("tasks.table.checkin"), Urgent: true})
		case comuna.PhaseCounting:
			ts = append(ts, task{Text: p.T("tasks.table.sheet", u.Scope), Href: table + "/sheet", Action: p.T("tasks.table.enter"), Urgent: true})
		}
	case comuna.RoleObserver:
		if rd.Phase == comuna.PhaseVoting || rd.Phase == comuna.PhaseCounting || rd.Phase == comuna.PhaseResults {
			ts = append(ts, task{Text: p.T("tasks.observe"), Href: base + "/results", Action: p.T("round.seeresults")})
		}
	}
	return ts, nil
}
