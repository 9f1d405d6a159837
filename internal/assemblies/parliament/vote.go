package parliament

import (
	"fmt"

	"github.com/comuna/comuna/internal/comuna"
)

// Majority is the rule a vote must meet to pass.
type Majority string

// Majorities. "Present" counts the members present when the vote closes;
// "members" counts the seated members of the organ.
const (
	Simple            Majority = "simple"              // more for than against
	Absolute          Majority = "absolute"            // more for than half the seated members
	TwoThirdsPresent  Majority = "two-thirds-present"  // at least ⅔ of those present
	TwoThirdsMembers  Majority = "two-thirds-members"  // at least ⅔ of the seated members
	FourFifthsPresent Majority = "four-fifths-present" // at least ⅘ of those present
	FourFifthsMembers Majority = "four-fifths-members" // at least ⅘ of the seated members
)

// Majorities lists every majority rule.
var Majorities = []Majority{Simple, Absolute, TwoThirdsPresent, TwoThirdsMembers, FourFifthsPresent, FourFifthsMembers}

// Valid reports whether m is a known rule.
func (m Majority) Valid() bool {
	for _, q := range Majorities {
		if q == m {
			return true
		}
	}
	return false
}

// Method is how members vote.
type Method string

// Voting methods.
const (
	RollCall    Method = "roll-call"     // each member's vote is public
	ShowOfHands Method = "show-of-hands" // the secretary enters the totals
	Secret      Method = "secret"        // paper ballots; totals entered twice
)

// Valid reports whether m is a known method.
func (m Method) Valid() bool { return m == RollCall || m == ShowOfHands || m == Secret }

// Choices of a roll-call ballot.
const (
	ChoiceFor     = "for"
	ChoiceAgainst = "against"
	ChoiceAbstain = "abstain"
)

// Totals are a vote's counts.
type Totals struct {
	For     int `json:"for"`
	Against int `json:"against"`
	Abstain int `json:"abstain"`
}

// Cast returns how many members voted, abstentions included.
func (t Totals) Cast() int { return t.For + t.Against + t.Abstain }

// Quorum is the quorum at one moment: the seated members, those present,
// the presence the organ's rule requires, and whether it is met.
type Quorum struct {
	Seated   int  `json:"seated"`
	Present  int  `json:"present"`
	Required int  `json:"required"`
	Met      bool `json:"met"`
}

// Result is a closed vote's outcome with the rule applied: the base it
// counts against (those present or the seated members), the votes for it
// needed, and whether a tie was decided by the chair.
type Result struct {
	Passed   bool     `json:"passed"`
	Majority Majority `json:"majority"`
	Base     string   `json:"base"` // "present", "members" or "cast"
	BaseSize int      `json:"base_size"`
	Needed   int      `json:"needed"` // votes for needed; for simple, more than against
	Totals
	Tie     bool   `json:"tie,omitempty"`
	Casting string `json:"casting,omitempty"` // the chair's casting vote on a tie
}

// Decide applies majority m to totals t given the quorum q at the vote and
// the organ's tie rule; casting is the chair's vote ("for" or "against")
// when a simple-majority tie goes to the chair. A vote without quorum is
// refused, as is a count larger than the members present.
func Decide(m Majority, t Totals, q Quorum, tie TieRule, casting string) (Result, error) {
	if !m.Valid() {
		return Result{}, comuna.FieldError("majority", "unknown majority %q", m)
	}
	if !q.Met {
		return Result{}, conflict("quorum", "no quorum: %d present, %d needed of %d seated members", q.Present, q.Required, q.Seated)
	}
	if t.For < 0 || t.Against < 0 || t.Abstain < 0 {
		return Result{}, comuna.FieldError("totals", "counts cannot be negative")
	}
	if t.Cast() > q.Present {
		return Result{}, comuna.FieldError("totals", "%d votes cast but only %d members present", t.Cast(), q.Present)
	}
	r := Result{Majority: m, Totals: t}
	switch m {
	case Simple:
		r.Base, r.BaseSize, r.Needed = "cast", t.For+t.Against, t.Against+1
		if t.For == t.Against && t.For > 0 {
			r.Tie = true
			if tie == TieChair {
				if casting != ChoiceFor && casting != ChoiceAgainst {
					return Result{}, comuna.FieldError("casting", "a tie: the chair's casting vote (for or against) decides")
				}
				r.Casting = casting
				r.Passed = casting == ChoiceFor
				return r, nil
			}
		}
		r.Passed = t.For > t.Against
	case Absolute:
		r.Base, r.BaseSize = "members", q.Seated
		r.Needed = q.Seated/2 + 1
	case TwoThirdsPresent, TwoThirdsMembers, FourFifthsPresent, FourFifthsMembers:
		r.Base, r.BaseSize = "present", q.Present
		if m == TwoThirdsMembers || m == FourFifthsMembers {
			r.Base, r.BaseSize = "members", q.Seated
		}
		num, den := 2, 3
		if m == FourFifthsPresent || m == FourFifthsMembers {
			num, den = 4, 5
		}
		r.Needed = (r.BaseSize*num + den - 1) / den // at least the fraction
	}
	if m != Simple {
		r.Passed = t.For >= r.Needed
	}
	return r, nil
}

