package web

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
)

// fundedRow is one project of a circuit's ballot in the funded-projects
// open data: its votes and what the circuit's decision gives it.
type fundedRow struct {
	Circuit     string `json:"circuit"`
	Number      int    `json:"number"`
	ProposalID  int64  `json:"proposal_id"`
	ExternalID  string `json:"external_id,omitempty"`
	Title       string `json:"title"`
	Cost        string `json:"cost"`
	Votes       int64  `json:"votes"`
	Funded      bool   `json:"funded"`
	Position    int    `json:"position,omitempty"` // in the order the rule chose, from 1
	Amount      string `json:"amount"`
	Reason      string `json:"reason,omitempty"` // the engine's code, e.g. did-not-fit
	Rule        string `json:"rule,omitempty"`
	Provisional bool   `json:"provisional"`
}

// fundedRows lists every project of every circuit with a ballot, circuits
// in code order and projects in ballot order, from the same decision as
// the results pages.
func fundedRows(res *results.Results) []fundedRow {
	var out []fundedRow
	for _, n := range res.Level(comuna.LevelCircuit) {
		for i, p := range n.Projects {
			row := fundedRow{Circuit: n.Code, Number: p.Number, ProposalID: p.ProposalID, Title: p.Title, Cost: p.Cost.Plain(),
				Votes: p.Votes, Funded: p.Won, Position: p.Position, Amount: p.Amount.Plain(), Provisional: n.Provisional}
			if d := n.Decision; d != nil && i < len(d.Projects) {
				row.ExternalID, row.Reason, row.Rule = d.Projects[i].ExternalID, d.Projects[i].Reason, string(d.Rule)
			}
			out = append(out, row)
		}
	}
	return out
}

// fundedCSV is open data: every project of every circuit of a round, with
// its votes and whether it is funded, in what order and with how much.
func (s *Server) fundedCSV(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	res, _, err := s.liveResults(r.Context(), round)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="round-`+strconv.FormatInt(round.ID, 10)+`-funded.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"round_id", "circuit", "number", "proposal_id", "external_id", "title", "cost", "votes",
		"funded", "position", "amount", "reason", "rule", "provisional"})
	for _, f := range fundedRows(res) {
		_ = cw.Write([]string{strconv.FormatInt(round.ID, 10), f.Circuit, strconv.Itoa(f.Number), strconv.FormatInt(f.ProposalID, 10),
			f.ExternalID, f.Title, f.Cost, strconv.FormatInt(f.Votes, 10), strconv.FormatBool(f.Funded), strconv.Itoa(f.Position),
			f.Amount, f.Reason, f.Rule, strconv.FormatBool(f.Provisional)})
	}
	cw.Flush()
	return cw.Error()
}

// apiFunded is the same open data as JSON, with the nation's totals.
func (s *Server) apiFunded(w http.ResponseWriter, r *http.Request) error {
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	res, epoch, err := s.liveResults(r.Context(), round)
	if err != nil {
		return err
	}
	rows := fundedRows(res)
	if rows == nil {
		rows = []fundedRow{}
	}
	n := res.Nation()
	s.writeJSON(w, http.StatusOK, map[string]any{"round_id": round.ID, "epoch": epoch, "currency": round.Currency,
		"funded": n.Funded, "funded_amount": n.FundedAmount.Plain(), "projects": rows})
	return nil
}
