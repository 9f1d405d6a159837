package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/comuna"
)

// voteEnv is the fixture round moved to voting, with the proposal of
// council K1 accepted and published as the one-project ballot of circuit
// CI1 (tables T1 and T4, centre E1).
func voteEnv(t *testing.T) *env {
	t.Helper()
	return voteEnvOn(t, newEnv(t))
}

// voteEnvOn moves the fixture round of e to voting as voteEnv does.
func voteEnvOn(t *testing.T, e *env) *env {
	t.Helper()
	return voteEnvWithOn(t, e)
}

// voteEnvWith is voteEnv with a published one-project ballot in each of
// the other circuits named too (CI2: council K3, table T2; CI3: council
// K4, table T3), whose tables then take check-ins.
func voteEnvWith(t *testing.T, circuits ...string) *env {
	t.Helper()
	return voteEnvWithOn(t, newEnv(t), circuits...)
}

func voteEnvWithOn(t *testing.T, e *env, circuits ...string) *env {
	t.Helper()
	ctx := context.Background()
	councils := map[string]string{"CI2": "K3", "CI3": "K4"}
	extra := map[string]int64{}
	for _, c := range circuits {
		p := newProposal(e.round.ID, councils[c], "Proyecto de "+c, e.users["admin"].ID)
		if err := e.store.SubmitProposal(ctx, p); err != nil {
			t.Fatalf("SubmitProposal(%s): %v", c, err)
		}
		extra[c] = p.ID
	}
	e.advance(comuna.PhaseReview)
	ids := []int64{e.proposal.ID}
	for _, id := range extra {
		ids = append(ids, id)
	}
	for _, id := range ids {
		if _, err := e.store.ReviewProposal(ctx, comuna.Review{ProposalID: id, Accept: true, Reason: "Factible y necesario", UserID: e.users["reviewer"].ID}); err != nil {
			t.Fatalf("ReviewProposal: %v", err)
		}
	}
	e.advance(comuna.PhaseBallots)
	if _, err := e.store.SaveBallot(ctx, comuna.BallotDraft{RoundID: e.round.ID, Circuit: "CI1", Proposals: []int64{e.proposal.ID}, Publish: true, UserID: e.users["coord"].ID}); err != nil {
		t.Fatalf("SaveBallot: %v", err)
	}
	for c, id := range extra {
		if _, err := e.store.SaveBallot(ctx, comuna.BallotDraft{RoundID: e.round.ID, Circuit: c, Proposals: []int64{id}, Publish: true, UserID: e.users["admin"].ID}); err != nil {
			t.Fatalf("SaveBallot(%s): %v", c, err)
		}
	}
	e.advance(comuna.PhaseVoting)
	return e
}

func (e *env) roundPath(format string, args ...any) string {
	return fmt.Sprintf("/rounds/%d", e.round.ID) + fmt.Sprintf(format, args...)
}

// api sends a JSON request with the user's API token and decodes the
// answer into out (if not nil), failing unless the status is want.
func (e *env) api(method, path, user, body string, want int, out any) *httptest.ResponseRecorder {
	e.t.Helper()
	w := e.do(request{method: method, path: "/api/v1" + path, user: user, json: body, bearer: true})
	if w.Code != want {
		e.t.Fatalf("%s %s as %s = %d, want %d\n%s", method, path, user, w.Code, want, w.Body.String())
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			e.t.Fatalf("%s %s: decode %q: %v", method, path, w.Body.String(), err)
		}
	}
	return w
}

func checkInBody(number, birth, key string) string {
	return fmt.Sprintf(`{"document_type":"V","document_number":%q,"birth_date":%q,"idempotency_key":%q}`, number, birth, key)
}

