package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/blob"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/execution"
	"github.com/comuna/comuna/internal/storetest"
)

// execEnv is a server over a round in results whose CI1/1 is funded, with
// the accounts that follow it: a fund officer, the finance spokesperson of
// council K1 and one of another council, a comptroller of commune C1.
func execEnv(t *testing.T) (*env, *execution.Tracked) {
	t.Helper()
	ctx := context.Background()
	st := storetest.SQLite(t)
	_, p := storetest.FundedRound(t, st)
	db := st
	cfg := testConfig(db)
	cfg.PollBookKey = testPollBookKey
	cfg.Blobs = blob.Dir(t.TempDir())
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: st, srv: srv, vd: db, users: map[string]*comuna.User{},
		sessions: map[string]string{}, csrf: map[string]string{}, tokens: map[string]string{}}
	now := comuna.Now()
	for _, fu := range []struct {
		name  string
		role  comuna.Role
		scope string
	}{
		{"fondo", comuna.RoleFundOfficer, ""},
		{"finanzas", comuna.RoleFinance, "K1"},
		{"finanzas-otra", comuna.RoleFinance, "K4"},
		{"contralor", comuna.RoleComptroller, "C1"},
		{"observer", comuna.RoleObserver, ""},
		{"admin", comuna.RoleAdmin, ""},
	} {
		u := &comuna.User{Username: fu.name, Name: "Test " + fu.name, Role: fu.role, Scope: fu.scope, PasswordHash: testHash(), Created: now}
		if fu.name == "admin" { // CountedRound made it
			if u, err = st.UserByUsername(ctx, "admin"); err != nil {
				t.Fatal(err)
			}
		} else if err := st.CreateUser(ctx, u); err != nil {
			t.Fatalf("CreateUser(%s): %v", fu.name, err)
		}
		e.users[fu.name] = u
		tok, hash := auth.NewToken()
		csrf, _ := auth.NewToken()
		if err := st.CreateSession(ctx, &comuna.Session{TokenHash: hash, UserID: u.ID, CSRF: csrf, Created: now, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		e.sessions[fu.name], e.csrf[fu.name] = tok, csrf
		api, apiHash := auth.NewToken()
		if err := st.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: apiHash, UserID: u.ID, Name: "test", Created: now}); err != nil {
			t.Fatal(err)
		}
		e.tokens[fu.name] = api
	}
	return e, p
}

func (e *env) project(p *execution.Tracked) trackedJSON {
	e.t.Helper()
	w := e.get(fmt.Sprintf("/api/v1/rounds/%d/execution/projects/%d", p.Round, p.ID), "")
	if w.Code != http.StatusOK {
		e.t.Fatalf("project JSON = %d %s", w.Code, w.Body)
	}
	var j trackedJSON
	if err := json.Unmarshal(w.Body.Bytes(), &j); err != nil {
		e.t.Fatal(err)
	}
	return j
}

