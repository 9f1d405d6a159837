package pb

// Explanation says why one project won or lost, as data and as a sentence.
// Amounts are exact decimals (or fractions a/b where no finite decimal
// exists); fields that do not apply to a rule are left empty.
type Explanation struct {
	Selected bool `json:"selected"`
	// Position is the project's place in the selection order (1-based), 0 if
	// it was not selected.
	Position int `json:"position,omitempty"`
	// Reason is a short code: "selected", "did-not-fit", "no-support",
	// "zero-cost", "too-expensive", "outbid", "not-reached", "stopped",
	// "too-few-votes".
	Reason string `json:"reason"`
	Cost   string `json:"cost"`
	// Voters is the number of voters who support the project; Score is the
	// total satisfaction the rule ranks it by (votes, points or Borda score).
	Voters int64  `json:"voters"`
	Score  string `json:"score,omitempty"`

	// Greedy: the budget left when the project was considered.
	BudgetLeft string `json:"budget_left,omitempty"`

	// MES: the round it was bought in, what its supporters paid in all and
	// the least and most one supporter paid. For a loser, Round is when it
	// was dropped, Available what its supporters still had then, and MaxCost
	// the highest cost at which it would still have been affordable.
	Round     int    `json:"round,omitempty"`
	Paid      string `json:"paid,omitempty"`
	PayMin    string `json:"pay_min,omitempty"`
	PayMax    string `json:"pay_max,omitempty"`
	Available string `json:"available,omitempty"`
	MaxCost   string `json:"max_cost,omitempty"`

	// Phragmén: the load each supporter carried after it was bought (or,
	// for a loser, would have carried when the rule stopped).
	Load string `json:"load,omitempty"`

	// Top-k: the rank by votes and the margin to the other side of the cut
	// (for a winner, votes ahead of the first loser; for a loser, votes
	// behind the last winner).
	Rank   int   `json:"rank,omitempty"`
	Margin int64 `json:"margin,omitempty"`

	// Text is the explanation as one plain English sentence.
	Text string `json:"text"`
}
