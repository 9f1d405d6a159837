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
