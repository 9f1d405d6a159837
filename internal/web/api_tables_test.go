package web

import "testing"

func TestRoundTables(t *testing.T) {
	e := voteEnv(t)
	var got struct {
		RoundID int64            `json:"round_id"`
		Tables  []roundTableJSON `json:"tables"`
	}
	e.api("GET", e.roundPath("/tables"), "", "", 200, &got)
	if got.RoundID != e.round.ID || len(got.Tables) == 0 {
		t.Fatalf("GET tables = %+v, want the round's tables", got)
	}
	byCode := map[string]roundTableJSON{}
	for i, tb := range got.Tables {
		if i > 0 && got.Tables[i-1].Table >= tb.Table {
			t.Errorf("tables out of order: %q before %q", got.Tables[i-1].Table, tb.Table)
		}
		byCode[tb.Table] = tb
	}
	if t1 := byCode["T1"]; t1.Centre != "E1" || t1.Circuit != "CI1" || t1.BallotSize != 1 {
		t.Errorf("table T1 = %+v, want centre E1, circuit CI1, ballot size 1", t1)
	}
	for _, tb := range got.Tables {
		if tb.Circuit != "CI1" && tb.BallotSize != 0 {
			t.Errorf("table %s of circuit %s has ballot size %d, want 0 (no ballot)", tb.Table, tb.Circuit, tb.BallotSize)
		}
	}
}
