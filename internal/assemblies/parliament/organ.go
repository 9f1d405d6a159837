// Package parliament is communal self-government: the organs of councils
// and communes with their seats and terms, and their weekly sessions —
// agenda, attendance and live quorum, speakers lists, motions and
// amendments, votes by the right majority, and minutes approved at the
// next session. It is pure: the store loads a session, applies a Command
// with Apply and saves the result with the decisions it produced.
package parliament

import (
	"sort"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// OrganKind is what an organ is; its kind fixes its territory level and
// its usual number of seats.
type OrganKind string

// Organ kinds of a communal council and of a commune.
const (
	KindSpokespeople OrganKind = "spokespeople"        // a council's spokespeople (5 + 2 alternates per committee)
	KindAssembly     OrganKind = "citizens-assembly"   // a council's citizens' assembly
	KindParliament   OrganKind = "communal-parliament" // a commune's parliament
	KindExecutive    OrganKind = "executive-council"   // a commune's executive council
	KindPlanning     OrganKind = "planning-council"    // drafts the plan and the participatory budget
	KindEconomy      OrganKind = "economy-council"     // a commune's economy council
	KindComptroller  OrganKind = "comptroller-council" // a commune's comptroller council
	KindBank         OrganKind = "communal-bank"       // a commune's communal bank
)

// OrganKinds lists every kind, councils' first.
var OrganKinds = []OrganKind{KindSpokespeople, KindAssembly, KindParliament, KindExecutive, KindPlanning, KindEconomy, KindComptroller, KindBank}

// Level returns the territory level whose units hold organs of kind k.
func (k OrganKind) Level() comuna.Level {
	switch k {
	case KindSpokespeople, KindAssembly:
		return comuna.LevelCouncil
	}
	return comuna.LevelCommune
}

// Valid reports whether k is a known kind.
func (k OrganKind) Valid() bool {
	for _, q := range OrganKinds {
		if q == k {
			return true
		}
	}
	return false
}

// DefaultSize returns the principal seats an organ of kind k has by law: a
// parliament one per council of its commune plus three from
// socio-productive organisations and one from the communal bank; councils
// five. An assembly's size is its council's census, so it is 0 here.
func DefaultSize(k OrganKind, councils int) int {
	switch k {
	case KindParliament:
		return councils + 4
	case KindAssembly:
		return 0
	}
	return 5
}

// TermYears is the length of a spokesperson's term.
const TermYears = 3

// TermEnd returns the last day of a term that starts on start.
func TermEnd(start time.Time) time.Time { return start.AddDate(TermYears, 0, -1) }

// ExpiringWithin is how close to its end a term is shown as expiring.
const ExpiringWithin = 90 * 24 * time.Hour

// TieRule says what a tie under a simple majority means.
type TieRule string

// Tie rules.
const (
	TieFails TieRule = "fails" // a tie does not pass (the default)
	TieChair TieRule = "chair" // the chair's casting vote decides
)

// Organ is a body that meets and decides: its territory unit, its size,
// its quorum rule and its weekly meeting time.
type Organ struct {
	ID       int64
	Kind     OrganKind
	UnitCode string // the council or commune code
	Name     string
	Size     int // principal seats
	// QuorumNum/QuorumDen: a session is quorate when more than this
	// fraction of the seated members is present; 1/2 (the default) is an
	// absolute majority.
	QuorumNum, QuorumDen int
	Tie                  TieRule
	Weekday              time.Weekday // the weekly meeting day
	Minute               int          // minutes after midnight, local time
	Created              time.Time
	// Commune and State are where the organ's unit lies, filled by the
	// store: who may run the organ and where the register finds it.
	Commune, State string
}

// Validate checks an organ, filling defaults, naming the field at fault.
func (o *Organ) Validate() error {
	if !o.Kind.Valid() {
		return comuna.FieldError("kind", "unknown organ kind %q", o.Kind)
	}
	if strings.TrimSpace(o.UnitCode) == "" {
		return comuna.FieldError("unit", "an organ belongs to a %s", o.Kind.Level())
	}
	if strings.TrimSpace(o.Name) == "" || len(o.Name) > 200 {
		return comuna.FieldError("name", "an organ needs a name of at most 200 characters")
	}
	if o.Size < 1 || o.Size > 10000 {
		return comuna.FieldError("size", "an organ has 1 to 10000 seats, not %d", o.Size)
	}
	if o.QuorumNum == 0 && o.QuorumDen == 0 {
		o.QuorumNum, o.QuorumDen = 1, 2
	}
	if o.QuorumDen < 1 || o.QuorumNum < 0 || o.QuorumNum >= o.QuorumDen {
		return comuna.FieldError("quorum", "the quorum is a fraction below 1, like 1/2, not %d/%d", o.QuorumNum, o.QuorumDen)
	}
	if o.Tie == "" {
		o.Tie = TieFails
	}
	if o.Tie != TieFails && o.Tie != TieChair {
		return comuna.FieldError("tie", "unknown tie rule %q (want fails or chair)", o.Tie)
	}
	if o.Weekday < time.Sunday || o.Weekday > time.Saturday {
		return comuna.FieldError("weekday", "unknown weekday %d", o.Weekday)
	}
	if o.Minute < 0 || o.Minute >= 24*60 {
		return comuna.FieldError("time", "a meeting time is between 00:00 and 23:59")
	}
	return nil
}

// QuorumFor returns how many members must be present for a quorum when
// seated members hold seats: the fewest that are more than the organ's
// fraction of them.
func (o *Organ) QuorumFor(seated int) int {
	num, den := o.QuorumNum, o.QuorumDen
	if den == 0 {
		num, den = 1, 2
	}
	return seated*num/den + 1
}

// NextMeetings returns the next n weekly meetings at or after from, in loc.
func (o *Organ) NextMeetings(from time.Time, loc *time.Location, n int) []time.Time {
	f := from.In(loc)
	day := time.Date(f.Year(), f.Month(), f.Day(), o.Minute/60, o.Minute%60, 0, 0, loc)
	for day.Weekday() != o.Weekday || day.Before(f) {
		day = time.Date(day.Year(), day.Month(), day.Day()+1, o.Minute/60, o.Minute%60, 0, 0, loc)
	}
	out := make([]time.Time, n)
	for i := range out {
		out[i] = time.Date(day.Year(), day.Month(), day.Day()+7*i, o.Minute/60, o.Minute%60, 0, 0, loc)
	}
	return out
}

// SeatRole is whether a seat's holder is a principal or an alternate.
type SeatRole string

// Seat roles.
const (
	Principal SeatRole = "principal"
	Alternate SeatRole = "alternate"
)

// Seat is one person's term on an organ: a principal at a position, or an
// alternate who steps in for the principal at the same position. Holders'
// names are public; identity numbers are never stored here.
type Seat struct {
	ID        int64
	OrganID   int64
	Position  int // 1..organ size
	Role      SeatRole
	Holder    string
	Gender    string // optional, "f", "m" or "x", for alternating speakers
	Committee string // optional: a council's committee, or who the seat represents
	Start     time.Time
	End       time.Time // last day of the term
	ElectedBy string    // the vote that elected the holder: a log record or address
}

// Validate checks a seat against its organ, defaulting its end to a
// three-year term.
func (s *Seat) Validate(o *Organ) error {
	if s.Position < 1 || s.Position > o.Size {
		return comuna.FieldError("position", "position %d is not between 1 and the organ's %d seats", s.Position, o.Size)
	}
	if s.Role != Principal && s.Role != Alternate {
		return comuna.FieldError("role", "unknown seat role %q (want principal or alternate)", s.Role)
	}
	if strings.TrimSpace(s.Holder) == "" || len(s.Holder) > 200 {
		return comuna.FieldError("holder", "a seat needs its holder's name, at most 200 characters")
	}
	switch s.Gender {
	case "", "f", "m", "x":
	default:
		return comuna.FieldError("gender", "gender is f, m, x or empty, not %q", s.Gender)
	}
	if s.Start.IsZero() {
		return comuna.FieldError("start", "a seat needs the first day of its term")
	}
	if s.End.IsZero() {
		s.End = TermEnd(s.Start)
	}
	if s.End.Before(s.Start) {
		return comuna.FieldError("end", "the term ends before it starts")
	}
	if len(s.ElectedBy) > 300 || len(s.Committee) > 200 {
		return comuna.FieldError("elected_by", "elected_by and committee are at most 300 and 200 characters")
	}
	return nil
}

// ActiveOn reports whether the seat's term covers day.
func (s *Seat) ActiveOn(day time.Time) bool {
	d := dateOf(day)
	return !d.Before(dateOf(s.Start)) && !d.After(dateOf(s.End))
}

// Expiring reports whether the seat is active and its term ends within
// ExpiringWithin of day.
func (s *Seat) Expiring(day time.Time) bool {
	return s.ActiveOn(day) && dateOf(s.End).Sub(dateOf(day)) <= ExpiringWithin
}

func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Member is who sits at a position on a given day, as a session keeps it:
// a snapshot, so later changes to the registry never rewrite a session.
type Member struct {
	SeatID   int64    `json:"seat"`
	Position int      `json:"position"`
	Role     SeatRole `json:"role"`
	Name     string   `json:"name"`
	Gender   string   `json:"gender,omitempty"`
}

// Roster is an organ's members on a day: each position's principal (or
// the alternate stepping in for a vacancy) and its alternates, with the
// positions left vacant.
type Roster struct {
	Members  []Member // by position, principals first
	Seated   int      // positions held by someone
	Vacant   []int    // positions with nobody active
	Expiring []int64  // seat ids whose term ends soon
}

// RosterOn builds the roster of an organ of size seats from its seats on
// day. When a position has no active principal its first alternate steps
// in and sits as the principal.
func RosterOn(size int, seats []Seat, day time.Time) Roster {
	var r Roster
	byPos := map[int][]Seat{}
	for _, s := range seats {
		if s.ActiveOn(day) {
			byPos[s.Position] = append(byPos[s.Position], s)
			if s.Expiring(day) {
				r.Expiring = append(r.Expiring, s.ID)
			}
		}
	}
	for pos := 1; pos <= size; pos++ {
		list := byPos[pos]
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Role != list[j].Role {
				return list[i].Role == Principal
			}
			return list[i].Start.Before(list[j].Start)
		})
		if len(list) == 0 {
			r.Vacant = append(r.Vacant, pos)
			continue
		}
		r.Seated++
		for i, s := range list {
			role := s.Role
			if i == 0 {
				role = Principal // an alternate filling a vacancy sits as principal
			} else if i > 0 && s.Role == Principal {
				role = Alternate // two overlapping principals: the later waits
			}
			r.Members = append(r.Members, Member{SeatID: s.ID, Position: pos, Role: role, Name: s.Holder, Gender: s.Gender})
		}
	}
	return r
}

// Local is the time zone sessions are scheduled and minuted in:
// Venezuela's, UTC−4 all year.
var Local = time.FixedZone("VET", -4*60*60)
