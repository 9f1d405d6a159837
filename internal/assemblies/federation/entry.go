package federation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/assemblies/stv"
	"github.com/comuna/comuna/internal/comuna"
)

// Kind is what an entry does.
type Kind string

// Entry kinds.
const (
	EvFound     Kind = "found"         // Name, AdmitBy
	EvApply     Kind = "apply"         // Name, OrgKind, Quota, Date
	EvDecide    Kind = "decide"        // Member, Tally, Date (Congress when the congress admits)
	EvSuspend   Kind = "suspend"       // Member, Date, Reason
	EvReinstate Kind = "reinstate"     // Member, Date, Reason
	EvWithdraw  Kind = "withdraw"      // Member, Date, Reason
	EvCongress  Kind = "congress"      // Name, Date
	EvAccredit  Kind = "accredit"      // Congress, Member, Name
	EvCheckIn   Kind = "check-in"      // Congress, Delegate
	EvDocument  Kind = "document"      // Congress, Name, OrgKind as the document kind, Text, Threshold
	EvAmend     Kind = "amend"         // Document, Article, Op, Paragraph, Text, Delegate
	EvSupport   Kind = "support"       // Document, Amendment, Delegate
	EvVoteAmend Kind = "vote-amend"    // Document, Amendment, Tally
	EvVoteArt   Kind = "vote-article"  // Document, Article, Tally
	EvVoteDoc   Kind = "vote-document" // Document, Tally
	EvElection  Kind = "election"      // Congress, Name, Seats, Rule, MinPercent, Alternates, Seed
	EvCandidate Kind = "candidate"     // Election, Name, Group, Member (proposer; 0 self)
	EvOpen      Kind = "open"          // Election
	EvClose     Kind = "close"         // Election, Quota (participants), Ballots
)

// Kinds lists every kind.
var Kinds = []Kind{EvFound, EvApply, EvDecide, EvSuspend, EvReinstate, EvWithdraw, EvCongress, EvAccredit,
	EvCheckIn, EvDocument, EvAmend, EvSupport, EvVoteAmend, EvVoteArt, EvVoteDoc, EvElection, EvCandidate, EvOpen, EvClose}

// Entry is one entry of a federation's history. Which fields count depends
// on the kind (see the constants); the others stay zero.
type Entry struct {
	Seq  int       `json:"seq"`
	Kind Kind      `json:"kind"`
	At   time.Time `json:"at"`
	By   string    `json:"by"`

	Member    int     `json:"member,omitempty"`
	Congress  int     `json:"congress,omitempty"`
	Delegate  int     `json:"delegate,omitempty"`
	Document  int     `json:"document,omitempty"`
	Article   int     `json:"article,omitempty"`
	Amendment int     `json:"amendment,omitempty"`
	Election  int     `json:"election,omitempty"`
	Name      string  `json:"name,omitempty"`
	OrgKind   string  `json:"org_kind,omitempty"`
	Quota     int     `json:"quota,omitempty"`
	Date      string  `json:"date,omitempty"`
	Reason    string  `json:"reason,omitempty"`
	AdmitBy   string  `json:"admit_by,omitempty"`
	Text      string  `json:"text,omitempty"`
	Op        string  `json:"op,omitempty"`
	Paragraph int     `json:"paragraph,omitempty"`
	Threshold int     `json:"threshold,omitempty"`
	Tally     Tally   `json:"tally"`
	Seats     int     `json:"seats,omitempty"`
	Rule      string  `json:"rule,omitempty"`
	MinPct    int     `json:"min_percent,omitempty"`
	Alternate int     `json:"alternates,omitempty"`
	Seed      string  `json:"seed,omitempty"`
	Group     string  `json:"group,omitempty"`
	Ballots   [][]int `json:"ballots,omitempty"`
}

func invalid(field, format string, args ...any) error {
	return comuna.FieldError(field, format, args...)
}

func conflict(format string, args ...any) error {
	return comuna.Errorf(comuna.EConflict, format, args...)
}

func notFound(what string, id int) error {
	return comuna.Errorf(comuna.ENotFound, "no %s %d", what, id)
}

func validDate(d string) error {
	if _, err := time.Parse("2006-01-02", d); err != nil {
		return invalid("date", "%q is not a date like 2026-12-01", d)
	}
	return nil
}

// Replay applies entries in order to a new federation.
func Replay(entries []Entry) (*Federation, error) {
	f := &Federation{}
	for _, e := range entries {
		if _, err := Apply(f, e); err != nil {
			return nil, fmt.Errorf("entry %d (%s): %w", e.Seq, e.Kind, err)
		}
	}
	return f, nil
}

