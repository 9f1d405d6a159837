package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
)

// resultsView is a results page: a node of the round's results with its
// breadcrumbs and children.
type resultsView struct {
	*Page
	Round     *comuna.Round
	Res       *results.Results
	Node      *results.Node
	Ancestors []*results.Node
	Children  []*results.Node
	Epoch     int64
	Charts    *resultsCharts // the nation's, a state's and a municipality's
}

// ProvisionallyFunded counts the projects of a provisional circuit the
// results mark funded, shown beside the final count so the two agree.
func (p *resultsView) ProvisionallyFunded() int {
	n := 0
	if p.Node.Level == comuna.LevelCircuit && p.Node.Provisional {
		for _, pr := range p.Node.Projects {
			if pr.Won {
				n++
			}
		}
	}
	return n
}

// URL links a node's page: the nation's overview, a unit's page, or a
// table's published sheets.
func (p *resultsView) URL(n *results.Node) string {
	base := "/rounds/" + strconv.FormatInt(p.Round.ID, 10)
	switch n.Level {
	case results.LevelNation:
		return base + "/results"
	case comuna.LevelTable:
		return tableURL(p.Round.ID, n.Code) + "/sheets"
	}
	return base + "/results/" + string(n.Level) + "/" + url.PathEscape(n.Code)
}

// NodeName is a node's name, "National" for the nation.
func (p *resultsView) NodeName(n *results.Node) string {
	if n.Level == results.LevelNation {
		return p.T("results.nation")
	}
	return n.Name
}

// TurnoutBar is a node's turnout as a bar length from 0 to 100.
func (p *resultsView) TurnoutBar(n *results.Node) float64 { return min(100, n.Turnout*100) }

// ProgressBar is a node's tables reported of tables expected, from 0 to 100.
func (p *resultsView) ProgressBar(n *results.Node) float64 {
	if n.TablesExpected == 0 {
		return 0
	}
	return 100 * float64(n.TablesReported) / float64(n.TablesExpected)
}

// Progress writes tables reported of tables expected.
func (p *resultsView) Progress(n *results.Node) string {
	return p.T("results.of", p.Int(n.TablesReported), p.Int(n.TablesExpected))
}

// Explain is why a project of the circuit's decision was funded or not,
// in the page's language.
func (p *resultsView) Explain(e allocation.Explained) string {
	return explain(p.Lang, p.Node.Decision, e, p.Node.Provisional, p.Round.Currency)
}

// Money writes an amount with the round's currency in the page's
// language.
func (p *resultsView) Money(c comuna.Cents) string {
	return p.Round.Currency + " " + formatDecimal(p.Lang, moneyDecimal(c.Plain()))
}

// Pct writes a fraction from 0 to 1 as a percentage with one decimal.
func (p *resultsView) Pct(x float64) string { return formatPct(p.Lang, x) }

// ShareBar is a project's share of its circuit's valid votes, 0 to 100.
func (p *resultsView) ShareBar(pr results.ProjectResult) float64 { return 100 * pr.Share }

// IsCircuit reports whether the page is a circuit's.
func (p *resultsView) IsCircuit() bool { return p.Node.Level == comuna.LevelCircuit }

// ChildLevel names the children's level, for the breakdown's heading.
func (p *resultsView) ChildLevel() string {
	if len(p.Children) == 0 {
		return ""
	}
	return p.L("levels", p.Children[0].Level)
}

func (s *Server) resultsView(r *http.Request, node func(*results.Results) (*results.Node, error)) (*resultsView, error) {
	round, err := s.loadRound(r)
	if err != nil {
		return nil, err
	}
	res, epoch, err := s.liveResults(r.Context(), round)
	if err != nil {
		return nil, err
	}
	n, err := node(res)
	if err != nil {
		return nil, err
	}
	p := &resultsView{Page: s.page(r, "results.title", "rounds"), Round: round, Res: res, Node: n,
		Ancestors: res.Ancestors(n), Children: res.Children(n), Epoch: epoch}
	p.Title = p.T("results.title") + " · " + p.NodeName(n) + " · " + round.Name
	if err := s.buildCharts(r.Context(), p); err != nil {
		return nil, err
	}
	return p, nil
}

// resultsPage is the national overview: totals, turnout, tables reported,
// and the states as bars with links down.
func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.resultsView(r, func(res *results.Results) (*results.Node, error) { return res.Nation(), nil })
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "results", p)
}

// resultsUnitPage is a state's, municipality's, parish's, commune's or
// circuit's results; a circuit's adds votes per project, its winners and
// every table's sheet.
func (s *Server) resultsUnitPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.resultsView(r, func(res *results.Results) (*results.Node, error) { return resultsNode(r, res) })
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "results", p)
}
