package federation

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

const statutes = `# Title I. The union
## Chapter 1. Name and aims
### Article 1. Name
The union is called Unión Comunal del Valle.
### Article 2. Aims
The union federates communes and movements of the valley.
It defends self-government.
# Title II. Organs
### Article 3. Congress
The congress is the highest organ.
`

// builder appends entries and fails the test on error.
type builder struct {
	t       *testing.T
	f       *Federation
	entries []Entry
}

func (b *builder) do(e Entry) Entry {
	b.t.Helper()
	e.At = t0.Add(time.Duration(b.f.Seq) * time.Minute)
	e.By = "secretaria"
	out, err := Apply(b.f, e)
	if err != nil {
		b.t.Fatalf("%s: %v", e.Kind, err)
	}
	b.entries = append(b.entries, out)
	return out
}

func (b *builder) fail(e Entry, code, msg string) {
	b.t.Helper()
	e.At = t0
	before := b.f.Seq
	_, err := Apply(b.f, e)
	if err == nil || comuna.ErrorCode(err) != code || !strings.Contains(err.Error(), msg) {
		b.t.Fatalf("%s: err %v, want %s containing %q", e.Kind, err, code, msg)
	}
	if b.f.Seq != before {
		b.t.Fatalf("%s: a refused entry changed the federation", e.Kind)
	}
}

// congress builds a federation with three members, a congress with five
// checked-in delegates and the statutes under debate.
func congress(t *testing.T) *builder {
	b := &builder{t: t, f: &Federation{}}
	b.do(Entry{Kind: EvFound, Name: "Unión Comunal del Valle", AdmitBy: "board"})
	for _, m := range []struct {
		name, kind string
		quota      int
	}{{"Comuna El Maizal", "commune", 2}, {"Comuna Ataroa", "commune", 2}, {"Movimiento de Pobladoras", "movement", 1}} {
		e := b.do(Entry{Kind: EvApply, Name: m.name, OrgKind: m.kind, Quota: m.quota})
		b.do(Entry{Kind: EvDecide, Member: e.Member, Tally: Tally{Yes: 5, No: 1}})
	}
	b.do(Entry{Kind: EvCongress, Name: "Congreso fundacional", Date: "2026-12-01"})
	for i, d := range []struct {
		member int
		name   string
	}{{1, "Ana"}, {1, "Beto"}, {2, "Carla"}, {2, "Dario"}, {3, "Elena"}} {
		e := b.do(Entry{Kind: EvAccredit, Congress: 1, Member: d.member, Name: d.name})
		if e.Delegate != i+1 {
			t.Fatalf("delegate %d numbered %d", i+1, e.Delegate)
		}
		b.do(Entry{Kind: EvCheckIn, Congress: 1, Delegate: e.Delegate})
	}
	b.do(Entry{Kind: EvDocument, Congress: 1, OrgKind: "statutes", Name: "Estatutos", Text: statutes, Threshold: 2})
	return b
}

func TestMembership(t *testing.T) {
	b := congress(t)
	f := b.f
	if m := f.Member(1); m.Status != Admitted || len(m.History) != 2 || m.History[0].Date != "2026-12-01" {
		t.Fatalf("member 1: %+v", m)
	}
	e := b.do(Entry{Kind: EvApply, Name: "Consejo Comunal Sur", OrgKind: "council", Quota: 1, Date: "2026-11-20"})
	b.do(Entry{Kind: EvDecide, Member: e.Member, Tally: Tally{Yes: 2, No: 3}, Date: "2026-11-25"})
	if m := f.Member(e.Member); m.Status != Rejected {
		t.Errorf("rejected application: %s", m.Status)
	}
	b.fail(Entry{Kind: EvSuspend, Member: 3, Date: "2026-12-02"}, comuna.EInvalid, "reason")
	b.do(Entry{Kind: EvSuspend, Member: 3, Date: "2026-12-02", Reason: "unpaid dues"})
	b.fail(Entry{Kind: EvAccredit, Congress: 1, Member: 3, Name: "Flor"}, comuna.EConflict, "suspended")
	b.do(Entry{Kind: EvReinstate, Member: 3, Date: "2026-12-03"})
	b.do(Entry{Kind: EvWithdraw, Member: 3, Date: "2026-12-04", Reason: "dissolved"})
	if got := f.Member(3).History; len(got) != 5 || got[4].Status != Withdrawn || got[4].Date != "2026-12-04" {
		t.Errorf("history %+v", got)
	}
	b.fail(Entry{Kind: EvReinstate, Member: 3}, comuna.EConflict, "withdrawn")
	b.fail(Entry{Kind: EvApply, Name: "comuna el maizal", OrgKind: "commune", Quota: 1}, comuna.EConflict, "already")
	b.fail(Entry{Kind: EvApply, Name: "X", OrgKind: "party", Quota: 1}, comuna.EInvalid, "kind")
}

