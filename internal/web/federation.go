package web

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/assemblies/federation"
	"github.com/comuna/comuna/internal/comuna"
)

// fedStore returns the store of federations, if the server keeps them.
func (s *Server) fedStore() (federation.Store, error) {
	if s.fed == nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "federations are not kept by this server")
	}
	return s.fed, nil
}

func pathNum(r *http.Request, name string) (int, error) {
	n, err := strconv.Atoi(r.PathValue(name))
	if err != nil || n < 1 {
		return 0, comuna.Errorf(comuna.ENotFound, "no %s %q", name, r.PathValue(name))
	}
	return n, nil
}

// loadFederation reads the federation of the path's {fid}.
func (s *Server) loadFederation(r *http.Request) (int64, *federation.Federation, error) {
	fs, err := s.fedStore()
	if err != nil {
		return 0, nil, err
	}
	id, err := pathNum(r, "fid")
	if err != nil {
		return 0, nil, err
	}
	f, err := fs.Federation(r.Context(), int64(id))
	return int64(id), f, err
}

func userName(r *http.Request) (string, error) {
	u := reqInfoOf(r).user
	if u == nil {
		return "", comuna.Errorf(comuna.EUnauthorized, "log in to do this")
	}
	return u.Username, nil
}

type fedListView struct {
	*Page
	Federations []federation.Summary
}

func (s *Server) fedList(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.fedStore()
	if err != nil {
		return err
	}
	list, err := fs.Federations(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "federations", &fedListView{Page: s.page(r, "fed.list", "federations"), Federations: list})
}

type fedView struct {
	*Page
	ID  int64
	Fed *federation.Federation
	// Code is a credential code just issued, shown once.
	Code     string
	CodeName string
	Message  string
	Cast     bool // a ballot was just cast: the form is not shown again
}

// Quorum of congress c.
func (v *fedView) Quorum(c *federation.Congress) federation.Quorum { return c.Quorum() }

// MemberName names member id.
func (v *fedView) MemberName(id int) string {
	if m := v.Fed.Member(id); m != nil {
		return m.Name
	}
	return "—"
}

func (s *Server) fedPage(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.loadFederation(r)
	if err != nil {
		return err
	}
	v := &fedView{Page: s.page(r, "fed.title", "federations"), ID: id, Fed: f}
	v.Title = f.Name
	return s.render(w, r, http.StatusOK, "federation", v)
}

type fedDocView struct {
	*fedView
	Doc  *federation.Document
	Diff []federation.DiffLine
	From int
	To   int
}

// Amends lists the amendments to article n.
func (v *fedDocView) Amends(n int) []*federation.Amendment {
	var out []*federation.Amendment
	for _, a := range v.Doc.Amends {
		if a.Article == n {
			out = append(out, a)
		}
	}
	return out
}

func (s *Server) fedDocument(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.loadFederation(r)
	if err != nil {
		return err
	}
	n, err := pathNum(r, "did")
	if err != nil {
		return err
	}
	d := f.Document(n)
	if d == nil {
		return comuna.Errorf(comuna.ENotFound, "no document %d", n)
	}
	v := &fedDocView{fedView: &fedView{Page: s.page(r, "fed.document", "federations"), ID: id, Fed: f}, Doc: d}
	v.Title = d.Name
	v.From, v.To = len(d.Versions)-1, len(d.Versions)
	if q := r.URL.Query(); q.Get("from") != "" {
		v.From, _ = strconv.Atoi(q.Get("from"))
		v.To, _ = strconv.Atoi(q.Get("to"))
	}
	if v.From >= 1 && v.To <= len(d.Versions) && v.From < v.To {
		v.Diff = federation.Diff(d.Versions[v.From-1].Text, d.Versions[v.To-1].Text)
	}
	return s.render(w, r, http.StatusOK, "federation_document", v)
}

type fedElectionView struct {
	*fedView
	El *federation.Election
}

func (s *Server) loadElection(r *http.Request) (*fedElectionView, error) {
	id, f, err := s.loadFederation(r)
	if err != nil {
		return nil, err
	}
	n, err := pathNum(r, "eid")
	if err != nil {
		return nil, err
	}
	el := f.Election(n)
	if el == nil {
		return nil, comuna.Errorf(comuna.ENotFound, "no election %d", n)
	}
	v := &fedElectionView{fedView: &fedView{Page: s.page(r, "fed.election", "federations"), ID: id, Fed: f}, El: el}
	v.Title = el.Title
	return v, nil
}

func (s *Server) fedElection(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadElection(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "federation_election", v)
}

// fedBallotForm is the ballot a delegate fills on the phone.
func (s *Server) fedBallotForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadElection(r)
	if err != nil {
		return err
	}
	s.anonCSRF(w, r, v.Page)
	return s.render(w, r, http.StatusOK, "federation_ballot", v)
}

