package comuna

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestParseCents(t *testing.T) {
	tests := []struct {
		in      string
		want    Cents
		wantErr bool
	}{
		{"10000", 1000000, false},
		{"10000.5", 1000050, false},
		{"10,000.50", 0, true}, // a comma may be a decimal comma: refused, never dropped
		{"12500,50", 0, true},
		{" 0.01 ", 1, false},
		{"0", 0, false},
		{"", 0, true},
		{"-5", 0, true},
		{"1.234", 0, true},
		{"1.", 0, true},
		{"abc", 0, true},
		{"1e5", 0, true},
		{"99999999999999999999", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseCents(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseCents(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestCentsString(t *testing.T) {
	tests := []struct {
		in         Cents
		want, flat string
	}{
		{0, "0.00", "0.00"},
		{1, "0.01", "0.01"},
		{1000050, "10,000.50", "10000.50"},
		{123456789, "1,234,567.89", "1234567.89"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Cents(%d).String() = %q, want %q", tt.in, got, tt.want)
		}
		if got := tt.in.Plain(); got != tt.flat {
			t.Errorf("Cents(%d).Plain() = %q, want %q", tt.in, got, tt.flat)
		}
		back, err := ParseCentsIn(tt.in.String(), NotationEN)
		if err != nil || back != tt.in {
			t.Errorf("ParseCentsIn(%q, EN) = %d, %v; want %d", tt.in.String(), back, err, tt.in)
		}
	}
}

func TestCheckTransition(t *testing.T) {
	for i, from := range Phases {
		for j, to := range Phases {
			err := CheckTransition(from, to)
			if allowed := j == i+1; allowed != (err == nil) {
				t.Errorf("CheckTransition(%s, %s) = %v; want allowed %v", from, to, err, allowed)
			}
			if err != nil && ErrorCode(err) != EConflict {
				t.Errorf("CheckTransition(%s, %s) code = %s, want %s", from, to, ErrorCode(err), EConflict)
			}
		}
	}
	if err := CheckTransition(PhaseDraft, "bogus"); ErrorCode(err) != EInvalid || ErrorField(err) != "phase" {
		t.Errorf("CheckTransition to an unknown phase = %v, want invalid on field phase", err)
	}
}

func validRound() Round {
	r := Round{Name: "Consulta", VoteDate: time.Date(2026, 12, 13, 0, 0, 0, 0, time.UTC), TieBreakSeed: "seed"}
	r.Defaults()
	return r
}

func TestRoundValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Round)
		field string // "" means valid
	}{
		{"defaults", func(*Round) {}, ""},
		{"youth round", func(r *Round) { r.MaxAge = 35 }, ""},
		{"no name", func(r *Round) { r.Name = " " }, "name"},
		{"no date", func(r *Round) { r.VoteDate = time.Time{} }, "vote_date"},
		{"min age too low", func(r *Round) { r.MinAge = 10 }, "min_age"},
		{"max below min", func(r *Round) { r.MaxAge = 14 }, "max_age"},
		{"ballot too big", func(r *Round) { r.BallotSize = 21 }, "ballot_size"},
		{"more winners than ballot", func(r *Round) { r.WinnersPerCircuit = 8 }, "winners"},
		{"bad currency", func(r *Round) { r.Currency = "usd" }, "currency"},
		{"zero rate", func(r *Round) { r.ExchangeRate = "0.00" }, "exchange_rate"},
		{"rate not a number", func(r *Round) { r.ExchangeRate = "1,5" }, "exchange_rate"},
		{"lottery without seed", func(r *Round) { r.TieBreakSeed = "" }, "tie_break_seed"},
		{"ballot number needs no seed", func(r *Round) { r.TieBreak, r.TieBreakSeed = TieBallotNumber, "" }, ""},
		{"unknown tie-break", func(r *Round) { r.TieBreak = "coin" }, "tie_break"},
		{"unknown rule", func(r *Round) { r.VoteRule = "borda" }, "vote_rule"},
	}
	for _, tt := range tests {
		r := validRound()
		tt.edit(&r)
		err := r.Validate()
		if got := ErrorField(err); got != tt.field || (tt.field == "") != (err == nil) {
			t.Errorf("%s: Validate() = %v (field %q), want field %q", tt.name, err, got, tt.field)
		}
	}
}

func TestUnitValidate(t *testing.T) {
	tests := []struct {
		u     Unit
		field string
	}{
		{Unit{Level: LevelState, Code: "ZU", Name: "Zulia"}, ""},
		{Unit{Level: LevelCouncil, Code: "C-1", Parent: "CC-1", Name: "Consejo", Census: 500}, ""},
		{Unit{Level: LevelTable, Code: "T-1", Parent: "VC-1", Name: "Mesa 1", Circuit: "CC-1"}, ""},
		{Unit{Level: "region", Code: "X", Name: "X"}, "kind"},
		{Unit{Level: LevelState, Code: "bad code", Name: "X"}, "code"},
		{Unit{Level: LevelState, Code: "X", Name: ""}, "name"},
		{Unit{Level: LevelState, Code: "X", Parent: "Y", Name: "X"}, "parent"},
		{Unit{Level: LevelParish, Code: "X", Name: "X"}, "parent"},
		{Unit{Level: LevelCouncil, Code: "X", Parent: "Y", Name: "X", Census: -1}, "census"},
		{Unit{Level: LevelCircuit, Code: "X", Parent: "Y", Name: "X", Census: 5}, "census"},
		{Unit{Level: LevelTable, Code: "X", Parent: "Y", Name: "X"}, "circuit"},
		{Unit{Level: LevelCentre, Code: "X", Parent: "Y", Name: "X", Circuit: "Z"}, "circuit"},
	}
	for _, tt := range tests {
		err := tt.u.Validate()
		if got := ErrorField(err); got != tt.field || (tt.field == "") != (err == nil) {
			t.Errorf("%+v.Validate() = %v (field %q), want field %q", tt.u, err, got, tt.field)
		}
	}
}

func TestMinutesValidate(t *testing.T) {
	ok := Minutes{Date: time.Now(), Attendance: 100, QuorumMet: true, VotesFor: 60, Against: 30, Abstain: 10}
	tests := []struct {
		name  string
		edit  func(*Minutes)
		field string
	}{
		{"approved", func(*Minutes) {}, ""},
		{"no date", func(m *Minutes) { m.Date = time.Time{} }, "assembly_date"},
		{"no one attended", func(m *Minutes) { m.Attendance = 0 }, "attendance"},
		{"no quorum", func(m *Minutes) { m.QuorumMet = false }, "quorum_met"},
		{"more votes than people", func(m *Minutes) { m.Abstain = 11 }, "votes_for"},
		{"rejected by the assembly", func(m *Minutes) { m.VotesFor, m.Against = 30, 30 }, "votes_for"},
	}
	for _, tt := range tests {
		m := ok
		tt.edit(&m)
		err := m.Validate()
		if got := ErrorField(err); got != tt.field || (tt.field == "") != (err == nil) {
			t.Errorf("%s: Validate() = %v (field %q), want field %q", tt.name, err, got, tt.field)
		}
	}
}

func TestBallotDraftValidate(t *testing.T) {
	tests := []struct {
		ids   []int64
		field string
	}{
		{[]int64{1, 2, 3}, ""},
		{nil, "proposals"},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8}, "proposals"},
		{[]int64{1, 2, 1}, "proposals"},
	}
	for _, tt := range tests {
		d := BallotDraft{Proposals: tt.ids}
		err := d.Validate(7)
		if got := ErrorField(err); got != tt.field || (tt.field == "") != (err == nil) {
			t.Errorf("Validate(%v) = %v, want field %q", tt.ids, err, tt.field)
		}
	}
	published := &Ballot{Published: true}
	if !NeedsReason(published, " ") || NeedsReason(published, "typo in title") || NeedsReason(&Ballot{}, "") || NeedsReason(nil, "") {
		t.Error("NeedsReason: a published ballot needs a reason to change, a draft or none does not")
	}
}

