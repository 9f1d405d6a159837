package comuna

import "testing"

func TestRoundDocTypes(t *testing.T) {
	for _, tt := range []struct {
		types string
		ok    bool
	}{{"VE", true}, {"VEP", true}, {"P", true}, {"VV", false}, {"X", false}, {"VEPV", false}, {"", false}} {
		if err := validDocTypes(tt.types); (err == nil) != tt.ok {
			t.Errorf("doc types %q: %v, want ok %v", tt.types, err, tt.ok)
		}
	}
	r := &Round{}
	if !r.AcceptsDoc("V") || !r.AcceptsDoc("E") || r.AcceptsDoc("P") || r.AcceptsDoc("") {
		t.Errorf("the default round must accept V and E only")
	}
	r.DocTypes = "VEP"
	if !r.AcceptsDoc("P") {
		t.Errorf("a round with VEP must accept passports")
	}
}
