package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/sqlstore"
)

// parliamentTests are the suite's tests of communal self-government.
var parliamentTests = []struct {
	name string
	fn   func(t *testing.T, s *sqlstore.DB)
}{
	{"ParliamentOrgans", testParliamentOrgans},
	{"ParliamentSessions", testParliamentSessions},
}

var termStart = time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)

// ParliamentFixture seeds the territory and gives commune C1 a parliament
// of 5 positions, each with a principal, and an alternate at position 1.
func ParliamentFixture(t testing.TB, s *sqlstore.DB) (parliament.Store, *parliament.Organ, []parliament.Seat) {
	t.Helper()
	ctx := context.Background()
	Seed(t, s)
	var ps parliament.Store = s
	o := &parliament.Organ{Kind: parliament.KindParliament, UnitCode: "C1", Name: "Parlamento Comunal El Panal", Size: 5, Weekday: time.Wednesday, Minute: 18 * 60}
	if err := ps.CreateOrgan(ctx, o); err != nil {
		t.Fatalf("CreateOrgan = %v", err)
	}
	var seats []parliament.Seat
	for i, name := range []string{"Ana", "Beto", "Carla", "Dario", "Elena", "Gabi"} {
		st := parliament.Seat{OrganID: o.ID, Position: i + 1, Role: parliament.Principal, Holder: name, Gender: "fmfmff"[i : i+1], Start: termStart}
		if i == 5 {
			st.Position, st.Role = 1, parliament.Alternate
		}
		if err := ps.SaveSeat(ctx, &st); err != nil {
			t.Fatalf("SaveSeat(%s) = %v", name, err)
		}
		seats = append(seats, st)
	}
	return ps, o, seats
}

func testParliamentOrgans(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	ps, o, seats := ParliamentFixture(t, s)
	bad := &parliament.Organ{Kind: parliament.KindParliament, UnitCode: "NOPE", Name: "X", Size: 5}
	checkErr(t, "CreateOrgan(unknown unit)", ps.CreateOrgan(ctx, bad), comuna.EInvalid, "unit")
	dup := &parliament.Organ{Kind: parliament.KindParliament, UnitCode: "C1", Name: "Otro", Size: 5}
	checkErr(t, "CreateOrgan(twice)", ps.CreateOrgan(ctx, dup), comuna.EConflict, "")
	council := &parliament.Organ{Kind: parliament.KindSpokespeople, UnitCode: "K1", Name: "Vocería La Ceiba", Size: 5}
	if err := ps.CreateOrgan(ctx, council); err != nil {
		t.Fatalf("CreateOrgan(council) = %v", err)
	}
	got, err := ps.Organs(ctx, "C1")
	if err != nil || len(got) != 2 {
		t.Fatalf("Organs(C1) = %d organs, %v; want the parliament and the council below it", len(got), err)
	}
	back, err := ps.Organ(ctx, o.ID)
	if err != nil || back.QuorumNum != 1 || back.QuorumDen != 2 || back.Tie != parliament.TieFails || back.Weekday != time.Wednesday {
		t.Errorf("Organ = %+v, %v; want the defaults stored", back, err)
	}
	_, err = ps.Organ(ctx, 999)
	checkErr(t, "Organ(999)", err, comuna.ENotFound, "")
	checkErr(t, "SaveSeat(position 9)", ps.SaveSeat(ctx, &parliament.Seat{OrganID: o.ID, Position: 9, Role: parliament.Principal, Holder: "X", Start: termStart}), comuna.EInvalid, "position")
	list, err := ps.Seats(ctx, o.ID)
	if err != nil || len(list) != len(seats) {
		t.Fatalf("Seats = %d, %v; want %d", len(list), err, len(seats))
	}
	if list[0].Holder != "Ana" || list[1].Holder != "Gabi" || !list[0].End.Equal(parliament.TermEnd(termStart)) {
		t.Errorf("Seats = %+v…, want Ana then her alternate Gabi, terms of three years", list[:2])
	}
	list[0].Holder = "Ana María"
	if err := ps.SaveSeat(ctx, &list[0]); err != nil {
		t.Fatalf("SaveSeat(update) = %v", err)
	}
	if again, _ := ps.Seats(ctx, o.ID); again[0].Holder != "Ana María" {
		t.Errorf("after an update the holder is %q", again[0].Holder)
	}
}

