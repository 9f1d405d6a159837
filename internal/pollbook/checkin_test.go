package pollbook

import (
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

func goodCheckIn() CheckIn {
	return CheckIn{
		RoundID:        3,
		Table:          "MESA-0001.2",
		DocType:        "v",
		DocNumber:      "V-12.345.678",
		BirthDate:      date("2000-01-01"),
		IdempotencyKey: "0d7c5e0a-3f0e-4f59-9a53-3b1f6c3f2a11",
	}
}

func TestCheckInValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*CheckIn)
		field string // "" when valid
	}{
		{"valid", func(*CheckIn) {}, ""},
		{"no round", func(c *CheckIn) { c.RoundID = 0 }, "round_id"},
		{"no table", func(c *CheckIn) { c.Table = "" }, "table"},
		{"table with space", func(c *CheckIn) { c.Table = "MESA 1" }, "table"},
		{"table starting with a dash", func(c *CheckIn) { c.Table = "-1" }, "table"},
		{"table too long", func(c *CheckIn) { c.Table = strings.Repeat("a", 41) }, "table"},
		{"no document type", func(c *CheckIn) { c.DocType = "" }, "document_type"},
		{"bad number", func(c *CheckIn) { c.DocNumber = "12" }, "document_number"},
		{"no birth date", func(c *CheckIn) { c.BirthDate = date("0001-01-01") }, "birth_date"},
		{"no idempotency key", func(c *CheckIn) { c.IdempotencyKey = "" }, "idempotency_key"},
		{"short idempotency key", func(c *CheckIn) { c.IdempotencyKey = "abc" }, "idempotency_key"},
		{"idempotency key with space", func(c *CheckIn) { c.IdempotencyKey = "abc defgh" }, "idempotency_key"},
		{"idempotency key too long", func(c *CheckIn) { c.IdempotencyKey = strings.Repeat("k", 129) }, "idempotency_key"},
	}
	for _, tt := range tests {
		c := goodCheckIn()
		tt.edit(&c)
		err := c.Validate()
		if got := comuna.ErrorField(err); got != tt.field || (tt.field != "" && comuna.ErrorCode(err) != comuna.EInvalid) {
			t.Errorf("%s: Validate() = %v (field %q); want field %q", tt.name, err, got, tt.field)
		}
	}
}

func TestCheckInScreen(t *testing.T) {
	round := &comuna.Round{ID: 3, VoteDate: date("2025-06-15"), MinAge: 15, Phase: comuna.PhaseVoting}
	youth := *round
	youth.MaxAge = 35
	counting := *round
	counting.Phase = comuna.PhaseCounting
	tests := []struct {
		name    string
		round   *comuna.Round
		edit    func(*CheckIn)
		outcome Outcome
		field   string // the field of the error, if any
	}{
		{"eligible", round, func(*CheckIn) {}, "", ""},
		{"another round", round, func(c *CheckIn) { c.RoundID = 4 }, OutcomeWrongRound, ""},
		{"round not voting", &counting, func(*CheckIn) {}, OutcomeWrongRound, ""},
		{"too young", round, func(c *CheckIn) { c.BirthDate = date("2010-06-16") }, OutcomeOutsideAge, "birth_date"},
		{"fifteen today", round, func(c *CheckIn) { c.BirthDate = date("2010-06-15") }, "", ""},
		{"too old for a youth round", &youth, func(c *CheckIn) { c.BirthDate = date("1980-01-01") }, OutcomeOutsideAge, "birth_date"},
		{"born after the vote", round, func(c *CheckIn) { c.BirthDate = date("2026-01-01") }, "", "birth_date"},
		{"implausibly old", round, func(c *CheckIn) { c.BirthDate = date("1880-01-01") }, "", "birth_date"},
		{"bad number", round, func(c *CheckIn) { c.DocNumber = "ABC" }, "", "document_number"},
	}
	for _, tt := range tests {
		c := goodCheckIn()
		tt.edit(&c)
		d, outcome, err := c.Screen(tt.round)
		if outcome != tt.outcome || comuna.ErrorField(err) != tt.field {
			t.Errorf("%s: Screen() = %q, %v; want outcome %q, error on %q", tt.name, outcome, err, tt.outcome, tt.field)
		}
		if wantDoc := err == nil || outcome != ""; wantDoc && d.String() != "V12345678" {
			t.Errorf("%s: Screen() document = %q; want V12345678", tt.name, d)
		}
	}
}

func TestOutcomeMessages(t *testing.T) {
	for _, o := range Outcomes {
		if !o.Valid() || o.English() == "" || o.Spanish() == "" || o.English() == o.Spanish() {
			t.Errorf("outcome %q: valid %v, English %q, Spanish %q", o, o.Valid(), o.English(), o.Spanish())
		}
	}
	if Outcome("maybe").Valid() {
		t.Error(`Outcome("maybe").Valid() = true; want false`)
	}
}

// errField returns the field of an EInvalid error, "" for nil, and a
// marker for any other error.
func errField(err error) string {
	if err == nil {
		return ""
	}
	if comuna.ErrorCode(err) != comuna.EInvalid {
		return "(not invalid: " + err.Error() + ")"
	}
	return comuna.ErrorField(err)
}
