package web

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
)

// Server-rendered SVG charts of the results pages, no script needed: a
// tile map of the states coloured by turnout, bars by state (or by the
// unit's children), the tables reported over the evening, and funded
// projects by category. Each chart is a figure whose SVG is hidden from
// screen readers and whose data is a table beside it (visually hidden).

// chartRow is one bar: a label, a value drawn from 0 to max, the value
// as text, and where the label links.
type chartRow struct {
	Label string
	Value float64
	Text  string
	Href  string
}

// resultsCharts is what the charts of a results page draw.
type resultsCharts struct {
	Map         template.HTML
	MapRows     []chartRow
	Turnout     template.HTML
	TurnoutRow  []chartRow
	Funded      template.HTML
	FundedRows  []chartRow
	Evening     template.HTML
	EveningRow  []chartRow
	Category    template.HTML
	CatRows     []chartRow
	Provisional bool
}

// tilePlaces are the states' places on the tile map, a grid in their
// rough geographic positions (column, row).
var tilePlaces = map[string][2]int{
	"FA": {2, 0}, "LG": {5, 0}, "DC": {6, 0}, "NE": {8, 0},
	"ZU": {0, 1}, "LA": {2, 1}, "YA": {3, 1}, "CA": {4, 1}, "AR": {5, 1}, "MI": {6, 1}, "SU": {8, 1},
	"TR": {1, 2}, "PO": {2, 2}, "CO": {3, 2}, "GU": {5, 2}, "AN": {7, 2}, "MO": {8, 2}, "DA": {9, 2},
	"TA": {0, 3}, "ME": {1, 3}, "BA": {2, 3}, "AP": {4, 3}, "BO": {7, 3},
	"AM": {5, 4},
}

// turnoutClasses are the map's colour steps, by turnout.
var turnoutSteps = []float64{0.05, 0.10, 0.20, 0.30}