func TestDelegates(t *testing.T) {
	b := congress(t)
	c := b.f.Congress(1)
	if q := c.Quorum(); !q.Met || q.Present != 5 || q.Required != 3 {
		t.Errorf("quorum %+v", q)
	}
	b.fail(Entry{Kind: EvAccredit, Congress: 1, Member: 1, Name: "Third"}, comuna.EConflict, "its 2 delegates")
	b.fail(Entry{Kind: EvCheckIn, Congress: 1, Delegate: 1}, comuna.EConflict, "checked in already")
	b.fail(Entry{Kind: EvCheckIn, Congress: 1, Delegate: 9}, comuna.ENotFound, "delegate 9")
}

func TestArticleByArticle(t *testing.T) {
	b := congress(t)
	d := b.f.Document(1)
	if len(d.Articles) != 3 || d.Articles[1].Chapter != "Chapter 1. Name and aims" || d.Articles[2].Title != "Title II. Organs" || len(d.Articles[1].Paragraphs) != 2 {
		t.Fatalf("parsed %+v", d.Articles)
	}
	// an amendment needs 2 supports (its author's counts) before a vote
	am := b.do(Entry{Kind: EvAmend, Document: 1, Article: 2, Op: OpReplace, Paragraph: 2, Text: "It defends self-government and the commons.", Delegate: 1})
	b.fail(Entry{Kind: EvVoteAmend, Document: 1, Amendment: am.Amendment, Tally: Tally{Yes: 4, No: 1}}, comuna.EConflict, "1 of the 2 supports")
	b.fail(Entry{Kind: EvSupport, Document: 1, Amendment: 1, Delegate: 1}, comuna.EConflict, "supports amendment 1 already")
	b.do(Entry{Kind: EvSupport, Document: 1, Amendment: 1, Delegate: 3})
	b.fail(Entry{Kind: EvVoteArt, Document: 1, Article: 2, Tally: Tally{Yes: 4}}, comuna.EConflict, "still to be voted")
	b.fail(Entry{Kind: EvVoteAmend, Document: 1, Amendment: 1, Tally: Tally{Yes: 4, No: 2}}, comuna.EInvalid, "6 votes from 5")
	b.do(Entry{Kind: EvVoteAmend, Document: 1, Amendment: 1, Tally: Tally{Yes: 4, No: 1}})
	if got := d.Article(2).Paragraphs[1]; got != "It defends self-government and the commons." {
		t.Errorf("amended paragraph %q", got)
	}
	if len(d.Versions) != 2 {
		t.Fatalf("%d versions", len(d.Versions))
	}
	diff := Diff(d.Versions[0].Text, d.Versions[1].Text)
	var changed []string
	for _, l := range diff {
		if l.Op != " " {
			changed = append(changed, l.Op+l.Text)
		}
	}
	if !slices.Equal(changed, []string{"-It defends self-government.", "+It defends self-government and the commons."}) {
		t.Errorf("diff %q", changed)
	}
	// an insertion that never reaches its support lapses when the article is voted
	b.do(Entry{Kind: EvAmend, Document: 1, Article: 2, Op: OpInsert, Paragraph: 3, Text: "It keeps accounts open.", Delegate: 2})
	for _, n := range []int{1, 2, 3} {
		b.do(Entry{Kind: EvVoteArt, Document: 1, Article: n, Tally: Tally{Yes: 4, No: 1}})
	}
	if d.Amendment(2).Status != "lapsed" {
		t.Errorf("unsupported amendment is %s", d.Amendment(2).Status)
	}
	// an amendment to an approved article is refused and changes nothing
	b.fail(Entry{Kind: EvAmend, Document: 1, Article: 1, Op: OpDelete, Paragraph: 1, Delegate: 4}, comuna.EConflict, "approved already")
	b.do(Entry{Kind: EvVoteDoc, Document: 1, Tally: Tally{Yes: 5}})
	if d.Status != "approved" || len(d.Versions) != 3 || !strings.Contains(d.Versions[2].Text, "and the commons") {
		t.Errorf("approved document: %s, %d versions", d.Status, len(d.Versions))
	}
	b.fail(Entry{Kind: EvVoteDoc, Document: 1, Tally: Tally{Yes: 5}}, comuna.EConflict, "approved already")
}

func TestRejectedArticleLeavesTheText(t *testing.T) {
	b := congress(t)
	b.do(Entry{Kind: EvVoteArt, Document: 1, Article: 1, Tally: Tally{Yes: 4}})
	b.do(Entry{Kind: EvVoteArt, Document: 1, Article: 2, Tally: Tally{Yes: 1, No: 4}})
	b.fail(Entry{Kind: EvVoteDoc, Document: 1, Tally: Tally{Yes: 5}}, comuna.EConflict, "article 3 is still")
	b.do(Entry{Kind: EvVoteArt, Document: 1, Article: 3, Tally: Tally{Yes: 4}})
	b.do(Entry{Kind: EvVoteDoc, Document: 1, Tally: Tally{Yes: 5}})
	d := b.f.Document(1)
	if len(d.Articles) != 2 || d.Articles[1].Number != 2 || d.Articles[1].Heading != "Article 3. Congress" {
		t.Errorf("approved articles %+v", d.Articles)
	}
}