func testParliamentSessions(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	ps, o, _ := ParliamentFixture(t, s)
	day := time.Date(2026, 3, 4, 22, 0, 0, 0, time.UTC)
	s1, err := ps.ScheduleSession(ctx, o.ID, day)
	if err != nil || s1.Number != 1 {
		t.Fatalf("ScheduleSession = %+v, %v", s1, err)
	}
	apply := func(id int64, c parliament.Command, by string) (*parliament.Session, parliament.Outcome) {
		t.Helper()
		n, out, err := ps.ApplySession(ctx, id, 0, c, by)
		if err != nil {
			t.Fatalf("ApplySession(%+v) = %v", c, err)
		}
		return n, out
	}
	refuse := func(id int64, c parliament.Command, code, field string) {
		t.Helper()
		before, _ := ps.Session(ctx, id)
		_, _, err := ps.ApplySession(ctx, id, 0, c, "secretaria")
		checkErr(t, "ApplySession("+c.Op+")", err, code, field)
		if after, _ := ps.Session(ctx, id); after.Version != before.Version {
			t.Errorf("a refused %s changed the session (version %d → %d)", c.Op, before.Version, after.Version)
		}
	}
	apply(s1.ID, parliament.Command{Op: "add-item", Kind: "motion", Title: "Agua potable"}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "open"}, "secretaria")
	_, _, err = ps.ApplySession(ctx, s1.ID, 1, parliament.Command{Op: "attend", Seat: 1, Present: true}, "secretaria")
	checkErr(t, "ApplySession(stale version)", err, comuna.EConflict, "")
	for _, id := range []int64{1, 2} {
		apply(s1.ID, parliament.Command{Op: "attend", Seat: id, Present: true}, "secretaria")
	}
	apply(s1.ID, parliament.Command{Op: "submit-motion", Item: 1, Title: "Reparar la tubería de agua", Text: "Reparar.\n\nInformar.", Majority: parliament.TwoThirdsPresent}, "secretaria")
	refuse(s1.ID, parliament.Command{Op: "open-vote", Item: 1, Motion: 1}, comuna.EConflict, "quorum")
	apply(s1.ID, parliament.Command{Op: "attend", Seat: 3, Present: true}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "attend", Seat: 4, Present: true}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "attend", Seat: 6, Present: true}, "secretaria") // Gabi, alternate of Ana
	apply(s1.ID, parliament.Command{Op: "submit-amendment", Motion: 1, Kind: "insert", Paragraph: 2, Text: "Con la vocería de agua."}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "open-vote", Item: 1, Motion: 1, Amendment: 1, Method: parliament.ShowOfHands}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "totals", Totals: parliament.Totals{For: 3, Against: 1}}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "close-vote"}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "open-vote", Item: 1, Motion: 1}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "ballot", Seat: 1, Choice: "for"}, "secretaria")
	refuse(s1.ID, parliament.Command{Op: "ballot", Seat: 1, Choice: "for"}, comuna.EConflict, "seat")
	refuse(s1.ID, parliament.Command{Op: "ballot", Seat: 6, Choice: "for"}, comuna.EConflict, "seat")
	apply(s1.ID, parliament.Command{Op: "ballot", Seat: 2, Choice: "for"}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "ballot", Seat: 3, Choice: "against"}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "ballot", Seat: 4, Choice: "against"}, "secretaria")
	_, out := apply(s1.ID, parliament.Command{Op: "close-vote"}, "secretaria")
	if len(out.Decisions) != 1 || out.Decisions[0].Passed || out.Decisions[0].LogIndex < 0 {
		t.Fatalf("the ⅔ vote 2–2: %+v, want one failed, logged decision", out.Decisions)
	}
	refuse(s1.ID, parliament.Command{Op: "submit-amendment", Motion: 1, Kind: "delete", Paragraph: 1}, comuna.EConflict, "motion")
	apply(s1.ID, parliament.Command{Op: "submit-motion", Item: 1, Title: "Jornada de limpieza", Text: "Convocar."}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "open-vote", Item: 1, Motion: 2, Method: parliament.ShowOfHands}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "totals", Totals: parliament.Totals{For: 3, Against: 1}}, "secretaria")
	apply(s1.ID, parliament.Command{Op: "close-vote", Key: "once"}, "secretaria")
	if _, out := apply(s1.ID, parliament.Command{Op: "close-vote", Key: "once"}, "secretaria"); !out.Replayed {
		t.Errorf("a retried close-vote was not replayed")
	}
	_, err = ps.Minutes(ctx, s1.ID)
	checkErr(t, "Minutes(open session)", err, comuna.ENotFound, "")
	apply(s1.ID, parliament.Command{Op: "close"}, "secretaria")
	m, err := ps.Minutes(ctx, s1.ID)
	if err != nil || m.Status != parliament.MinutesDraft || m.Text == "" {
		t.Fatalf("Minutes after closing = %+v, %v; want a draft", m, err)
	}
	if _, err := ps.EditMinutes(ctx, s1.ID, m.Text+"\nSe levantó la sesión."); err != nil {
		t.Fatalf("EditMinutes = %v", err)
	}
	if _, err := ps.PublishMinutes(ctx, s1.ID); err != nil {
		t.Fatalf("PublishMinutes = %v", err)
	}

	s2, err := ps.ScheduleSession(ctx, o.ID, day.AddDate(0, 0, 7))
	if err != nil || s2.Number != 2 {
		t.Fatalf("ScheduleSession(2) = %+v, %v", s2, err)
	}
	n, _ := apply(s2.ID, parliament.Command{Op: "open"}, "secretaria")
	if len(n.Items) != 1 || n.Items[0].Kind != parliament.ItemMinutes {
		t.Fatalf("session 2 opens with %+v, want the minutes of session 1 first", n.Items)
	}
	for _, id := range []int64{1, 2, 3} {
		apply(s2.ID, parliament.Command{Op: "attend", Seat: id, Present: true}, "secretaria")
	}
	apply(s2.ID, parliament.Command{Op: "open-vote", Item: 1, Method: parliament.ShowOfHands}, "secretaria")
	apply(s2.ID, parliament.Command{Op: "totals", Totals: parliament.Totals{For: 3}}, "secretaria")
	_, out = apply(s2.ID, parliament.Command{Op: "close-vote"}, "secretaria")
	if out.ApproveMinutes != s1.ID {
		t.Fatalf("ApproveMinutes = %d, want %d", out.ApproveMinutes, s1.ID)
	}
	m, err = ps.Minutes(ctx, s1.ID)
	if err != nil || m.Status != parliament.MinutesApproved || m.ApprovedIn != s2.ID || m.LogIndex < 0 {
		t.Fatalf("Minutes after approval = %+v, %v", m, err)
	}
	_, err = ps.EditMinutes(ctx, s1.ID, "otra cosa")
	checkErr(t, "EditMinutes(approved)", err, comuna.EConflict, "minutes")

	kinds, recs := logKinds(t, s)
	if want := []string{record.KindDecision, record.KindDecision, record.KindMinutes}; !slices.Equal(kinds, want) {
		t.Errorf("log kinds = %v, want %v", kinds, want)
	}
	if mr, ok := recs[2].(*record.Minutes); !ok || mr.Text != m.Text || mr.ApprovedIn != s2.ID {
		t.Errorf("the minutes record = %+v, want the approved text", recs[2])
	}

	tests := []struct {
		f    parliament.DecisionFilter
		want []string
	}{
		{parliament.DecisionFilter{}, []string{"Jornada de limpieza", "Reparar la tubería de agua"}},
		{parliament.DecisionFilter{Query: "TUBERIA agu"}, []string{"Reparar la tubería de agua"}},
		{parliament.DecisionFilter{Query: "vocería"}, []string{"Reparar la tubería de agua"}}, // the amendment merged into the text
		{parliament.DecisionFilter{Query: "nada"}, nil},
		{parliament.DecisionFilter{Unit: "S1"}, []string{"Jornada de limpieza", "Reparar la tubería de agua"}},
		{parliament.DecisionFilter{Unit: "S2"}, nil},
		{parliament.DecisionFilter{Unit: "C1", Query: "jornada"}, []string{"Jornada de limpieza"}},
	}
	for _, tt := range tests {
		ds, err := ps.Decisions(ctx, tt.f)
		if err != nil {
			t.Fatalf("Decisions(%+v) = %v", tt.f, err)
		}
		var got []string
		for _, d := range ds {
			got = append(got, d.Title)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Decisions(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
	ds, _ := ps.Decisions(ctx, parliament.DecisionFilter{Query: "jornada"})
	if d := ds[0]; !d.Passed || d.Commune != "C1" || d.State != "S1" || d.OrganName != o.Name || d.Result.For != 3 || d.Quorum.Present != 4 {
		t.Errorf("decision = %+v, want passed in C1/S1 with its counts and quorum", d)
	}
}
