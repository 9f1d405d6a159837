package pbround

import "testing"

func TestPabulibCodes(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"Poland", "Łódź"}, "POLAND-LODZ"},
		{[]string{"Hungary", "Budapest", "VIII Józsefváros"}, "HUNGARY-BUDAPEST-VIII-JOZSEFVAROS"},
		{[]string{"Poland", "Wieliczka", "", "Green Budget (Zielony Milion)"}, "POLAND-WIELICZKA-GREEN-BUDGET-Z-1b9a8f0d"},
		{[]string{"日本"}, "cf2abf0c"},
	}
	for _, tt := range tests {
		if got := Code(tt.parts...); got != tt.want || len(got) > 40 {
			t.Errorf("Code(%q) = %q, want %q", tt.parts, got, tt.want)
		}
	}
}
