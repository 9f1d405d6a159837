// Package pbround turns a pabulib file into a participatory budget that
// the store loads as a Comuna round (comuna.PBImport). It does no I/O.
package pbround

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/pabulib"
)

// Import turns a pabulib file into a participatory budget the store can
// load: a territory chain named after META country, unit and subunit, with
// codes derived from them, one circuit for the instance with one council,
// centre and table; a round with the file's vote type, budget and rule
// (equalshares → mes, "/add1" → the add1 completion, anything else
// greedy); every project as an accepted proposal keeping its project_id,
// on one ballot ordered by project_id compared as text (so the round's
// ballot-number tie-break is pabutools' default), and every vote.
func Import(f *pabulib.File) (*comuna.PBImport, error) {
	meta := func(k string) string { v, _ := f.MetaValue(k); return strings.TrimSpace(v) }
	budget, err := f.Budget()
	if err != nil {
		return nil, err
	}
	budgetCents, err := Cents(budget)
	if err != nil {
		return nil, fmt.Errorf("META budget: %w", err)
	}
	r := &comuna.Round{Name: meta("description"), VoteDate: voteDate(meta("date_end"), meta("date_begin"), meta("instance")),
		BallotSize: len(f.Projects), WinnersPerCircuit: 1, TieBreak: comuna.TieBallotNumber, Currency: strings.ToUpper(meta("currency"))}
	if r.Name == "" {
		r.Name = strings.Join(nonEmpty(meta("country"), meta("unit"), meta("subunit"), meta("instance")), " ")
	}
	if len(r.Name) > 200 {
		r.Name = r.Name[:200]
	}
	if len(r.Currency) != 3 {
		r.Currency = "XXX" // ISO 4217: no currency
	}
	switch vt := f.VoteType(); vt {
	case "approval", "cumulative", "ordinal":
		r.VoteRule = comuna.VoteRule(vt)
	case "choose-1", "choose_1", "choose1":
		r.VoteRule = comuna.RuleChooseOne
		if r.BallotSize > comuna.MaxBallotSize(r.VoteRule) {
			r.VoteRule = comuna.RuleApproval // a choose-one ballot is an approval ballot of length one
		}
	default:
		return nil, fmt.Errorf("META vote_type %q: Comuna rounds take approval, cumulative, ordinal or choose-1 ballots", vt)
	}
	r.Allocation = allocationOf(meta("rule"), budgetCents)
	units, council, circuit := pbUnits(meta("country"), meta("unit"), meta("subunit"), meta("instance"))
	imp := &comuna.PBImport{Units: units, Round: r, Ballots: map[string][]int{}, Votes: map[string][]comuna.PBBallot{}}

	order := make([]int, len(f.Projects))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return f.Projects[order[a]].ID < f.Projects[order[b]].ID })
	number := make([]int, len(f.Projects)) // ballot number of each file project
	for k, i := range order {
		p := &f.Projects[i]
		c, err := Cents(p.Cost)
		if err != nil {
			return nil, &pabulib.Error{Line: p.Line, Field: "cost", Err: err}
		}
		title := strings.TrimSpace(f.ProjectField(i, "name"))
		if title == "" {
			title = p.ID
		}
		desc := f.ProjectField(i, "description")
		imp.Proposals = append(imp.Proposals, &comuna.Proposal{Council: council, Title: clip(title, 200),
			Description: clip(desc, 5000), Category: "other", Cost: c, ExternalID: p.ID, Status: comuna.StatusAccepted,
			Reason: "imported from pabulib", Minutes: comuna.Minutes{Date: r.VoteDate, Attendance: 1, QuorumMet: true, VotesFor: 1}})
		imp.Ballots[circuit] = append(imp.Ballots[circuit], k)
		number[i] = k + 1
	}
	votes := make([]comuna.PBBallot, len(f.Votes))
	for i := range f.Votes {
		v := &f.Votes[i]
		b := comuna.PBBallot{Voter: v.VoterID, Projects: make([]int, len(v.Ballot)), Points: v.Points}
		for j, k := range v.Ballot {
			b.Projects[j] = number[k]
		}
		votes[i] = b
	}
	imp.Votes[circuit] = votes
	return imp, nil
}

// allocationOf reads a pabulib META rule.
func allocationOf(rule string, budget comuna.Cents) comuna.Allocation {
	rule = strings.ToLower(rule)
	a := comuna.Allocation{Rule: comuna.AllocGreedy, Budget: budget}
	switch {
	case strings.HasPrefix(rule, "equalshares") || strings.HasPrefix(rule, "mes"):
		a.Rule, a.Completion, a.Fill = comuna.AllocMES, "none", "none"
		if strings.Contains(rule, "add1") {
			a.Completion = "add1"
		} else if strings.Contains(rule, "increase") {
			a.Completion = "increase"
		}
		if strings.Contains(rule, "greedy") {
			a.Fill = "greedy"
		}
	case strings.HasPrefix(rule, "phragmen"):
		a.Rule = comuna.AllocPhragmen
	case rule == "topk" || rule == "top-k":
		a.Rule = comuna.AllocTopK
	}
	return a
}

