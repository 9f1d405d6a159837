package parliament

import (
	"slices"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
)

func (s *Session) openVote(c Command, env Env) error {
	if s.OpenVote() != nil {
		return conflict("vote", "a vote is already open")
	}
	it := s.Item(c.Item)
	if it == nil {
		return comuna.FieldError("item", "no agenda item %d", c.Item)
	}
	method := c.Method
	if method == "" {
		method = RollCall
	}
	if !method.Valid() {
		return comuna.FieldError("method", "unknown voting method %q", c.Method)
	}
	v := Vote{Number: len(s.Votes) + 1, Item: c.Item, Method: method, Majority: Simple, Open: true, Opened: env.Now}
	switch {
	case it.Kind == ItemMinutes:
		id, _ := strconv.ParseInt(it.Ref, 10, 64)
		if slices.ContainsFunc(s.Votes, func(w Vote) bool { return w.Minutes == id && w.Result != nil && w.Result.Passed }) {
			return conflict("minutes", "the minutes of session %d are already approved", id)
		}
		v.Subject, v.Minutes, v.Title = SubjectMinutes, id, it.Title
	case c.Amendment > 0:
		m := s.Motion(c.Motion)
		if m == nil {
			return comuna.FieldError("motion", "no motion %d", c.Motion)
		}
		if !m.Status.Open() {
			return conflict("motion", "motion %d is %s: its amendments are no longer voted", m.Number, m.Status)
		}
		if c.Amendment > len(m.Amendments) || m.Amendments[c.Amendment-1].Status != AmendPending {
			return comuna.FieldError("amendment", "motion %d has no pending amendment %d", m.Number, c.Amendment)
		}
		v.Subject, v.Motion, v.Amendment = SubjectAmendment, m.Number, c.Amendment
		v.Title = m.Title
	default:
		m := s.Motion(c.Motion)
		if m == nil {
			return comuna.FieldError("motion", "no motion %d", c.Motion)
		}
		if !m.Status.Open() {
			return conflict("motion", "motion %d is %s and cannot be voted", m.Number, m.Status)
		}
		for _, a := range m.Amendments {
			if a.Status == AmendPending {
				return conflict("amendment", "amendment %d to motion %d must be voted (or withdrawn) before the motion", a.Number, m.Number)
			}
		}
		v.Subject, v.Motion, v.Majority, v.Title = SubjectMotion, m.Number, m.Majority, m.Title
		m.Status = Debated
	}
	v.Quorum = s.QuorumNow(env.Organ)
	if !v.Quorum.Met {
		return conflict("quorum", "no quorum: %d present, %d needed of %d seated members", v.Quorum.Present, v.Quorum.Required, v.Quorum.Seated)
	}
	s.Votes = append(s.Votes, v)
	return nil
}

func (s *Session) votedFor(v *Vote, pos int) bool {
	return slices.ContainsFunc(v.Ballots, func(b Ballot) bool { return b.Position == pos })
}

func (s *Session) ballot(c Command) error {
	v := s.OpenVote()
	if v == nil {
		return conflict("vote", "no vote is open")
	}
	if v.Method != RollCall {
		return conflict("vote", "vote %d is by %s: enter its totals", v.Number, v.Method)
	}
	m := s.member(c.Seat)
	if m == nil {
		return comuna.FieldError("seat", "seat %d is not on this session's roster", c.Seat)
	}
	if c.Choice != ChoiceFor && c.Choice != ChoiceAgainst && c.Choice != ChoiceAbstain {
		return comuna.FieldError("choice", "a vote is for, against or abstain, not %q", c.Choice)
	}
	if !s.IsPresent(m.SeatID) {
		return conflict("seat", "%s is not marked present", m.Name)
	}
	if s.votedFor(v, m.Position) {
		return conflict("seat", "position %d (%s) has already voted in vote %d", m.Position, m.Name, v.Number)
	}
	if cur := s.Voting()[m.Position]; cur.SeatID != m.SeatID {
		return conflict("seat", "%s is an alternate and the principal %s is present: the principal votes", m.Name, cur.Name)
	}
	v.Ballots = append(v.Ballots, Ballot{SeatID: m.SeatID, Position: m.Position, Name: m.Name, Choice: c.Choice})
	return nil
}