// formRanking reads a ballot form: a select per preference (pref1, pref2,
// …) holding a candidate's number from 1, or marks (mark=N) for plurality
// and approval.
func formRanking(r *http.Request, el *federation.Election) []int {
	var out []int
	if el.Rule == "plurality" || el.Rule == "approval" {
		for _, v := range r.PostForm["mark"] {
			if n, err := strconv.Atoi(v); err == nil {
				out = append(out, n-1)
			}
		}
		return out
	}
	for i := 1; i <= len(el.Candidates); i++ {
		v := r.PostFormValue("pref" + strconv.Itoa(i))
		if v == "" {
			continue
		}
		if n, err := strconv.Atoi(v); err == nil {
			out = append(out, n-1)
		}
	}
	return out
}

func (s *Server) fedBallotCast(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadElection(r)
	if err != nil {
		return err
	}
	fs, _ := s.fedStore()
	if err := r.ParseForm(); err != nil {
		return comuna.Errorf(comuna.EInvalid, "unreadable form")
	}
	err = fs.CastBallot(r.Context(), v.ID, v.El.ID, r.PostFormValue("code"), formRanking(r, v.El))
	s.anonCSRF(w, r, v.Page)
	if err != nil {
		v.Message = errorText(v.Lang, err)
		return s.render(w, r, httpStatus(err), "federation_ballot", v)
	}
	v.Message, v.Cast = v.T("fed.ballot.cast"), true
	return s.render(w, r, http.StatusOK, "federation_ballot", v)
}

// formFedEntry reads an entry from a form's fields, named as the JSON.
func formFedEntry(r *http.Request) federation.Entry {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	n := func(k string) int { x, _ := strconv.Atoi(g(k)); return x }
	return federation.Entry{Kind: federation.Kind(g("kind")), Member: n("member"), Congress: n("congress"), Delegate: n("delegate"),
		Document: n("document"), Article: n("article"), Amendment: n("amendment"), Election: n("election"),
		Name: g("name"), OrgKind: g("org_kind"), Quota: n("quota"), Date: g("date"), Reason: g("reason"), AdmitBy: g("admit_by"),
		Text: r.PostFormValue("text"), Op: g("op"), Paragraph: n("paragraph"), Threshold: n("threshold"),
		Tally: federation.Tally{Yes: n("yes"), No: n("no"), Abstain: n("abstain")},
		Seats: n("seats"), Rule: g("rule"), MinPct: n("min_percent"), Alternate: n("alternates"), Seed: g("seed"), Group: g("group")}
}

