package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/comuna"
)

// parl returns the parliament store, or an unavailable error when the
// server was started without one.
func (s *Server) parl() (parliament.Store, error) {
	if s.parliament == nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "this server keeps no communal organs")
	}
	return s.parliament, nil
}

// organTarget is what an organ's routes touch: its commune, and its
// council for a council's organ.
func organTarget(o *parliament.Organ) comuna.Target {
	t := comuna.Target{Commune: o.Commune}
	if o.Kind.Level() == comuna.LevelCouncil {
		t.Council = o.UnitCode
	}
	return t
}

// loadOrgan reads the {organ} of the request.
func (s *Server) loadOrgan(r *http.Request) (parliament.Store, *parliament.Organ, error) {
	ps, err := s.parl()
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "organ")
	if err != nil {
		return nil, nil, err
	}
	o, err := ps.Organ(r.Context(), id)
	return ps, o, err
}

// loadSession reads the {session} of the request and its organ.
func (s *Server) loadSession(r *http.Request) (parliament.Store, *parliament.Organ, *parliament.Session, error) {
	ps, err := s.parl()
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := pathID(r, "session")
	if err != nil {
		return nil, nil, nil, err
	}
	ss, err := ps.Session(r.Context(), id)
	if err != nil {
		return nil, nil, nil, err
	}
	o, err := ps.Organ(r.Context(), ss.OrganID)
	return ps, o, ss, err
}

type organsPage struct {
	*Page
	Unit   string
	Organs []*parliament.Organ
}

func (s *Server) organList(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.parl()
	if err != nil {
		return err
	}
	unit := strings.TrimSpace(r.URL.Query().Get("unit"))
	os, err := ps.Organs(r.Context(), unit)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "organs", &organsPage{Page: s.page(r, "organs.title", "organs"), Unit: unit, Organs: os})
}

// seatView is a seat as the organ page shows it.
type seatView struct {
	parliament.Seat
	Active, Expiring bool
}

type organPage struct {
	*Page
	Organ     *parliament.Organ
	Seats     []seatView
	Roster    parliament.Roster
	Quorum    int
	Next      time.Time
	Sessions  []parliament.SessionSummary
	Decisions []parliament.Decision
	CanRun    bool
}

