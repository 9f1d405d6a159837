package web

import (
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
)

// explain renders why a project of a circuit's decision was funded or not
// as a sentence in lang, from the engine's data (pb.Explanation), never
// from its English text. currency labels the amounts; provisional adds
// that not every table has reported.
func explain(lang string, d *allocation.Decision, e allocation.Explained, provisional bool, currency string) string {
	t := func(key string, args ...any) string { return translate(lang, key, args...) }
	money := func(s string) string { return currency + " " + formatDecimal(lang, moneyDecimal(s)) }
	votes := func(n int64) string {
		if n == 1 {
			return t("explain.vote", formatInt(lang, n))
		}
		return t("explain.votes", formatInt(lang, n))
	}
	supporters := func(n int64) string { return formatInt(lang, n) }
	n := len(d.Projects)
	var s string
	switch {
	case e.Reason == "no-support" && d.Rule == comuna.AllocTopK:
		s = t("explain.topk.novotes")
	case d.Rule == comuna.AllocTopK && e.Selected:
		switch {
		case d.Options.K >= n:
			s = t("explain.topk.all", ordinal(lang, e.Rank), votes(e.Voters))
		case e.Margin == 0:
			s = t("explain.topk.wontie", ordinal(lang, e.Rank), n, votes(e.Voters), tieBreakName(lang, d))
		default:
			s = t("explain.topk.won", ordinal(lang, e.Rank), n, votes(e.Voters), votes(e.Margin))
		}
	case d.Rule == comuna.AllocTopK:
		if e.Margin == 0 {
			s = t("explain.topk.losttie", ordinal(lang, e.Rank), n, votes(e.Voters), tieBreakName(lang, d))
		} else {
			s = t("explain.topk.lost", ordinal(lang, e.Rank), n, votes(e.Voters), votes(e.Margin), d.Options.K)
		}
	case e.Reason == "zero-cost":
		s = t("explain.mes.zerocost")
	case e.Selected && e.BudgetLeft != "":
		key := "explain.greedy.won"
		if d.Rule == comuna.AllocMES {
			key = "explain.fill.won"
		}
		s = t(key, ordinal(lang, e.Position), money(e.BudgetLeft), money(e.Explanation.Cost))
	case e.Reason == "did-not-fit":
		key := "explain.greedy.didnotfit"
		if d.Rule == comuna.AllocMES {
			key = "explain.fill.didnotfit"
		}
		s = t(key, money(e.BudgetLeft), money(e.Explanation.Cost), money(e.MaxCost))
	case e.Selected && d.Rule == comuna.AllocMES:
		if e.PayMin == e.PayMax {
			s = t("explain.mes.won", e.Round, supporters(e.Voters), money(e.Explanation.Cost), money(e.PayMax))
		} else {
			s = t("explain.mes.wonrange", e.Round, supporters(e.Voters), money(e.Explanation.Cost), money(e.PayMin), money(e.PayMax))
		}
	case e.Reason == "outbid" && e.Available != "":
		s = t("explain.mes.outbid", e.Round, supporters(e.Voters), money(e.Available), money(e.Explanation.Cost), money(e.MaxCost))
	case e.Reason == "outbid":
		s = t("explain.mes.never")
	case e.Reason == "no-support" && d.Rule == comuna.AllocMES:
		s = t("explain.mes.nosupport")
	case e.Selected && d.Rule == comuna.AllocPhragmen && e.Load == "":
		s = t("explain.phragmen.wonnobody", ordinal(lang, e.Position))
	case e.Selected && d.Rule == comuna.AllocPhragmen:
		s = t("explain.phragmen.won", ordinal(lang, e.Position), supporters(e.Voters), formatDecimal(lang, e.Load))
	case e.Reason == "too-expensive":
		s = t("explain.phragmen.tooexpensive", money(e.Explanation.Cost), money(d.Budget.Plain()))
	case e.Reason == "stopped":
		s = t("explain.phragmen.stopped", money(e.Explanation.Cost), money(e.MaxCost))
	case e.Reason == "not-reached":
		s = t("explain.phragmen.notreached", formatDecimal(lang, e.Load))
	case e.Reason == "no-support":
		s = t("explain.phragmen.nosupport")
	case e.Selected:
		s = t("explain.funded")
	default:
		s = t("explain.notfunded")
	}
	if !e.Selected && e.BudgetLeft != "" && d.Rule == comuna.AllocMES && e.Reason != "did-not-fit" {
		s += " " + t("explain.fill.passed", money(e.BudgetLeft))
	}
	if e.Selected && e.Amount != 0 {
		s += " " + t("explain.receives", money(e.Amount.Plain()))
	}
	if provisional {
		s += " " + t("explain.provisional")
	}
	return s
}

// moneyDecimal writes an exact amount of money as an amount is read:
// whole units without decimals ("15000.00" as "15000"), cents with two
// ("12.5" as "12.50"), and more digits or a fraction as they are.
func moneyDecimal(s string) string {
	whole, frac, ok := strings.Cut(s, ".")
	switch {
	case !ok:
		return s
	case strings.Trim(frac, "0") == "":
		return whole
	case len(frac) == 1:
		return whole + "." + frac + "0"
	}
	return s
}

// tieBreakName names the round's tie-break as the explanations use it.
func tieBreakName(lang string, d *allocation.Decision) string {
	return translate(lang, "explain.tiebreak."+string(d.TieBreak))
}

// ordinal writes a rank: "2.º" in Spanish, "2nd" in English.
func ordinal(lang string, n int) string {
	if lang != "en" {
		return strconv.Itoa(n) + ".º"
	}
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// formatDecimal writes an exact amount as the engine gives it ("1500",
// "12.5", "-3.25", or a fraction "10/3" where no finite decimal exists)
// with the language's separators: "1.500" and "12,5" in Spanish, "1,500"
// and "12.5" in English. A fraction is left as it is.
func formatDecimal(lang, s string) string {
	if s == "" || strings.Contains(s, "/") {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return s
	}
	out := formatInt(lang, n)
	if frac != "" {
		sep := ","
		if lang == "en" {
			sep = "."
		}
		out += sep + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
