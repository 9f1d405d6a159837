package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFoundationInBrowser starts the real program with the demo, logs in
// as the admin, opens a circuit and its printable ballot, submits a
// proposal (first with a missing field, then complete), reviews it, and
// checks what the pages and the public API show.
func TestFoundationInBrowser(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	prog := startProgram(t, bin, "--demo", "--db", dir+"/e2e.db")
	ctx := browser(t)
	base := prog.URL
	const circuit = "ZU-CC-0001"

	// Log in as the demo admin, in English.
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login?lang=en"),
		chromedp.WaitVisible(`#f-username`),
		chromedp.SendKeys(`#f-username`, "admin"),
		chromedp.SendKeys(`#f-password`, "comuna-admin"),
		chromedp.Submit(`#f-password`),
		chromedp.WaitNotPresent(`#f-password`),
	)
	if err != nil {
		t.Fatalf("log in: %v", err)
	}
	header := text(t, ctx, `header`)
	if !strings.Contains(header, "admin") {
		t.Errorf("header after login = %q, want it to name the admin", header)
	}

	// The circuit page lists its published ballot, as the public API has it.
	var ballot struct {
		Version int
		Items   []struct {
			Number int
			Title  string
		}
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/rounds/1/circuits/%s/ballot", base, circuit), &ballot)
	if len(ballot.Items) == 0 {
		t.Fatalf("demo circuit %s has an empty ballot", circuit)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/rounds/1/circuits/%s", base, circuit))); err != nil {
		t.Fatalf("open circuit: %v", err)
	}
	circuitText := text(t, ctx, `main`)
	for _, it := range ballot.Items {
		if !strings.Contains(circuitText, it.Title) {
			t.Errorf("circuit page lacks ballot project %d %q", it.Number, it.Title)
		}
	}

	// The printable ballot numbers every project in ballot order.
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/rounds/1/circuits/%s/ballot/print", base, circuit))); err != nil {
		t.Fatalf("open printable ballot: %v", err)
	}
	printText := text(t, ctx, `body`)
	last := -1
	for _, it := range ballot.Items {
		i := strings.Index(printText, it.Title)
		if i < 0 {
			t.Errorf("printable ballot lacks project %d %q", it.Number, it.Title)
			continue
		}
		if i < last {
			t.Errorf("printable ballot shows project %d out of order", it.Number)
		}
		last = i
	}

	// Submitting without a title names the title field and stores nothing.
	form := fmt.Sprintf("%s/rounds/2/proposals/new?circuit=%s", base, circuit)
	fill := func(title string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(form), chromedp.WaitVisible(`#f-title`)); err != nil {
			t.Fatalf("open proposal form: %v", err)
		}
		for _, f := range [][2]string{
			{"council", circuit + "-02"},
			{"title", title},
			{"description", "Sustituir 300 metros de tubería de la calle principal."},
			{"category", "water"},
			{"cost", "8750.50"},
			{"location", "Calle principal"},
			{"assembly_date", "2026-11-16"},
			{"attendance", "140"},
			{"votes_for", "120"},
			{"votes_against", "10"},
			{"votes_abstain", "5"},
		} {
			if f[1] == "" {
				continue // a fresh form's field is empty already
			}
			if err := chromedp.Do(ctx, chromedp.SetValue(`#f-`+f[0], f[1])); err != nil {
				t.Fatalf("proposal form: set %s to %q: %v", f[0], f[1], err)
			}
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#f-quorum_met').checked = true`)); err != nil {
			t.Fatalf("proposal form: tick quorum: %v", err)
		}
		if err := chromedp.Do(ctx, chromedp.Submit(`#f-title`)); err != nil {
			t.Fatalf("proposal form: submit: %v", err)
		}
	}
	before := proposalCount(t, base)
	fill("")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#e-title`)); err != nil {
		t.Fatalf("submit incomplete proposal: %v", err)
	}
	titleError := text(t, ctx, `#e-title`)
	if titleError == "" {
		t.Error("incomplete proposal: no error shown next to the title")
	}
	if got := proposalCount(t, base); got != before {
		t.Errorf("after a refused proposal, round 2 has %d proposals, want %d", got, before)
	}

	// A complete proposal is stored and shown.
	const title = "Sustitución de la tubería de aguas blancas de la calle principal"
	fill(title)
	if err := chromedp.Do(ctx, chromedp.WaitNotPresent(`#f-title`)); err != nil {
		t.Fatalf("submit proposal: %v", err)
	}
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	proposalText := text(t, ctx, `main`)
	if !strings.Contains(proposalText, title) {
		t.Fatalf("page after submitting (%s) lacks the title; it shows:\n%s", location, proposalText)
	}
	u, _ := url.Parse(location)
	id := strings.TrimPrefix(u.Path, "/proposals/")
	var p struct {
		Title, Status, Reason, Council string
	}
	getJSON(t, base+"/api/v1/proposals/"+id, &p)
	if p.Title != title || p.Status != "submitted" || p.Council != circuit+"-02" {
		t.Fatalf("stored proposal %s = %+v, want title %q, status submitted, council %s-02", id, p, title, circuit)
	}

	// The admin reviews it from the queue and accepts it with a reason.
	const reason = "Costo verificado con el presupuesto de la hidrológica."
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/rounds/2/review"),
		chromedp.WaitVisible(`#reason-`+id),
		chromedp.SetValue(`#reason-`+id, reason),
		chromedp.Click(fmt.Sprintf(`form[action="/proposals/%s/review"] button[value="accept"]`, id)),
		chromedp.WaitNotPresent(`#reason-`+id),
		chromedp.Navigate(base+"/proposals/"+id),
	)
	if err != nil {
		t.Fatalf("review proposal: %v", err)
	}
	proposalText = text(t, ctx, `main`)
	getJSON(t, base+"/api/v1/proposals/"+id, &p)
	if p.Status != "accepted" || p.Reason != reason {
		t.Errorf("reviewed proposal = status %q reason %q, want accepted with %q", p.Status, p.Reason, reason)
	}
	if !strings.Contains(proposalText, reason) {
		t.Errorf("proposal page lacks the review reason; it shows:\n%s", proposalText)
	}
}

// text returns the visible text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("read text of %s: %v", sel, err)
	}
	return s
}

// proposalCount returns how many proposals round 2 has, from the API.
func proposalCount(t *testing.T, base string) int {
	t.Helper()
	var list struct {
		Proposals []struct{ ID int64 }
	}
	getJSON(t, base+"/api/v1/rounds/2/proposals", &list)
	return len(list.Proposals)
}
