package comuna

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Phase is the stage a consultation round is in.
type Phase string

// The phases of a round, in order. A round moves one phase forward at a
// time; every move is recorded with who made it and when.
const (
	PhaseDraft     Phase = "draft"
	PhaseProposals Phase = "proposals"
	PhaseReview    Phase = "review"
	PhaseBallots   Phase = "ballots"
	PhaseVoting    Phase = "voting"
	PhaseCounting  Phase = "counting"
	PhaseResults   Phase = "results"
	PhaseExecution Phase = "execution"
	PhaseClosed    Phase = "closed"
)

// Phases lists every phase in order.
var Phases = []Phase{PhaseDraft, PhaseProposals, PhaseReview, PhaseBallots, PhaseVoting, PhaseCounting, PhaseResults, PhaseExecution, PhaseClosed}

// PhaseIndex returns the position of p in Phases, or -1.
func PhaseIndex(p Phase) int {
	for i, q := range Phases {
		if q == p {
			return i
		}
	}
	return -1
}

// NextPhase returns the phase after p, or "" when p is the last or unknown.
func NextPhase(p Phase) Phase {
	i := PhaseIndex(p)
	if i < 0 || i == len(Phases)-1 {
		return ""
	}
	return Phases[i+1]
}

// CheckTransition returns nil if a round may move from one phase to
// another: only to the next phase.
func CheckTransition(from, to Phase) error {
	if PhaseIndex(to) < 0 {
		return FieldError("phase", "unknown phase %q", to)
	}
	if next := NextPhase(from); to != next {
		if next == "" {
			return Errorf(EConflict, "the round is %s; it cannot move to %s", from, to)
		}
		return Errorf(EConflict, "a round in %s can only move to %s, not %s", from, next, to)
	}
	return nil
}

// VoteRule is how voters mark their ballots and how winners follow.
type VoteRule string

// Vote rules. The consultations use choose-one with the top k projects of
// each circuit winning; the others are general participatory-budgeting
// ballots allocated by the engine in package pb.
const (
	RuleChooseOne  VoteRule = "choose-one"
	RuleApproval   VoteRule = "approval"
	RuleCumulative VoteRule = "cumulative"
	RuleOrdinal    VoteRule = "ordinal"
)

// TieBreak is how ties between projects are settled; it is fixed before
// the vote and shown with the round.
type TieBreak string

// Tie-break rules.
const (
	// TieLottery orders projects by a keyed hash of the seed published in
	// advance and the project's ballot number: anyone can recompute it.
	TieLottery TieBreak = "lottery"
	// TieLowerCost prefers the cheaper project, then the lottery.
	TieLowerCost TieBreak = "lower-cost"
	// TieBallotNumber prefers the lower ballot number.
	TieBallotNumber TieBreak = "ballot-number"
)

// DefaultDocTypes are the documents a round accepts when it names none:
// the cédulas of Venezuelans and of resident foreigners, not passports.
const DefaultDocTypes = "VE"

// DefaultWalkInShare is the share (percent) of a table's expected voters
// it may admit on paper when a round names none: enough for an outage of
// an hour or two, too few to stuff a circuit.
const DefaultWalkInShare = 10

// Round is one popular consultation.
type Round struct {
	ID                int64
	Name              string
	VoteDate          time.Time // the day of the vote (date only, UTC)
	MinAge            int       // eligible from this age (default 15)
	MaxAge            int       // up to this age inclusive; 0 means no limit
	BallotSize        int       // at most this many projects on a ballot (default 7)
	WinnersPerCircuit int       // top k projects funded per circuit (default 2)
	AmountPerProject  Cents     // funding per winning project
	// CapCost refuses a proposal that costs more than AmountPerProject;
	// unset, such a proposal is taken and flagged to its council and to
	// reviewers.
	CapCost bool
	// DocTypes lists the identity documents the poll book accepts, as
	// letters: V, E and P (default DefaultDocTypes, passports off).
	DocTypes string
	// SeparateVE treats a number under V and the same number under E as
	// two people; by default they are one, so the second answers already
	// voted.
	SeparateVE   bool
	Currency     string // currency of AmountPerProject, e.g. USD
	ExchangeRate string // local currency per unit, as a decimal, e.g. "36.50"
	TieBreak     TieBreak
	TieBreakSeed string // published before the vote
	VoteRule     VoteRule
	Allocation   Allocation // how votes become funded projects
	// WalkInShare caps the voters a table may admit on paper, as a percent
	// of its expected voters (default DefaultWalkInShare).
	WalkInShare      int
	Phase            Phase
	TerritoryVersion int64 // the frozen copy of the territory this round uses
	Created          time.Time
	CreatedBy        int64
}

// Defaults fills zero fields with the consultations' defaults.
func (r *Round) Defaults() {
	if r.MinAge == 0 {
		r.MinAge = 15
	}
	if r.BallotSize == 0 {
		r.BallotSize = 7
	}
	if r.WinnersPerCircuit == 0 {
		r.WinnersPerCircuit = 2
	}
	if r.Currency == "" {
		r.Currency = "USD"
	}
	if r.ExchangeRate == "" {
		r.ExchangeRate = "1"
	}
	if r.TieBreak == "" {
		r.TieBreak = TieLottery
	}
	if r.VoteRule == "" {
		r.VoteRule = RuleChooseOne
	}
	if r.Phase == "" {
		r.Phase = PhaseDraft
	}
	if r.WalkInShare == 0 {
		r.WalkInShare = DefaultWalkInShare
	}
	if r.DocTypes == "" {
		r.DocTypes = DefaultDocTypes
	}
	r.allocDefaults()
}

