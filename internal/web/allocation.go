package web

import (
	"github.com/comuna/comuna/internal/comuna"
)

// allocOptions are the choices of the round form's allocation fieldset.
type allocOptions struct {
	Rules, Sats, Completions, Fills []Option
}

// newAllocOptions labels the allocation choices in the page's language;
// the empty value of each is the vote rule's default.
func newAllocOptions(p *Page) allocOptions {
	var o allocOptions
	def := Option{"", p.T("alloc.default")}
	o.Rules = append(o.Rules, def)
	for _, r := range []comuna.AllocRule{comuna.AllocTopK, comuna.AllocGreedy, comuna.AllocMES, comuna.AllocPhragmen} {
		o.Rules = append(o.Rules, Option{string(r), p.L("allocrule", r)})
	}
	o.Sats = append(o.Sats, def)
	for _, s := range []string{"cost", "card", "points", "borda"} {
		o.Sats = append(o.Sats, Option{s, p.L("allocsat", s)})
	}
	o.Completions = append(o.Completions, def)
	for _, c := range []string{"none", "increase", "add1"} {
		o.Completions = append(o.Completions, Option{c, p.L("alloccompletion", c)})
	}
	o.Fills = append(o.Fills, def)
	for _, f := range []string{"none", "greedy"} {
		o.Fills = append(o.Fills, Option{f, p.L("allocfill", f)})
	}
	return o
}

// allocationFromForm reads the round form's allocation fields.
func allocationFromForm(f *Form) comuna.Allocation {
	return comuna.Allocation{
		Rule:       comuna.AllocRule(f.str("alloc_rule")),
		Sat:        f.str("alloc_sat"),
		Completion: f.str("alloc_completion"),
		Fill:       f.str("alloc_fill"),
		Budget:     f.cents("alloc_budget", "alloc.budget"),
	}
}

// allocationJSON is a round's allocation settings in the API: money as a
// decimal string, "0.00" for no budget (top-k).
type allocationJSON struct {
	Rule       string `json:"rule"`
	Sat        string `json:"sat,omitempty"`
	Completion string `json:"completion,omitempty"`
	Fill       string `json:"fill,omitempty"`
	Budget     string `json:"budget"`
}

func toAllocationJSON(a comuna.Allocation) allocationJSON {
	return allocationJSON{Rule: string(a.Rule), Sat: a.Sat, Completion: a.Completion, Fill: a.Fill, Budget: a.Budget.Plain()}
}

// allocation reads the settings of a new round; the budget is optional.
func (in *allocationJSON) allocation() (comuna.Allocation, error) {
	b, err := parseMoney("alloc_budget", in.Budget)
	if err != nil {
		return comuna.Allocation{}, err
	}
	return comuna.Allocation{Rule: comuna.AllocRule(in.Rule), Sat: in.Sat, Completion: in.Completion, Fill: in.Fill, Budget: b}, nil
}
