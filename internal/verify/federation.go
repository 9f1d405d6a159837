package verify

import (
	"fmt"
	"slices"
	"sort"

	"github.com/comuna/comuna/internal/assemblies/federation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
)

// FederationReport sums up one federation as replayed from the log.
type FederationReport struct {
	ID        int64
	Name      string
	Entries   int // entries replayed
	Documents int // documents approved as a whole
	Elections int // elections recounted from their logged ballots
	Ballots   int // ballots recounted
}

// federations collects the federation records of the log by federation.
type federations struct {
	entries map[int64][]logged[*record.Federation]
	order   []int64
}

func (fs *federations) add(n int64, x *record.Federation) {
	if fs.entries == nil {
		fs.entries = map[int64][]logged[*record.Federation]{}
	}
	if _, ok := fs.entries[x.FederationID]; !ok {
		fs.order = append(fs.order, x.FederationID)
	}
	fs.entries[x.FederationID] = append(fs.entries[x.FederationID], logged[*record.Federation]{n, x})
}

// checkFederations replays every federation's entries with the one Apply
// the server uses — which recounts each closed election from the ballots
// its close record carries — and compares each logged result with the
// recount.
func checkFederations(fs *federations) ([]*FederationReport, []Mismatch) {
	var reps []*FederationReport
	var ms []Mismatch
	var fid int64
	fail := func(n int64, format string, args ...any) {
		ms = append(ms, Mismatch{Federation: fid, Index: n, Message: fmt.Sprintf(format, args...)})
	}
	sort.Slice(fs.order, func(i, j int) bool { return fs.order[i] < fs.order[j] })
	for _, id := range fs.order {
		fid = id
		f := &federation.Federation{}
		rep := &FederationReport{ID: id}
		for _, l := range fs.entries[id] {
			e := l.rec.Entry
			if _, err := federation.Apply(f, e); err != nil {
				fail(l.index, "entry %d (%s) does not follow from the entries before it: %s", e.Seq, e.Kind, comuna.ErrorMessage(err))
				break
			}
			rep.Entries++
			switch e.Kind {
			case federation.EvVoteDoc:
				d := f.Document(e.Document)
				want := ""
				if d.Status == "approved" {
					rep.Documents++
					want = d.Versions[len(d.Versions)-1].Text
				}
				if l.rec.Approved != want {
					fail(l.index, "document %d %q: the approved text in the log differs from the text its entries consolidate", d.ID, d.Name)
				}
			case federation.EvClose:
				el := f.Election(e.Election)
				r := el.Result
				rep.Elections++
				rep.Ballots += len(el.Ballots)
				if r.Quota != l.rec.Quota || !slices.Equal(r.Elected, l.rec.Elected) || !slices.Equal(r.Alternates, l.rec.Alternates) {
					fail(l.index, "election %d %q: the log says elected %q (alternates %q, quota %s), the recount of its %d ballots gives %q (alternates %q, quota %s)",
						el.ID, el.Title, l.rec.Elected, l.rec.Alternates, l.rec.Quota, len(el.Ballots), r.Elected, r.Alternates, r.Quota)
				}
			}
		}
		rep.Name = f.Name
		reps = append(reps, rep)
	}
	return reps, ms
}