func (s *Server) organPageGet(w http.ResponseWriter, r *http.Request) error {
	ps, o, err := s.loadOrgan(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	seats, err := ps.Seats(ctx, o.ID)
	if err != nil {
		return err
	}
	now := s.now()
	p := &organPage{Page: s.page(r, "organ.title", "organs"), Organ: o, Roster: parliament.RosterOn(o.Size, seats, now.In(parliament.Local))}
	p.Title = o.Name
	for _, st := range seats {
		p.Seats = append(p.Seats, seatView{st, st.ActiveOn(now), st.Expiring(now)})
	}
	p.Quorum = o.QuorumFor(p.Roster.Seated)
	p.Next = o.NextMeetings(now, parliament.Local, 1)[0]
	if p.Sessions, err = ps.Sessions(ctx, o.ID); err != nil {
		return err
	}
	if len(p.Sessions) > 12 {
		p.Sessions = p.Sessions[:12]
	}
	if p.Decisions, err = ps.Decisions(ctx, parliament.DecisionFilter{OrganID: o.ID, Limit: 10}); err != nil {
		return err
	}
	p.CanRun = can(r, comuna.ActionRunSession, organTarget(o))
	return s.render(w, r, http.StatusOK, "organ", p)
}

// seatsCSV exports an organ's seats: names and terms are public; no
// identity numbers are kept at all.
func (s *Server) seatsCSV(w http.ResponseWriter, r *http.Request) error {
	ps, o, err := s.loadOrgan(r)
	if err != nil {
		return err
	}
	seats, err := ps.Seats(r.Context(), o.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="organ-%d-seats.csv"`, o.ID))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"organ", "unit", "position", "role", "holder", "gender", "committee", "start", "end", "elected_by"})
	for _, st := range seats {
		_ = cw.Write([]string{strconv.FormatInt(o.ID, 10), o.UnitCode, strconv.Itoa(st.Position), string(st.Role), csvCell(st.Holder), st.Gender,
			csvCell(st.Committee), st.Start.Format(time.DateOnly), st.End.Format(time.DateOnly), csvCell(st.ElectedBy)})
	}
	cw.Flush()
	return cw.Error()
}

// csvCell keeps a spreadsheet from reading a cell as a formula.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func (s *Server) sessionSchedule(w http.ResponseWriter, r *http.Request) error {
	ps, o, err := s.loadOrgan(r)
	if err != nil {
		return err
	}
	if err := s.authorize(r, organTarget(o)); err != nil {
		return err
	}
	f := newForm(r)
	at := o.NextMeetings(s.now(), parliament.Local, 1)[0]
	if v := f.str("scheduled"); v != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", v, parliament.Local)
		if err != nil {
			return comuna.FieldError("scheduled", "a date and time like 2026-03-04T18:00")
		}
		at = t
	}
	ss, err := ps.ScheduleSession(r.Context(), o.ID, at)
	if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/sessions/%d", ss.ID))
}

// memberView is a roster member on the live page.
type memberView struct {
	parliament.Member
	Present, Voting, Voted bool
	Choice                 string
}

// voteView is a vote with its result explained in the page's language.
type voteView struct {
	parliament.Vote
	Explanation string
}

// motionView is a motion with the diff of its amendments.
type motionView struct {
	parliament.Motion
	Diff []parliament.DiffLine
}

type sessionPage struct {
	*Page
	Organ   *parliament.Organ
	Session *parliament.Session
	Quorum  parliament.Quorum
	Members []memberView
	Current *parliament.Item
	Queue   []parliament.Speech
	Speaker *parliament.Speech
	Motions []motionView
	Open    *parliament.Vote
	Votes   []voteView
	CanRun  bool
	Minutes *parliament.Minutes
	Error   string
	Key     string // a fresh idempotency key for each form
	Poll    string // the URL the live page polls
	ETag    string
}

func (s *Server) sessionView(r *http.Request, o *parliament.Organ, ss *parliament.Session) *sessionPage {
	p := &sessionPage{Page: s.page(r, "session.title", "organs"), Organ: o, Session: ss, Quorum: ss.QuorumNow(o),
		CanRun: can(r, comuna.ActionRunSession, organTarget(o)), Key: newKey(),
		Poll: fmt.Sprintf("/api/v1/sessions/%d", ss.ID), ETag: sessionETag(ss)}
	p.Title = fmt.Sprintf("%s · %s", o.Name, p.T("session.number", ss.Number))
	p.Open = ss.OpenVote()
	voting := ss.Voting()
	for _, m := range ss.Members {
		mv := memberView{Member: m, Present: ss.IsPresent(m.SeatID), Voting: voting[m.Position].SeatID == m.SeatID && ss.IsPresent(m.SeatID)}
		if p.Open != nil {
			for _, b := range p.Open.Ballots {
				if b.SeatID == m.SeatID {
					mv.Voted, mv.Choice = true, b.Choice
				}
			}
		}
		p.Members = append(p.Members, mv)
	}
	for i := range ss.Items {
		if ss.Items[i].Status == parliament.ItemOpen {
			p.Current = &ss.Items[i]
		}
	}
	if p.Current != nil {
		l := &p.Current.Speakers
		if i := l.Current(); i >= 0 {
			p.Speaker = &l.Speeches[i]
		}
		for _, i := range l.Queue() {
			p.Queue = append(p.Queue, l.Speeches[i])
		}
	}
	for _, m := range ss.Motions {
		mv := motionView{Motion: m}
		if len(m.Final) > 0 {
			mv.Diff = parliament.Diff(m.Paragraphs, m.Final)
		}
		p.Motions = append(p.Motions, mv)
	}
	for i := len(ss.Votes) - 1; i >= 0; i-- {
		v := voteView{Vote: ss.Votes[i]}
		if v.Result != nil {
			v.Explanation = v.Result.Explain(p.Lang)
		}
		p.Votes = append(p.Votes, v)
	}
	return p
}

// sessionETag is the live page's version tag: it changes with every
// command applied to the session.
func sessionETag(ss *parliament.Session) string { return fmt.Sprintf(`"s%d-v%d"`, ss.ID, ss.Version) }

func newKey() string {
	return strconv.FormatInt(time.Now().UnixNano(), 36)
}

func (s *Server) sessionPageGet(w http.ResponseWriter, r *http.Request) error {
	ps, o, ss, err := s.loadSession(r)
	if err != nil {
		return err
	}
	p := s.sessionView(r, o, ss)
	if m, err := ps.Minutes(r.Context(), ss.ID); err == nil {
		p.Minutes = m
	}
	return s.render(w, r, http.StatusOK, "session", p)
}

// commandFromForm reads a session command from a form: every field is
// optional and named as in the JSON API.
func commandFromForm(f *Form) (parliament.Command, error) {
	c := parliament.Command{Op: f.str("op"), Key: f.str("key"), Kind: f.str("kind"), Title: f.str("title"),
		Text: f.Values.Get("text"), Ref: f.str("ref"), Majority: parliament.Majority(f.str("majority")),
		Method: parliament.Method(f.str("method")), Choice: f.str("choice"), Status: parliament.MotionStatus(f.str("status")),
		To: f.str("to"), Alternate: f.str("alternate"), Present: f.str("present") == "on" || f.str("present") == "true"}
	ints := []struct {
		name string
		dst  *int
	}{{"item", &c.Item}, {"motion", &c.Motion}, {"amendment", &c.Amendment}, {"paragraph", &c.Paragraph},
		{"for", &c.For}, {"against", &c.Against}, {"abstain", &c.Abstain}, {"time_limit", &c.TimeLimit}}
	for _, in := range ints {
		v := f.str(in.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < -1 || n > 1_000_000 {
			return c, comuna.FieldError(in.name, "%s must be a whole number", in.name)
		}
		*in.dst = n
	}
	if v := f.str("seat"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return c, comuna.FieldError("seat", "seat must be a seat number")
		}
		c.Seat = n
	}
	if c.Op == "" {
		return c, comuna.FieldError("op", "no command")
	}
	return c, nil
}

// applyRetrying applies c, retrying when another command changed the
// session in between (the caller pinned no version).
func applyRetrying(ctx context.Context, ps parliament.Store, id int64, version int, c parliament.Command, by string) (*parliament.Session, parliament.Outcome, error) {
	for try := 0; ; try++ {
		n, out, err := ps.ApplySession(ctx, id, version, c, by)
		if version != 0 || try == 3 || comuna.ErrorCode(err) != comuna.EConflict || !strings.Contains(comuna.ErrorMessage(err), "changed meanwhile") {
			return n, out, err
		}
	}
}

func (s *Server) sessionCommand(w http.ResponseWriter, r *http.Request) error {
	ps, o, ss, err := s.loadSession(r)
	if err != nil {
		return err
	}
	if err := s.authorize(r, organTarget(o)); err != nil {
		return err
	}
	f := newForm(r)
	c, err := commandFromForm(f)
	if err == nil {
		_, _, err = applyRetrying(r.Context(), ps, ss.ID, 0, c, reqInfoOf(r).user.Username)
	}
	if err != nil {
		if comuna.ErrorCode(err) != comuna.EInvalid && comuna.ErrorCode(err) != comuna.EConflict && comuna.ErrorCode(err) != comuna.ENotFound {
			return err
		}
		again, lerr := ps.Session(r.Context(), ss.ID)
		if lerr != nil {
			return lerr
		}
		p := s.sessionView(r, o, again)
		p.Error = parliamentError(p.Page, err)
		return s.render(w, r, httpStatus(err), "session", p)
	}
	anchor := f.str("anchor")
	if anchor != "" {
		anchor = "#" + url.PathEscape(anchor)
	}
	return redirect(w, r, fmt.Sprintf("/sessions/%d%s", ss.ID, anchor))
}

// parliamentError renders a refused command in the page's language.
func parliamentError(p *Page, err error) string { return errorText(p.Lang, err) }

type minutesPage struct {
	*Page
	Organ   *parliament.Organ
	Session *parliament.Session
	Minutes *parliament.Minutes
	CanRun  bool
	Error   string
}

func (s *Server) minutesGet(w http.ResponseWriter, r *http.Request) error {
	ps, o, ss, err := s.loadSession(r)
	if err != nil {
		return err
	}
	m, err := ps.Minutes(r.Context(), ss.ID)
	if err != nil {
		return err
	}
	p := &minutesPage{Page: s.page(r, "minutes.title", "organs"), Organ: o, Session: ss, Minutes: m, CanRun: can(r, comuna.ActionRunSession, organTarget(o))}
	p.Title = fmt.Sprintf("%s · %s", o.Name, p.T("minutes.of", ss.Number))
	return s.render(w, r, http.StatusOK, "minutes", p)
}

func (s *Server) minutesChange(publish bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ps, o, ss, err := s.loadSession(r)
		if err != nil {
			return err
		}
		if err := s.authorize(r, organTarget(o)); err != nil {
			return err
		}
		f := newForm(r)
		var m *parliament.Minutes
		if publish {
			m, err = ps.PublishMinutes(r.Context(), ss.ID)
		} else {
			m, err = ps.EditMinutes(r.Context(), ss.ID, f.Values.Get("text"))
		}
		if err != nil {
			if cur, merr := ps.Minutes(r.Context(), ss.ID); merr == nil && comuna.ErrorCode(err) != comuna.EInternal {
				p := &minutesPage{Page: s.page(r, "minutes.title", "organs"), Organ: o, Session: ss, Minutes: cur, CanRun: true}
				p.Error = parliamentError(p.Page, err)
				return s.render(w, r, httpStatus(err), "minutes", p)
			}
			return err
		}
		_ = m
		return redirect(w, r, fmt.Sprintf("/sessions/%d/minutes", ss.ID))
	}
}

type decisionsPage struct {
	*Page
	Query, Unit string
	Decisions   []parliament.Decision
	Pager       *Pager
}

func (s *Server) decisionList(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.parl()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := &decisionsPage{Page: s.page(r, "decisions.title", "decisions"), Query: strings.TrimSpace(q.Get("q")), Unit: strings.TrimSpace(q.Get("unit")), Pager: newPager(r, 50)}
	ds, err := ps.Decisions(r.Context(), parliament.DecisionFilter{Query: p.Query, Unit: p.Unit, Limit: p.Pager.Size + 1, Offset: p.Pager.Offset()})
	if err != nil {
		return err
	}
	p.Decisions = ds[:p.Pager.Done(r, len(ds))]
	return s.render(w, r, http.StatusOK, "decisions", p)
}

// Explain renders a decision's result in the page's language.
func (p *Page) Explain(r parliament.Result) string { return r.Explain(p.Lang) }

// Weekday names a weekday in the page's language.
func (p *Page) Weekday(d time.Weekday) string { return p.T("weekday." + strconv.Itoa(int(d))) }

// Clock writes minutes after midnight as 18:00.
func (p *Page) Clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// LocalTime writes t in the communes' time zone.
func (p *Page) LocalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatDate(p.Lang, t.In(parliament.Local)) + " " + t.In(parliament.Local).Format("15:04")
}

// Choices the session page's forms offer.
func (p *sessionPage) ItemKinds() []parliament.ItemKind {
	return []parliament.ItemKind{parliament.ItemMotion, parliament.ItemReport, parliament.ItemProposal, parliament.ItemAccounts}
}

// SpeechKinds lists the kinds of request for the floor.
func (p *sessionPage) SpeechKinds() []parliament.SpeechKind {
	return []parliament.SpeechKind{parliament.SpeechFor, parliament.SpeechAgainst, parliament.SpeechQuestion, parliament.SpeechPointOfOrder}
}

// Methods lists the voting methods.
func (p *sessionPage) Methods() []parliament.Method {
	return []parliament.Method{parliament.RollCall, parliament.ShowOfHands, parliament.Secret}
}

// Majorities lists the majority rules.
func (p *sessionPage) Majorities() []parliament.Majority { return parliament.Majorities }

// ManualStatuses lists the moves a secretary makes by hand.
func (p *sessionPage) ManualStatuses() []parliament.MotionStatus {
	return []parliament.MotionStatus{parliament.Admitted, parliament.Debated, parliament.Postponed, parliament.Withdrawn, parliament.Referred}
}
