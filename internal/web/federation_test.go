package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/storetest"
)

// TestFederationCongress runs a congress through the pages and the API:
// the statutes amended article by article and approved, a board elected by
// STV with gender balance and alternates from ballots cast by code.
func TestFederationCongress(t *testing.T) {
	e := newEnv(t)
	_, id, codes := storetest.CongressFederation(t, e.store)
	base := "/federations/" + strconv.FormatInt(id, 10)
	if w := e.get("/federations", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "Unión Comunal del Valle") {
		t.Fatalf("federations list = %d", w.Code)
	}
	w := e.get(base, "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Comuna Ataroa") || !strings.Contains(w.Body.String(), "Hay quórum") {
		t.Fatalf("federation page = %d\n%s", w.Code, w.Body.String())
	}
	post := func(f url.Values, want int) *httptest.ResponseRecorder {
		t.Helper()
		w := e.do(request{method: "POST", path: base + "/entries", user: "admin", form: f})
		if w.Code != want {
			t.Fatalf("POST %v = %d, want %d\n%.600s", f, w.Code, want, w.Body.String())
		}
		return w
	}
	post(url.Values{"kind": {"document"}, "congress": {"1"}, "org_kind": {"statutes"}, "name": {"Estatutos"}, "threshold": {"2"}, "text": {storetest.FederationStatutes}}, http.StatusSeeOther)
	post(url.Values{"kind": {"amend"}, "document": {"1"}, "article": {"2"}, "op": {"replace"}, "paragraph": {"1"}, "delegate": {"1"}, "text": {"La Unión defiende el autogobierno y los bienes comunes."}}, http.StatusSeeOther)
	// a vote before the amendment has its support is refused, in Spanish
	w = post(url.Values{"kind": {"vote-amend"}, "document": {"1"}, "amendment": {"1"}, "yes": {"4"}}, http.StatusConflict)
	post(url.Values{"kind": {"support"}, "document": {"1"}, "amendment": {"1"}, "delegate": {"2"}}, http.StatusSeeOther)
	post(url.Values{"kind": {"vote-amend"}, "document": {"1"}, "amendment": {"1"}, "yes": {"4"}, "no": {"1"}}, http.StatusSeeOther)
	for _, a := range []string{"1", "2", "3"} {
		post(url.Values{"kind": {"vote-article"}, "document": {"1"}, "article": {a}, "yes": {"5"}}, http.StatusSeeOther)
	}
	post(url.Values{"kind": {"amend"}, "document": {"1"}, "article": {"1"}, "op": {"delete"}, "paragraph": {"1"}, "delegate": {"3"}}, http.StatusConflict)
	post(url.Values{"kind": {"vote-document"}, "document": {"1"}, "yes": {"5"}}, http.StatusSeeOther)
	w = e.get(base+"/documents/1?from=1&to=2", "")
	if body := w.Body.String(); w.Code != 200 || !strings.Contains(body, "bienes comunes") || !strings.Contains(body, "Aprobado") || !strings.Contains(body, `class="added"`) {
		t.Fatalf("document page = %d\n%.2000s", w.Code, body)
	}

	// the board: 3 seats, 40 % per group, 2 alternates, Meek STV
	api := func(path, body, user string, want int) string {
		t.Helper()
		w := e.do(request{method: "POST", path: "/api/v1" + base + path, user: user, bearer: user != "", json: body})
		if w.Code != want {
			t.Fatalf("POST %s %s = %d, want %d: %s", path, body, w.Code, want, w.Body.String())
		}
		return w.Body.String()
	}
	api("/entries", `{"kind": "election", "congress": 1, "name": "Junta directiva", "seats": 3, "rule": "meek-prf", "min_percent": 40, "alternates": 2, "seed": "acta 2026-12-01"}`, "admin", 201)
	for _, c := range []string{`"Ana", "group": "f"`, `"Beto", "group": "m"`, `"Carlos", "group": "m"`, `"Dario", "group": "m"`, `"Elena", "group": "f"`} {
		api("/entries", `{"kind": "candidate", "election": 1, "name": `+c+`}`, "admin", 201)
	}
	api("/entries", `{"kind": "open", "election": 1}`, "admin", 201)
	// ballots on phones: the form, by credential code, preferences from 1
	if w := e.get(base+"/elections/1/ballot", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "Preferencia 1") {
		t.Fatalf("ballot form = %d", w.Code)
	}
	vote := func(code string, prefs []string, want int, msg string) {
		t.Helper()
		const tok = "anon-csrf-token-of-the-ballot-0123456789"
		f := url.Values{"csrf": {tok}, "code": {code}}
		for i, p := range prefs {
			f.Set("pref"+strconv.Itoa(i+1), p)
		}
		w := e.do(request{method: "POST", path: base + "/elections/1/ballot", form: f, header: http.Header{"Cookie": {csrfCookie + "=" + tok}}})
		if w.Code != want || !strings.Contains(w.Body.String(), msg) {
			t.Fatalf("ballot %v = %d, want %d with %q\n%.800s", prefs, w.Code, want, msg, w.Body.String())
		}
	}
	for i, r := range [][]string{{"2", "3"}, {"3", "2"}, {"4", "2"}, {"2", "4"}, {"1", "5"}} {
		vote(codes[i], r, 200, "Su boleta quedó registrada")
	}
	vote(codes[0], []string{"5"}, http.StatusConflict, "ya")
	vote(codes[1], []string{"1", "1"}, http.StatusBadRequest, "Ana")
	api("/entries", `{"kind": "close", "election": 1}`, "admin", 201)
	w = e.get("/api/v1"+base+"/elections/1", "")
	var el struct {
		Status string `json:"status"`
		Result struct {
			Elected    []string          `json:"elected"`
			Alternates []string          `json:"alternates"`
			Rounds     []json.RawMessage `json:"rounds"`
		} `json:"result"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &el); err != nil {
		t.Fatal(err)
	}
	if el.Status != "closed" || len(el.Result.Elected) != 3 || len(el.Result.Alternates) != 2 || len(el.Result.Rounds) < 2 {
		t.Fatalf("election %s", w.Body.String())
	}
	women := 0
	for _, n := range el.Result.Elected {
		if n == "Ana" || n == "Elena" {
			women++
		}
	}
	if women < 1 {
		t.Errorf("elected %v: no woman despite the balance", el.Result.Elected)
	}
	w = e.get(base+"/elections/1", "")
	if body := w.Body.String(); w.Code != 200 || !strings.Contains(body, "Escrutinio ronda por ronda") || !strings.Contains(body, "Suplentes") {
		t.Fatalf("election page = %d\n%.1500s", w.Code, body)
	}
	if w := e.get(base+"/elections/1?lang=en", ""); !strings.Contains(w.Body.String(), "Count round by round") {
		t.Errorf("English election page lacks its report heading")
	}
	if w := e.get(base+"/elections/1/report.csv", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "round,action,subject,quota,candidate") {
		t.Errorf("report.csv = %d %s", w.Code, w.Body.String())
	}
	if w := e.get(base+"/members.csv", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "Comuna El Maizal,commune,2,member") {
		t.Errorf("members.csv = %d %s", w.Code, w.Body.String())
	}
}
