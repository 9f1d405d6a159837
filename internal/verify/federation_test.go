package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/assemblies/federation"
	"github.com/comuna/comuna/internal/record"
)

// federationLog is a federation's history as logged records: a congress
// of three delegates elects two of three candidates by Meek STV.
func federationLog(t *testing.T, tamper bool) [][]byte {
	t.Helper()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	f := &federation.Federation{}
	var recs [][]byte
	add := func(e federation.Entry) {
		e.At, e.By = at, "mesa"
		e, err := federation.Apply(f, e)
		if err != nil {
			t.Fatalf("%s: %v", e.Kind, err)
		}
		rec := &record.Federation{FederationID: 4, Entry: e}
		if d := f.Document(e.Document); e.Kind == federation.EvVoteDoc && d.Status == "approved" {
			rec.Approved = d.Versions[len(d.Versions)-1].Text
			if tamper {
				rec.Approved += "### Artículo 2\nAñadido.\n"
			}
		}
		if e.Kind == federation.EvClose {
			r := f.Election(e.Election).Result
			rec.Quota, rec.Elected, rec.Alternates = r.Quota, r.Elected, r.Alternates
			if tamper {
				rec.Elected = []string{r.Elected[1], "Carla"}
			}
		}
		data, err := record.Encode(rec)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, data)
	}
	add(federation.Entry{Kind: federation.EvFound, Name: "Unión", AdmitBy: "board"})
	add(federation.Entry{Kind: federation.EvApply, Name: "Comuna A", OrgKind: "commune", Quota: 3})
	add(federation.Entry{Kind: federation.EvDecide, Member: 1, Tally: federation.Tally{Yes: 3}})
	add(federation.Entry{Kind: federation.EvCongress, Name: "Congreso"})
	for i, n := range []string{"x", "y", "z"} {
		add(federation.Entry{Kind: federation.EvAccredit, Congress: 1, Member: 1, Name: n})
		add(federation.Entry{Kind: federation.EvCheckIn, Congress: 1, Delegate: i + 1})
	}
	add(federation.Entry{Kind: federation.EvDocument, Congress: 1, OrgKind: "statutes", Name: "Estatutos", Text: "### Artículo 1\nTexto.\n", Threshold: 1})
	add(federation.Entry{Kind: federation.EvVoteArt, Document: 1, Article: 1, Tally: federation.Tally{Yes: 3}})
	add(federation.Entry{Kind: federation.EvVoteDoc, Document: 1, Tally: federation.Tally{Yes: 3}})
	add(federation.Entry{Kind: federation.EvElection, Congress: 1, Name: "Junta", Seats: 2, Rule: "meek-prf"})
	for _, n := range []string{"Ana", "Beto", "Carla"} {
		add(federation.Entry{Kind: federation.EvCandidate, Election: 1, Name: n})
	}
	add(federation.Entry{Kind: federation.EvOpen, Election: 1})
	add(federation.Entry{Kind: federation.EvClose, Election: 1, Quota: 3, Ballots: [][]int{{0, 1}, {1, 0}, {0, 2}}})
	return recs
}

func TestFederationRecount(t *testing.T) {
	h := rebuild(federationLog(t, false))
	reps, ms := checkFederations(&h.feds)
	if len(ms) != 0 {
		t.Fatalf("mismatches %v", ms)
	}
	if len(reps) != 1 || reps[0].Elections != 1 || reps[0].Ballots != 3 || reps[0].Documents != 1 || reps[0].Name != "Unión" {
		t.Errorf("reports %+v", reps[0])
	}
	h = rebuild(federationLog(t, true))
	_, ms = checkFederations(&h.feds)
	if len(ms) != 2 || !strings.Contains(ms[0].Error(), "federation 4") || !strings.Contains(ms[0].Error(), "approved text") || !strings.Contains(ms[1].Error(), "the recount of its 3 ballots") {
		t.Errorf("a tampered result: %v", ms)
	}
}
