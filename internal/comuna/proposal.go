package comuna

import (
	"context"
	"strings"
	"time"
)

// Categories lists the kinds of community project a council may nominate.
var Categories = []string{"water", "roads", "electricity", "health", "education", "environment", "retaining-walls", "security", "communal-house", "sport", "culture", "production", "other"}

// ValidCategory reports whether c is one of Categories.
func ValidCategory(c string) bool {
	for _, k := range Categories {
		if k == c {
			return true
		}
	}
	return false
}

// Minutes records the citizens' assembly of a council that nominated a
// project: when it met, how many attended, whether it reached quorum, and
// how it voted.
type Minutes struct {
	Date       time.Time
	Attendance int
	QuorumMet  bool
	VotesFor   int
	Against    int
	Abstain    int
}

// Validate checks the minutes, naming the field at fault.
func (m *Minutes) Validate() error {
	if m.Date.IsZero() {
		return FieldError("assembly_date", "the assembly's date is required")
	}
	if m.Attendance < 1 {
		return FieldError("attendance", "attendance must be at least 1")
	}
	if !m.QuorumMet {
		return FieldError("quorum_met", "an assembly without quorum cannot nominate a project")
	}
	if m.VotesFor < 0 || m.Against < 0 || m.Abstain < 0 {
		return FieldError("votes_for", "votes cannot be negative")
	}
	if m.VotesFor+m.Against+m.Abstain > m.Attendance {
		return FieldError("votes_for", "%d votes for, against and abstaining exceed the attendance of %d", m.VotesFor+m.Against+m.Abstain, m.Attendance)
	}
	if m.VotesFor <= m.Against {
		return FieldError("votes_for", "the assembly did not approve the project (%d for, %d against)", m.VotesFor, m.Against)
	}
	return nil
}

// Status is where a proposal stands in review.
type Status string

// Proposal statuses.
const (
	StatusSubmitted Status = "submitted"
	StatusAccepted  Status = "accepted"
	StatusRejected  Status = "rejected"
)

// Proposal is a project a council nominates for a round.
type Proposal struct {
	ID          int64
	RoundID     int64
	Council     string // council code
	Circuit     string // the council's circuit in the round's territory
	Title       string
	Description string
	Category    string
	Cost        Cents // estimated cost in the round's currency
	Location    string
	ExternalID  string // the project's identifier in an imported file, e.g. a pabulib project_id
	Minutes     Minutes
	Status      Status
	Reason      string // the reviewer's reason, for accepting or rejecting
	ReviewedBy  int64
	Reviewed    time.Time
	SubmittedBy int64
	Submitted   time.Time
}

// Validate checks a new proposal's own fields, naming the field at fault.
func (p *Proposal) Validate() error {
	if strings.TrimSpace(p.Council) == "" {
		return FieldError("council", "choose the nominating council")
	}
	if t := strings.TrimSpace(p.Title); t == "" {
		return FieldError("title", "a project needs a title")
	} else if len(t) > 200 {
		return FieldError("title", "title is longer than 200 characters")
	}
	if len(p.Description) > 5000 {
		return FieldError("description", "description is longer than 5000 characters")
	}
	if !ValidCategory(p.Category) {
		return FieldError("category", "unknown category %q", p.Category)
	}
	if p.Cost <= 0 {
		return FieldError("cost", "estimated cost must be more than zero")
	}
	if len(p.ExternalID) > 100 {
		return FieldError("external_id", "external id is longer than 100 characters")
	}
	if len(p.Location) > 300 {
		return FieldError("location", "location is longer than 300 characters")
	}
	return p.Minutes.Validate()
}

// Review is a reviewer's decision on a proposal's cost and feasibility.
type Review struct {
	ProposalID int64
	Accept     bool
	Reason     string
	UserID     int64
}

// Validate checks that a review gives its reason.
func (r *Review) Validate() error {
	if len(strings.TrimSpace(r.Reason)) < 5 {
		return FieldError("reason", "give the reason for the decision (at least 5 characters)")
	}
	if len(r.Reason) > 2000 {
		return FieldError("reason", "reason is longer than 2000 characters")
	}
	return nil
}

// ProposalFilter selects proposals for listing.
type ProposalFilter struct {
	RoundID int64
	Circuit string
	Council string
	Status  Status
	Limit   int // 0 means no limit
	Offset  int
}

// ProposalService stores proposals and their reviews.
type ProposalService interface {
	// SubmitProposal stores a proposal while the round takes proposals;
	// the council must exist in the round's territory.
	SubmitProposal(ctx context.Context, p *Proposal) error
	// ReviewProposal accepts or rejects a proposal during the proposals or
	// review phase.
	ReviewProposal(ctx context.Context, r Review) (*Proposal, error)
	// Proposal returns one proposal; ENotFound if absent.
	Proposal(ctx context.Context, id int64) (*Proposal, error)
	// Proposals lists proposals matching the filter, by circuit then id.
	Proposals(ctx context.Context, f ProposalFilter) ([]*Proposal, error)
}
