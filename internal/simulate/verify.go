package simulate

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/comuna/comuna/internal/tally"
)

// sheetCounts is the counting part of a tally sheet: what results add up.
type sheetCounts struct {
	Circuit                             string
	Received, Cast, Blank, Null, Unused int64
	Votes                               []int64
}

func countsOf(sh tally.Sheet) sheetCounts {
	return sheetCounts{Circuit: sh.Circuit, Received: sh.Received, Cast: sh.Cast, Blank: sh.Blank, Null: sh.Null,
		Unused: sh.Unused, Votes: slices.Clone(sh.Votes)}
}

func (a sheetCounts) equal(b sheetCounts) bool {
	return a.Circuit == b.Circuit && a.Received == b.Received && a.Cast == b.Cast && a.Blank == b.Blank &&
		a.Null == b.Null && a.Unused == b.Unused && slices.Equal(a.Votes, b.Votes)
}

// Totals are national sums: of sheets, or as the results report them.
type Totals struct {
	Tables   int64 `json:"tables_reported"`
	Received int64 `json:"received"`
	Cast     int64 `json:"cast"`
	Blank    int64 `json:"blank"`
	Null     int64 `json:"null"`
	Valid    int64 `json:"valid"`
	Unused   int64 `json:"unused"`
	CheckIns int64 `json:"check_ins"`
}

// Recount compares the national results with sums of the sheets the
// simulator submitted and of the sheets the server publishes (JSON and
// CSV), and each circuit's votes per project with the submitted sheets.
type Recount struct {
	Results           Totals `json:"results"`
	Submitted         Totals `json:"submitted"`
	PublishedJSON     Totals `json:"published_json"`
	PublishedCSV      Totals `json:"published_csv"`
	SheetMismatches   int    `json:"sheet_mismatches"` // submitted sheets missing or different in the open data
	CircuitsChecked   int    `json:"circuits_checked"`
	CircuitMismatches int    `json:"circuit_mismatches"`
	Errors            int64  `json:"errors"`
}

func sum(sheets map[string]sheetCounts) (Totals, map[string][]int64) {
	var t Totals
	byCircuit := map[string][]int64{}
	for _, s := range sheets {
		t.Tables++
		t.Received += s.Received
		t.Cast += s.Cast
		t.Blank += s.Blank
		t.Null += s.Null
		t.Unused += s.Unused
		v := byCircuit[s.Circuit]
		for i, n := range s.Votes {
			if i >= len(v) {
				v = append(v, 0)
			}
			v[i] += n
			t.Valid += n
		}
		byCircuit[s.Circuit] = v
	}
	return t, byCircuit
}