// Explain says in the language lang ("es" or "en") which rule was
// applied and why the vote passed or failed.
func (r Result) Explain(lang string) string {
	es := lang != "en"
	verdict := map[bool]string{true: "passed", false: "failed"}[r.Passed]
	counts := fmt.Sprintf("%d for, %d against, %d abstaining", r.For, r.Against, r.Abstain)
	if es {
		verdict = map[bool]string{true: "se aprueba", false: "no se aprueba"}[r.Passed]
		counts = fmt.Sprintf("%d a favor, %d en contra, %d abstenciones", r.For, r.Against, r.Abstain)
	}
	switch r.Majority {
	case Simple:
		switch {
		case es && r.Tie && r.Casting != "":
			return fmt.Sprintf("Mayoría simple (más votos a favor que en contra): %s, empate decidido por el voto de calidad de la presidencia (%s), así que %s.", counts, map[string]string{ChoiceFor: "a favor", ChoiceAgainst: "en contra"}[r.Casting], verdict)
		case es && r.Tie:
			return fmt.Sprintf("Mayoría simple (más votos a favor que en contra): %s, un empate no aprueba, así que %s.", counts, verdict)
		case es:
			return fmt.Sprintf("Mayoría simple (más votos a favor que en contra): %s, así que %s.", counts, verdict)
		case r.Tie && r.Casting != "":
			return fmt.Sprintf("Simple majority (more for than against): %s, a tie decided by the chair's casting vote %s, so it %s.", counts, r.Casting, verdict)
		case r.Tie:
			return fmt.Sprintf("Simple majority (more for than against): %s, a tie, which does not pass, so it %s.", counts, verdict)
		}
		return fmt.Sprintf("Simple majority (more for than against): %s, so it %s.", counts, verdict)
	case Absolute:
		if es {
			return fmt.Sprintf("Mayoría absoluta (más de la mitad de los %d miembros en funciones, %d votos a favor): %s, así que %s.", r.BaseSize, r.Needed, counts, verdict)
		}
		return fmt.Sprintf("Absolute majority (more than half of the %d seated members, %d votes for): %s, so it %s.", r.BaseSize, r.Needed, counts, verdict)
	}
	five := r.Majority == FourFifthsPresent || r.Majority == FourFifthsMembers
	if es {
		frac := map[bool]string{false: "dos tercios", true: "cuatro quintos"}[five]
		base := map[bool]string{false: "miembros presentes", true: "miembros en funciones"}[r.Base == "members"]
		return fmt.Sprintf("Mayoría calificada (al menos %s de los %d %s, %d votos a favor): %s, así que %s.", frac, r.BaseSize, base, r.Needed, counts, verdict)
	}
	frac := map[bool]string{false: "two thirds", true: "four fifths"}[five]
	base := map[bool]string{false: "members present", true: "seated members"}[r.Base == "members"]
	return fmt.Sprintf("Qualified majority (at least %s of the %d %s, %d votes for): %s, so it %s.", frac, r.BaseSize, base, r.Needed, counts, verdict)
}
