package parliament

import (
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

var day = time.Date(2026, 3, 4, 22, 0, 0, 0, time.UTC) // a Wednesday, 18:00 in Caracas

// testOrgan is a parliament of 6 positions; position 6 is vacant but its
// alternate steps in, positions 1 and 2 have alternates.
func testOrgan() (*Organ, []Seat) {
	o := &Organ{ID: 1, Kind: KindParliament, UnitCode: "C1", Name: "Parlamento", Size: 7, Weekday: time.Wednesday, Minute: 18 * 60}
	if err := o.Validate(); err != nil {
		panic(err)
	}
	start := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	var seats []Seat
	add := func(pos int, role SeatRole, name, g string) {
		seats = append(seats, Seat{ID: int64(len(seats) + 1), OrganID: 1, Position: pos, Role: role, Holder: name, Gender: g, Start: start, End: TermEnd(start)})
	}
	add(1, Principal, "Ana", "f")
	add(2, Principal, "Beto", "m")
	add(3, Principal, "Carla", "f")
	add(4, Principal, "Dario", "m")
	add(5, Principal, "Elena", "f")
	add(6, Alternate, "Fabio", "m")
	add(1, Alternate, "Gabi", "f")
	add(2, Alternate, "Hugo", "m")
	// position 7 is vacant
	return o, seats
}

func TestRosterOn(t *testing.T) {
	o, seats := testOrgan()
	r := RosterOn(o.Size, seats, day)
	if r.Seated != 6 || len(r.Vacant) != 1 || r.Vacant[0] != 7 {
		t.Fatalf("RosterOn = seated %d vacant %v, want 6 and [7]", r.Seated, r.Vacant)
	}
	var fabio Member
	for _, m := range r.Members {
		if m.Name == "Fabio" {
			fabio = m
		}
	}
	if fabio.Role != Principal || fabio.Position != 6 {
		t.Errorf("the alternate filling vacant position 6 = %+v, want principal at 6", fabio)
	}
	late := TermEnd(seats[0].Start).AddDate(0, -1, 0)
	if r := RosterOn(o.Size, seats, late); len(r.Expiring) != len(seats) {
		t.Errorf("a month before the terms end, %d seats expiring, want %d", len(r.Expiring), len(seats))
	}
	if r := RosterOn(o.Size, seats, TermEnd(seats[0].Start).AddDate(0, 0, 1)); r.Seated != 0 {
		t.Errorf("after the terms end, seated = %d, want 0", r.Seated)
	}
}

func TestNextMeetings(t *testing.T) {
	o, _ := testOrgan()
	loc := time.FixedZone("VET", -4*3600)
	got := o.NextMeetings(time.Date(2026, 3, 2, 12, 0, 0, 0, loc), loc, 3)
	want := []string{"2026-03-04 18:00", "2026-03-11 18:00", "2026-03-18 18:00"}
	for i := range want {
		if g := got[i].Format("2006-01-02 15:04"); g != want[i] {
			t.Errorf("meeting %d = %s, want %s", i, g, want[i])
		}
	}
	if g := o.NextMeetings(time.Date(2026, 3, 4, 18, 0, 0, 0, loc), loc, 1)[0]; !g.Equal(time.Date(2026, 3, 4, 18, 0, 0, 0, loc)) {
		t.Errorf("a meeting starting now = %v, want that same meeting", g)
	}
}

// run applies commands in order, failing on an unexpected error code.
type runner struct {
	t   *testing.T
	s   *Session
	env Env
	out []Outcome
}

func (r *runner) do(c Command, code, field string) {
	r.t.Helper()
	before := r.s
	n, out, err := Apply(r.s, c, r.env)
	if got := comuna.ErrorCode(err); got != code || (field != "" && comuna.ErrorField(err) != field) {
		r.t.Fatalf("%s %+v: error %q field %q (%v), want %q field %q", c.Op, c, got, comuna.ErrorField(err), err, code, field)
	}
	if err != nil && n != before {
		r.t.Fatalf("%s: a refused command returned a changed session", c.Op)
	}
	r.s = n
	r.out = append(r.out, out)
}

func TestSessionEndToEnd(t *testing.T) {
	o, seats := testOrgan()
	r := &runner{t: t, s: NewSession(o, 1, day), env: Env{Organ: o, Roster: RosterOn(o.Size, seats, day), By: "secretaria", Now: day}}
	r.do(Command{Op: "attend", Seat: 1, Present: true}, comuna.EConflict, "status")
	r.do(Command{Op: "add-item", Kind: "report", Title: "Informe de la vocería"}, "", "")
	r.do(Command{Op: "add-item", Kind: "motion", Title: "Plan de agua"}, "", "")
	r.do(Command{Op: "open"}, "", "")
	// Quorum of 6 seated is 4.
	for _, id := range []int64{1, 2, 7} { // Ana, Beto, Gabi (alternate of Ana)
		r.do(Command{Op: "attend", Seat: id, Present: true}, "", "")
	}
	if q := r.s.QuorumNow(o); q.Present != 2 || q.Required != 4 || q.Met {
		t.Fatalf("quorum with Ana, Beto and Ana's alternate = %+v, want 2 present of 4 required", q)
	}
	r.do(Command{Op: "submit-motion", Item: 2, Title: "Plan de agua", Text: "Primero.\n\nSegundo.\n\nTercero.", Majority: TwoThirdsPresent}, "", "")
	r.do(Command{Op: "open-vote", Item: 2, Motion: 1}, comuna.EConflict, "quorum")
	r.do(Command{Op: "attend", Seat: 3, Present: true}, "", "")
	r.do(Command{Op: "attend", Seat: 6, Present: true}, "", "")
	if q := r.s.QuorumNow(o); !q.Met || q.Present != 4 {
		t.Fatalf("quorum = %+v, want met with 4", q)
	}
	// Speakers on item 2, alternating by gender.
	r.do(Command{Op: "open-item", Item: 2}, "", "")
	r.do(Command{Op: "speakers-rules", Item: 2, TimeLimit: 180, Alternate: AlternateByGender}, "", "")
	r.do(Command{Op: "request-speech", Item: 2, Seat: 1, Kind: "for"}, "", "")
	r.do(Command{Op: "request-speech", Item: 2, Seat: 3, Kind: "against"}, "", "")
	r.do(Command{Op: "request-speech", Item: 2, Seat: 2, Kind: "question"}, "", "")
	r.do(Command{Op: "request-speech", Item: 2, Seat: 4, Kind: "for"}, comuna.EConflict, "seat") // Dario absent
	r.do(Command{Op: "request-speech", Item: 2, Seat: 1, Kind: "for"}, comuna.EConflict, "seat") // twice
	r.do(Command{Op: "next-speaker", Item: 2}, "", "")
	r.do(Command{Op: "next-speaker", Item: 2}, "", "")
	if l := r.s.Items[1].Speakers; l.Speeches[l.Current()].Name != "Beto" {
		t.Errorf("after Ana, the floor goes to %s, want Beto (alternation by gender)", l.Speeches[l.Current()].Name)
	}
	// An amendment, voted before the motion.
	r.do(Command{Op: "submit-amendment", Motion: 1, Kind: "replace", Paragraph: 2, Text: "Segundo, enmendado."}, "", "")
	r.do(Command{Op: "submit-amendment", Motion: 1, Kind: "replace", Paragraph: 9, Text: "x"}, comuna.EInvalid, "paragraph")
	r.do(Command{Op: "open-vote", Item: 2, Motion: 1}, comuna.EConflict, "amendment")
	r.do(Command{Op: "open-vote", Item: 2, Motion: 1, Amendment: 1, Method: ShowOfHands}, "", "")
	r.do(Command{Op: "close-vote"}, comuna.EInvalid, "totals")
	r.do(Command{Op: "totals", Totals: Totals{3, 1, 0}}, "", "")
	r.do(Command{Op: "close-vote"}, "", "")
	if m := r.s.Motions[0]; m.Amendments[0].Status != AmendApproved || m.Final[1] != "Segundo, enmendado." {
		t.Fatalf("after the amendment passed: %+v", m)
	}
	// The motion by roll call, needing ⅔ of the 4 present (3).
	r.do(Command{Op: "open-vote", Item: 2, Motion: 1, Method: RollCall}, "", "")
	r.do(Command{Op: "ballot", Seat: 1, Choice: "for"}, "", "")
	r.do(Command{Op: "ballot", Seat: 1, Choice: "against"}, comuna.EConflict, "seat") // twice
	r.do(Command{Op: "ballot", Seat: 7, Choice: "for"}, comuna.EConflict, "seat")     // alternate, principal present
	r.do(Command{Op: "ballot", Seat: 4, Choice: "for"}, comuna.EConflict, "seat")     // absent
	r.do(Command{Op: "attend", Seat: 1, Present: false}, comuna.EConflict, "seat")    // voted: cannot leave mid-vote
	r.do(Command{Op: "ballot", Seat: 2, Choice: "for"}, "", "")
	r.do(Command{Op: "ballot", Seat: 3, Choice: "against"}, "", "")
	r.do(Command{Op: "ballot", Seat: 6, Choice: "against"}, "", "")
	r.do(Command{Op: "close-vote"}, "", "")
	last := r.out[len(r.out)-1]
	if len(last.Decisions) != 1 || last.Decisions[0].Passed || last.Decisions[0].Result.Needed != 3 {
		t.Fatalf("the ⅔ roll call with 2 for of 4 present: %+v, want one failed decision needing 3", last.Decisions)
	}
	if r.s.Motions[0].Status != Rejected {
		t.Errorf("motion status = %s, want rejected", r.s.Motions[0].Status)
	}
	r.do(Command{Op: "submit-amendment", Motion: 1, Kind: "delete", Paragraph: 1}, comuna.EConflict, "motion")
	// A second motion by simple majority passes; Ana leaves and her
	// alternate votes for her.
	r.do(Command{Op: "attend", Seat: 1, Present: false}, "", "")
	r.do(Command{Op: "submit-motion", Item: 2, Title: "Jornada de limpieza", Text: "Convocar una jornada."}, "", "")
	r.do(Command{Op: "open-vote", Item: 2, Motion: 2}, "", "")
	r.do(Command{Op: "ballot", Seat: 7, Choice: "for"}, "", "")
	r.do(Command{Op: "ballot", Seat: 2, Choice: "for"}, "", "")
	r.do(Command{Op: "ballot", Seat: 3, Choice: "against"}, "", "")
	r.do(Command{Op: "close-vote", Key: "k1"}, "", "")
	if d := r.out[len(r.out)-1].Decisions; len(d) != 1 || !d[0].Passed {
		t.Fatalf("simple majority 2–1: %+v, want passed", d)
	}
	r.do(Command{Op: "close-vote", Key: "k1"}, "", "") // a retry changes nothing
	if !r.out[len(r.out)-1].Replayed {
		t.Errorf("a retried command was not recognised as replayed")
	}
	r.do(Command{Op: "close"}, "", "")
	text := Draft(o, r.s, time.FixedZone("VET", -4*3600), "es")
	for _, want := range []string{"ACTA — Parlamento, sesión 1", "Gabi (alternate): presente, en suplencia del principal", "Mayoría calificada", "Enmienda 1", "Intervenciones: Ana (for); Beto (question)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the draft minutes lack %q:\n%s", want, text)
		}
	}

	// Minutes: published, approved at the next session, then frozen.
	m := &Minutes{SessionID: 1, Text: text, Status: MinutesDraft}
	if err := m.Edit(text + "\nCorregido."); err != nil {
		t.Fatal(err)
	}
	if err := m.Approve(2, day); comuna.ErrorCode(err) != comuna.EConflict {
		t.Errorf("approving a draft: %v, want a conflict", err)
	}
	if err := m.Publish(); err != nil {
		t.Fatal(err)
	}
	r2 := &runner{t: t, s: NewSession(o, 2, day.AddDate(0, 0, 7)), env: Env{Organ: o, Roster: RosterOn(o.Size, seats, day), PendingMinutes: []int64{1}, Now: day.AddDate(0, 0, 7)}}
	r2.do(Command{Op: "add-item", Kind: "report", Title: "Informe"}, "", "")
	r2.do(Command{Op: "open"}, "", "")
	if it := r2.s.Items[0]; it.Kind != ItemMinutes || it.Ref != "1" || len(r2.s.Items) != 2 {
		t.Fatalf("the first item of the next session = %+v, want the minutes of session 1", it)
	}
	for _, id := range []int64{1, 2, 3, 4} {
		r2.do(Command{Op: "attend", Seat: id, Present: true}, "", "")
	}
	r2.do(Command{Op: "open-vote", Item: 1, Method: ShowOfHands}, "", "")
	r2.do(Command{Op: "totals", Totals: Totals{4, 0, 0}}, "", "")
	r2.do(Command{Op: "close-vote"}, "", "")
	if got := r2.out[len(r2.out)-1].ApproveMinutes; got != 1 {
		t.Fatalf("ApproveMinutes = %d, want 1", got)
	}
	r2.do(Command{Op: "open-vote", Item: 1}, comuna.EConflict, "minutes")
	if err := m.Approve(2, day); err != nil {
		t.Fatal(err)
	}
	if err := m.Edit("otro"); comuna.ErrorCode(err) != comuna.EConflict || comuna.ErrorField(err) != "minutes" {
		t.Errorf("editing approved minutes: %v, want a conflict on minutes", err)
	}
}