func TestExecutionPagesAndFourEyes(t *testing.T) {
	e, p := execEnv(t)
	base := fmt.Sprintf("/rounds/%d/execution/projects/%d/", p.Round, p.ID)
	entries, payments, oversight := base+"entries", base+"payments", base+"oversight"
	today := time.Now().UTC().Format(time.DateOnly)
	pay := url.Values{"kind": {"disbursement"}, "date": {today}, "amount": {"182.500,00"}, "currency": {"VES"}, "rate": {"36,5"},
		"rate_source": {"BCV tasa oficial"}, "payer": {"federal_fund"}, "payee": {"Consejo comunal K1"}, "reference": {"TX-1"}}

	// Those who may not record payments cannot.
	for _, u := range []string{"finanzas", "contralor", "observer"} {
		if w := e.do(request{method: "POST", path: payments, user: u, form: pay}); w.Code != http.StatusForbidden {
			t.Errorf("%s recording a payment = %d, want 403", u, w.Code)
		}
	}
	// Bad input is refused with the field named, and nothing changes.
	bad := url.Values{}
	for k, v := range pay {
		bad[k] = v
	}
	bad.Set("currency", "XYZ")
	if w := e.do(request{method: "POST", path: payments, user: "fondo", form: bad}); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "ISO 4217") {
		t.Errorf("a payment in XYZ = %d, want 422 naming ISO 4217", w.Code)
	}
	bad.Set("currency", "VES")
	bad.Set("rate", "0")
	if w := e.do(request{method: "POST", path: payments, user: "fondo", form: bad}); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("a payment at a rate of zero = %d, want 422", w.Code)
	}
	if got := e.project(p).Entries; got != 1 {
		t.Fatalf("after refused entries the project has %d entries, want 1", got)
	}
	if w := e.do(request{method: "POST", path: entries, user: "fondo", form: pay}); w.Code != http.StatusForbidden {
		t.Errorf("a payment posted where progress is reported = %d, want 403", w.Code)
	}
	if w := e.do(request{method: "POST", path: payments, user: "fondo", form: pay}); w.Code != http.StatusSeeOther {
		t.Fatalf("the fund officer recording a payment = %d %s", w.Code, w.Body)
	}
	confirm := url.Values{"kind": {"confirm"}, "disbursement": {"1"}}
	for _, u := range []string{"fondo", "finanzas-otra", "contralor"} {
		if w := e.do(request{method: "POST", path: entries, user: u, form: confirm}); w.Code != http.StatusForbidden {
			t.Errorf("%s confirming the payment = %d, want 403", u, w.Code)
		}
	}
	if j := e.project(p); j.Disbursed != "0.00" || j.Pending != 1 {
		t.Errorf("before confirmation: disbursed %s, pending %d; want 0.00 and 1", j.Disbursed, j.Pending)
	}
	if w := e.do(request{method: "POST", path: entries, user: "finanzas", form: confirm}); w.Code != http.StatusSeeOther {
		t.Fatalf("the finance spokesperson confirming = %d %s", w.Code, w.Body)
	}
	if j := e.project(p); j.Disbursed != "5000.00" || j.Financial != "50" || j.Paid["VES"] != "182500.00" {
		t.Errorf("after confirmation: %+v; want 5000.00 USD disbursed, 50 %%, 182500.00 VES paid", j)
	}

	// The same steps through the JSON API with a token.
	w := e.do(request{method: "POST", path: "/api/v1" + entries, user: "finanzas", bearer: true,
		json: `{"kind":"milestone","title":"Techo","planned":"` + time.Now().AddDate(0, 1, 0).Format(time.DateOnly) + `","weight":"1"}`})
	if w.Code != http.StatusCreated {
		t.Fatalf("API milestone = %d %s", w.Code, w.Body)
	}
	w = e.do(request{method: "POST", path: "/api/v1" + oversight, user: "observer", bearer: true, json: `{"kind":"finding","severity":"high","description":"faltan los recibos del cemento"}`})
	if w.Code != http.StatusForbidden {
		t.Errorf("an observer opening a finding = %d, want 403", w.Code)
	}
	w = e.do(request{method: "POST", path: "/api/v1" + oversight, user: "contralor", bearer: true, json: `{"kind":"milestone","title":"Pintura","planned":"` + time.Now().AddDate(0, 1, 0).Format(time.DateOnly) + `","weight":"1"}`})
	if w.Code != http.StatusUnprocessableEntity && w.Code != http.StatusBadRequest {
		t.Errorf("a milestone sent to the oversight address = %d, want a refusal naming the kind", w.Code)
	}

	// A resident's report, without an account, triaged into a finding.
	page := e.get(fmt.Sprintf("/rounds/%d/execution/projects/%d", p.Round, p.ID), "")
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Consejo comunal K1") {
		t.Fatalf("project page = %d", page.Code)
	}
	var csrf string
	for _, c := range page.Result().Cookies() {
		if c.Name == csrfCookie {
			csrf = c.Value
		}
	}
	report := func(text string) int {
		rq := request{method: "POST", path: fmt.Sprintf("/rounds/%d/execution/projects/%d/reports", p.Round, p.ID),
			form: url.Values{"report": {text}, "csrf": {csrf}}, header: http.Header{"Cookie": {csrfCookie + "=" + csrf}}, remote: "198.51.100.7:1"}
		return e.do(rq).Code
	}
	if got := report("la obra está parada desde enero"); got != http.StatusSeeOther {
		t.Fatalf("a report = %d, want 303", got)
	}
	if got := report("\u200b"); got != http.StatusUnprocessableEntity {
		t.Errorf("an empty report = %d, want 422", got)
	}
	flood := 0
	for i := 0; i < 5; i++ {
		if report(fmt.Sprintf("reporte número %d de la misma conexión", i)) == http.StatusTooManyRequests {
			flood++
		}
	}
	if flood == 0 {
		t.Errorf("a flooding client was never limited")
	}
	handle := fmt.Sprintf("/rounds/%d/execution/projects/%d/reports/1", p.Round, p.ID)
	if w := e.do(request{method: "POST", path: handle, user: "finanzas", form: url.Values{"action": {"triage"}, "severity": {"high"}}}); w.Code != http.StatusForbidden {
		t.Errorf("the executor triaging a report about itself = %d, want 403", w.Code)
	}
	if w := e.do(request{method: "POST", path: handle, user: "contralor", form: url.Values{"action": {"triage"}, "severity": {"high"}}}); w.Code != http.StatusSeeOther {
		t.Fatalf("the comptroller triaging = %d %s", w.Code, w.Body)
	}
	if j := e.project(p); j.OpenFindings != 1 {
		t.Errorf("open findings = %d, want 1", j.OpenFindings)
	}

	// Public pages and open data show the same.
	for _, path := range []string{"/rounds/%d/execution", "/rounds/%d/execution.csv", "/rounds/%d/ocds.json", "/rounds/%d/execution?lang=en"} {
		w := e.get(fmt.Sprintf(path, p.Round), "")
		if w.Code != http.StatusOK {
			t.Errorf("GET %s = %d", path, w.Code)
		}
	}
	csv := e.get(fmt.Sprintf("/rounds/%d/execution.csv", p.Round), "").Body.String()
	if !strings.Contains(csv, "CI1,1,") || !strings.Contains(csv, ",50,") {
		t.Errorf("open data lacks the project at 50 %%:\n%s", csv)
	}
	dash := e.get(fmt.Sprintf("/rounds/%d/execution", p.Round), "").Body.String()
	if !strings.Contains(dash, "USD\u00a05.000,00") {
		t.Errorf("the Spanish dashboard does not show USD 5.000,00 disbursed (the one money format)")
	}
}

