package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/assemblies/federation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/sqlstore"
)

var federationTests = []struct {
	name string
	fn   func(t *testing.T, s *sqlstore.DB)
}{
	{"FederationCongress", testFederationCongress},
	{"FederationElection", testFederationElection},
}

// FederationStatutes is a small statute of three articles.
const FederationStatutes = `# Título I. De la Unión
### Artículo 1. Nombre
La Unión Comunal del Valle federa comunas y movimientos sociales.
### Artículo 2. Fines
La Unión defiende el autogobierno comunal.
### Artículo 3. Congreso
El congreso es el órgano máximo de la Unión.
`

// CongressFederation founds a federation of two communes and a movement,
// opens a congress and accredits and checks in five delegates by their
// credential codes. It returns the store, the federation's id and the
// codes.
func CongressFederation(t *testing.T, s *sqlstore.DB) (*sqlstore.DB, int64, []string) {
	t.Helper()
	ctx := context.Background()
	id, _, err := s.FoundFederation(ctx, federation.Entry{Kind: federation.EvFound, Name: "Unión Comunal del Valle", AdmitBy: "board", By: "secretaria"})
	if err != nil {
		t.Fatalf("FoundFederation() = %v", err)
	}
	do := func(e federation.Entry) federation.Entry {
		t.Helper()
		e.By = "secretaria"
		_, out, err := s.AppendFederation(ctx, id, e)
		if err != nil {
			t.Fatalf("AppendFederation(%s) = %v", e.Kind, err)
		}
		return out
	}
	for _, m := range []struct {
		name, kind string
		quota      int
	}{{"Comuna El Maizal", "commune", 2}, {"Comuna Ataroa", "commune", 2}, {"Movimiento de Pobladoras", "movement", 1}} {
		e := do(federation.Entry{Kind: federation.EvApply, Name: m.name, OrgKind: m.kind, Quota: m.quota})
		do(federation.Entry{Kind: federation.EvDecide, Member: e.Member, Tally: federation.Tally{Yes: 7, No: 1}})
	}
	do(federation.Entry{Kind: federation.EvCongress, Name: "Primer congreso"})
	var codes []string
	for _, d := range []struct {
		member int
		name   string
	}{{1, "Ana"}, {1, "Beto"}, {2, "Carla"}, {2, "Dario"}, {3, "Elena"}} {
		_, e, code, err := s.Accredit(ctx, id, federation.Entry{Kind: federation.EvAccredit, Congress: 1, Member: d.member, Name: d.name, By: "secretaria"})
		if err != nil || code == "" {
			t.Fatalf("Accredit(%s) = %q, %v", d.name, code, err)
		}
		if _, del, err := s.CheckInCode(ctx, id, 1, strings.ToLower(code), "puerta"); err != nil || del.ID != e.Delegate {
			t.Fatalf("CheckInCode(%s) = %v, %v", d.name, del, err)
		}
		codes = append(codes, code)
	}
	return s, id, codes
}

func testFederationCongress(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	db, id, codes := CongressFederation(t, s)
	if _, _, err := db.CheckInCode(ctx, id, 1, codes[0], "puerta"); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("second check-in = %v, want conflict", err)
	}
	if _, _, err := db.CheckInCode(ctx, id, 1, "AAAA-BBBB-CCCC", "puerta"); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("unknown code = %v, want invalid", err)
	}
	if _, _, _, err := db.Accredit(ctx, id, federation.Entry{Kind: federation.EvAccredit, Congress: 1, Member: 3, Name: "Flor"}); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("over the quota = %v, want conflict", err)
	}
	do := func(e federation.Entry) {
		t.Helper()
		e.By = "mesa"
		if _, _, err := db.AppendFederation(ctx, id, e); err != nil {
			t.Fatalf("%s: %v", e.Kind, err)
		}
	}
	do(federation.Entry{Kind: federation.EvDocument, Congress: 1, OrgKind: "statutes", Name: "Estatutos", Text: FederationStatutes, Threshold: 2})
	do(federation.Entry{Kind: federation.EvAmend, Document: 1, Article: 2, Op: federation.OpReplace, Paragraph: 1, Text: "La Unión defiende el autogobierno comunal y los bienes comunes.", Delegate: 1})
	do(federation.Entry{Kind: federation.EvSupport, Document: 1, Amendment: 1, Delegate: 3})
	do(federation.Entry{Kind: federation.EvVoteAmend, Document: 1, Amendment: 1, Tally: federation.Tally{Yes: 4, No: 1}})
	for a := 1; a <= 3; a++ {
		do(federation.Entry{Kind: federation.EvVoteArt, Document: 1, Article: a, Tally: federation.Tally{Yes: 5}})
	}
	before, _ := db.FederationEntries(ctx, id)
	_, _, err := db.AppendFederation(ctx, id, federation.Entry{Kind: federation.EvAmend, Document: 1, Article: 2, Op: federation.OpDelete, Paragraph: 1, Delegate: 2, By: "mesa"})
	if comuna.ErrorCode(err) != comuna.EConflict || !strings.Contains(err.Error(), "approved already") {
		t.Errorf("amendment to an approved article = %v, want conflict", err)
	}
	after, _ := db.FederationEntries(ctx, id)
	if len(after) != len(before) {
		t.Errorf("a refused amendment added an entry")
	}
	do(federation.Entry{Kind: federation.EvVoteDoc, Document: 1, Tally: federation.Tally{Yes: 5}})
	f, err := db.Federation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	d := f.Document(1)
	if d.Status != "approved" || len(d.Versions) != 3 || !strings.Contains(d.Versions[2].Text, "bienes comunes") {
		t.Errorf("document %s with %d versions", d.Status, len(d.Versions))
	}
	// every entry is in the log, byte for byte
	n, err := db.LogSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	data, err := db.LogRecord(ctx, n-1)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := record.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if fr, ok := rec.(*record.Federation); !ok || fr.Entry.Kind != federation.EvVoteDoc || fr.FederationID != id || fr.Approved != d.Versions[2].Text {
		t.Errorf("last log record %#v, want the approved text", rec)
	}
	list, err := db.Federations(ctx)
	if err != nil || len(list) != 1 || list[0].Members != 3 || list[0].Name != "Unión Comunal del Valle" {
		t.Errorf("Federations() = %+v, %v", list, err)
	}
	if _, err := db.Federation(ctx, id+1); comuna.ErrorCode(err) != comuna.ENotFound {
		t.Errorf("missing federation = %v", err)
	}
}