func TestSecretTotalsTwice(t *testing.T) {
	o, seats := testOrgan()
	r := &runner{t: t, s: NewSession(o, 1, day), env: Env{Organ: o, Roster: RosterOn(o.Size, seats, day), By: "ana", Now: day}}
	r.do(Command{Op: "add-item", Kind: "motion", Title: "M"}, "", "")
	r.do(Command{Op: "open"}, "", "")
	for _, id := range []int64{1, 2, 3, 4, 5} {
		r.do(Command{Op: "attend", Seat: id, Present: true}, "", "")
	}
	r.do(Command{Op: "submit-motion", Item: 1, Title: "M", Text: "Texto.", Majority: Absolute}, "", "")
	r.do(Command{Op: "open-vote", Item: 1, Motion: 1, Method: Secret}, "", "")
	r.do(Command{Op: "totals", Totals: Totals{4, 1, 0}}, "", "")
	r.do(Command{Op: "close-vote"}, comuna.EInvalid, "totals")
	r.do(Command{Op: "totals", Totals: Totals{4, 1, 0}}, comuna.EConflict, "totals") // same person
	r.env.By = "beto"
	r.do(Command{Op: "totals", Totals: Totals{3, 2, 0}}, comuna.EConflict, "totals") // differs
	r.do(Command{Op: "totals", Totals: Totals{9, 0, 0}}, comuna.EInvalid, "totals")  // more than present
	r.do(Command{Op: "totals", Totals: Totals{4, 1, 0}}, "", "")
	r.do(Command{Op: "close-vote"}, "", "")
	if d := r.out[len(r.out)-1].Decisions[0]; !d.Passed || d.Result.Needed != 4 {
		t.Errorf("absolute majority of 6 seated with 4 for: %+v, want passed needing 4", d.Result)
	}
}