// Apply checks entry e against f and, if it may happen, applies it and
// returns it numbered. On error f is unchanged.
func Apply(f *Federation, e Entry) (Entry, error) {
	if e.Seq == 0 {
		e.Seq = f.Seq + 1
	}
	if e.Seq != f.Seq+1 {
		return e, conflict("entry %d out of order: the federation has %d", e.Seq, f.Seq)
	}
	if e.At.IsZero() {
		return e, invalid("at", "an entry needs its time")
	}
	if e.Date == "" && (e.Kind == EvApply || e.Kind == EvDecide || e.Kind == EvSuspend || e.Kind == EvReinstate || e.Kind == EvWithdraw || e.Kind == EvCongress) {
		e.Date = dateOf(e.At)
	}
	if (f.Seq == 0) != (e.Kind == EvFound) {
		if f.Seq == 0 {
			return e, invalid("kind", "a federation's history starts with its founding")
		}
		return e, conflict("the federation is founded already")
	}
	if err := apply(f, &e); err != nil {
		return e, err
	}
	f.Seq = e.Seq
	return e, nil
}

func (f *Federation) setStatus(m *Member, s MemberStatus, e *Entry) {
	m.Status = s
	m.History = append(m.History, StatusChange{Status: s, Date: e.Date, Reason: e.Reason, Seq: e.Seq})
}

// checkedIn returns delegate id of congress c if checked in.
func checkedIn(c *Congress, id int) (*Delegate, error) {
	d := c.Delegate(id)
	if d == nil {
		return nil, notFound("delegate", id)
	}
	if !d.CheckedIn {
		return nil, conflict("delegate %s is not checked in", d.Name)
	}
	return d, nil
}

func checkTally(c *Congress, t Tally) error {
	if t.Yes < 0 || t.No < 0 || t.Abstain < 0 {
		return invalid("tally", "negative votes")
	}
	q := c.Quorum()
	if !q.Met {
		return conflict("no quorum: %d present, %d needed", q.Present, q.Required)
	}
	if t.Yes+t.No+t.Abstain > q.Present {
		return invalid("tally", "%d votes from %d delegates present", t.Yes+t.No+t.Abstain, q.Present)
	}
	return nil
}

func (d *Document) addVersion(reason string, seq int) {
	d.Versions = append(d.Versions, Version{Number: len(d.Versions) + 1, Text: d.Text(), Reason: reason, Seq: seq})
}