func testFederationElection(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	db, id, codes := CongressFederation(t, s)
	do := func(e federation.Entry) {
		t.Helper()
		e.By = "mesa"
		if _, _, err := db.AppendFederation(ctx, id, e); err != nil {
			t.Fatalf("%s: %v", e.Kind, err)
		}
	}
	do(federation.Entry{Kind: federation.EvElection, Congress: 1, Name: "Junta directiva", Seats: 2, Rule: "scotland", MinPct: 50, Alternate: 1, Seed: "semilla pública 2026-12-01"})
	for _, c := range []struct{ name, group string }{{"Ana", "f"}, {"Beto", "m"}, {"Carlos", "m"}, {"Elena", "f"}} {
		do(federation.Entry{Kind: federation.EvCandidate, Election: 1, Name: c.name, Group: c.group, Member: 1})
	}
	if err := db.CastBallot(ctx, id, 1, codes[0], []int{1}); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("ballot before the opening = %v", err)
	}
	do(federation.Entry{Kind: federation.EvOpen, Election: 1})
	ballots := [][]int{{1, 2}, {2, 1}, {1, 0}, {2, 3}, {0, 3}}
	for i, b := range ballots {
		if err := db.CastBallot(ctx, id, 1, codes[i], b); err != nil {
			t.Fatalf("CastBallot(%d) = %v", i, err)
		}
	}
	if err := db.CastBallot(ctx, id, 1, codes[0], []int{3}); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("second ballot = %v, want conflict", err)
	}
	if err := db.CastBallot(ctx, id, 1, "ZZZZ-ZZZZ-ZZZZ", []int{3}); comuna.ErrorCode(err) != comuna.EInvalid {
		t.Errorf("unknown code = %v, want invalid", err)
	}
	f, err := db.CloseElection(ctx, id, 1, "mesa")
	if err != nil {
		t.Fatal(err)
	}
	el := f.Election(1)
	if el.Participants != 5 || len(el.Ballots) != 5 {
		t.Fatalf("closed with %d participants, %d ballots", el.Participants, len(el.Ballots))
	}
	// men lead on first preferences; the balance keeps a seat for a woman
	r := el.Result
	if len(r.Elected) != 2 || !slices.ContainsFunc(r.Elected, func(n string) bool { return n == "Ana" || n == "Elena" }) {
		t.Errorf("elected %v", r.Elected)
	}
	if len(r.Alternates) != 1 {
		t.Errorf("alternates %v", r.Alternates)
	}
	// the log's close record lets anyone recount
	n, _ := db.LogSize(ctx)
	data, _ := db.LogRecord(ctx, n-1)
	rec, err := record.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	fr := rec.(*record.Federation)
	if len(fr.Entry.Ballots) != 5 || !slices.Equal(fr.Elected, r.Elected) || fr.Quota != r.Quota {
		t.Errorf("close record %+v", fr)
	}
	if _, err := db.CloseElection(ctx, id, 1, "mesa"); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("second close = %v", err)
	}
}
