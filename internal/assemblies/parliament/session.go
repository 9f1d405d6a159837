package parliament

import (
	"slices"
	"strconv"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// Status is where a session is.
type Status string

// Session statuses.
const (
	Scheduled Status = "scheduled"
	InSession Status = "open"
	Closed    Status = "closed"
)

// ItemKind is what an agenda item is about.
type ItemKind string

// Agenda item kinds. The approval of the last session's minutes is always
// the first item.
const (
	ItemMinutes  ItemKind = "minutes"  // approve an earlier session's minutes
	ItemReport   ItemKind = "report"   // a report to the organ
	ItemMotion   ItemKind = "motion"   // motions to debate and vote
	ItemProposal ItemKind = "proposal" // a proposal for the consultation
	ItemAccounts ItemKind = "accounts" // the accounts of a funded project
)

// Valid reports whether k is a known kind.
func (k ItemKind) Valid() bool {
	switch k {
	case ItemMinutes, ItemReport, ItemMotion, ItemProposal, ItemAccounts:
		return true
	}
	return false
}

// Item statuses.
const (
	ItemPending = "pending"
	ItemOpen    = "open"
	ItemDone    = "done"
)

// Item is one point of the agenda.
type Item struct {
	Number   int      `json:"number"`
	Kind     ItemKind `json:"kind"`
	Title    string   `json:"title"`
	Ref      string   `json:"ref,omitempty"` // minutes: the session id; proposal or project: its id
	Status   string   `json:"status"`
	Speakers Speakers `json:"speakers"`
}

// Vote subjects.
const (
	SubjectMotion    = "motion"
	SubjectAmendment = "amendment"
	SubjectMinutes   = "minutes"
)

// Ballot is one member's roll-call vote.
type Ballot struct {
	SeatID   int64  `json:"seat"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Choice   string `json:"choice"`
}

// Vote is one vote of a session, open or closed.
type Vote struct {
	Number    int       `json:"number"`
	Item      int       `json:"item"`
	Subject   string    `json:"subject"`
	Motion    int       `json:"motion,omitempty"`
	Amendment int       `json:"amendment,omitempty"`
	Minutes   int64     `json:"minutes,omitempty"` // the session whose minutes are approved
	Title     string    `json:"title"`
	Method    Method    `json:"method"`
	Majority  Majority  `json:"majority"`
	Open      bool      `json:"open"`
	Ballots   []Ballot  `json:"ballots,omitempty"`
	Entries   []Totals  `json:"entries,omitempty"` // secret: the first entry awaiting its second
	EnteredBy []string  `json:"entered_by,omitempty"`
	Totals    Totals    `json:"totals"`
	Quorum    Quorum    `json:"quorum"` // at opening, then at closing
	Result    *Result   `json:"result,omitempty"`
	Opened    time.Time `json:"opened"`
	Closed    time.Time `json:"closed,omitzero"`
}

// Session is one meeting of an organ: its roster as of the day, who is
// present, its agenda with speakers, motions and votes. The store keeps it
// as one document and changes it only through Apply.
type Session struct {
	ID        int64     `json:"-"`
	OrganID   int64     `json:"-"`
	Number    int       `json:"number"`
	Scheduled time.Time `json:"scheduled"`
	Status    Status    `json:"status"`
	Opened    time.Time `json:"opened,omitzero"`
	Closed    time.Time `json:"closed,omitzero"`
	Members   []Member  `json:"members"`
	Seated    int       `json:"seated"`
	Present   []int64   `json:"present"` // seat ids, sorted
	Items     []Item    `json:"items"`
	Motions   []Motion  `json:"motions,omitempty"`
	Votes     []Vote    `json:"votes,omitempty"`
	Keys      []string  `json:"keys,omitempty"` // idempotency keys of recent commands
	Version   int       `json:"-"`
}

// member returns the member holding seat id, or nil.
func (s *Session) member(id int64) *Member {
	for i := range s.Members {
		if s.Members[i].SeatID == id {
			return &s.Members[i]
		}
	}
	return nil
}

// IsPresent reports whether the holder of seat id is present.
func (s *Session) IsPresent(id int64) bool {
	_, ok := slices.BinarySearch(s.Present, id)
	return ok
}

// Voting returns the member who votes for each position now: its
// principal if present, else its first present alternate.
func (s *Session) Voting() map[int]Member {
	out := map[int]Member{}
	for _, m := range s.Members {
		if !s.IsPresent(m.SeatID) {
			continue
		}
		if cur, ok := out[m.Position]; !ok || (cur.Role == Alternate && m.Role == Principal) {
			out[m.Position] = m
		}
	}
	return out
}

// QuorumNow returns the session's quorum under organ o's rule.
func (s *Session) QuorumNow(o *Organ) Quorum {
	q := Quorum{Seated: s.Seated, Present: len(s.Voting()), Required: o.QuorumFor(s.Seated)}
	q.Met = q.Present >= q.Required
	return q
}

// Item returns agenda item n, or nil.
func (s *Session) Item(n int) *Item {
	if n < 1 || n > len(s.Items) {
		return nil
	}
	return &s.Items[n-1]
}

// Motion returns motion n, or nil.
func (s *Session) Motion(n int) *Motion {
	if n < 1 || n > len(s.Motions) {
		return nil
	}
	return &s.Motions[n-1]
}

// OpenVote returns the vote in progress, or nil.
func (s *Session) OpenVote() *Vote {
	for i := range s.Votes {
		if s.Votes[i].Open {
			return &s.Votes[i]
		}
	}
	return nil
}

// NewSession returns session number n of organ o, scheduled at t.
func NewSession(o *Organ, n int, t time.Time) *Session {
	return &Session{OrganID: o.ID, Number: n, Scheduled: t.UTC(), Status: Scheduled, Present: []int64{}, Items: []Item{}}
}

// Env is what Apply needs beyond the session: the organ, the roster on the
// day (for opening), the earlier sessions whose minutes are published and
// await approval, who acts and when.
type Env struct {
	Organ          *Organ
	Roster         Roster
	PendingMinutes []int64
	By             string
	Now            time.Time
}

// Outcome is what a command produced beyond the session's own state: the
// decisions taken and the earlier minutes approved, which the store writes
// and logs in the same transaction.
type Outcome struct {
	Decisions      []Decision
	ApproveMinutes int64 // the session whose minutes were approved, or 0
	Replayed       bool  // the command's key was seen before: nothing changed
}

// Decision is a motion's final outcome as the register keeps it.
type Decision struct {
	ID          int64     `json:"id"`
	OrganID     int64     `json:"organ"`
	SessionID   int64     `json:"session"`
	Vote        int       `json:"vote"`
	Title       string    `json:"title"`
	Text        string    `json:"text"`
	Passed      bool      `json:"passed"`
	Result      Result    `json:"result"`
	Quorum      Quorum    `json:"quorum"`
	Explanation string    `json:"explanation"` // in Spanish; pages render Result in the reader's language
	DecidedAt   time.Time `json:"decided_at"`
	// Filled by the store: the organ's unit and the commune and state it
	// lies in, for the register's search.
	OrganName string `json:"organ_name,omitempty"`
	UnitCode  string `json:"unit,omitempty"`
	Commune   string `json:"commune,omitempty"`
	State     string `json:"state,omitempty"`
	LogIndex  int64  `json:"log_index"`
}

// Command is one action of the secretary (or of a member asking the
// floor), as the web and API send it. Op names it; the other fields are
// its arguments.
type Command struct {
	Op        string       `json:"op"`
	Key       string       `json:"key,omitempty"` // idempotency key: a retry is applied once
	Item      int          `json:"item,omitempty"`
	Motion    int          `json:"motion,omitempty"`
	Amendment int          `json:"amendment,omitempty"`
	Seat      int64        `json:"seat,omitempty"`
	Present   bool         `json:"present,omitempty"`
	Kind      string       `json:"kind,omitempty"` // item kind, speech kind or amendment op
	Title     string       `json:"title,omitempty"`
	Text      string       `json:"text,omitempty"`
	Ref       string       `json:"ref,omitempty"`
	Paragraph int          `json:"paragraph,omitempty"`
	Majority  Majority     `json:"majority,omitempty"`
	Method    Method       `json:"method,omitempty"`
	Choice    string       `json:"choice,omitempty"`
	Status    MotionStatus `json:"status,omitempty"`
	To        string       `json:"to,omitempty"` // the organ a motion is referred to
	Totals
	TimeLimit int    `json:"time_limit,omitempty"`
	Alternate string `json:"alternate,omitempty"`
}

// Ops lists every command Apply understands.
var Ops = []string{"open", "attend", "add-item", "open-item", "close-item", "speakers-rules", "request-speech",
	"next-speaker", "withdraw-speech", "submit-motion", "motion-status", "submit-amendment",
	"withdraw-amendment", "open-vote", "ballot", "totals", "clear-totals", "close-vote", "close"}

// conflict is a refusal because of the session's state, naming the field
// at fault; its format is its catalogue key, like comuna.Errorf's.
func conflict(field, format string, args ...any) error {
	e := comuna.Errorf(comuna.EConflict, format, args...)
	e.Field = field
	return e
}

const maxKeys = 500

// Apply performs c on s. On error s is unchanged (Apply works on a copy
// and the caller keeps the original); the store saves s only when Apply
// succeeds.
func Apply(s *Session, c Command, env Env) (*Session, Outcome, error) {
	if c.Key != "" && slices.Contains(s.Keys, c.Key) {
		return s, Outcome{Replayed: true}, nil
	}
	n := s.clone()
	out, err := n.apply(c, env)
	if err != nil {
		return s, Outcome{}, err
	}
	if c.Key != "" {
		n.Keys = append(n.Keys, c.Key)
		if len(n.Keys) > maxKeys {
			n.Keys = n.Keys[len(n.Keys)-maxKeys:]
		}
	}
	return n, out, nil
}

func (s *Session) apply(c Command, env Env) (Outcome, error) {
	if c.Op == "open" {
		if s.Status != Scheduled {
			return Outcome{}, conflict("status", "the session is already %s", s.Status)
		}
		s.Status, s.Opened = InSession, env.Now
		s.Members, s.Seated = env.Roster.Members, env.Roster.Seated
		s.addMinutesItems(env.PendingMinutes)
		return Outcome{}, nil
	}
	if c.Op == "add-item" && s.Status == Scheduled {
		return Outcome{}, s.addItem(c, env)
	}
	if s.Status != InSession {
		return Outcome{}, conflict("status", "the session is %s: open it first", s.Status)
	}
	switch c.Op {
	case "attend":
		m := s.member(c.Seat)
		if m == nil {
			return Outcome{}, comuna.FieldError("seat", "seat %d is not on this session's roster", c.Seat)
		}
		if v := s.OpenVote(); v != nil && !c.Present && s.votedFor(v, m.Position) {
			return Outcome{}, conflict("seat", "%s has voted in the open vote: close it first", m.Name)
		}
		i, found := slices.BinarySearch(s.Present, c.Seat)
		if c.Present && !found {
			s.Present = slices.Insert(s.Present, i, c.Seat)
		} else if !c.Present && found {
			s.Present = slices.Delete(s.Present, i, i+1)
		}
		return Outcome{}, nil
	case "add-item":
		return Outcome{}, s.addItem(c, env)
	case "open-item", "close-item":
		it := s.Item(c.Item)
		if it == nil {
			return Outcome{}, comuna.FieldError("item", "no agenda item %d", c.Item)
		}
		if c.Op == "open-item" {
			for i := range s.Items {
				if s.Items[i].Status == ItemOpen {
					s.Items[i].Status = ItemDone
				}
			}
			it.Status = ItemOpen
		} else {
			if s.OpenVote() != nil {
				return Outcome{}, conflict("vote", "close the open vote first")
			}
			it.Status = ItemDone
		}
		return Outcome{}, nil
	case "speakers-rules":
		it := s.Item(c.Item)
		if it == nil {
			return Outcome{}, comuna.FieldError("item", "no agenda item %d", c.Item)
		}
		if c.TimeLimit < 0 || c.TimeLimit > 3600 {
			return Outcome{}, comuna.FieldError("time_limit", "a time limit is 0 to 3600 seconds")
		}
		if c.Alternate != "" && c.Alternate != AlternateByGender {
			return Outcome{}, comuna.FieldError("alternate", "unknown alternation %q (want gender or none)", c.Alternate)
		}
		it.Speakers.TimeLimit, it.Speakers.Alternate = c.TimeLimit, c.Alternate
		return Outcome{}, nil
	case "request-speech", "next-speaker", "withdraw-speech":
		return Outcome{}, s.speakers(c, env)
	case "submit-motion", "motion-status", "submit-amendment", "withdraw-amendment":
		return Outcome{}, s.motions(c, env)
	case "open-vote":
		return Outcome{}, s.openVote(c, env)
	case "ballot":
		return Outcome{}, s.ballot(c)
	case "totals":
		return Outcome{}, s.totals(c, env)
	case "clear-totals":
		v := s.OpenVote()
		if v == nil || v.Method == RollCall {
			return Outcome{}, conflict("vote", "no open vote has totals to clear")
		}
		v.Entries, v.EnteredBy, v.Totals = nil, nil, Totals{}
		return Outcome{}, nil
	case "close-vote":
		return s.closeVote(c, env)
	case "close":
		if s.OpenVote() != nil {
			return Outcome{}, conflict("vote", "close the open vote first")
		}
		for i := range s.Items {
			if s.Items[i].Status == ItemOpen {
				s.Items[i].Status = ItemDone
			}
		}
		s.Status, s.Closed = Closed, env.Now
		return Outcome{}, nil
	}
	return Outcome{}, comuna.FieldError("op", "unknown command %q", c.Op)
}

func (s *Session) addMinutesItems(pending []int64) {
	var add []Item
	for _, id := range pending {
		ref := strconv.FormatInt(id, 10)
		if slices.ContainsFunc(s.Items, func(it Item) bool { return it.Kind == ItemMinutes && it.Ref == ref }) {
			continue
		}
		add = append(add, Item{Kind: ItemMinutes, Title: "#" + ref, Ref: ref, Status: ItemPending})
	}
	s.Items = append(add, s.Items...)
	for i := range s.Items {
		s.Items[i].Number = i + 1
	}
	// Motions and votes name items by number: shift them.
	if len(add) > 0 {
		for i := range s.Motions {
			s.Motions[i].Item += len(add)
		}
		for i := range s.Votes {
			s.Votes[i].Item += len(add)
		}
	}
}

func (s *Session) addItem(c Command, env Env) error {
	k := ItemKind(c.Kind)
	if !k.Valid() {
		return comuna.FieldError("kind", "unknown agenda item kind %q", c.Kind)
	}
	if k == ItemMinutes {
		id, err := strconv.ParseInt(c.Ref, 10, 64)
		if err != nil || !slices.Contains(env.PendingMinutes, id) {
			return comuna.FieldError("ref", "no published minutes of session %q await approval", c.Ref)
		}
		s.addMinutesItems([]int64{id})
		return nil
	}
	if len(c.Title) == 0 || len(c.Title) > 300 {
		return comuna.FieldError("title", "an agenda item needs a title of at most 300 characters")
	}
	if len(s.Items) >= 200 {
		return comuna.FieldError("item", "an agenda has at most 200 items")
	}
	s.Items = append(s.Items, Item{Number: len(s.Items) + 1, Kind: k, Title: c.Title, Ref: c.Ref, Status: ItemPending})
	return nil
}

func (s *Session) speakers(c Command, env Env) error {
	it := s.Item(c.Item)
	if it == nil {
		return comuna.FieldError("item", "no agenda item %d", c.Item)
	}
	l := &it.Speakers
	switch c.Op {
	case "request-speech":
		m := s.member(c.Seat)
		if m == nil {
			return comuna.FieldError("seat", "seat %d is not on this session's roster", c.Seat)
		}
		if !s.IsPresent(c.Seat) {
			return conflict("seat", "%s is not marked present", m.Name)
		}
		k := SpeechKind(c.Kind)
		if !k.Valid() {
			return comuna.FieldError("kind", "unknown speech kind %q (want for, against, point-of-order or question)", c.Kind)
		}
		for _, sp := range l.Speeches {
			if sp.SeatID == c.Seat && sp.Status == SpeechWaiting && sp.Kind == k {
				return conflict("seat", "%s is already waiting to speak", m.Name)
			}
		}
		l.Speeches = append(l.Speeches, Speech{ID: len(l.Speeches) + 1, SeatID: m.SeatID, Name: m.Name, Gender: m.Gender, Kind: k, Status: SpeechWaiting})
	case "next-speaker":
		if i := l.Current(); i >= 0 {
			l.Speeches[i].Status, l.Speeches[i].Ended = SpeechDone, env.Now
		}
		if i := l.next(); i >= 0 {
			l.Speeches[i].Status, l.Speeches[i].Started = SpeechSpeaking, env.Now
		}
	case "withdraw-speech":
		for i := range l.Speeches {
			if l.Speeches[i].SeatID == c.Seat && l.Speeches[i].Status == SpeechWaiting {
				l.Speeches[i].Status = SpeechWithdrawn
				return nil
			}
		}
		return comuna.FieldError("seat", "seat %d is not waiting to speak", c.Seat)
	}
	return nil
}

func (s *Session) motions(c Command, env Env) error {
	switch c.Op {
	case "submit-motion":
		it := s.Item(c.Item)
		if it == nil {
			return comuna.FieldError("item", "no agenda item %d", c.Item)
		}
		if it.Kind == ItemMinutes {
			return comuna.FieldError("item", "the minutes item takes no motions")
		}
		if c.Title == "" || len(c.Title) > 300 {
			return comuna.FieldError("title", "a motion needs a title of at most 300 characters")
		}
		ps := SplitParagraphs(c.Text)
		if len(ps) == 0 || len(c.Text) > 100000 {
			return comuna.FieldError("text", "a motion needs its text (paragraphs separated by blank lines), at most 100000 characters")
		}
		m := c.Majority
		if m == "" {
			m = Simple
		}
		if !m.Valid() {
			return comuna.FieldError("majority", "unknown majority %q", m)
		}
		by := c.Ref
		if by == "" {
			by = env.By
		}
		s.Motions = append(s.Motions, Motion{Number: len(s.Motions) + 1, Item: c.Item, Title: c.Title, Paragraphs: ps, By: by, Majority: m, Status: Submitted})
	case "motion-status":
		m := s.Motion(c.Motion)
		if m == nil {
			return comuna.FieldError("motion", "no motion %d", c.Motion)
		}
		if !CanMove(m.Status, c.Status) {
			return conflict("status", "motion %d cannot move from %s to %s by hand", m.Number, m.Status, c.Status)
		}
		if v := s.OpenVote(); v != nil && v.Motion == m.Number {
			return conflict("vote", "motion %d is being voted", m.Number)
		}
		if c.Status == Referred {
			if c.To == "" {
				return comuna.FieldError("to", "name the organ the motion is referred to")
			}
			m.ReferredTo = c.To
		}
		m.Status = c.Status
	case "submit-amendment":
		m := s.Motion(c.Motion)
		if m == nil {
			return comuna.FieldError("motion", "no motion %d", c.Motion)
		}
		a := Amendment{Number: len(m.Amendments) + 1, Op: AmendOp(c.Kind), Paragraph: c.Paragraph, Text: c.Text, By: env.By, Status: AmendPending}
		if c.Ref != "" {
			a.By = c.Ref
		}
		if err := validateAmendment(m, &a); err != nil {
			return err
		}
		m.Amendments = append(m.Amendments, a)
	case "withdraw-amendment":
		m := s.Motion(c.Motion)
		if m == nil {
			return comuna.FieldError("motion", "no motion %d", c.Motion)
		}
		if c.Amendment < 1 || c.Amendment > len(m.Amendments) || m.Amendments[c.Amendment-1].Status != AmendPending {
			return comuna.FieldError("amendment", "no pending amendment %d", c.Amendment)
		}
		m.Amendments[c.Amendment-1].Status = AmendWithdrawn
	}
	return nil
}

func joinParagraphs(ps []string) string {
	out := ""
	for i, p := range ps {
		if i > 0 {
			out += "\n\n"
		}
		out += p
	}
	return out
}

// clone deep-copies the session so Apply never changes its input.
func (s *Session) clone() *Session {
	n := *s
	n.Members = slices.Clone(s.Members)
	n.Present = slices.Clone(s.Present)
	n.Keys = slices.Clone(s.Keys)
	n.Items = slices.Clone(s.Items)
	for i := range n.Items {
		n.Items[i].Speakers.Speeches = slices.Clone(s.Items[i].Speakers.Speeches)
	}
	n.Motions = slices.Clone(s.Motions)
	for i := range n.Motions {
		n.Motions[i].Paragraphs = slices.Clone(s.Motions[i].Paragraphs)
		n.Motions[i].Amendments = slices.Clone(s.Motions[i].Amendments)
		n.Motions[i].Final = slices.Clone(s.Motions[i].Final)
	}
	n.Votes = slices.Clone(s.Votes)
	for i := range n.Votes {
		n.Votes[i].Ballots = slices.Clone(s.Votes[i].Ballots)
		n.Votes[i].Entries = slices.Clone(s.Votes[i].Entries)
		n.Votes[i].EnteredBy = slices.Clone(s.Votes[i].EnteredBy)
		if s.Votes[i].Result != nil {
			r := *s.Votes[i].Result
			n.Votes[i].Result = &r
		}
	}
	return &n
}
