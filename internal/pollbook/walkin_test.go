package pollbook

import "testing"

func TestWalkInsValidate(t *testing.T) {
	good := WalkIns{RoundID: 3, Table: "MESA-0001", Count: 12, IdempotencyKey: "walk-in-0001"}
	tests := []struct {
		name  string
		edit  func(*WalkIns)
		field string
	}{
		{"valid", func(*WalkIns) {}, ""},
		{"the most", func(w *WalkIns) { w.Count = MaxWalkIns }, ""},
		{"no round", func(w *WalkIns) { w.RoundID = -1 }, "round_id"},
		{"bad table", func(w *WalkIns) { w.Table = "mesa 1" }, "table"},
		{"zero", func(w *WalkIns) { w.Count = 0 }, "count"},
		{"negative", func(w *WalkIns) { w.Count = -3 }, "count"},
		{"too many", func(w *WalkIns) { w.Count = MaxWalkIns + 1 }, "count"},
		{"no idempotency key", func(w *WalkIns) { w.IdempotencyKey = "" }, "idempotency_key"},
	}
	for _, tt := range tests {
		w := good
		tt.edit(&w)
		if got := errField(w.Validate()); got != tt.field {
			t.Errorf("%s: Validate() error on %q; want %q", tt.name, got, tt.field)
		}
	}
}

func TestWalkInCap(t *testing.T) {
	tests := []struct {
		share    int
		census   int64
		tables   int
		expected int64
		cap      int64
	}{
		{10, 1500, 2, 750, 75},
		{10, 4100, 3, 1367, 137},
		{10, 0, 3, 0, MinWalkInCap},
		{10, 50, 1, 50, MinWalkInCap},
		{100, 4100, 1, 4100, 4100},
		{25, 1001, 1, 1001, 251},
	}
	for _, tt := range tests {
		e := ExpectedVoters(tt.census, tt.tables)
		if e != tt.expected {
			t.Errorf("ExpectedVoters(%d, %d) = %d, want %d", tt.census, tt.tables, e, tt.expected)
		}
		if got := WalkInCap(tt.share, e); got != tt.cap {
			t.Errorf("WalkInCap(%d, %d) = %d, want %d", tt.share, e, got, tt.cap)
		}
	}
}
