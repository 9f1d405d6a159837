package web

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pollbook"
	"github.com/comuna/comuna/internal/storetest"
	"github.com/comuna/comuna/internal/tally"
	"github.com/comuna/comuna/internal/voteday"
)

// fakeVoteDay is an in-memory voteday.Store over storetest.Territory, for
// the web tests while a backend does not implement voteday.Store. It
// follows the contract's phase, replay and double-entry rules closely
// enough to drive the handlers; the storage suite tests the real thing.
type fakeVoteDay struct {
	mu       sync.Mutex
	rounds   comuna.RoundService
	units    map[string]comuna.Unit // tables and centres by code
	hashes   map[[32]byte]string    // document hash → centre
	keys     map[string]*voteday.CheckInResult
	walkKeys map[string]bool
	tables   map[string]*voteday.TableState
	entries  map[string]map[int64]voteday.Entry // table → user → entry
	versions map[string][]*voteday.SheetVersion // table → versions, oldest first
	nextID   int64
}

func newFakeVoteDay(rounds comuna.RoundService) *fakeVoteDay {
	f := &fakeVoteDay{rounds: rounds, units: map[string]comuna.Unit{}, hashes: map[[32]byte]string{},
		keys: map[string]*voteday.CheckInResult{}, walkKeys: map[string]bool{}, tables: map[string]*voteday.TableState{},
		entries: map[string]map[int64]voteday.Entry{}, versions: map[string][]*voteday.SheetVersion{}}
	for _, u := range storetest.Territory() {
		if u.Level == comuna.LevelTable || u.Level == comuna.LevelCentre {
			f.units[u.Code] = u
		}
	}
	return f
}

func (f *fakeVoteDay) table(roundID int64, code string) (*voteday.TableState, error) {
	u, ok := f.units[code]
	if !ok || u.Level != comuna.LevelTable {
		return nil, comuna.Errorf(comuna.ENotFound, "no table %q", code)
	}
	st := f.tables[code]
	if st == nil {
		c := f.units[u.Parent]
		st = &voteday.TableState{RoundID: roundID, Table: code, TableName: u.Name, Centre: c.Code, CentreName: c.Name, Circuit: u.Circuit}
		f.tables[code] = st
	}
	return st, nil
}

func (f *fakeVoteDay) state(st *voteday.TableState) *voteday.TableState {
	out := *st
	out.Entries = nil
	for _, e := range f.entries[st.Table] {
		out.Entries = append(out.Entries, e)
	}
	if vs := f.versions[st.Table]; len(vs) > 0 {
		out.Sheet = vs[len(vs)-1]
	}
	return &out
}

func (f *fakeVoteDay) phase(ctx context.Context, roundID int64) comuna.Phase {
	r, err := f.rounds.Round(ctx, roundID)
	if err != nil {
		return ""
	}
	return r.Phase
}

func (f *fakeVoteDay) TableState(ctx context.Context, roundID int64, table string) (*voteday.TableState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := f.table(roundID, table)
	if err != nil {
		return nil, err
	}
	return f.state(st), nil
}

func (f *fakeVoteDay) CheckIn(ctx context.Context, c voteday.CheckIn) (*voteday.CheckInResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := f.table(c.RoundID, c.Table)
	if err != nil {
		return nil, err
	}
	if prev, ok := f.keys[c.IdempotencyKey]; ok {
		out := *prev
		out.Replayed = true
		return &out, nil
	}
	switch {
	case f.phase(ctx, c.RoundID) != comuna.PhaseVoting:
		return &voteday.CheckInResult{Outcome: pollbook.OutcomeWrongRound, CheckIns: st.CheckIns}, nil
	case st.Closed:
		return &voteday.CheckInResult{Outcome: pollbook.OutcomeTableClosed, CheckIns: st.CheckIns}, nil
	}
	if centre, ok := f.hashes[c.DocHash]; ok {
		return &voteday.CheckInResult{Outcome: pollbook.OutcomeAlreadyVoted, Centre: centre, CentreName: f.units[centre].Name, CheckIns: st.CheckIns}, nil
	}
	f.hashes[c.DocHash] = st.Centre
	st.CheckIns++
	res := &voteday.CheckInResult{Outcome: pollbook.OutcomeAccepted, CheckIns: st.CheckIns}
	f.keys[c.IdempotencyKey] = res
	return res, nil
}

