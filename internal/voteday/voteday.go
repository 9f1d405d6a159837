// Package voteday is the contract of vote day between the storage
// backends and the web server: the poll book at each table, the closing of
// tables, the tally sheets entered twice and reconciled, their corrections,
// and the stored sheets that live results are computed from.
//
// The poll book stores only keyed hashes of identity documents (see package
// pollbook), one row per voter and round, holding the hash and the voting
// centre — never a time, a table or anything that could be joined to a
// ballot; per-table counts are kept apart as counters. DestroyCheckIns
// deletes the hashes once results are final, keeping only the counts.
//
// Every submission carries a client-chosen idempotency key: a retried
// request returns the first answer and never counts twice; the same key
// with a different request is a conflict.
package voteday

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/tally"
)

// CheckIn asks to record one voter at a table. The web layer screens the
// document and age (pollbook.CheckIn.Screen) and hashes the document with
// the electoral authority's key; the store sees only the hash.
type CheckIn struct {
	RoundID        int64
	Table          string
	DocHash        [32]byte
	IdempotencyKey string
	UserID         int64
}

// CheckInResult is the poll book's answer.
type CheckInResult struct {
	Outcome pollbook.Outcome // accepted, already_voted, wrong_round or table_closed
	// Centre and CentreName say where the document was already checked in,
	// for already_voted; nothing more (not when, not which table) is told.
	Centre     string
	CentreName string
	Replayed   bool  // this idempotency key was answered before
	CheckIns   int64 // the table's accepted check-ins after this one
}

// WalkIns proposes voters a table admitted on paper while the network was
// down, with the reason. A proposal counts only once a second person of
// the table confirms it (DecideWalkIns); confirmed reports add up, within
// the table's cap (TableState.WalkInCap).
type WalkIns struct {
	RoundID        int64
	Table          string
	Count          int64
	Reason         string
	IdempotencyKey string
	UserID         int64 // who proposes it
}

// WalkInStatus is where a walk-in report stands.
type WalkInStatus string

// Walk-in statuses.
const (
	WalkInProposed  WalkInStatus = "proposed"  // waiting for a second person
	WalkInConfirmed WalkInStatus = "confirmed" // counted at the table
	WalkInRefused   WalkInStatus = "refused"   // a second person refused it; never counted
)

// WalkInReport is one report of walk-ins as stored, with who proposed and
// who decided it.
type WalkInReport struct {
	ID         int64
	RoundID    int64
	Table      string
	Count      int64
	Reason     string
	Status     WalkInStatus
	ProposedBy int64
	Proposer   string // username
	Proposed   time.Time
	DecidedBy  int64
	Decider    string
	Decided    time.Time
}

// WalkInDecision confirms or refuses a proposed walk-in report. The
// decider must be another person than the proposer.
type WalkInDecision struct {
	RoundID  int64
	Table    string
	ReportID int64
	Confirm  bool // false refuses
	UserID   int64
}

// Entry is one person's entry of a table's tally sheet. Two entries by
// different people that agree make the accepted sheet.
type Entry struct {
	Sheet          tally.Sheet // RoundID and Table set; Circuit filled by the store
	IdempotencyKey string
	UserID         int64
}

// EntryStatus is where a table's double entry stands after an entry.
type EntryStatus string

// Entry statuses.
const (
	EntryWaiting  EntryStatus = "waiting"  // the first entry; a second person must enter it too
	EntryMismatch EntryStatus = "mismatch" // two people's entries differ: see Differences
	EntryAccepted EntryStatus = "accepted" // two entries agree: the sheet is accepted
)

// EntryResult answers an entry. Double entry is blind: a mismatch names
// the fields that differ and never the other person's values, so the
// second person cannot copy the first.
type EntryResult struct {
	Status      EntryStatus
	Differences []string      // with EntryMismatch: the fields that differ, as tally.Compare names them
	Sheet       *SheetVersion // with EntryAccepted: the accepted version
	Replayed    bool
}

// PendingEntry is someone's entry of a sheet not yet matched, without its
// values.
type PendingEntry struct {
	UserID   int64
	Username string
}

// Correction proposes a new version of an accepted sheet. It takes
// effect only when another person confirms the same values
// (DecideCorrection); earlier versions stay visible.
type Correction struct {
	Sheet          tally.Sheet
	Reason         string
	IdempotencyKey string
	UserID         int64 // the proposer
}

// CorrectionStatus is where a proposed correction stands.
type CorrectionStatus string

// Correction statuses.
const (
	CorrectionProposed  CorrectionStatus = "proposed"
	CorrectionConfirmed CorrectionStatus = "confirmed"
	CorrectionRefused   CorrectionStatus = "refused"
)

// CorrectionProposal is a proposed correction as stored, public like the
// sheets: the values, the reason, who proposed it and who decided it.
type CorrectionProposal struct {
	ID             int64
	RoundID        int64
	Table          string
	Circuit        string
	BaseVersion    int // the version it corrects
	Sheet          tally.Sheet
	Reason         string
	Status         CorrectionStatus
	ProposedBy     int64
	Proposer       string
	Proposed       time.Time
	DecidedBy      int64
	Decider        string
	Decided        time.Time
	DecisionReason string // why it was refused
	Version        int    // the version a confirmation made
	ReopeningID    int64  // the reopening it used, in results
}

