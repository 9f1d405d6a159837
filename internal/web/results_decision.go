package web

import (
	"github.com/comuna/comuna/internal/pb"
	"github.com/comuna/comuna/internal/results"
)

// decisionJSON is what a circuit funds in the API, from its one decision
// (allocation.Decide, computed with the results): the rule and its
// settings, money as decimals of the currency unit, the funded projects in
// the order the rule chose them with what each receives, and every
// project's explanation in ballot order, as data and as a sentence in
// Spanish and English.
type decisionJSON struct {
	Rule         string            `json:"rule"`
	Sat          string            `json:"sat,omitempty"`
	Completion   string            `json:"completion,omitempty"`
	Fill         string            `json:"fill,omitempty"`
	Winners      int               `json:"winners,omitempty"` // top-k's k
	Budget       string            `json:"budget,omitempty"`
	Voters       int64             `json:"voters"`
	Provisional  bool              `json:"provisional"`
	Cost         string            `json:"cost"`
	Amount       string            `json:"amount"`
	Funded       []fundedJSON      `json:"funded"`
	Explanations []explanationJSON `json:"explanations"`
}

// fundedJSON is a funded project and the money it receives.
type fundedJSON struct {
	Number     int    `json:"number"`
	ProposalID int64  `json:"proposal_id"`
	ExternalID string `json:"external_id,omitempty"`
	Title      string `json:"title"`
	Position   int    `json:"position"`
	Amount     string `json:"amount"`
}

// explanationJSON is a project with the engine's explanation of its
// outcome: its data, the engine's English sentence (text) and the
// sentences this server renders from the data.
type explanationJSON struct {
	Number     int    `json:"number"`
	ProposalID int64  `json:"proposal_id"`
	ExternalID string `json:"external_id,omitempty"`
	Title      string `json:"title"`
	pb.Explanation
	Amount  string `json:"amount,omitempty"`
	Spanish string `json:"explanation_es"`
	English string `json:"explanation_en"`
}

// toDecisionJSON writes a circuit's decision; nil when it has none yet.
func toDecisionJSON(n *results.Node, currency string) *decisionJSON {
	d := n.Decision
	if d == nil {
		return nil
	}
	out := &decisionJSON{Rule: string(d.Rule), Sat: string(d.Options.Sat), Completion: string(d.Options.Completion),
		Fill: string(d.Options.Fill), Winners: d.Options.K, Voters: d.Voters, Provisional: n.Provisional,
		Cost: d.Cost.Plain(), Amount: d.Amount.Plain(), Funded: []fundedJSON{}, Explanations: []explanationJSON{}}
	if d.Budget > 0 {
		out.Budget = d.Budget.Plain()
	}
	for _, f := range d.Funded {
		out.Funded = append(out.Funded, fundedJSON{Number: f.Number, ProposalID: f.ProposalID, ExternalID: f.ExternalID,
			Title: f.Title, Position: f.Position, Amount: f.Amount.Plain()})
	}
	for _, e := range d.Projects {
		j := explanationJSON{Number: e.Number, ProposalID: e.ProposalID, ExternalID: e.ExternalID, Title: e.Title, Explanation: e.Explanation,
			Spanish: explain("es", d, e, n.Provisional, currency), English: explain("en", d, e, n.Provisional, currency)}
		if e.Selected {
			j.Amount = e.Amount.Plain()
		}
		out.Explanations = append(out.Explanations, j)
	}
	return out
}