// verify fetches the open data and the results and recounts them. The
// poll-book counts in results refresh every few seconds, so it waits for
// them a little.
func (r *run) verify(ctx context.Context) {
	rc := &Recount{}
	r.rep.Recount = rc
	matches := false
	r.rep.RecountMatches = &matches
	mine := map[string]sheetCounts{}
	var checkIns int64
	for _, s := range r.sheets {
		mine[r.w.Tables[s.table].Table] = s.sheet
	}
	for i := range r.accepted {
		checkIns += r.accepted[i]
	}
	rc.Submitted, _ = sum(mine)
	rc.Submitted.CheckIns = checkIns
	fail := func(format string, args ...any) {
		rc.Errors++
		r.problem(format, args...)
	}
	published, err := r.publishedJSON(ctx)
	if err != nil {
		fail("open data: %v", err)
		return
	}
	csvSheets, err := r.publishedCSV(ctx)
	if err != nil {
		fail("open data CSV: %v", err)
		return
	}
	for code, s := range mine {
		if p, ok := published[code]; !ok || !p.equal(s) {
			rc.SheetMismatches++
			fail("table %s: published sheet %+v, submitted %+v", code, p, s)
		}
	}
	var byCircuit map[string][]int64
	rc.PublishedJSON, byCircuit = sum(published)
	rc.PublishedCSV, _ = sum(csvSheets)
	var national struct {
		Nation Totals `json:"nation"`
	}
	for wait := time.Now().Add(12 * time.Second); ; {
		if err := r.c.get(ctx, r.base+"/results", &national); err != nil {
			fail("results: %v", err)
			return
		}
		rc.Results = national.Nation
		if rc.Results.CheckIns == checkIns || time.Now().After(wait) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	rc.PublishedJSON.CheckIns, rc.PublishedCSV.CheckIns = rc.Results.CheckIns, rc.Results.CheckIns
	r.checkCircuits(ctx, byCircuit, fail)
	matches = rc.Results == rc.Submitted && rc.Results == rc.PublishedJSON && rc.Results == rc.PublishedCSV &&
		rc.SheetMismatches == 0 && rc.CircuitMismatches == 0 && rc.Errors == 0
	if !matches {
		r.problem("recount: results %+v, submitted %+v, open data %+v, CSV %+v", rc.Results, rc.Submitted, rc.PublishedJSON, rc.PublishedCSV)
	}
}

// checkCircuits compares each circuit's votes per ballot number in the
// results with the published sheets' sums.
func (r *run) checkCircuits(ctx context.Context, want map[string][]int64, fail func(string, ...any)) {
	codes := make([]string, 0, len(want))
	for c := range want {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var mu sync.Mutex
	r.parallel(ctx, len(codes), func(i int) {
		var res struct {
			Node struct {
				Projects []struct {
					Number int   `json:"number"`
					Votes  int64 `json:"votes"`
				} `json:"projects"`
			} `json:"node"`
		}
		err := r.c.get(ctx, r.base+"/results/circuit/"+codes[i], &res)
		mu.Lock()
		defer mu.Unlock()
		rc := r.rep.Recount
		rc.CircuitsChecked++
		if err != nil {
			fail("results of circuit %s: %v", codes[i], err)
			return
		}
		got := make([]int64, len(want[codes[i]]))
		for _, p := range res.Node.Projects {
			if p.Number >= 1 && p.Number <= len(got) {
				got[p.Number-1] = p.Votes
			}
		}
		if !slices.Equal(got, want[codes[i]]) {
			rc.CircuitMismatches++
			fail("circuit %s: results give votes %v, sheets add up to %v", codes[i], got, want[codes[i]])
		}
	})
}

// publishedJSON reads the open data's current sheets, by table.
func (r *run) publishedJSON(ctx context.Context) (map[string]sheetCounts, error) {
	var data struct {
		Sheets []struct {
			Sheet tally.Sheet `json:"sheet"`
		} `json:"sheets"`
	}
	if err := r.c.get(ctx, r.base+"/sheets", &data); err != nil {
		return nil, err
	}
	out := make(map[string]sheetCounts, len(data.Sheets))
	for _, v := range data.Sheets {
		out[v.Sheet.Table] = countsOf(v.Sheet)
	}
	return out, nil
}

// publishedCSV reads the open data's CSV, by table.
func (r *run) publishedCSV(ctx context.Context) (map[string]sheetCounts, error) {
	data, err := r.c.getRaw(ctx, "/rounds/"+strconv.FormatInt(r.w.Round, 10)+"/sheets.csv")
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("empty CSV")
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"table", "circuit", "received", "cast", "blank", "null", "unused"} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("CSV has no %s column", name)
		}
	}
	out := make(map[string]sheetCounts, len(rows)-1)
	for _, row := range rows[1:] {
		num := func(name string) int64 {
			n, _ := strconv.ParseInt(strings.TrimSpace(row[col[name]]), 10, 64)
			return n
		}
		s := sheetCounts{Circuit: row[col["circuit"]], Received: num("received"), Cast: num("cast"), Blank: num("blank"),
			Null: num("null"), Unused: num("unused")}
		for i := 1; ; i++ {
			j, ok := col["votes_"+strconv.Itoa(i)]
			if !ok || strings.TrimSpace(row[j]) == "" {
				break
			}
			n, _ := strconv.ParseInt(row[j], 10, 64)
			s.Votes = append(s.Votes, n)
		}
		out[row[col["table"]]] = s
	}
	return out, nil
}
