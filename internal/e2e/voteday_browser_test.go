package e2e

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// voteDayTable is the demo table both demo table members serve.
const (
	voteDayTable   = "ZU-VC-0001-1"
	voteDayCircuit = "ZU-CC-0001"
)

// TestVoteDayInBrowser runs a table's whole vote day in the browser
// against the real program with the demo: the admin opens voting, the
// table member checks voters in (accepted, already voted, under age) and
// proposes walk-ins with a reason, which count only once the second
// member confirms them; the second member closes the table; both enter
// the tally sheet (waiting, a blind mismatch naming only the fields that
// differ, then accepted);
// the admin starts the count and corrects the sheet with a reason; and
// the public sees both versions, the corrected numbers in the circuit's
// results and the sheet in the open-data CSV.
func TestVoteDayInBrowser(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	prog := startProgram(t, bin, "--demo", "--db", dir+"/voteday.db")
	ctx := browser(t)
	base := prog.URL
	tableURL := fmt.Sprintf("%s/rounds/1/tables/%s", base, voteDayTable)

	// The admin opens voting from the round's page.
	vdLogin(t, ctx, base, "admin")
	vdNextPhase(t, ctx, base, "voting")

	// The table member checks in three voters.
	vdSwitchUser(t, ctx, base, "mesa")
	outcome := func(doc, birth string) (msg, why string) {
		t.Helper()
		err := chromedp.Do(ctx,
			chromedp.Navigate(tableURL),
			chromedp.WaitVisible(`#f-document_number`),
			chromedp.SetValue(`#f-document_type`, "V"),
			chromedp.SetValue(`#f-document_number`, doc),
			chromedp.SetValue(`#f-birth_date`, birth),
			chromedp.Submit(`#f-document_number`),
			chromedp.WaitVisible(`.outcome-msg`),
		)
		if err != nil {
			t.Fatalf("check in %s: %v", doc, err)
		}
		return text(t, ctx, `.outcome-msg`), vdOptionalText(t, ctx, `.outcome-why`)
	}
	if msg, _ := outcome("12.345.678", "1980-04-02"); !strings.Contains(msg, "Accepted") {
		t.Errorf("first check-in shows %q, want Accepted", msg)
	}
	if msg, why := outcome("V-12345678", "1980-04-02"); !strings.Contains(msg, "Already voted") || !strings.Contains(why, "Voted at centre") {
		t.Errorf("same document again shows %q / %q, want Already voted and the centre", msg, why)
	}
	if msg, why := outcome("30111222", "2015-01-01"); !strings.Contains(msg, "Outside the age range") || !strings.Contains(why, "minimum age is 15") {
		t.Errorf("an 11-year-old shows %q / %q, want outside the age range, minimum 15", msg, why)
	}

	// Two walk-ins admitted on paper, proposed by one member with the
	// reason; they count once the second member confirms them.
	err := chromedp.Do(ctx,
		chromedp.Navigate(tableURL),
		chromedp.WaitVisible(`#f-document_number`),
		chromedp.Click(`details.panel:nth-of-type(1) summary`),
		chromedp.SetValue(`#f-count`, "2"),
		chromedp.SetValue(`#f-reason`, "Sin conexión de 8 a 9 en la escuela"),
		chromedp.Submit(`#f-count`),
		chromedp.WaitVisible(`section.walkins-pending`),
	)
	if err != nil {
		t.Fatalf("propose walk-ins: %v", err)
	}
	if got := vdFigure(t, ctx, 2); got != "0" {
		t.Errorf("table page shows %s walk-ins before a second member confirms, want 0", got)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('button.confirm-walkin').length`)); n != 0 {
		t.Errorf("the proposer is offered to confirm their own walk-ins")
	}
	vdScreenshots(t, ctx, "table-walkins-pending")
	vdSwitchUser(t, ctx, base, "mesa2")
	err = chromedp.Do(ctx,
		chromedp.Navigate(tableURL),
		chromedp.WaitVisible(`button.confirm-walkin`),
		chromedp.Click(`button.confirm-walkin`),
		chromedp.WaitNotPresent(`section.walkins-pending`),
		chromedp.Click(`details.panel:nth-of-type(2) summary`),
		chromedp.Click(`#f-confirm`),
		chromedp.Submit(`#f-confirm`),
		chromedp.WaitNotPresent(`#f-document_number`),
	)
	if err != nil {
		t.Fatalf("confirm walk-ins and close: %v", err)
	}
	page := text(t, ctx, `main`)
	for _, want := range []string{"Closed", "Table closed on"} {
		if !strings.Contains(page, want) {
			t.Errorf("closed table page lacks %q:\n%s", want, page)
		}
	}
	if got := vdFigure(t, ctx, 1); got != "1" {
		t.Errorf("table page shows %s check-ins, want 1", got)
	}
	if got := vdFigure(t, ctx, 2); got != "2" {
		t.Errorf("table page shows %s walk-ins, want 2", got)
	}

	// Double entry: 3 cast of 50 received (1 check-in + 2 walk-ins).
	items := vdBallotSize(t, base)
	first := vdSheet{received: 50, votes: []int{2, 1}, unused: 47}
	other := vdSheet{received: 50, votes: []int{1, 2}, unused: 47}
	vdEnterSheet(t, ctx, tableURL+"/sheet", `#f-received`, items, first, "")
	if msg := text(t, ctx, `.outcome-msg`); !strings.Contains(msg, "The second entry is missing") {
		t.Errorf("first entry shows %q, want the second entry missing", msg)
	}

	vdSwitchUser(t, ctx, base, "mesa")
	vdEnterSheet(t, ctx, tableURL+"/sheet", `#f-received`, items, other, "")
	if msg := text(t, ctx, `.outcome-msg`); !strings.Contains(msg, "The entries differ in these fields") {
		t.Errorf("a different second entry shows %q, want the entries differ", msg)
	}
	differing, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.outcome-mismatch ul.differs li')].map(li => li.textContent.trim())`))
	if err != nil {
		t.Fatalf("read the differing fields: %v", err)
	}
	if len(differing) != 2 || !strings.HasPrefix(differing[0], "1.") || !strings.HasPrefix(differing[1], "2.") {
		t.Errorf("differing fields = %q, want projects 1 and 2", differing)
	}
	if page := text(t, ctx, `main`); strings.Contains(page, "The other entry") || strings.Contains(page, "sidebyside") {
		t.Errorf("the mismatch shows the other entry:\n%s", page)
	}
	vdScreenshots(t, ctx, "sheet-blind-mismatch")
	vdEnterSheet(t, ctx, tableURL+"/sheet", `#f-received`, items, first, "")
	if msg := text(t, ctx, `.outcome-msg`); !strings.Contains(msg, "Both entries agree") {
		t.Errorf("the agreeing entry shows %q, want the sheet accepted", msg)
	}

	// The admin starts the count and corrects the sheet: one of project
	// 1's ballots was null.
	vdSwitchUser(t, ctx, base, "admin")
	vdNextPhase(t, ctx, base, "counting")
	const reason = "Recuento público: una papeleta marcada dos veces era nula."
	fixed := vdSheet{received: 50, votes: []int{1, 1}, null: 1, unused: 47}
	vdEnterSheet(t, ctx, tableURL+"/sheet", `#f-reason`, items, fixed, reason)
	page = text(t, ctx, `main`)
	if !strings.Contains(page, "Correction no.") || !strings.Contains(page, "Accepted sheet (version 1)") ||
		!strings.Contains(page, "You proposed this correction") {
		t.Errorf("sheet page after proposing a correction: want it pending, version 1 still current:\n%s", page)
	}
	// The circuit's coordinator checks it against the paper and confirms.
	vdSwitchUser(t, ctx, base, "coordinador")
	err = chromedp.Do(ctx,
		chromedp.Navigate(tableURL+"/sheet"),
		chromedp.WaitVisible(`section.correction-pending`),
		chromedp.Click(`section.correction-pending details.panel summary`),
		chromedp.WaitVisible(`form.confirm-correction button`),
	)
	if err != nil {
		t.Fatalf("open the pending correction: %v", err)
	}
	vdScreenshots(t, ctx, "sheet-correction-pending")
	if err := chromedp.Do(ctx, chromedp.Submit(`form.confirm-correction button`), chromedp.WaitNotPresent(`section.correction-pending`)); err != nil {
		t.Fatalf("confirm the correction: %v; page shows:\n%s", err, vdOptionalText(t, ctx, `main`))
	}
	page = text(t, ctx, `main`)
	if !strings.Contains(page, "Accepted sheet (version 2)") || !strings.Contains(page, reason) {
		t.Errorf("sheet page after the correction lacks version 2 and its reason:\n%s", page)
	}

	// The public sees both versions, the corrected results and the CSV.
	if err := chromedp.Do(ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`a[href^="/login"]`)); err != nil {
		t.Fatalf("log out: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/rounds/1/results/circuit/%s", base, voteDayCircuit))); err != nil {
		t.Fatalf("open the circuit's results: %v", err)
	}
	votes, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll('table.results tbody tr')].map(r => [r.cells[0].textContent.trim(), r.cells[2].textContent.trim()]))`))
	if err != nil {
		t.Fatalf("read the circuit's results: %v", err)
	}
	for i := 1; i <= items; i++ {
		if got, want := votes[strconv.Itoa(i)], strconv.Itoa(fixed.vote(i-1)); got != want {
			t.Errorf("circuit results show %q votes for project %d, want %s (the corrected sheet)", got, i, want)
		}
	}
	if got := vdFigure(t, ctx, 1); got != "3" {
		t.Errorf("circuit results show %s ballots cast, want 3", got)
	}
	if got := vdFigure(t, ctx, 7); got != "0 / 1" {
		t.Errorf("circuit results show blank / null %q, want 0 / 1", got)
	}

	// The circuit's list of tables links the table's published versions.
	err = chromedp.Do(ctx,
		chromedp.Click(`a[href="/rounds/1/tables/`+voteDayTable+`/sheets"]`),
		chromedp.WaitVisible(`section.version`),
	)
	if err != nil {
		t.Fatalf("open the sheet versions from the results: %v", err)
	}
	page = text(t, ctx, `main`)
	for _, want := range []string{"Version 2", "Version 1", "Replaced", reason} {
		if !strings.Contains(page, want) {
			t.Errorf("public sheet versions lack %q:\n%s", want, page)
		}
	}
	vdCheckCSV(t, base, items, fixed)
}

// vdSheet is a tally sheet as the test types it; votes beyond those
// listed are zero, and cast is their sum plus blank and null.
type vdSheet struct {
	received, blank, null, unused int
	votes                         []int
}

func (s vdSheet) vote(i int) int {
	if i < len(s.votes) {
		return s.votes[i]
	}
	return 0
}

func (s vdSheet) cast() int {
	n := s.blank + s.null
	for _, v := range s.votes {
		n += v
	}
	return n
}

// vdEnterSheet opens a table's sheet page and submits the form holding the
// field marked by first (the entry form's #f-received, or the
// correction's #f-reason), with reason if not empty.
func vdEnterSheet(t *testing.T, ctx context.Context, url, first string, items int, s vdSheet, reason string) {
	t.Helper()
	scope := `form[action$="/sheet"] `
	if reason != "" {
		scope = `form[action$="/sheet/corrections"] `
	}
	acts := []chromedp.Action[chromedp.Void]{chromedp.Navigate(url), chromedp.WaitReady(scope + first)}
	if reason != "" {
		acts = append(acts, chromedp.Click(`details.panel summary`), chromedp.WaitVisible(scope+first))
	}
	set := func(field, v string) {
		acts = append(acts, chromedp.SetValue(scope+`[name="`+field+`"]`, v))
	}
	set("received", strconv.Itoa(s.received))
	set("cast", strconv.Itoa(s.cast()))
	for i := range items {
		set("votes."+strconv.Itoa(i+1), strconv.Itoa(s.vote(i)))
	}
	set("blank", strconv.Itoa(s.blank))
	set("null", strconv.Itoa(s.null))
	set("unused", strconv.Itoa(s.unused))
	set("members", "Ana Pérez\nLuis Gómez")
	set("witnesses", "Carmen Rivas")
	if reason != "" {
		set("reason", reason)
	}
	acts = append(acts, chromedp.Submit(scope+first), chromedp.WaitReady(`main`))
	if reason == "" {
		acts = append(acts, chromedp.WaitVisible(`.outcome-msg`))
	} else {
		acts = append(acts, chromedp.WaitNotPresent(`.field-error`))
	}
	if err := chromedp.Do(ctx, acts...); err != nil {
		t.Fatalf("enter sheet at %s: %v; page shows:\n%s", url, err, vdOptionalText(t, ctx, `main`))
	}
}

// vdCheckCSV downloads the round's open data and checks the table's row
// holds the corrected sheet.
func vdCheckCSV(t *testing.T, base string, items int, s vdSheet) {
	t.Helper()
	resp, err := http.Get(base + "/rounds/1/sheets.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET sheets.csv: status %d: %s", resp.StatusCode, body)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("sheets.csv = %d rows (%v), want a header and the one accepted sheet:\n%s", len(rows), err, body)
	}
	got := map[string]string{}
	for i, h := range rows[0] {
		got[h] = rows[1][i]
	}
	want := map[string]string{"table": voteDayTable, "circuit": voteDayCircuit, "version": "2",
		"received": strconv.Itoa(s.received), "cast": strconv.Itoa(s.cast()), "blank": strconv.Itoa(s.blank),
		"null": strconv.Itoa(s.null), "unused": strconv.Itoa(s.unused)}
	for i := range items {
		want["votes_"+strconv.Itoa(i+1)] = strconv.Itoa(s.vote(i))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("sheets.csv %s = %q, want %q", k, got[k], v)
		}
	}
	if !strings.Contains(got["reason"], "nula") {
		t.Errorf("sheets.csv reason = %q, want the correction's reason", got["reason"])
	}
}

// vdLogin signs a demo account in, in English.
func vdLogin(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login?lang=en"),
		chromedp.WaitVisible(`#f-username`),
		chromedp.SendKeys(`#f-username`, user),
		chromedp.SendKeys(`#f-password`, vdPassword(user)),
		chromedp.Submit(`#f-password`),
		chromedp.WaitNotPresent(`#f-password`),
	)
	if err != nil {
		t.Fatalf("log in as %s: %v", user, err)
	}
	names := map[string]string{"admin": "Administración Nacional", "mesa": "Miembro de " + voteDayTable,
		"mesa2": "Segundo miembro de " + voteDayTable, "coordinador": ""}
	if h := text(t, ctx, `header`); !strings.Contains(h, names[user]) || !strings.Contains(h, "Log out") {
		t.Fatalf("header after logging in as %s = %q, want %q and Log out", user, h, names[user])
	}
}