// CorrectionDecision confirms a proposal, giving the same values, or
// refuses it with a reason; by another person than its proposer.
type CorrectionDecision struct {
	RoundID    int64
	Table      string
	ProposalID int64
	Confirm    bool
	Sheet      tally.Sheet // Confirm: the values, as the decider reads them
	Reason     string      // refusal: why
	UserID     int64
}

// Reopening is an administrator's reopening of a circuit whose result is
// final, with its reason: it admits one correction of one of its tables.
type Reopening struct {
	ID           int64
	RoundID      int64
	Circuit      string
	Reason       string
	OpenedBy     int64
	Opener       string
	Opened       time.Time
	CorrectionID int64 // the proposal that used it; 0 while open
}

// SheetVersion is one accepted version of a table's sheet.
type SheetVersion struct {
	ID        int64 // increases with every accepted sheet or correction in the store
	RoundID   int64
	Table     string
	Circuit   string
	Version   int // 1 for the sheet accepted by double entry, then 2, 3… for corrections
	Sheet     tally.Sheet
	Reason    string // for corrections
	SignedBy  int64  // the second enterer, or the corrector
	Signer    string // username, for display
	EnteredBy []int64
	Accepted  time.Time
}

// TableState is what a table's page shows on vote day.
type TableState struct {
	RoundID    int64
	Table      string
	TableName  string
	Centre     string
	CentreName string
	Circuit    string
	Closed     bool
	ClosedAt   time.Time
	// ClosedByPhase is set when the move from voting to counting closed
	// the table, rather than one of its members.
	ClosedByPhase bool
	CheckIns      int64
	WalkIns       int64 // confirmed walk-ins only
	// WalkInCap is the most walk-ins the table may count in all: the
	// round's WalkInShare of the table's expected voters.
	WalkInCap     int64
	WalkInReports []*WalkInReport // newest first
	Entries       []PendingEntry  // entries not yet matched, latest first, without values
	// EntriesDiffer names the fields on which the latest pending entries
	// of two different people differ; empty while one entry waits.
	EntriesDiffer []string
	Sheet         *SheetVersion // the current accepted version, if any
}