func turnoutClass(n *results.Node) string {
	if n.Census == 0 {
		return "t-none"
	}
	for i, s := range turnoutSteps {
		if n.Turnout < s {
			return fmt.Sprintf("t%d", i)
		}
	}
	return fmt.Sprintf("t%d", len(turnoutSteps))
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// tileMap draws the states as tiles coloured by turnout, each a link.
func (p *resultsView) tileMap(states []*results.Node) template.HTML {
	const size, gap = 40, 4
	var b strings.Builder
	extra := 0
	maxCol, maxRow := 9, 4
	type tile struct {
		n        *results.Node
		col, row int
	}
	var tiles []tile
	for _, n := range states {
		pl, ok := tilePlaces[n.Code]
		if !ok {
			pl = [2]int{extra % 10, 5 + extra/10}
			extra++
		}
		maxRow = max(maxRow, pl[1])
		tiles = append(tiles, tile{n, pl[0], pl[1]})
	}
	w, h := (maxCol+1)*(size+gap), (maxRow+1)*(size+gap)+28
	fmt.Fprintf(&b, `<svg class="chart tilemap" viewBox="0 0 %d %d" aria-hidden="true" focusable="false">`, w, h)
	for _, t := range tiles {
		x, y := t.col*(size+gap), t.row*(size+gap)
		fmt.Fprintf(&b, `<a href="%s"><title>%s: %s</title><rect class="tile %s" x="%d" y="%d" width="%d" height="%d" rx="4"/><text class="tile-code" x="%d" y="%d">%s</text></a>`,
			esc(p.URL(t.n)), esc(t.n.Name), esc(p.turnoutText(t.n)), turnoutClass(t.n), x, y, size, size, x+size/2, y+size/2+4, esc(t.n.Code))
	}
	// The legend.
	y := (maxRow+1)*(size+gap) + 6
	labels := []string{"< 5 %", "5–10 %", "10–20 %", "20–30 %", "≥ 30 %"}
	for i, l := range labels {
		x := i * 88
		fmt.Fprintf(&b, `<rect class="tile t%d" x="%d" y="%d" width="14" height="14" rx="2"/><text class="legend" x="%d" y="%d">%s</text>`, i, x, y, x+18, y+12, esc(l))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func (p *resultsView) turnoutText(n *results.Node) string {
	if n.Census == 0 {
		return "—"
	}
	return p.Pct(n.Turnout)
}

// bars draws horizontal bars, labels on the left, values on the right.
func bars(rows []chartRow, maxValue float64) template.HTML {
	const rowH, labelW, barW, valueW = 22, 150, 190, 90
	if maxValue <= 0 {
		maxValue = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars" viewBox="0 0 %d %d" aria-hidden="true" focusable="false">`, labelW+barW+valueW, max(1, len(rows))*rowH)
	for i, r := range rows {
		y := i * rowH
		label := r.Label
		if len([]rune(label)) > 22 {
			label = string([]rune(label)[:21]) + "…"
		}
		wid := math.Round(float64(barW) * math.Min(1, r.Value/maxValue))
		fmt.Fprintf(&b, `<text class="bar-label" x="%d" y="%d">%s</text>`, labelW-6, y+15, esc(label))
		fmt.Fprintf(&b, `<rect class="bar-bg" x="%d" y="%d" width="%d" height="14" rx="2"/>`, labelW, y+4, barW)
		fmt.Fprintf(&b, `<rect class="bar-fg" x="%d" y="%d" width="%g" height="14" rx="2"/>`, labelW, y+4, wid)
		fmt.Fprintf(&b, `<text class="bar-value" x="%d" y="%d">%s</text>`, labelW+barW+6, y+15, esc(r.Text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// evening draws the tables reported over time as a step line.
func (p *resultsView) evening(times []time.Time, expected int) (template.HTML, []chartRow) {
	const w, h, left, bottom = 430, 170, 40, 24
	var rows []chartRow
	if len(times) == 0 || expected == 0 {
		return "", nil
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	t0, t1 := times[0], times[len(times)-1]
	span := t1.Sub(t0).Seconds()
	if span <= 0 {
		span = 1
	}
	x := func(t time.Time) float64 { return left + (w-left-10)*t.Sub(t0).Seconds()/span }
	y := func(n int) float64 { return (h - bottom) - float64(h-bottom-10)*float64(n)/float64(expected) }
	var pts []string
	pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(t0), y(0)))
	for i, t := range times {
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(t), y(i)), fmt.Sprintf("%.1f,%.1f", x(t), y(i+1)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart line" viewBox="0 0 %d %d" aria-hidden="true" focusable="false">`, w, h)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/><line class="axis" x1="%d" y1="10" x2="%d" y2="%d"/>`, left, h-bottom, w-10, h-bottom, left, left, h-bottom)
	fmt.Fprintf(&b, `<line class="goal" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, left, y(expected), w-10, y(expected))
	fmt.Fprintf(&b, `<polyline class="series" points="%s"/>`, strings.Join(pts, " "))
	fmt.Fprintf(&b, `<text class="axis-label" x="%d" y="%.1f">%s</text><text class="axis-label" x="%d" y="%.1f">0</text>`, left-4, y(expected)+4, esc(p.Int(expected)), left-4, y(0)+4)
	fmt.Fprintf(&b, `<text class="axis-label start" x="%d" y="%d">%s</text><text class="axis-label" x="%d" y="%d">%s</text>`, left, h-6, esc(p.Time(t0)), w-10, h-6, esc(p.Time(t1)))
	b.WriteString(`</svg>`)
	// The table: the reports hour by hour.
	hour := t0.Truncate(time.Hour)
	n := 0
	for hour.Before(t1) || hour.Equal(t1) || n < len(times) {
		next := hour.Add(time.Hour)
		for n < len(times) && times[n].Before(next) {
			n++
		}
		rows = append(rows, chartRow{Label: p.Time(next), Value: float64(n), Text: p.T("results.of", p.Int(n), p.Int(expected))})
		hour = next
		if len(rows) > 48 {
			break
		}
	}
	return template.HTML(b.String()), rows
}

// buildCharts fills the charts of a nation's, state's or municipality's
// page; other levels have none.
func (s *Server) buildCharts(ctx context.Context, p *resultsView) error {
	switch p.Node.Level {
	case results.LevelNation, comuna.LevelState, comuna.LevelMunicipality:
	default:
		return nil
	}
	c := &resultsCharts{Provisional: p.Node.Provisional}
	maxTurnout, maxFunded := 0.0, 0.0
	for _, n := range p.Children {
		maxTurnout = max(maxTurnout, n.Turnout)
		maxFunded = max(maxFunded, float64(n.Funded))
	}
	for _, n := range p.Children {
		c.TurnoutRow = append(c.TurnoutRow, chartRow{Label: n.Name, Value: n.Turnout, Text: p.turnoutText(n), Href: p.URL(n)})
		c.FundedRows = append(c.FundedRows, chartRow{Label: n.Name, Value: float64(n.Funded), Text: p.Int(n.Funded), Href: p.URL(n)})
	}
	if p.Node.Level == results.LevelNation {
		c.Map = p.tileMap(p.Children)
		c.MapRows = c.TurnoutRow
	}
	c.Turnout = bars(c.TurnoutRow, maxTurnout)
	c.Funded = bars(c.FundedRows, maxFunded)

	// Tables reported over the evening: when each table's current sheet
	// was accepted (a corrected sheet counts from its correction), for
	// the tables below this node.
	if st, err := s.vdStore(); err == nil {
		vs, _, err := st.CurrentSheets(ctx, p.Round.ID)
		if err != nil {
			return err
		}
		first := map[string]time.Time{}
		for _, v := range vs {
			if t, ok := first[v.Table]; !ok || v.Accepted.Before(t) {
				first[v.Table] = v.Accepted
			}
		}
		var times []time.Time
		for table, t := range first {
			if p.below(table) {
				times = append(times, t)
			}
		}
		c.Evening, c.EveningRow = p.evening(times, p.Node.TablesExpected)
	}

	// Funded projects by category: the projects the results mark funded
	// in the circuits below, with their proposals' categories.
	ps, err := s.store.Proposals(ctx, comuna.ProposalFilter{RoundID: p.Round.ID, Status: comuna.StatusAccepted})
	if err != nil {
		return err
	}
	category := map[int64]string{}
	for _, pr := range ps {
		category[pr.ID] = pr.Category
	}
	counts := map[string]int{}
	p.eachCircuit(p.Node, func(n *results.Node) {
		for _, pr := range n.Projects {
			if pr.Won {
				counts[category[pr.ProposalID]]++
			}
		}
	})
	maxCat := 0.0
	for cat, n := range counts {
		c.CatRows = append(c.CatRows, chartRow{Label: p.L("category", cat), Value: float64(n), Text: p.Int(n)})
		maxCat = max(maxCat, float64(n))
	}
	sort.Slice(c.CatRows, func(i, j int) bool {
		if c.CatRows[i].Value != c.CatRows[j].Value {
			return c.CatRows[i].Value > c.CatRows[j].Value
		}
		return c.CatRows[i].Label < c.CatRows[j].Label
	})
	if len(c.CatRows) > 0 {
		c.Category = bars(c.CatRows, maxCat)
	}
	p.Charts = c
	return nil
}

// below reports whether a table is in the page's node.
func (p *resultsView) below(table string) bool {
	n, ok := p.Res.Node(comuna.LevelTable, table)
	if !ok {
		return false
	}
	if p.Node.Level == results.LevelNation {
		return true
	}
	for _, a := range p.Res.Ancestors(n) {
		if a == p.Node || (a.Level == p.Node.Level && a.Code == p.Node.Code) {
			return true
		}
	}
	return false
}

// eachCircuit calls fn for every circuit at or below n.
func (p *resultsView) eachCircuit(n *results.Node, fn func(*results.Node)) {
	if n.Level == comuna.LevelCircuit {
		fn(n)
		return
	}
	for _, c := range p.Res.Children(n) {
		p.eachCircuit(c, fn)
	}
}

// chartData is one chart with its data table, for the "chart" template.
type chartData struct {
	Page  *Page
	Title string // catalogue key of its caption
	SVG   template.HTML
	Rows  []chartRow
	Value string // catalogue key of the value column
}
