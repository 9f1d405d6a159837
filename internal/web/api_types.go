package web

import (
	"errors"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// The API's JSON shapes: snake_case names, dates as YYYY-MM-DD, moments
// as RFC 3339 UTC, money as a decimal string with two decimals.

type roundJSON struct {
	ID                int64          `json:"id"`
	Name              string         `json:"name"`
	VoteDate          string         `json:"vote_date"`
	MinAge            int            `json:"min_age"`
	MaxAge            int            `json:"max_age"`
	BallotSize        int            `json:"ballot_size"`
	WinnersPerCircuit int            `json:"winners_per_circuit"`
	AmountPerProject  string         `json:"amount_per_project"`
	CapCost           bool           `json:"cap_cost"`
	DocTypes          []string       `json:"doc_types"`
	SeparateVE        bool           `json:"separate_ve_numbers"`
	Currency          string         `json:"currency"`
	ExchangeRate      string         `json:"exchange_rate"`
	TieBreak          string         `json:"tie_break"`
	TieBreakSeed      string         `json:"tie_break_seed"`
	VoteRule          string         `json:"vote_rule"`
	Allocation        allocationJSON `json:"allocation"`
	WalkInShare       int            `json:"walkin_share"`
	Phase             string         `json:"phase"`
	NextPhase         string         `json:"next_phase,omitempty"`
	TerritoryVersion  int64          `json:"territory_version"`
	Created           string         `json:"created"`
	CreatedBy         int64          `json:"created_by"`
}

func toRoundJSON(r *comuna.Round) roundJSON {
	return roundJSON{ID: r.ID, Name: r.Name, VoteDate: date(r.VoteDate), MinAge: r.MinAge, MaxAge: r.MaxAge,
		BallotSize: r.BallotSize, WinnersPerCircuit: r.WinnersPerCircuit, AmountPerProject: r.AmountPerProject.Plain(),
		CapCost: r.CapCost, DocTypes: strings.Split(r.DocTypes, ""), SeparateVE: r.SeparateVE, Currency: r.Currency, ExchangeRate: r.ExchangeRate, TieBreak: string(r.TieBreak), TieBreakSeed: r.TieBreakSeed,
		VoteRule: string(r.VoteRule), Allocation: toAllocationJSON(r.Allocation), WalkInShare: r.WalkInShare, Phase: string(r.Phase), NextPhase: string(comuna.NextPhase(r.Phase)),
		TerritoryVersion: r.TerritoryVersion, Created: moment(r.Created), CreatedBy: r.CreatedBy}
}

// roundInput is what POST /api/v1/rounds accepts; omitted settings take
// the consultations' defaults.
type roundInput struct {
	Name              string `json:"name"`
	VoteDate          string `json:"vote_date"`
	MinAge            int    `json:"min_age"`
	MaxAge            int    `json:"max_age"`
	BallotSize        int    `json:"ballot_size"`
	WinnersPerCircuit int    `json:"winners_per_circuit"`
	AmountPerProject  string `json:"amount_per_project"`
	CapCost           bool   `json:"cap_cost"`
	// DocTypes lists the accepted documents ("V", "E", "P"); empty takes
	// the default, V and E.
	DocTypes []string `json:"doc_types"`
	// SeparateVE counts one number under V and under E as two people.
	SeparateVE   bool   `json:"separate_ve_numbers"`
	Currency     string `json:"currency"`
	ExchangeRate string `json:"exchange_rate"`
	TieBreak     string `json:"tie_break"`
	TieBreakSeed string `json:"tie_break_seed"`
	VoteRule     string `json:"vote_rule"`
	// Allocation is optional: without it choose-one rounds fund the top k
	// and other rounds must give a rule and budget.
	Allocation *allocationJSON `json:"allocation"`
	// WalkInShare caps walk-ins at this percent of a table's expected
	// voters; 0 takes the default.
	WalkInShare int `json:"walkin_share"`
}

type transitionJSON struct {
	From   string `json:"from"`
	To     string `json:"to"`
	UserID int64  `json:"user_id"`
	User   string `json:"user"`
	At     string `json:"at"`
}

type unitJSON struct {
	Level   string `json:"level"`
	Code    string `json:"code"`
	Parent  string `json:"parent,omitempty"`
	Name    string `json:"name"`
	Census  int64  `json:"census,omitempty"`
	Circuit string `json:"circuit,omitempty"`
	Address string `json:"address,omitempty"`
}

func toUnitJSON(u comuna.Unit) unitJSON {
	return unitJSON{Level: string(u.Level), Code: u.Code, Parent: u.Parent, Name: u.Name, Census: u.Census, Circuit: u.Circuit, Address: u.Address}
}

func toUnitsJSON(us []comuna.Unit) []unitJSON {
	out := make([]unitJSON, 0, len(us))
	for _, u := range us {
		out = append(out, toUnitJSON(u))
	}
	return out
}

type statsJSON struct {
	Children int64 `json:"children"`
	Councils int64 `json:"councils"`
	Census   int64 `json:"census"`
	Tables   int64 `json:"tables"`
}

func toStatsJSON(s *comuna.UnitStats) statsJSON {
	return statsJSON{Children: s.Children, Councils: s.Councils, Census: s.Census, Tables: s.Tables}
}

type proposalJSON struct {
	ID           int64  `json:"id"`
	RoundID      int64  `json:"round_id"`
	Council      string `json:"council"`
	Circuit      string `json:"circuit"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	Category     string `json:"category"`
	Cost         string `json:"cost"`
	Location     string `json:"location"`
	AssemblyDate string `json:"assembly_date"`
	Attendance   int    `json:"attendance"`
	QuorumMet    bool   `json:"quorum_met"`
	VotesFor     int    `json:"votes_for"`
	VotesAgainst int    `json:"votes_against"`
	VotesAbstain int    `json:"votes_abstain"`
	Status       string `json:"status"`
	Reason       string `json:"reason,omitempty"`
	ReviewedBy   int64  `json:"reviewed_by,omitempty"`
	Reviewed     string `json:"reviewed,omitempty"`
	SubmittedBy  int64  `json:"submitted_by"`
	Submitted    string `json:"submitted"`
}

func toProposalJSON(p *comuna.Proposal) proposalJSON {
	return proposalJSON{ID: p.ID, RoundID: p.RoundID, Council: p.Council, Circuit: p.Circuit, Title: p.Title,
		Description: p.Description, Category: p.Category, Cost: p.Cost.Plain(), Location: p.Location,
		AssemblyDate: date(p.Minutes.Date), Attendance: p.Minutes.Attendance, QuorumMet: p.Minutes.QuorumMet,
		VotesFor: p.Minutes.VotesFor, VotesAgainst: p.Minutes.Against, VotesAbstain: p.Minutes.Abstain,
		Status: string(p.Status), Reason: p.Reason, ReviewedBy: p.ReviewedBy, Reviewed: moment(p.Reviewed),
		SubmittedBy: p.SubmittedBy, Submitted: moment(p.Submitted)}
}

func toProposalsJSON(ps []*comuna.Proposal) []proposalJSON {
	out := make([]proposalJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, toProposalJSON(p))
	}
	return out
}

// proposalInput is what POST /api/v1/rounds/{id}/proposals accepts.
type proposalInput struct {
	Council      string `json:"council"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	Category     string `json:"category"`
	Cost         string `json:"cost"`
	Location     string `json:"location"`
	AssemblyDate string `json:"assembly_date"`
	Attendance   int    `json:"attendance"`
	QuorumMet    bool   `json:"quorum_met"`
	VotesFor     int    `json:"votes_for"`
	VotesAgainst int    `json:"votes_against"`
	VotesAbstain int    `json:"votes_abstain"`
}

type reviewInput struct {
	Accept *bool  `json:"accept"`
	Reason string `json:"reason"`
}

type ballotItemJSON struct {
	Number     int    `json:"number"`
	ProposalID int64  `json:"proposal_id"`
	Title      string `json:"title"`
	Council    string `json:"council"`
	Cost       string `json:"cost"`
}

type ballotJSON struct {
	ID          int64            `json:"id"`
	RoundID     int64            `json:"round_id"`
	Circuit     string           `json:"circuit"`
	Version     int              `json:"version"`
	Items       []ballotItemJSON `json:"items"`
	Reason      string           `json:"reason,omitempty"`
	Published   bool             `json:"published"`
	CreatedBy   int64            `json:"created_by"`
	Created     string           `json:"created"`
	PublishedAt string           `json:"published_at,omitempty"`
}

func toBallotJSON(b *comuna.Ballot) *ballotJSON {
	if b == nil {
		return nil
	}
	out := &ballotJSON{ID: b.ID, RoundID: b.RoundID, Circuit: b.Circuit, Version: b.Version, Reason: b.Reason,
		Published: b.Published, CreatedBy: b.CreatedBy, Created: moment(b.Created), PublishedAt: moment(b.PublishedAt),
		Items: []ballotItemJSON{}}
	for _, it := range b.Items {
		out.Items = append(out.Items, ballotItemJSON{Number: it.Number, ProposalID: it.ProposalID, Title: it.Title, Council: it.Council, Cost: it.Cost.Plain()})
	}
	return out
}

type ballotInput struct {
	Proposals []int64 `json:"proposals"`
	Reason    string  `json:"reason"`
	Publish   bool    `json:"publish"`
}

type userJSON struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Scope    string `json:"scope,omitempty"`
	Created  string `json:"created"`
	Disabled bool   `json:"disabled"`
}