// Store keeps vote day. Phase rules: check-ins, walk-ins and closing only
// while the round is voting; entries once the table is closed, while the
// round is voting or counting; corrections while counting or in results;
// DestroyCheckIns once the round is in results or later.
type Store interface {
	RoundKeyStore
	// TableState returns a table of the round's territory with its counts;
	// ENotFound if the table is not in the round.
	TableState(ctx context.Context, roundID int64, table string) (*TableState, error)
	// CheckIn records a voter. Exactly one check-in per document hash per
	// round succeeds, even when tables race. A round that is not voting
	// is the outcome wrong_round and a closed table table_closed, not
	// errors; an unknown round or table is ENotFound. Only an accepted
	// check-in keeps its idempotency key (on the hash row, never with the
	// table): replaying it answers accepted with Replayed set, and reusing
	// it for another document or at another centre is EConflict. A refused
	// check-in changes nothing, so its retry is simply refused again.
	CheckIn(ctx context.Context, c CheckIn) (*CheckInResult, error)
	// ReportWalkIns proposes voters admitted on paper, while the round is
	// voting and the table open (EConflict otherwise); the reason needs
	// MinReasonWords words, and the count must fit under the table's cap
	// with the walk-ins already confirmed (EInvalid naming count). Nothing
	// counts until DecideWalkIns confirms it. A replayed key returns the
	// report it created.
	ReportWalkIns(ctx context.Context, w WalkIns) (*WalkInReport, error)
	// DecideWalkIns confirms (adding the count to the table) or refuses a
	// proposed report, by a person other than its proposer (EForbidden);
	// a report already decided is EConflict; confirming is EInvalid when
	// it would pass the table's cap.
	DecideWalkIns(ctx context.Context, d WalkInDecision) (*WalkInReport, error)
	// CloseTable ends check-ins at a table while the round is voting.
	// Closing a closed table changes nothing and returns its state, so a
	// retry is harmless.
	CloseTable(ctx context.Context, roundID int64, table string, userID int64) (*TableState, error)
	// SubmitEntry stores an entry of a closed table's sheet after
	// reconciling it (tally.Reconcile against the table's check-ins and
	// walk-ins and the circuit's latest published ballot; a
	// *ReconcileError, code EInvalid naming the first field, listing all),
	// and accepts the sheet when another person's entry agrees. After
	// acceptance further entries are EConflict: submit a correction.
	SubmitEntry(ctx context.Context, e Entry) (*EntryResult, error)
	// ProposeCorrection stores a proposed correction of an accepted sheet
	// while the round is counting, or in results once an administrator
	// reopened the circuit (the proposal uses that reopening; EConflict
	// without one). The reason is cleaned by CleanReason; the sheet must
	// reconcile and change something; a table has one pending proposal
	// at a time (EConflict). Nothing counts until DecideCorrection
	// confirms it. A replayed key returns the proposal it created.
	ProposeCorrection(ctx context.Context, c Correction) (*CorrectionProposal, error)
	// DecideCorrection confirms a pending proposal, when the decider
	// gives the same values (EInvalid naming the first field that
	// differs otherwise), appending the new version signed by the
	// decider; or refuses it with a reason. The proposer may not decide
	// (EForbidden); a decided proposal is EConflict, except the same
	// decision by the same person, which returns it again.
	DecideCorrection(ctx context.Context, d CorrectionDecision) (*CorrectionProposal, *SheetVersion, error)
	// Corrections lists a table's proposals, newest first.
	Corrections(ctx context.Context, roundID int64, table string) ([]*CorrectionProposal, error)
	// ReopenCircuit reopens a circuit of a round in results for one
	// correction, with a reason (EConflict in another phase).
	ReopenCircuit(ctx context.Context, roundID int64, circuit, reason string, userID int64) (*Reopening, error)
	// Reopenings lists a round's reopenings, newest first.
	Reopenings(ctx context.Context, roundID int64) ([]*Reopening, error)
	// SheetVersions lists a table's accepted versions, newest first.
	SheetVersions(ctx context.Context, roundID int64, table string) ([]*SheetVersion, error)
	// CurrentSheets returns the current version of every accepted sheet of
	// the round, ordered by table, and the highest SheetVersion.ID seen (an
	// epoch that changes whenever results change).
	CurrentSheets(ctx context.Context, roundID int64) ([]*SheetVersion, int64, error)
	// ResultsEpoch returns the highest SheetVersion.ID of the round, cheaply.
	ResultsEpoch(ctx context.Context, roundID int64) (int64, error)
	// PollBookCounts returns every table's check-ins and walk-ins.
	PollBookCounts(ctx context.Context, roundID int64) (map[string]TableCount, error)
	// LiveCounts reads the round's current sheets, their epoch and every
	// table's counters in one snapshot, so results never mix a newer
	// sheet with older counters; ENotFound for an unknown round.
	LiveCounts(ctx context.Context, roundID int64) (*Counts, error)
	// DestroyCheckIns deletes the round's document hashes, keeping the
	// per-table counts, and returns how many were deleted. The round is
	// then past voting, so no document can check in again.
	DestroyCheckIns(ctx context.Context, roundID int64, userID int64) (int64, error)
}

// Counts is what a round's live results and audits are computed from,
// read at one instant: the current version of every accepted sheet,
// ordered by table, the highest version id among them (the epoch), and
// every table's poll-book counters.
type Counts struct {
	Sheets   []*SheetVersion
	Epoch    int64
	PollBook map[string]TableCount
}

// Polled returns, per table, the voters its poll book admitted: check-ins
// plus walk-ins.
func (c *Counts) Polled() map[string]int64 {
	out := make(map[string]int64, len(c.PollBook))
	for t, n := range c.PollBook {
		out[t] = n.CheckIns + n.WalkIns
	}
	return out
}

// TableCount is a table's poll-book counters.
type TableCount struct {
	CheckIns      int64
	WalkIns       int64
	Closed        bool
	ClosedByPhase bool
}

// MinReason is the shortest reason a correction may give, in characters
// once invisible characters are removed (see CleanReason).
const MinReason = 12

// MinReasonWords is the fewest words a reason of a correction, a walk-in
// report or a reopening may have.
const MinReasonWords = 3

// MaxReason bounds a reason, in bytes.
const MaxReason = 2000

// ReconcileError lists every reason a sheet does not reconcile, as
// tally.Reconcile names them. It unwraps to one EInvalid *comuna.Error
// naming the first field and carrying every problem in its message, so
// comuna.ErrorCode, ErrorField and ErrorMessage read it like any error.
type ReconcileError struct {
	Errors []*comuna.Error // at least one
}

// Error joins every problem into one message.
func (e *ReconcileError) Error() string { return e.Unwrap().Error() }

// Unwrap returns the problems as one EInvalid error.
func (e *ReconcileError) Unwrap() error {
	if len(e.Errors) == 0 {
		return &comuna.Error{Code: comuna.EInvalid, Message: "the sheet does not reconcile"}
	}
	msgs := []string{e.Errors[0].Message}
	for _, err := range e.Errors[1:] {
		msgs = append(msgs, err.Error())
	}
	return &comuna.Error{Code: comuna.EInvalid, Field: e.Errors[0].Field, Message: strings.Join(msgs, "; ")}
}

// ReconcileErrors returns the problems of a *ReconcileError in err's
// chain, or nil.
func ReconcileErrors(err error) []*comuna.Error {
	var re *ReconcileError
	if errors.As(err, &re) {
		return re.Errors
	}
	return nil
}
