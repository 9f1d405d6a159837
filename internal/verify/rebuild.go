package verify

import (
	"fmt"
	"slices"
	"sort"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
)

// logged is a record with its index in the log.
type logged[T any] struct {
	index int64
	rec   T
}

// round is everything the log says about one round.
type round struct {
	id        int64
	settings  *logged[*record.Round]
	territory *logged[*record.Territory]
	phase     comuna.Phase
	ballots   map[string]logged[*record.Ballot] // latest version per circuit
	sheets    map[string]logged[*record.Sheet]  // latest version per table
	versions  int
	circuitOf map[string]string // table → circuit, from the territory
	// projects are the funded projects' histories by proposal id, in the
	// order the log first funded them.
	projects     map[int64]*tracked
	projectOrder []int64
}

// history is the log decoded into rounds.
type history struct {
	rounds   map[int64]*round
	order    []int64 // round ids in increasing order
	problems []Mismatch
	feds     federations
	draws    int // audit draws re-derived from their seed
}

func (h *history) round(id int64) *round {
	r := h.rounds[id]
	if r == nil {
		r = &round{id: id, ballots: map[string]logged[*record.Ballot]{}, sheets: map[string]logged[*record.Sheet]{}}
		h.rounds[id] = r
		h.order = append(h.order, id)
	}
	return r
}

func (h *history) fail(roundID int64, circuit, table string, index int64, format string, args ...any) {
	h.problems = append(h.problems, Mismatch{Round: roundID, Circuit: circuit, Table: table, Index: index, Message: fmt.Sprintf(format, args...)})
}

// rebuild decodes every record in log order and keeps, per round, its
// rules, territory, last phase, latest ballot per circuit and latest sheet
// per table. Records that do not decode, or that break the log's own
// order (a correction without the version before it, a ballot version
// going backwards, two rule records), are problems naming their index.
func rebuild(recs [][]byte) *history {
	h := &history{rounds: map[int64]*round{}}
	for i, data := range recs {
		n := int64(i)
		rec, err := record.Decode(data)
		if err != nil {
			h.fail(0, "", "", n, "the record does not decode: %s", comuna.ErrorMessage(err))
			continue
		}
		switch x := rec.(type) {
		case *record.Federation:
			h.feds.add(n, x)
		case *record.Round:
			r := h.round(x.ID)
			if r.settings != nil {
				h.fail(x.ID, "", "", n, "a second record of the round's rules (the first is record %d)", r.settings.index)
				continue
			}
			r.settings = &logged[*record.Round]{n, x}
		case *record.Territory:
			r := h.round(x.RoundID)
			if r.territory != nil {
				h.fail(x.RoundID, "", "", n, "a second territory record (the first is record %d)", r.territory.index)
				continue
			}
			r.territory = &logged[*record.Territory]{n, x}
			r.circuitOf = map[string]string{}
			for _, c := range x.Circuits {
				for _, t := range c.Tables {
					r.circuitOf[t] = c.Code
				}
			}
		case *record.Phase:
			r := h.round(x.RoundID)
			if r.phase != "" && x.From != r.phase {
				h.fail(x.RoundID, "", "", n, "a phase change from %s, but the log last moved the round to %s", x.From, r.phase)
			}
			r.phase = x.To
		case *record.Ballot:
			r := h.round(x.RoundID)
			if prev, ok := r.ballots[x.Circuit]; ok && x.Version <= prev.rec.Version {
				h.fail(x.RoundID, x.Circuit, "", n, "ballot version %d after version %d (record %d)", x.Version, prev.rec.Version, prev.index)
				continue
			}
			r.ballots[x.Circuit] = logged[*record.Ballot]{n, x}
		case *record.Execution:
			h.addExecution(x, n)
		case *record.Sheet:
			s := x.Sheet
			r := h.round(s.RoundID)
			r.versions++
			prev, ok := r.sheets[s.Table]
			switch {
			case !ok && x.Version != 1:
				h.fail(s.RoundID, s.Circuit, s.Table, n, "a correction (version %d) of a sheet the log never accepted", x.Version)
			case ok && x.Version != prev.rec.Version+1:
				h.fail(s.RoundID, s.Circuit, s.Table, n, "sheet version %d after version %d (record %d)", x.Version, prev.rec.Version, prev.index)
			}
			r.sheets[s.Table] = logged[*record.Sheet]{n, x}
		case *record.Audit:
			// A draw is re-derived from its seed and the tables whose
			// sheets the log accepted before it.
			if x.AuditKind != string(audit.KindDraw) {
				continue
			}
			r := h.round(x.RoundID)
			pop := make([]string, 0, len(r.sheets))
			for t := range r.sheets {
				pop = append(pop, t)
			}
			if want := audit.Draw(x.Seed, pop, int(x.Tables)); !slices.Equal(want, x.Draw) {
				h.fail(x.RoundID, "", "", n, "audit %d drew %v, but its seed and the sheets logged before it draw %v", x.Audit, x.Draw, want)
			}
			h.draws++
		}
	}
	sort.Slice(h.order, func(i, j int) bool { return h.order[i] < h.order[j] })
	return h
}