func TestCheckIn(t *testing.T) {
	e := voteEnvWith(t, "CI3")
	var a checkInJSON
	e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody("V-12.345.678", "1990-05-01", "key-checkin-0001"), 200, &a)
	if a.Outcome != "accepted" || a.CheckIns != 1 || a.Replayed {
		t.Fatalf("first check-in = %+v, want accepted, 1 check-in", a)
	}

	// The same document, typed differently, at a table of another centre.
	var dup checkInJSON
	e.api("POST", e.roundPath("/tables/T3/checkins"), "admin", checkInBody("12345678", "1990-05-01", "key-checkin-0002"), 200, &dup)
	if dup.Outcome != "already_voted" || dup.Centre != "E1" || dup.CentreName != "Escuela Bolivariana Catedral" {
		t.Errorf("second check-in elsewhere = %+v, want already_voted at E1 Escuela Bolivariana Catedral", dup)
	}

	var young checkInJSON
	e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody("30111222", "2015-01-01", "key-checkin-0003"), 200, &young)
	if young.Outcome != "outside_age" || !strings.Contains(young.Reason, "15") {
		t.Errorf("under-age check-in = %+v, want outside_age naming the minimum age 15", young)
	}

	// A retry of the first request: the same answer, counted once.
	var again checkInJSON
	w := e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T1/checkins"), user: "table", bearer: true,
		json:   `{"document_type":"V","document_number":"12345678","birth_date":"1990-05-01"}`,
		header: http.Header{"Idempotency-Key": {"key-checkin-0001"}}})
	if err := json.Unmarshal(w.Body.Bytes(), &again); err != nil || w.Code != 200 {
		t.Fatalf("replay = %d %s", w.Code, w.Body.String())
	}
	if again.Outcome != "accepted" || !again.Replayed || again.CheckIns != 1 {
		t.Errorf("replayed check-in = %+v, want accepted, replayed, still 1 check-in", again)
	}
	var table tableJSON
	e.api("GET", e.roundPath("/tables/T1"), "table", "", 200, &table)
	if table.CheckIns != 1 || table.Centre != "E1" || table.Circuit != "CI1" {
		t.Errorf("GET table T1 = %+v, want 1 check-in at E1 for CI1", table)
	}

	// A table member acting on another table.
	w = e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T4/checkins"), user: "table", bearer: true,
		json: checkInBody("22333444", "1990-05-01", "key-checkin-0004")})
	if w.Code != http.StatusForbidden {
		t.Errorf("table member of T1 checking in at T4 = %d, want 403", w.Code)
	}
	w = e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/T1/checkins"), user: "table", bearer: true,
		json: checkInBody("12", "1990-05-01", "key-checkin-0005")})
	if w.Code != http.StatusBadRequest || apiError(t, w).Field != "document_number" {
		t.Errorf("bad number = %d %s, want 400 naming document_number", w.Code, w.Body.String())
	}
	w = e.do(request{method: "POST", path: "/api/v1" + e.roundPath("/tables/NOPE/checkins"), user: "admin", bearer: true,
		json: checkInBody("22333444", "1990-05-01", "key-checkin-0006")})
	if w.Code != http.StatusNotFound {
		t.Errorf("unknown table = %d, want 404", w.Code)
	}
	e.api("GET", e.roundPath("/tables/T1"), "table", "", 200, &table)
	if table.CheckIns != 1 {
		t.Errorf("after refusals T1 has %d check-ins, want 1", table.CheckIns)
	}
}

func TestCheckInPage(t *testing.T) {
	e := voteEnv(t)
	page := e.get(e.roundPath("/tables/T1"), "table")
	if page.Code != 200 || !strings.Contains(page.Body.String(), `name="idempotency_key"`) {
		t.Fatalf("table page = %d, want the check-in form with an idempotency key\n%.500s", page.Code, page.Body.String())
	}
	form := url.Values{"document_type": {"V"}, "document_number": {"9.876.543"}, "birth_date": {"1980-02-02"}, "idempotency_key": {"form-key-000001"}}
	for i := range 2 { // the second is a browser resubmitting the same form
		w := e.do(request{method: "POST", path: e.roundPath("/tables/T1/checkins"), user: "table", form: form})
		if w.Code != 200 || !strings.Contains(w.Body.String(), "outcome-accepted") {
			t.Fatalf("check-in form #%d = %d, want 200 with the accepted banner\n%.800s", i, w.Code, w.Body.String())
		}
	}
	st, err := e.vd.TableState(context.Background(), e.round.ID, "T1")
	if err != nil || st.CheckIns != 1 {
		t.Errorf("after a resubmitted form TableState = %+v, %v; want 1 check-in", st, err)
	}
	form.Set("idempotency_key", "form-key-000002")
	form.Set("birth_date", "2030-01-01")
	w := e.do(request{method: "POST", path: e.roundPath("/tables/T1/checkins"), user: "table", form: form})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="e-birth_date"`) {
		t.Errorf("birth date in the future = %d, want 422 with the error next to birth_date", w.Code)
	}
	w = e.get(e.roundPath("/tables/T1"), "spokes")
	if w.Code != http.StatusForbidden {
		t.Errorf("spokesperson on the table page = %d, want 403", w.Code)
	}
}

// sheetBody is a sheet of the one-project ballot as the API takes it.
func sheetBody(received, cast, votes, blank, null, unused int, key string) string {
	return fmt.Sprintf(`{"received":%d,"cast":%d,"votes":[%d],"blank":%d,"null":%d,"unused":%d,"members":["Ana Pérez","Luis Gómez"],"witnesses":["Rosa Díaz"],"idempotency_key":%q}`,
		received, cast, votes, blank, null, unused, key)
}

// closedTable checks n voters in at T1 and closes it.
func (e *env) closedTable(n int) {
	e.t.Helper()
	for i := range n {
		var a checkInJSON
		e.api("POST", e.roundPath("/tables/T1/checkins"), "table", checkInBody(fmt.Sprint(10_000_000+i), "1990-01-01", fmt.Sprintf("key-voter-%04d", i)), 200, &a)
		if a.Outcome != "accepted" {
			e.t.Fatalf("check-in %d = %+v", i, a)
		}
	}
	e.api("POST", e.roundPath("/tables/T1/close"), "table", `{}`, 200, nil)
}