// fedEntryPost takes the secretariat's entries from the federation's page:
// any entry, or an accreditation (which shows the credential code once),
// a check-in by code, an election's close.
func (s *Server) fedEntryPost(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.loadFederation(r)
	if err != nil {
		return err
	}
	by, err := userName(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return comuna.Errorf(comuna.EInvalid, "unreadable form")
	}
	fs, _ := s.fedStore()
	e := formFedEntry(r)
	e.By = by
	v := &fedView{Page: s.page(r, "fed.title", "federations"), ID: id, Fed: f}
	v.Title = f.Name
	back := r.PostFormValue("back")
	switch e.Kind {
	case federation.EvAccredit:
		nf, out, code, err := fs.Accredit(r.Context(), id, e)
		if err != nil {
			v.Message = errorText(v.Lang, err)
			return s.render(w, r, httpStatus(err), "federation", v)
		}
		v.Fed, v.Code = nf, code
		v.CodeName = nf.Congress(out.Congress).Delegate(out.Delegate).Name
		return s.render(w, r, http.StatusOK, "federation", v)
	case federation.EvCheckIn:
		_, _, err = fs.CheckInCode(r.Context(), id, e.Congress, r.PostFormValue("code"), by)
	case federation.EvClose:
		_, err = fs.CloseElection(r.Context(), id, e.Election, by)
	default:
		_, _, err = fs.AppendFederation(r.Context(), id, e)
	}
	if err != nil {
		if nf, err2 := fs.Federation(r.Context(), id); err2 == nil {
			v.Fed = nf
		}
		v.Message = errorText(v.Lang, err)
		return s.render(w, r, httpStatus(err), "federation", v)
	}
	if !strings.HasPrefix(back, "/federations/") {
		back = "/federations/" + strconv.FormatInt(id, 10)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// fedMembersCSV is the open data of a federation's members.
func (s *Server) fedMembersCSV(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.loadFederation(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="federation-`+strconv.FormatInt(id, 10)+`-members.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"member_id", "name", "kind", "delegate_quota", "status", "since"})
	for _, m := range f.Members {
		since := ""
		if len(m.History) > 0 {
			since = m.History[len(m.History)-1].Date
		}
		cw.Write(csvSafe([]string{strconv.Itoa(m.ID), m.Name, string(m.Kind), strconv.Itoa(m.Quota), string(m.Status), since}))
	}
	cw.Flush()
	return cw.Error()
}

// JSON API.

func (s *Server) apiFederations(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.fedStore()
	if err != nil {
		return err
	}
	list, err := fs.Federations(r.Context())
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, list)
	return nil
}

type fedJSON struct {
	ID int64 `json:"id"`
	*federation.Federation
}

func (s *Server) apiFederation(w http.ResponseWriter, r *http.Request) error {
	id, f, err := s.loadFederation(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, fedJSON{id, f})
	return nil
}

func (s *Server) apiFederationCreate(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.fedStore()
	if err != nil {
		return err
	}
	by, err := userName(r)
	if err != nil {
		return err
	}
	var e federation.Entry
	if err := decodeJSON(r, &e); err != nil {
		return err
	}
	e.Kind, e.By, e.Seq = federation.EvFound, by, 0
	id, f, err := fs.FoundFederation(r.Context(), e)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusCreated, fedJSON{id, f})
	return nil
}

type fedEntryJSON struct {
	Entry      federation.Entry `json:"entry"`
	Credential string           `json:"credential,omitempty"`
}

func (s *Server) apiFederationEntry(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.fedStore()
	if err != nil {
		return err
	}
	id, err := pathNum(r, "fid")
	if err != nil {
		return err
	}
	by, err := userName(r)
	if err != nil {
		return err
	}
	var in struct {
		federation.Entry
		Code string `json:"code,omitempty"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := in.Entry
	e.By, e.Seq = by, 0
	out := fedEntryJSON{}
	switch e.Kind {
	case federation.EvAccredit:
		_, out.Entry, out.Credential, err = fs.Accredit(r.Context(), int64(id), e)
	case federation.EvCheckIn:
		var f *federation.Federation
		f, _, err = fs.CheckInCode(r.Context(), int64(id), e.Congress, in.Code, by)
		if err == nil {
			out.Entry = e
			out.Entry.Seq = f.Seq
		}
	case federation.EvClose:
		var f *federation.Federation
		f, err = fs.CloseElection(r.Context(), int64(id), e.Election, by)
		if err == nil {
			out.Entry = e
			out.Entry.Seq = f.Seq
		}
	default:
		_, out.Entry, err = fs.AppendFederation(r.Context(), int64(id), e)
	}
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) apiFederationElection(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadElection(r)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusOK, v.El)
	return nil
}

// Inc and Dec help templates number from 1.
func (v *fedView) Inc(i int) int { return i + 1 }

// Dec is i-1.
func (v *fedView) Dec(i int) int { return i - 1 }

// Latest is the text of the document's last version.
func (v *fedDocView) Latest() string { return v.Doc.Versions[len(v.Doc.Versions)-1].Text }

type fedBar struct {
	Name, Votes string
	Width, Y    int
}

// Bars draws the last round's votes.
func (v *fedElectionView) Bars() []fedBar {
	r := v.El.Result
	if r == nil || len(r.Rounds) == 0 {
		return nil
	}
	last := r.Rounds[len(r.Rounds)-1].Votes
	var top float64
	vals := make([]float64, len(last))
	for i, cv := range last {
		vals[i], _ = strconv.ParseFloat(cv.Votes, 64)
		top = max(top, vals[i])
	}
	out := make([]fedBar, len(last))
	for i, cv := range last {
		w := 0
		if top > 0 {
			w = int(vals[i] / top * 150)
		}
		out[i] = fedBar{Name: cv.Name, Votes: cv.Votes, Width: w, Y: i * 10}
	}
	return out
}

// ChartHeight fits the bars.
func (v *fedElectionView) ChartHeight() int { return len(v.Bars())*10 + 2 }

// fedElectionCSV is the open data of an election's count: one row per
// round and candidate.
func (s *Server) fedElectionCSV(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadElection(r)
	if err != nil {
		return err
	}
	if v.El.Result == nil {
		return comuna.Errorf(comuna.EConflict, "the election is %s, not counted", v.El.Status)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="election-`+strconv.FormatInt(v.ID, 10)+`-`+strconv.Itoa(v.El.ID)+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"round", "action", "subject", "quota", "candidate", "votes", "transfer", "elected", "excluded"})
	for _, rd := range v.El.Result.Rounds {
		for _, cv := range rd.Votes {
			cw.Write(csvSafe([]string{strconv.Itoa(rd.Round), rd.Action, rd.Candidate, rd.Quota, cv.Name, cv.Votes, cv.Transfer,
				strconv.FormatBool(slices.Contains(rd.Elected, cv.Name)), strconv.FormatBool(slices.Contains(rd.Excluded, cv.Name))}))
		}
	}
	cw.Flush()
	return cw.Error()
}