// pbUnits builds the territory chain of an instance: state (country),
// municipality (unit), parish and commune (subunit, or the unit), then one
// circuit (the instance) with one council, centre and table. It returns
// the units, the council's code and the circuit's code.
func pbUnits(country, unit, subunit, instance string) ([]comuna.Unit, string, string) {
	country, unit = or(country, "Unknown"), or(unit, "Unknown")
	sub := or(subunit, unit)
	state := Code(country)
	muni := Code(country, unit)
	parish := Code(country, unit, subunit)
	commune := parish + "-C"
	if len(commune) > 40 {
		commune = Code(country, unit, subunit, "C")
	}
	circuit := Code(country, unit, subunit, instance)
	sfx := func(s string) string {
		if len(circuit)+len(s) <= 40 {
			return circuit + s
		}
		return Code(circuit, s)
	}
	circName := strings.Join(nonEmpty(unit, subunit, instance), " ")
	return []comuna.Unit{
		{Level: comuna.LevelState, Code: state, Name: clip(country, 200)},
		{Level: comuna.LevelMunicipality, Code: muni, Parent: state, Name: clip(unit, 200)},
		{Level: comuna.LevelParish, Code: parish, Parent: muni, Name: clip(sub, 200)},
		{Level: comuna.LevelCommune, Code: commune, Parent: parish, Name: clip(sub, 200)},
		{Level: comuna.LevelCircuit, Code: circuit, Parent: commune, Name: clip(circName, 200)},
		{Level: comuna.LevelCouncil, Code: sfx("-K"), Parent: circuit, Name: clip(circName, 200)},
		{Level: comuna.LevelCentre, Code: sfx("-E"), Parent: parish, Name: clip(circName, 200)},
		{Level: comuna.LevelTable, Code: sfx("-T"), Parent: sfx("-E"), Name: "1", Circuit: circuit},
	}, sfx("-K"), circuit
}

// fold writes a name's letters in ASCII where a common diacritic is all
// that keeps it from being ASCII.
var fold = strings.NewReplacer("ą", "a", "ć", "c", "ę", "e", "ł", "l", "ń", "n", "ó", "o", "ś", "s", "ź", "z", "ż", "z",
	"Ą", "A", "Ć", "C", "Ę", "E", "Ł", "L", "Ń", "N", "Ó", "O", "Ś", "S", "Ź", "Z", "Ż", "Z",
	"á", "a", "é", "e", "í", "i", "ö", "o", "ő", "o", "ú", "u", "ü", "u", "ű", "u", "ë", "e", "ï", "i",
	"Á", "A", "É", "E", "Í", "I", "Ö", "O", "Ő", "O", "Ú", "U", "Ü", "U", "Ű", "U")

// Code derives a stable unit code from names: their letters and digits
// in upper case joined by dashes, at most 40 characters; a longer code is
// cut and ends with a hash of the whole, so it stays unique.
func Code(parts ...string) string {
	var b strings.Builder
	for _, p := range nonEmpty(parts...) {
		dash := b.Len() > 0
		for _, c := range strings.ToUpper(fold.Replace(p)) {
			if c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				if dash {
					b.WriteByte('-')
					dash = false
				}
				b.WriteRune(c)
			} else if b.Len() > 0 {
				dash = true
			}
		}
	}
	s := b.String()
	if s == "" || len(s) > 40 {
		sum := sha256.Sum256([]byte(strings.Join(parts, "\n")))
		s = strings.TrimRight(s[:min(len(s), 31)], "-") + "-" + hex.EncodeToString(sum[:4])
		s = strings.TrimLeft(s, "-")
	}
	return s
}

// voteDate reads the first of the META dates that parses (DD.MM.YYYY,
// YYYY-MM-DD or a year, read as its 1 January), or today.
func voteDate(values ...string) time.Time {
	for _, v := range values {
		for _, layout := range []string{"02.01.2006", "2006-01-02", "2006"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t
			}
		}
	}
	y, m, d := comuna.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Cents converts an exact amount to cents; it must have at most two
// decimals.
func Cents(r *big.Rat) (comuna.Cents, error) {
	c := new(big.Rat).Mul(r, big.NewRat(100, 1))
	if !c.IsInt() || !c.Num().IsInt64() || c.Sign() < 0 {
		return 0, fmt.Errorf("%s is not an amount with at most two decimals", pabulib.FormatDecimal(r))
	}
	return comuna.Cents(c.Num().Int64()), nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return strings.TrimSpace(s)
}

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