// TestAuthorize checks every action for every role, in and out of scope.
func TestAuthorize(t *testing.T) {
	in := Target{Council: "C1", Circuit: "CC1", Table: "T1", Commune: "CO1", Audit: "7"}
	out := Target{Council: "C2", Circuit: "CC2", Table: "T2", Commune: "CO2", Audit: "8"}
	users := map[string]*User{
		"admin":        {Role: RoleAdmin},
		"coordinator":  {Role: RoleCoordinator, Scope: "CC1"},
		"reviewer":     {Role: RoleReviewer},
		"spokesperson": {Role: RoleSpokesperson, Scope: "C1"},
		"table_member": {Role: RoleTableMember, Scope: "T1"},
		"observer":     {Role: RoleObserver},
		"secretary":    {Role: RoleSecretary, Scope: "CO1"},
		"auditor":      {Role: RoleAuditor, Scope: "7"},
		"disabled":     {Role: RoleAdmin, Disabled: true},
	}
	// allowed lists, per user, the actions allowed on the in-scope target;
	// out of scope only admin and unscoped grants remain.
	allowed := map[string][]Action{
		"admin":        withoutRecount(Actions),
		"coordinator":  {ActionView, ActionViewInternal, ActionSubmitProposal, ActionEditBallot, ActionEnterTally},
		"reviewer":     {ActionView, ActionViewInternal, ActionReviewProposal},
		"spokesperson": {ActionView, ActionViewInternal, ActionSubmitProposal, ActionRunSession},
		"table_member": {ActionView, ActionViewInternal, ActionPollBook, ActionEnterTally},
		"auditor":      {ActionView, ActionViewInternal, ActionEnterRecount},
		"observer":     {ActionView, ActionViewInternal},
		"secretary":    {ActionView, ActionViewInternal, ActionManageOrgans, ActionRunSession},
		"disabled":     {ActionView},
	}
	scoped := map[Action]bool{ActionSubmitProposal: true, ActionEditBallot: true, ActionPollBook: true, ActionEnterTally: true, ActionEnterRecount: true, ActionManageOrgans: true, ActionRunSession: true}
	for name, u := range users {
		set := map[Action]bool{}
		for _, a := range allowed[name] {
			set[a] = true
		}
		for _, a := range Actions {
			for _, tc := range []struct {
				target Target
				want   bool
			}{{in, set[a]}, {out, set[a] && (!scoped[a] || u.Role == RoleAdmin)}} {
				err := Authorize(u, a, tc.target)
				if (err == nil) != tc.want {
					t.Errorf("Authorize(%s, %s, %+v) = %v, want allowed %v", name, a, tc.target, err, tc.want)
				}
				if err != nil && ErrorCode(err) != EForbidden {
					t.Errorf("Authorize(%s, %s) code = %s, want %s", name, a, ErrorCode(err), EForbidden)
				}
			}
		}
	}
	for _, a := range Actions {
		err := Authorize(nil, a, in)
		if want := a == ActionView; (err == nil) != want {
			t.Errorf("Authorize(public, %s) = %v, want allowed %v", a, err, want)
		}
		if err != nil && ErrorCode(err) != EUnauthorized {
			t.Errorf("Authorize(public, %s) code = %s, want %s", a, ErrorCode(err), EUnauthorized)
		}
	}
}

func TestErrorHelpers(t *testing.T) {
	e := &Error{Code: EInvalid, Message: "not a number", Field: "census", Line: 7}
	wrapped := fmt.Errorf("import: %w", e)
	if got, want := ErrorMessage(wrapped), "line 7: census: not a number"; got != want {
		t.Errorf("ErrorMessage = %q, want %q", got, want)
	}
	if ErrorCode(wrapped) != EInvalid || ErrorField(wrapped) != "census" {
		t.Errorf("ErrorCode, ErrorField = %q, %q", ErrorCode(wrapped), ErrorField(wrapped))
	}
	plain := errors.New("disk on fire")
	if ErrorCode(plain) != EInternal || ErrorMessage(plain) != "internal error" {
		t.Errorf("a plain error = %q, %q; want internal, internal error", ErrorCode(plain), ErrorMessage(plain))
	}
	if ErrorCode(nil) != "" || ErrorMessage(nil) != "" {
		t.Error("nil error has a code or message")
	}
}

// withoutRecount is as without ActionEnterRecount, which only an audit's
// board may do.
func withoutRecount(as []Action) []Action {
	var out []Action
	for _, a := range as {
		if a != ActionEnterRecount {
			out = append(out, a)
		}
	}
	return out
}
