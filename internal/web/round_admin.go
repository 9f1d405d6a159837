package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

type roundFormPage struct {
	*Page
	Form      *Form
	TieBreaks []Option
	VoteRules []Option
	Alloc     allocOptions
}

// roundFields are the round form's inputs, named as the domain names its
// fields, so validation errors land next to them.
var roundFields = []string{"name", "vote_date", "min_age", "max_age", "ballot_size", "winners", "amount", "cap_cost", "currency", "exchange_rate", "tie_break", "tie_break_seed", "vote_rule",
	"alloc_rule", "alloc_sat", "alloc_completion", "alloc_fill", "alloc_budget"}

func (s *Server) roundFormPage(r *http.Request, f *Form) *roundFormPage {
	p := &roundFormPage{Page: s.page(r, "roundform.title", "rounds"), Form: f}
	for _, t := range []comuna.TieBreak{comuna.TieLottery, comuna.TieLowerCost, comuna.TieBallotNumber} {
		p.TieBreaks = append(p.TieBreaks, Option{string(t), p.L("tiebreak", t)})
	}
	for _, v := range []comuna.VoteRule{comuna.RuleChooseOne, comuna.RuleApproval, comuna.RuleCumulative, comuna.RuleOrdinal} {
		p.VoteRules = append(p.VoteRules, Option{string(v), p.L("rule", v)})
	}
	p.Alloc = newAllocOptions(p.Page)
	return p
}

// roundForm shows the form to set up a round, with the consultations'
// defaults filled in.
func (s *Server) roundForm(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r)
	var d comuna.Round
	d.Defaults()
	f.Values.Set("min_age", strconv.Itoa(d.MinAge))
	f.Values.Set("ballot_size", strconv.Itoa(d.BallotSize))
	f.Values.Set("winners", strconv.Itoa(d.WinnersPerCircuit))
	f.Values.Set("amount", "10000")
	f.Values.Set("currency", d.Currency)
	f.Values.Set("exchange_rate", d.ExchangeRate)
	f.Values.Set("tie_break", string(d.TieBreak))
	f.Values.Set("vote_rule", string(d.VoteRule))
	return s.render(w, r, http.StatusOK, "round_form", s.roundFormPage(r, f))
}

// roundCreate stores a new round; a bad field shows the form again with
// the message next to it and stores nothing.
func (s *Server) roundCreate(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r)
	round := &comuna.Round{
		Name:              f.str("name"),
		VoteDate:          f.date("vote_date"),
		MinAge:            f.int("min_age"),
		MaxAge:            f.int("max_age"),
		BallotSize:        f.int("ballot_size"),
		WinnersPerCircuit: f.int("winners"),
		AmountPerProject:  f.cents("amount", "round.amount"),
		CapCost:           f.bool("cap_cost"),
		Currency:          strings.ToUpper(f.str("currency")),
		ExchangeRate:      f.str("exchange_rate"),
		TieBreak:          comuna.TieBreak(f.str("tie_break")),
		TieBreakSeed:      f.str("tie_break_seed"),
		VoteRule:          comuna.VoteRule(f.str("vote_rule")),
		Allocation:        allocationFromForm(f),
		CreatedBy:         reqInfoOf(r).user.ID,
	}
	if !f.HasErrors() {
		if round.Name == "" {
			f.fail("name", translate(f.lang, "form.required"))
		}
		if round.VoteDate.IsZero() {
			f.fail("vote_date", translate(f.lang, "form.required"))
		}
	}
	if !f.HasErrors() {
		round.Defaults()
		err := round.Validate()
		if err == nil {
			err = s.checkVoteDate(f.lang, round.VoteDate)
		}
		if err == nil {
			err = s.store.CreateRound(r.Context(), round)
		}
		if err != nil && !f.take(err, roundFields...) {
			return err
		}
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "round_form", s.roundFormPage(r, f))
	}
	return redirect(w, r, "/rounds/"+strconv.FormatInt(round.ID, 10))
}