func apply(f *Federation, e *Entry) error {
	switch e.Kind {
	case EvFound:
		if strings.TrimSpace(e.Name) == "" {
			return invalid("name", "a federation needs a name")
		}
		if e.AdmitBy != "board" && e.AdmitBy != "congress" {
			return invalid("admit_by", "applications are decided by the \"board\" or the \"congress\"")
		}
		f.Name, f.AdmitBy = e.Name, e.AdmitBy
	case EvApply:
		if strings.TrimSpace(e.Name) == "" {
			return invalid("name", "an organisation needs a name")
		}
		switch OrgKind(e.OrgKind) {
		case Commune, Council, Movement:
		default:
			return invalid("kind", "an organisation is a commune, council or movement")
		}
		if e.Quota < 1 || e.Quota > 1000 {
			return invalid("quota", "a delegate quota from 1 to 1000")
		}
		if err := validDate(e.Date); err != nil {
			return err
		}
		for _, m := range f.Members {
			if strings.EqualFold(m.Name, e.Name) && m.Status != Rejected && m.Status != Withdrawn {
				return conflict("%s has applied or is a member already", m.Name)
			}
		}
		m := &Member{ID: len(f.Members) + 1, Name: e.Name, Kind: OrgKind(e.OrgKind), Quota: e.Quota}
		f.Members = append(f.Members, m)
		e.Member = m.ID
		f.setStatus(m, Applied, e)
	case EvDecide:
		m := f.Member(e.Member)
		if m == nil {
			return notFound("member", e.Member)
		}
		if m.Status != Applied {
			return conflict("%s has no application to decide (it is %s)", m.Name, m.Status)
		}
		if err := validDate(e.Date); err != nil {
			return err
		}
		if f.AdmitBy == "congress" {
			c := f.Congress(e.Congress)
			if c == nil {
				return invalid("congress", "this federation's congress decides applications: name the congress")
			}
			if err := checkTally(c, e.Tally); err != nil {
				return err
			}
		} else if e.Tally.Yes+e.Tally.No+e.Tally.Abstain == 0 {
			return invalid("tally", "the board's vote is needed")
		}
		if e.Tally.Passed() {
			f.setStatus(m, Admitted, e)
		} else {
			f.setStatus(m, Rejected, e)
		}
	case EvSuspend, EvReinstate, EvWithdraw:
		m := f.Member(e.Member)
		if m == nil {
			return notFound("member", e.Member)
		}
		if err := validDate(e.Date); err != nil {
			return err
		}
		switch {
		case e.Kind == EvSuspend && m.Status == Admitted:
			if strings.TrimSpace(e.Reason) == "" {
				return invalid("reason", "a suspension needs its reason")
			}
			f.setStatus(m, Suspended, e)
		case e.Kind == EvReinstate && m.Status == Suspended:
			f.setStatus(m, Admitted, e)
		case e.Kind == EvWithdraw && (m.Status == Admitted || m.Status == Suspended):
			f.setStatus(m, Withdrawn, e)
		default:
			return conflict("%s is %s: it cannot be %s", m.Name, m.Status, map[Kind]string{EvSuspend: "suspended", EvReinstate: "reinstated", EvWithdraw: "withdrawn"}[e.Kind])
		}
	case EvCongress:
		if strings.TrimSpace(e.Name) == "" {
			return invalid("name", "a congress needs a title")
		}
		if err := validDate(e.Date); err != nil {
			return err
		}
		c := &Congress{ID: len(f.Congresses) + 1, Title: e.Name, Date: e.Date, Delegates: []*Delegate{}}
		f.Congresses = append(f.Congresses, c)
		e.Congress = c.ID
	case EvAccredit:
		c := f.Congress(e.Congress)
		if c == nil {
			return notFound("congress", e.Congress)
		}
		m := f.Member(e.Member)
		if m == nil {
			return notFound("member", e.Member)
		}
		if m.Status != Admitted {
			return conflict("%s is %s: only members send delegates", m.Name, m.Status)
		}
		if strings.TrimSpace(e.Name) == "" {
			return invalid("name", "a delegate needs a name")
		}
		n := 0
		for _, d := range c.Delegates {
			if d.Member == m.ID {
				n++
			}
		}
		if n >= m.Quota {
			return conflict("%s has accredited its %d delegates already", m.Name, m.Quota)
		}
		d := &Delegate{ID: len(c.Delegates) + 1, Member: m.ID, Name: e.Name}
		c.Delegates = append(c.Delegates, d)
		e.Delegate = d.ID
	case EvCheckIn:
		c := f.Congress(e.Congress)
		if c == nil {
			return notFound("congress", e.Congress)
		}
		d := c.Delegate(e.Delegate)
		if d == nil {
			return notFound("delegate", e.Delegate)
		}
		if d.CheckedIn {
			return conflict("%s is checked in already", d.Name)
		}
		d.CheckedIn = true
	case EvDocument:
		if f.Congress(e.Congress) == nil {
			return notFound("congress", e.Congress)
		}
		if e.OrgKind != "statutes" && e.OrgKind != "programme" {
			return invalid("kind", "a document is \"statutes\" or a \"programme\"")
		}
		if strings.TrimSpace(e.Name) == "" {
			return invalid("name", "a document needs a title")
		}
		if e.Threshold < 1 {
			return invalid("threshold", "an amendment needs at least 1 supporting delegate")
		}
		arts, err := ParseText(e.Text)
		if err != nil {
			return err
		}
		d := &Document{ID: len(f.Documents) + 1, Congress: e.Congress, Kind: e.OrgKind, Name: e.Name,
			Articles: arts, Amends: []*Amendment{}, Threshold: e.Threshold}
		d.addVersion("submitted", e.Seq)
		f.Documents = append(f.Documents, d)
		e.Document = d.ID
	case EvAmend:
		d, c, err := f.openDocument(e.Document)
		if err != nil {
			return err
		}
		a := d.Article(e.Article)
		if a == nil {
			return notFound("article", e.Article)
		}
		if a.Status != "" {
			return conflict("article %d is %s already: it takes no more amendments", a.Number, a.Status)
		}
		if _, err := checkedIn(c, e.Delegate); err != nil {
			return err
		}
		switch e.Op {
		case OpReplace, OpDelete:
			if e.Paragraph < 1 || e.Paragraph > len(a.Paragraphs) {
				return invalid("paragraph", "article %d has paragraphs 1 to %d", a.Number, len(a.Paragraphs))
			}
		case OpInsert:
			if e.Paragraph < 1 || e.Paragraph > len(a.Paragraphs)+1 {
				return invalid("paragraph", "insert before paragraph 1 to %d", len(a.Paragraphs)+1)
			}
		default:
			return invalid("op", "an amendment replaces, inserts or deletes a paragraph")
		}
		e.Text = strings.TrimSpace(e.Text)
		if e.Op != OpDelete && e.Text == "" {
			return invalid("text", "the amendment's text is missing")
		}
		if e.Op == OpDelete {
			e.Text = ""
		}
		am := &Amendment{ID: len(d.Amends) + 1, Article: a.Number, Op: e.Op, Paragraph: e.Paragraph, Text: e.Text,
			By: e.Delegate, Supports: []int{e.Delegate}, Status: "submitted"}
		if len(am.Supports) >= d.Threshold {
			am.Status = "debate"
		}
		d.Amends = append(d.Amends, am)
		e.Amendment = am.ID
	case EvSupport:
		d, c, err := f.openDocument(e.Document)
		if err != nil {
			return err
		}
		am := d.Amendment(e.Amendment)
		if am == nil {
			return notFound("amendment", e.Amendment)
		}
		if am.Status != "submitted" && am.Status != "debate" {
			return conflict("amendment %d is %s", am.ID, am.Status)
		}
		if _, err := checkedIn(c, e.Delegate); err != nil {
			return err
		}
		if slices.Contains(am.Supports, e.Delegate) {
			return conflict("this delegate supports amendment %d already", am.ID)
		}
		am.Supports = append(am.Supports, e.Delegate)
		if len(am.Supports) >= d.Threshold {
			am.Status = "debate"
		}
	case EvVoteAmend:
		d, c, err := f.openDocument(e.Document)
		if err != nil {
			return err
		}
		am := d.Amendment(e.Amendment)
		if am == nil {
			return notFound("amendment", e.Amendment)
		}
		if am.Status != "debate" {
			if am.Status == "submitted" {
				return conflict("amendment %d has %d of the %d supports it needs before a vote", am.ID, len(am.Supports), d.Threshold)
			}
			return conflict("amendment %d is %s already", am.ID, am.Status)
		}
		a := d.Article(am.Article)
		if a.Status != "" {
			return conflict("article %d is %s already", a.Number, a.Status)
		}
		if err := checkTally(c, e.Tally); err != nil {
			return err
		}
		t := e.Tally
		am.Vote = &t
		if !t.Passed() {
			am.Status = "rejected"
			break
		}
		// an approved amendment may shift the paragraphs the article's other
		// amendments name: each must still fit when it passes
		if max := len(a.Paragraphs) + map[bool]int{true: 1}[am.Op == OpInsert]; am.Paragraph > max {
			return conflict("amendment %d names paragraph %d, which article %d no longer has", am.ID, am.Paragraph, a.Number)
		}
		a.apply(am)
		am.Status = "approved"
		d.addVersion(fmt.Sprintf("amendment %d to article %d", am.ID, a.Number), e.Seq)
	case EvVoteArt:
		d, c, err := f.openDocument(e.Document)
		if err != nil {
			return err
		}
		a := d.Article(e.Article)
		if a == nil {
			return notFound("article", e.Article)
		}
		if a.Status != "" {
			return conflict("article %d is %s already", a.Number, a.Status)
		}
		for _, am := range d.Amends {
			if am.Article == a.Number && am.Status == "debate" {
				return conflict("amendment %d to article %d is still to be voted", am.ID, a.Number)
			}
		}
		if err := checkTally(c, e.Tally); err != nil {
			return err
		}
		for _, am := range d.Amends {
			if am.Article == a.Number && am.Status == "submitted" {
				am.Status = "lapsed" // never reached its support
			}
		}
		t := e.Tally
		a.Vote = &t
		a.Status = "rejected"
		if t.Passed() {
			a.Status = "approved"
		}
	case EvVoteDoc:
		d, c, err := f.openDocument(e.Document)
		if err != nil {
			return err
		}
		for _, a := range d.Articles {
			if a.Status == "" {
				return conflict("article %d is still to be voted", a.Number)
			}
		}
		if err := checkTally(c, e.Tally); err != nil {
			return err
		}
		t := e.Tally
		d.Vote = &t
		if !t.Passed() {
			d.Status = "rejected"
			break
		}
		d.Status = "approved"
		// the approved text keeps the approved articles, numbered anew
		var kept []*Article
		for _, a := range d.Articles {
			if a.Status == "approved" {
				kept = append(kept, a)
			}
		}
		d.Articles = kept
		for i, a := range d.Articles {
			a.Number = i + 1
		}
		d.addVersion("approved as a whole", e.Seq)
	case EvElection:
		if f.Congress(e.Congress) == nil {
			return notFound("congress", e.Congress)
		}
		if strings.TrimSpace(e.Name) == "" {
			return invalid("name", "an election needs a title")
		}
		if !slices.Contains(stv.Rules, stv.Rule(e.Rule)) {
			return invalid("rule", "the method is scotland, meek-prf, wigm-prf, plurality or approval")
		}
		if e.Seats < 1 || e.Seats > 200 {
			return invalid("seats", "from 1 to 200 seats")
		}
		if e.MinPct < 0 || e.MinPct > 50 {
			return invalid("min_percent", "a gender balance from 0 to 50 %%")
		}
		if e.Alternate < 0 || e.Alternate > 200 {
			return invalid("alternates", "from 0 to 200 alternates")
		}
		el := &Election{ID: len(f.Elections) + 1, Congress: e.Congress, Title: e.Name, Seats: e.Seats, Rule: stv.Rule(e.Rule),
			MinPercent: e.MinPct, Alternates: e.Alternate, Seed: e.Seed, Candidates: []Candidate{}, Status: ElectionSetup}
		f.Elections = append(f.Elections, el)
		e.Election = el.ID
	case EvCandidate:
		el := f.Election(e.Election)
		if el == nil {
			return notFound("election", e.Election)
		}
		if el.Status != ElectionSetup {
			return conflict("the election is %s: no more candidates", el.Status)
		}
		name := strings.TrimSpace(e.Name)
		if name == "" {
			return invalid("name", "a candidate needs a name")
		}
		for _, c := range el.Candidates {
			if strings.EqualFold(c.Name, name) {
				return conflict("%s is a candidate already", c.Name)
			}
		}
		if e.Member != 0 {
			m := f.Member(e.Member)
			if m == nil || m.Status != Admitted {
				return invalid("member", "only a member organisation proposes candidates")
			}
		}
		if el.MinPercent > 0 && strings.TrimSpace(e.Group) == "" {
			return invalid("group", "the gender balance needs each candidate's group")
		}
		el.Candidates = append(el.Candidates, Candidate{Name: name, Group: strings.TrimSpace(e.Group), ProposedBy: e.Member})
	case EvOpen:
		el := f.Election(e.Election)
		if el == nil {
			return notFound("election", e.Election)
		}
		if el.Status != ElectionSetup {
			return conflict("the election is %s already", el.Status)
		}
		if len(el.Candidates) < el.Seats {
			return conflict("%d candidates for %d seats", len(el.Candidates), el.Seats)
		}
		el.Status = ElectionOpen
	case EvClose:
		el := f.Election(e.Election)
		if el == nil {
			return notFound("election", e.Election)
		}
		if el.Status != ElectionOpen {
			return conflict("the election is %s, not open", el.Status)
		}
		if e.Quota != len(e.Ballots) {
			return invalid("ballots", "%d ballots from %d participants", len(e.Ballots), e.Quota)
		}
		ballots := make([][]int, len(e.Ballots))
		for i, b := range e.Ballots {
			ballots[i] = slices.Clone(b)
		}
		SortBallots(ballots)
		rep, err := el.Count(ballots)
		if err != nil {
			return err
		}
		e.Ballots = ballots
		el.Participants, el.Ballots, el.Result, el.Status = e.Quota, ballots, rep, ElectionClosed
	default:
		return invalid("kind", "unknown entry kind %q", e.Kind)
	}
	return nil
}

// openDocument returns a document still under approval and its congress.
func (f *Federation) openDocument(id int) (*Document, *Congress, error) {
	d := f.Document(id)
	if d == nil {
		return nil, nil, notFound("document", id)
	}
	if d.Status != "" {
		return nil, nil, conflict("%s is %s already", d.Name, d.Status)
	}
	return d, f.Congress(d.Congress), nil
}

// CheckVoter checks that delegate may cast a ballot in election now: the
// election is open and the delegate is checked in at its congress. (That
// the delegate votes once is the store's: it keeps who took part apart from
// the ballots.)
func (f *Federation) CheckVoter(election, delegate int) (*Election, error) {
	el := f.Election(election)
	if el == nil {
		return nil, notFound("election", election)
	}
	if el.Status != ElectionOpen {
		return nil, conflict("the election is %s, not open", el.Status)
	}
	if _, err := checkedIn(f.Congress(el.Congress), delegate); err != nil {
		return nil, err
	}
	return el, nil
}