// vdSwitchUser logs the current account out and another in.
func vdSwitchUser(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`a[href^="/login"]`)); err != nil {
		t.Fatalf("log out: %v", err)
	}
	vdLogin(t, ctx, base, user)
}

// vdNextPhase moves round 1 on from its page and checks it reached want.
func vdNextPhase(t *testing.T, ctx context.Context, base, want string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/rounds/1"), chromedp.WaitVisible(`form.transition button`)); err != nil {
		t.Fatalf("open round 1: %v", err)
	}
	before, err := chromedp.Run(ctx, chromedp.Value(`form.transition input[name="from"]`))
	if err != nil {
		t.Fatalf("round 1's phase: %v", err)
	}
	// The page is replaced once the move is stored: wait for the old
	// form to go.
	// The first press asks for confirmation, saying what the move does
	// and freezes; circuits without a ballot must be excluded by a tick.
	if err := chromedp.Do(ctx, chromedp.Click(`form.transition button`), chromedp.WaitVisible(`form.transition.confirm button`)); err != nil {
		t.Fatalf("ask to move round 1 to %s: %v", want, err)
	}
	if vdOptionalText(t, ctx, `label[for="f-exclude-ok"]`) != "" {
		if err := chromedp.Do(ctx, chromedp.Click(`#f-exclude-ok`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(`form.transition.confirm button`),
		chromedp.WaitNotPresent(`form.transition input[name="from"][value="`+before+`"]`)); err != nil {
		t.Fatalf("move round 1 to %s: %v", want, err)
	}
	var round struct{ Phase string }
	getJSON(t, base+"/api/v1/rounds/1", &round)
	if round.Phase != want {
		t.Fatalf("round 1 went from %s to %s, want %s; the page shows:\n%s", before, round.Phase, want, text(t, ctx, `main`))
	}
}

// vdBallotSize returns how many projects the demo circuit's ballot has.
func vdBallotSize(t *testing.T, base string) int {
	t.Helper()
	var b struct{ Items []struct{ Number int } }
	getJSON(t, fmt.Sprintf("%s/api/v1/rounds/1/circuits/%s/ballot", base, voteDayCircuit), &b)
	if len(b.Items) < 2 {
		t.Fatalf("ballot of %s has %d projects, want at least 2", voteDayCircuit, len(b.Items))
	}
	return len(b.Items)
}

// vdFigure returns the n-th figure (from 1) of the page's dl.figures.
func vdFigure(t *testing.T, ctx context.Context, n int) string {
	t.Helper()
	return text(t, ctx, fmt.Sprintf(`dl.figures > div:nth-child(%d) dd`, n))
}

// vdOptionalText returns the text of sel, or "" if the page has none.
func vdOptionalText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent`, sel)))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

// vdScreenshots saves the page at phone and desktop widths under
// COMUNA_SCREENSHOTS, when set, for a person to look at.
func vdScreenshots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("COMUNA_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, size := range []struct {
		w, h int64
		tag  string
	}{{390, 844, "phone"}, {1280, 900, "desktop"}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Logf("screenshot %s: %v", name, err)
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Logf("screenshot %s: %v", name, err)
			return
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-"+size.tag+".png"), png, 0o644); err != nil {
			t.Logf("screenshot %s: %v", name, err)
		}
	}
}

// vdPassword is a demo account's published password (README, "Demo
// logins"): comuna-<name>, but mesa's, which needed 12 characters.
func vdPassword(user string) string {
	if user == "mesa" {
		return "comuna-mesa-demo"
	}
	return "comuna-" + user
}