func TestRunnerUpActivation(t *testing.T) {
	e, p := execEnv(t)
	base := fmt.Sprintf("/rounds/%d/execution/projects/%d/", p.Round, p.ID)
	move := func(path, user string, st execution.Status) {
		t.Helper()
		if w := e.do(request{method: "POST", path: base + path, user: user, form: url.Values{"kind": {"status"}, "status": {string(st)}}}); w.Code != http.StatusSeeOther {
			t.Fatalf("%s moving to %s = %d %s", user, st, w.Code, w.Body)
		}
	}
	move("payments", "fondo", execution.Transferred)
	move("entries", "finanzas", execution.InExecution)
	list := func() []trackedJSON {
		w := e.get(fmt.Sprintf("/api/v1/rounds/%d/execution", p.Round), "")
		var out struct{ Projects []trackedJSON }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out.Projects
	}
	if got := len(list()); got != 1 {
		t.Fatalf("before completion %d projects, want 1", got)
	}
	move("entries", "finanzas", execution.Completed)
	ps := list()
	if len(ps) != 2 {
		t.Fatalf("after completion %d projects, want the runner-up activated too", len(ps))
	}
	var ru trackedJSON
	for _, q := range ps {
		if q.RunnerUp {
			ru = q
		}
	}
	// CI1's votes are 9, 9 and 3: the top two are funded, so number 3 is
	// the runner-up.
	if ru.Number != 3 || ru.Status != execution.Committed {
		t.Errorf("runner-up = %+v, want number 3, committed", ru)
	}
	page := e.get(fmt.Sprintf("/rounds/%d/execution/projects/%d", p.Round, ru.ID), "").Body.String()
	if !strings.Contains(page, "Suplente activado") {
		t.Errorf("the runner-up's page does not say it was activated")
	}

	// With the policy "none", completing another project activates nothing.
	e2, p2 := execEnv(t)
	if w := e2.do(request{method: "POST", path: fmt.Sprintf("/rounds/%d/execution/policy", p2.Round), user: "finanzas", form: url.Values{"runner_up": {"none"}}}); w.Code != http.StatusForbidden {
		t.Errorf("a finance spokesperson setting the policy = %d, want 403", w.Code)
	}
	if w := e2.do(request{method: "POST", path: fmt.Sprintf("/rounds/%d/execution/policy", p2.Round), user: "admin", form: url.Values{"runner_up": {"none"}}}); w.Code != http.StatusSeeOther {
		t.Fatalf("setting the policy = %d %s", w.Code, w.Body)
	}
	base2 := fmt.Sprintf("/rounds/%d/execution/projects/%d/", p2.Round, p2.ID)
	for _, step := range []struct {
		path, user string
		st         execution.Status
	}{{"payments", "fondo", execution.Transferred}, {"entries", "finanzas", execution.InExecution}, {"entries", "finanzas", execution.Completed}} {
		if w := e2.do(request{method: "POST", path: base2 + step.path, user: step.user, form: url.Values{"kind": {"status"}, "status": {string(step.st)}}}); w.Code != http.StatusSeeOther {
			t.Fatalf("%s = %d", step.st, w.Code)
		}
	}
	w := e2.get(fmt.Sprintf("/api/v1/rounds/%d/execution", p2.Round), "")
	if strings.Count(w.Body.String(), `"id"`) != 1 {
		t.Errorf("with policy none a runner-up was activated: %s", w.Body)
	}
}