func (f *fakeVoteDay) ReportWalkIns(ctx context.Context, w voteday.WalkIns) (*voteday.TableState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := f.table(w.RoundID, w.Table)
	if err != nil {
		return nil, err
	}
	if !f.walkKeys[w.IdempotencyKey] {
		if f.phase(ctx, w.RoundID) != comuna.PhaseVoting || st.Closed {
			return nil, comuna.Errorf(comuna.EConflict, "the table is not taking voters")
		}
		f.walkKeys[w.IdempotencyKey] = true
		st.WalkIns += w.Count
	}
	return f.state(st), nil
}

func (f *fakeVoteDay) CloseTable(ctx context.Context, roundID int64, table string, userID int64) (*voteday.TableState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := f.table(roundID, table)
	if err != nil {
		return nil, err
	}
	if f.phase(ctx, roundID) != comuna.PhaseVoting {
		return nil, comuna.Errorf(comuna.EConflict, "the round is not voting")
	}
	if !st.Closed {
		st.Closed, st.ClosedAt = true, time.Now()
	}
	return f.state(st), nil
}

func (f *fakeVoteDay) accept(sh tally.Sheet, version int, reason string, by int64) *voteday.SheetVersion {
	f.nextID++
	v := &voteday.SheetVersion{ID: f.nextID, RoundID: sh.RoundID, Table: sh.Table, Circuit: sh.Circuit, Version: version,
		Sheet: sh, Reason: reason, SignedBy: by, Signer: "user", Accepted: time.Now()}
	f.versions[sh.Table] = append(f.versions[sh.Table], v)
	return v
}

func (f *fakeVoteDay) SubmitEntry(ctx context.Context, e voteday.Entry) (*voteday.EntryResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, err := f.table(e.Sheet.RoundID, e.Sheet.Table)
	switch {
	case err != nil:
		return nil, err
	case !st.Closed:
		return nil, comuna.Errorf(comuna.EConflict, "close the table first")
	case len(f.versions[st.Table]) > 0:
		return nil, comuna.Errorf(comuna.EConflict, "the sheet is accepted; submit a correction")
	}
	mine := f.entries[st.Table]
	if mine == nil {
		mine = map[int64]voteday.Entry{}
		f.entries[st.Table] = mine
	}
	mine[e.UserID] = e
	for uid, other := range mine {
		if uid == e.UserID {
			continue
		}
		if diffs := tally.Compare(e.Sheet, other.Sheet); len(diffs) > 0 {
			o := other.Sheet
			return &voteday.EntryResult{Status: voteday.EntryMismatch, Differences: diffs, Other: &o}, nil
		}
		delete(f.entries, st.Table)
		return &voteday.EntryResult{Status: voteday.EntryAccepted, Sheet: f.accept(e.Sheet, 1, "", e.UserID)}, nil
	}
	return &voteday.EntryResult{Status: voteday.EntryWaiting}, nil
}

func (f *fakeVoteDay) CorrectSheet(ctx context.Context, c voteday.Correction) (*voteday.SheetVersion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	vs := f.versions[c.Sheet.Table]
	if len(vs) == 0 {
		return nil, comuna.Errorf(comuna.EConflict, "no accepted sheet to correct")
	}
	return f.accept(c.Sheet, vs[len(vs)-1].Version+1, c.Reason, c.UserID), nil
}

func (f *fakeVoteDay) SheetVersions(ctx context.Context, roundID int64, table string) ([]*voteday.SheetVersion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*voteday.SheetVersion
	vs := f.versions[table]
	for i := len(vs) - 1; i >= 0; i-- {
		out = append(out, vs[i])
	}
	return out, nil
}

func (f *fakeVoteDay) CurrentSheets(ctx context.Context, roundID int64) ([]*voteday.SheetVersion, int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*voteday.SheetVersion
	for _, vs := range f.versions {
		out = append(out, vs[len(vs)-1])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Table < out[j].Table })
	return out, f.nextID, nil
}

func (f *fakeVoteDay) ResultsEpoch(ctx context.Context, roundID int64) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nextID, nil
}

func (f *fakeVoteDay) PollBookCounts(ctx context.Context, roundID int64) (map[string]voteday.TableCount, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]voteday.TableCount{}
	for code, st := range f.tables {
		out[code] = voteday.TableCount{CheckIns: st.CheckIns, WalkIns: st.WalkIns, Closed: st.Closed}
	}
	return out, nil
}

func (f *fakeVoteDay) DestroyCheckIns(ctx context.Context, roundID int64, userID int64) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := int64(len(f.hashes))
	f.hashes = map[[32]byte]string{}
	return n, nil
}