func toUserJSON(u *comuna.User) userJSON {
	return userJSON{ID: u.ID, Username: u.Username, Name: u.Name, Role: string(u.Role), Scope: u.Scope, Created: moment(u.Created), Disabled: u.Disabled}
}

type userInput struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Scope    string `json:"scope"`
	Password string `json:"password"`
}

type tokenInput struct {
	Name   string `json:"name"`
	UserID int64  `json:"user_id"`
}

type tokenJSON struct {
	Token  string `json:"token"`
	Name   string `json:"name"`
	UserID int64  `json:"user_id"`
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func moment(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// parseDate reads a YYYY-MM-DD field of a JSON body; blank is zero.
func parseDate(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return t, comuna.FieldError(field, "%s must be a date as YYYY-MM-DD, not %q", field, v)
	}
	return t, nil
}

// parseMoney reads a decimal amount of a JSON body; blank is zero.
func parseMoney(field, v string) (comuna.Cents, error) {
	if v == "" {
		return 0, nil
	}
	c, err := comuna.ParseCents(v)
	if err != nil {
		var e *comuna.Error
		if errors.As(err, &e) {
			fe := *e
			fe.Field = field
			return 0, &fe
		}
		return 0, comuna.FieldError(field, "%v", err)
	}
	return c, nil
}