// upload sends a file to the evidence form as user.
func (e *env) upload(path, user string, name string, data []byte, fields map[string]string) *httptest.ResponseRecorder {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", e.csrf[user])
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", path, bytes.NewReader(b.Bytes()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: e.sessions[user]})
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}

func TestEvidenceUpload(t *testing.T) {
	e, p := execEnv(t)
	path := fmt.Sprintf("/rounds/%d/execution/projects/%d/evidence", p.Round, p.ID)
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	img.Set(10, 10, color.RGBA{255, 0, 0, 255})
	var jb bytes.Buffer
	jpeg.Encode(&jb, img, nil)
	raw := jb.Bytes()
	exif := append([]byte("Exif\x00\x00"), []byte("GPSLatitude 10.48N GPSLongitude 66.90W")...)
	photo := append(append(append([]byte{}, raw[:2]...), append([]byte{0xFF, 0xE1, 0, byte(len(exif) + 2)}, exif...)...), raw[2:]...)
	fields := map[string]string{"kind": "photo", "title": "Techo terminado"}

	if w := e.upload(path, "observer", "techo.jpg", photo, fields); w.Code != http.StatusForbidden {
		t.Errorf("an observer uploading = %d, want 403", w.Code)
	}
	if w := e.upload(path, "finanzas-otra", "techo.jpg", photo, fields); w.Code != http.StatusForbidden {
		t.Errorf("another council's finance spokesperson uploading = %d, want 403", w.Code)
	}
	if w := e.upload(path, "finanzas", "nota.txt", []byte("just text, not a photo"), fields); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("a text file = %d, want 422", w.Code)
	}
	if w := e.upload(path, "finanzas", "grande.jpg", append(append([]byte{}, photo...), make([]byte, 30<<20)...), fields); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 30 MB photo = %d, want 413", w.Code)
	}
	if got := e.project(p).Entries; got != 1 {
		t.Fatalf("refused uploads left %d entries, want 1", got)
	}
	if w := e.upload(path, "finanzas", "techo.jpg", photo, fields); w.Code != http.StatusSeeOther {
		t.Fatalf("the finance spokesperson uploading = %d %s", w.Code, w.Body)
	}
	page := e.get(fmt.Sprintf("/rounds/%d/execution/projects/%d", p.Round, p.ID), "").Body.String()
	i := strings.Index(page, "/evidence/")
	if i < 0 {
		t.Fatal("the project page does not link the evidence")
	}
	sha := page[i+len("/evidence/") : i+len("/evidence/")+64]
	w := e.get("/evidence/"+sha, "")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET the photo = %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	if bytes.Contains(w.Body.Bytes(), []byte("GPS")) {
		t.Errorf("the published photo still carries its GPS metadata")
	}
	if blob.Sum(w.Body.Bytes()) != sha {
		t.Errorf("the photo served does not hash to its name")
	}
	if w := e.get("/evidence/"+sha+".thumb", ""); w.Code != http.StatusOK {
		t.Errorf("thumbnail = %d", w.Code)
	}
	if w := e.get("/evidence/"+strings.Repeat("0", 64), ""); w.Code != http.StatusNotFound {
		t.Errorf("a missing file = %d, want 404", w.Code)
	}
}
