package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/csvsafe"
	"github.com/comuna/comuna/internal/voteday"
)

// VersionView is an accepted version of a sheet laid out for a page.
type VersionView struct {
	*voteday.SheetVersion
	Rows []DiffRow
}

type sheetsPage struct {
	*Page
	Tab         *tableRequest
	Versions    []VersionView
	Corrections []*voteday.CorrectionProposal // proposed, confirmed and refused
}

// sheetVersionsPage shows every accepted version of a table's sheet to
// the public, newest first; corrections never hide earlier versions.
func (s *Server) sheetVersionsPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.loadTablePublic(r, false)
	if err != nil {
		return err
	}
	vs, err := t.store.SheetVersions(r.Context(), t.Round.ID, t.Table.Code)
	if err != nil {
		return err
	}
	var items []comuna.BallotItem
	if b, err := s.publishedBallot(r, t.Round.ID, t.Table.Circuit); err == nil {
		items = b.Items
	} else if comuna.ErrorCode(err) != comuna.EConflict {
		return err
	}
	p := &sheetsPage{Page: s.page(r, "sheets.title", "rounds"), Tab: t}
	if p.Corrections, err = t.store.Corrections(r.Context(), t.Round.ID, t.Table.Code); err != nil {
		return err
	}
	p.Title = p.T("sheets.title") + " · " + t.Table.Name
	for _, v := range vs {
		its := items
		if len(its) != len(v.Sheet.Votes) {
			its = make([]comuna.BallotItem, len(v.Sheet.Votes))
			for i := range its {
				its[i].Number = i + 1
			}
		}
		p.Versions = append(p.Versions, VersionView{SheetVersion: v, Rows: sideBySide(p.Lang, its, v.Sheet, v.Sheet, nil)})
	}
	return s.render(w, r, http.StatusOK, "sheets", p)
}

// currentSheets returns every accepted current sheet of the {id} round.
func (s *Server) currentSheets(r *http.Request) (*comuna.Round, []*voteday.SheetVersion, error) {
	st, err := s.vdStore()
	if err != nil {
		return nil, nil, err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return nil, nil, err
	}
	vs, _, err := st.CurrentSheets(r.Context(), round.ID)
	return round, vs, err
}

// sheetsCSV is open data: every accepted current sheet of a round, one row
// per table. Votes are one column per ballot number ("votes_1"…) up to
// the longest ballot; names are joined with "; ".
func (s *Server) sheetsCSV(w http.ResponseWriter, r *http.Request) error {
	round, vs, err := s.currentSheets(r)
	if err != nil {
		return err
	}
	width := 0
	for _, v := range vs {
		width = max(width, len(v.Sheet.Votes))
	}
	head := []string{"round_id", "table", "circuit", "version", "accepted", "received", "cast"}
	for i := range width {
		head = append(head, "votes_"+strconv.Itoa(i+1))
	}
	head = append(head, "blank", "null", "unused", "members", "witnesses", "photo_sha256", "reason")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="round-`+strconv.FormatInt(round.ID, 10)+`-sheets.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csvsafe.NewWriter(w)
	_ = cw.Write(head)
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, v := range vs {
		sh := v.Sheet
		row := []string{i64(v.RoundID), v.Table, v.Circuit, strconv.Itoa(v.Version), moment(v.Accepted), i64(sh.Received), i64(sh.Cast)}
		for i := range width {
			if i < len(sh.Votes) {
				row = append(row, i64(sh.Votes[i]))
			} else {
				row = append(row, "")
			}
		}
		row = append(row, i64(sh.Blank), i64(sh.Null), i64(sh.Unused), strings.Join(sh.Members, "; "),
			strings.Join(sh.Witnesses, "; "), sh.PhotoSHA256, v.Reason)
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// apiSheets is open data as JSON: every accepted current sheet of a round.
func (s *Server) apiSheets(w http.ResponseWriter, r *http.Request) error {
	round, vs, err := s.currentSheets(r)
	if err != nil {
		return err
	}
	out := make([]versionJSON, 0, len(vs))
	for _, v := range vs {
		j := toVersionJSON(v)
		j.Signer = ""
		out = append(out, j)
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"round_id": round.ID, "sheets": out})
	return nil
}
