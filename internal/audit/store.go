package audit

import (
	"context"
	"time"
)

// Kind is what a stored audit does.
type Kind string

// Audit kinds.
const (
	// KindRisk is a risk-limiting audit of every circuit's winners: each
	// circuit draws tables by PPEB (Sample) and escalates as Assess says.
	KindRisk Kind = "risk-limiting"
	// KindDraw is a plain national draw of N tables for a hand recount
	// (Draw), reporting the discrepancies it finds.
	KindDraw Kind = "draw"
)

// DefaultRiskLimit is the risk limit of an audit that names none: 5%.
const DefaultRiskLimit = 0.05

// Audit is an audit of a round's paper as stored. Its seed was announced
// at a public ceremony (twenty dice digits, say), so anyone can re-derive
// its draws from the published sheets.
type Audit struct {
	ID        int64
	RoundID   int64
	Kind      Kind
	Seed      string
	RiskLimit float64 // KindRisk: between 0 and 1
	Tables    int     // KindDraw: how many tables to draw nationally
	// Epoch is the round's results epoch (the highest sheet version id)
	// when the audit was created; a later correction changes the
	// reported counts the audit compares against, and reports say so.
	Epoch     int64
	CreatedBy int64
	Created   time.Time
}

// HandCount is the hand recount of one table's paper ballots for an
// audit: one auditor's entry, or the accepted recount two auditors'
// agreeing entries made, which never changes.
type HandCount struct {
	AuditID   int64
	Recount             // the table and what was found on the paper
	EnteredBy int64     // the user who entered it (of an accepted recount: the second)
	FirstBy   int64     // of an accepted recount: the first enterer
	Entered   time.Time // set by the store
}

// EntryStatus is where a table's double entry of a recount stands.
type EntryStatus string

// Entry statuses, as for tally sheets.
const (
	EntryWaiting  EntryStatus = "waiting"  // the second entry is missing
	EntryMismatch EntryStatus = "mismatch" // two auditors' entries differ: see Differences
	EntryAccepted EntryStatus = "accepted" // two entries agree: the recount is accepted
)

// EntryResult answers a recount entry. It is blind: a mismatch names the
// fields that differ ("counts.2", "ballots"), never the other values.
type EntryResult struct {
	Status      EntryStatus
	Differences []string
	Accepted    *HandCount
}

// Store keeps audits and their hand counts. Storage backends implement it
// next to comuna.Store; the web server and the command line use it.
type Store interface {
	// CreateAudit stores a new audit, setting its ID and Created. The
	// round must be counting or in results (EConflict otherwise); the seed
	// must not be blank, a risk-limiting audit needs a risk limit between
	// 0 and 1 and a draw at least one table (EInvalid).
	CreateAudit(ctx context.Context, a *Audit) error
	// Audit returns one audit; ENotFound if there is none.
	Audit(ctx context.Context, id int64) (*Audit, error)
	// Audits lists a round's audits, newest first.
	Audits(ctx context.Context, roundID int64) ([]*Audit, error)
	// EnterHandCount stores one auditor's entry of a table's recount and
	// accepts the recount when another auditor's latest entry agrees.
	// Only an auditor of this audit enters (EForbidden otherwise, and for
	// an auditor named among the table's members on its sheet); an
	// accepted recount never changes (EConflict). ENotFound for an
	// unknown audit or a table not in the audit's round, EInvalid for
	// negative counts.
	EnterHandCount(ctx context.Context, h *HandCount) (*EntryResult, error)
	// HandCounts returns an audit's accepted recounts ordered by table.
	HandCounts(ctx context.Context, auditID int64) ([]*HandCount, error)
}