// Validate checks a round's settings, naming the field at fault.
func (r *Round) Validate() error {
	if n := strings.TrimSpace(r.Name); n == "" {
		return FieldError("name", "a round needs a name")
	} else if len(n) > 200 {
		return FieldError("name", "name is longer than 200 characters")
	}
	if r.VoteDate.IsZero() {
		return FieldError("vote_date", "a round needs a vote date")
	}
	if r.MinAge < 14 || r.MinAge > 120 {
		return FieldError("min_age", "minimum age must be between 14 and 120")
	}
	if r.MaxAge != 0 && r.MaxAge < r.MinAge {
		return FieldError("max_age", "maximum age %d is below the minimum %d", r.MaxAge, r.MinAge)
	}
	if max := MaxBallotSize(r.VoteRule); r.BallotSize < 1 || r.BallotSize > max {
		return FieldError("ballot_size", "ballot size must be between 1 and %d", max)
	}
	if r.WinnersPerCircuit < 1 || r.WinnersPerCircuit > r.BallotSize {
		return FieldError("winners", "winners per circuit must be between 1 and the ballot size")
	}
	if r.AmountPerProject < 0 {
		return FieldError("amount", "amount per project cannot be negative")
	}
	if len(r.Currency) != 3 || strings.ToUpper(r.Currency) != r.Currency {
		return FieldError("currency", "currency must be a three-letter code such as USD")
	}
	if !validDecimal(r.ExchangeRate) {
		return FieldError("exchange_rate", "exchange rate %q must be a positive decimal number", r.ExchangeRate)
	}
	switch r.TieBreak {
	case TieLottery, TieLowerCost, TieBallotNumber:
	default:
		return FieldError("tie_break", "unknown tie-break %q", r.TieBreak)
	}
	if (r.TieBreak == TieLottery || r.TieBreak == TieLowerCost) && strings.TrimSpace(r.TieBreakSeed) == "" {
		return FieldError("tie_break_seed", "a lottery tie-break needs its seed, published before the vote")
	}
	switch r.VoteRule {
	case RuleChooseOne, RuleApproval, RuleCumulative, RuleOrdinal:
	default:
		return FieldError("vote_rule", "unknown vote rule %q", r.VoteRule)
	}
	if PhaseIndex(r.Phase) < 0 {
		return FieldError("phase", "unknown phase %q", r.Phase)
	}
	if r.DocTypes != "" {
		if err := validDocTypes(r.DocTypes); err != nil {
			return err
		}
	}
	if r.WalkInShare < 1 || r.WalkInShare > 100 {
		return FieldError("walkin_share", "the share of a table's voters admitted on paper must be between 1 and 100 percent")
	}
	return r.validateAllocation()
}

func validDecimal(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		return false
	}
	nonzero := false
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return false
			}
			if c != '0' {
				nonzero = true
			}
		}
	}
	return nonzero
}

// AgeRange describes the eligible ages for people, e.g. "15+" or "15–35".
func (r *Round) AgeRange() string {
	if r.MaxAge == 0 {
		return fmt.Sprintf("%d+", r.MinAge)
	}
	return fmt.Sprintf("%d–%d", r.MinAge, r.MaxAge)
}

// Transition is one recorded move of a round between phases.
type Transition struct {
	RoundID int64
	From    Phase
	To      Phase
	UserID  int64
	User    string // the username, for display
	At      time.Time
}

// RoundService stores rounds and their phase history.
type RoundService interface {
	// CreateRound validates r, freezes a copy of the editable territory for
	// it and stores it, setting r.ID and r.TerritoryVersion.
	CreateRound(ctx context.Context, r *Round) error
	// UpdateRound changes a round's settings while it is still a draft.
	UpdateRound(ctx context.Context, r *Round) error
	// Round returns one round; ENotFound if absent.
	Round(ctx context.Context, id int64) (*Round, error)
	// Rounds lists all rounds, newest first.
	Rounds(ctx context.Context) ([]*Round, error)
	// TransitionRound moves a round to the next phase and records who did
	// it; EConflict unless the round is in phase from and to follows it.
	TransitionRound(ctx context.Context, id int64, from, to Phase, userID int64) (*Round, error)
	// Transitions lists a round's phase history, oldest first.
	Transitions(ctx context.Context, id int64) ([]Transition, error)
}

// CostAbove reports whether a project costing c costs more than the
// round's amount per project (never, when the round sets no amount).
func (r *Round) CostAbove(c Cents) bool {
	return r.AmountPerProject > 0 && c > r.AmountPerProject
}

// CheckCost is the one decision on a proposal's cost against the round's
// amount per project: an EInvalid error on "cost" when the round caps the
// cost and c is above it, nil otherwise (a cost above an uncapped amount
// is allowed, and shown as such).
func (r *Round) CheckCost(c Cents) error {
	if r.CapCost && r.CostAbove(c) {
		return Keyed(EInvalid, "cost", "proposal.cost.capped",
			"the cost %s is above the amount per project, %s %s, and this round takes no proposal above it",
			c, r.AmountPerProject, r.Currency)
	}
	return nil
}

// validDocTypes checks a round's DocTypes: one to three of V, E and P,
// each once.
func validDocTypes(s string) error {
	if s == "" || len(s) > 3 {
		return FieldError("doc_types", "choose the documents the poll book accepts: V, E and/or P")
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("VEP", rune(s[i])) || strings.IndexByte(s[:i], s[i]) >= 0 {
			return FieldError("doc_types", "choose the documents the poll book accepts: V, E and/or P, each once")
		}
	}
	return nil
}

// AcceptsDoc reports whether the round's poll book takes document type t.
func (r *Round) AcceptsDoc(t string) bool {
	types := r.DocTypes
	if types == "" {
		types = DefaultDocTypes
	}
	return len(t) == 1 && strings.Contains(types, t)
}