func (s *Session) totals(c Command, env Env) error {
	v := s.OpenVote()
	if v == nil {
		return conflict("vote", "no vote is open")
	}
	if v.Method == RollCall {
		return conflict("vote", "vote %d is a roll call: record each member's vote", v.Number)
	}
	t := c.Totals
	if t.For < 0 || t.Against < 0 || t.Abstain < 0 {
		return comuna.FieldError("totals", "counts cannot be negative")
	}
	if q := s.QuorumNow(env.Organ); t.Cast() > q.Present {
		return comuna.FieldError("totals", "%d votes but only %d members present", t.Cast(), q.Present)
	}
	if v.Method == ShowOfHands {
		v.Totals, v.Entries = t, []Totals{t}
		return nil
	}
	switch len(v.Entries) {
	case 0:
		v.Entries, v.EnteredBy = []Totals{t}, []string{env.By}
	case 1:
		if env.By != "" && v.EnteredBy[0] == env.By {
			return conflict("totals", "the second entry of a secret ballot's totals is made by another person")
		}
		if first := v.Entries[0]; first != t {
			return conflict("totals", "the two entries differ (%d/%d/%d and %d/%d/%d): count the ballots again, then clear the entries and enter them twice",
				first.For, first.Against, first.Abstain, t.For, t.Against, t.Abstain)
		}
		v.Entries, v.EnteredBy = append(v.Entries, t), append(v.EnteredBy, env.By)
		v.Totals = t
	default:
		return conflict("totals", "both entries agree already: close the vote")
	}
	return nil
}

func (s *Session) closeVote(c Command, env Env) (Outcome, error) {
	v := s.OpenVote()
	if v == nil {
		return Outcome{}, conflict("vote", "no vote is open")
	}
	switch v.Method {
	case RollCall:
		v.Totals = Totals{}
		for _, b := range v.Ballots {
			switch b.Choice {
			case ChoiceFor:
				v.Totals.For++
			case ChoiceAgainst:
				v.Totals.Against++
			default:
				v.Totals.Abstain++
			}
		}
	case ShowOfHands:
		if len(v.Entries) == 0 {
			return Outcome{}, comuna.FieldError("totals", "enter the totals first")
		}
	case Secret:
		if len(v.Entries) < 2 {
			return Outcome{}, comuna.FieldError("totals", "a secret ballot's totals are entered twice, by two people, before it closes")
		}
	}
	v.Quorum = s.QuorumNow(env.Organ)
	r, err := Decide(v.Majority, v.Totals, v.Quorum, env.Organ.Tie, c.Choice)
	if err != nil {
		return Outcome{}, err
	}
	v.Result, v.Open, v.Closed = &r, false, env.Now
	var out Outcome
	switch v.Subject {
	case SubjectMinutes:
		if r.Passed {
			out.ApproveMinutes = v.Minutes
		}
	case SubjectAmendment:
		m := s.Motion(v.Motion)
		a := &m.Amendments[v.Amendment-1]
		a.Vote = v.Number
		a.Status = AmendRejected
		if r.Passed {
			if b := conflicting(m, a); b != nil {
				return Outcome{}, conflict("amendment", "amendment %d already changed paragraph %d of motion %d", b.Number, a.Paragraph, m.Number)
			}
			a.Status = AmendApproved
		}
		m.Final = Merge(m.Paragraphs, m.Amendments)
	case SubjectMotion:
		m := s.Motion(v.Motion)
		m.Vote = v.Number
		m.Final = Merge(m.Paragraphs, m.Amendments)
		m.Status = Rejected
		if r.Passed {
			m.Status = Approved
		}
		out.Decisions = append(out.Decisions, Decision{OrganID: s.OrganID, SessionID: s.ID, Vote: v.Number, Title: m.Title,
			Text: joinParagraphs(m.Final), Passed: r.Passed, Result: r, Quorum: v.Quorum, Explanation: r.Explain("es"), DecidedAt: env.Now})
	}
	return out, nil
}