func TestQuorum(t *testing.T) {
	b := &builder{t: t, f: &Federation{}}
	b.do(Entry{Kind: EvFound, Name: "U", AdmitBy: "board"})
	b.do(Entry{Kind: EvApply, Name: "A", OrgKind: "commune", Quota: 3})
	b.do(Entry{Kind: EvDecide, Member: 1, Tally: Tally{Yes: 1}})
	b.do(Entry{Kind: EvCongress, Name: "C"})
	for _, n := range []string{"x", "y", "z"} {
		b.do(Entry{Kind: EvAccredit, Congress: 1, Member: 1, Name: n})
	}
	b.do(Entry{Kind: EvCheckIn, Congress: 1, Delegate: 1})
	b.do(Entry{Kind: EvDocument, Congress: 1, OrgKind: "programme", Name: "P", Text: "### Article 1\nText.\n", Threshold: 1})
	b.fail(Entry{Kind: EvVoteArt, Document: 1, Article: 1, Tally: Tally{Yes: 1}}, comuna.EConflict, "no quorum: 1 present, 2 needed")
}

func TestParseTextErrors(t *testing.T) {
	for _, tt := range []struct {
		text string
		line int
	}{{"Loose paragraph\n### Article 1", 1}, {"### A\n#### B", 2}} {
		_, err := ParseText(tt.text)
		var ce *comuna.Error
		if !errors.As(err, &ce) || ce.Line != tt.line {
			t.Errorf("%q: %v, want line %d", tt.text, err, tt.line)
		}
	}
}

func TestElection(t *testing.T) {
	b := congress(t)
	e := b.do(Entry{Kind: EvElection, Congress: 1, Name: "Junta directiva", Seats: 3, Rule: "meek-prf", MinPct: 40, Alternate: 2, Seed: "acta 1"})
	b.fail(Entry{Kind: EvCandidate, Election: e.Election, Name: "Sin grupo"}, comuna.EInvalid, "group")
	for _, c := range []struct{ name, group string }{{"Ana", "f"}, {"Beto", "m"}, {"Carlos", "m"}, {"Dario", "m"}, {"Elena", "f"}} {
		b.do(Entry{Kind: EvCandidate, Election: e.Election, Name: c.name, Group: c.group, Member: 1})
	}
	b.fail(Entry{Kind: EvClose, Election: 1}, comuna.EConflict, "setup")
	if _, err := b.f.CheckVoter(1, 1); err == nil {
		t.Errorf("a ballot accepted before the election opens")
	}
	b.do(Entry{Kind: EvOpen, Election: 1})
	el, err := b.f.CheckVoter(1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := el.CheckBallot([]int{1, 2, 1}); err == nil || !strings.Contains(err.Error(), "Beto twice") {
		t.Errorf("ranking twice: %v", err)
	}
	// the men lead; the balance gives one of the three seats to a woman
	ballots := [][]int{{1, 2, 3}, {2, 1, 3}, {3, 1, 2}, {1, 3, 2}, {0, 4}}
	b.fail(Entry{Kind: EvClose, Election: 1, Quota: 4, Ballots: ballots}, comuna.EInvalid, "5 ballots from 4")
	b.do(Entry{Kind: EvClose, Election: 1, Quota: 5, Ballots: ballots})
	r := el.Result
	if r == nil || len(r.Elected) != 3 || !slices.Contains(r.Elected, "Ana") {
		t.Fatalf("result %+v", r)
	}
	if len(r.Alternates) != 2 {
		t.Errorf("alternates %v", r.Alternates)
	}
	if !slices.IsSortedFunc(el.Ballots, slices.Compare) {
		t.Errorf("ballots kept in cast order")
	}
	b.fail(Entry{Kind: EvClose, Election: 1, Quota: 5, Ballots: ballots}, comuna.EConflict, "closed")
}

func TestReplay(t *testing.T) {
	b := congress(t)
	b.do(Entry{Kind: EvElection, Congress: 1, Name: "Voceros", Seats: 1, Rule: "plurality"})
	b.do(Entry{Kind: EvCandidate, Election: 1, Name: "Ana"})
	b.do(Entry{Kind: EvOpen, Election: 1})
	b.do(Entry{Kind: EvClose, Election: 1, Quota: 1, Ballots: [][]int{{0}}})
	f, err := Replay(b.entries)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(f)
	want, _ := json.Marshal(b.f)
	if string(got) != string(want) {
		t.Errorf("replay differs\n got %s\nwant %s", got, want)
	}
	if _, err := Replay([]Entry{{Seq: 1, Kind: EvApply, At: t0}}); err == nil {
		t.Errorf("a history that does not start with the founding replayed")
	}
}
