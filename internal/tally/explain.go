package tally

import (
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// explain writes each ranked project's sentences. out is in rank order,
// seats is the number of projects a circuit funds and funded the number
// that won. All sentences of a circuit are written into one buffer and
// become one string that each field slices: a national results page
// explains some 37,000 projects at a time.
func explain(out []Ranked, seats, funded int, tb comuna.TieBreak) {
	tbEN, tbES := tieBreakNames(tb)
	var last int64 // votes of the last funded project
	if funded > 0 {
		last = out[funded-1].Votes
	}
	var enBuf, esBuf [256]byte
	en, es := enBuf[:0], esBuf[:0]
	var all strings.Builder // its String does not copy
	all.Grow(180 * len(out))
	ends := make([]int, 0, 2*len(out))
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && out[j].Votes == out[i].Votes {
			j++
		}
		run := out[i:j]
		crosses := run[0].Won != run[len(run)-1].Won
		for k := range run {
			r := &run[k]
			en = appendOrdinalEN(en[:0], r.Rank)
			es = append(strconv.AppendInt(es[:0], int64(r.Rank), 10), ".º"...)
			if r.Votes == 0 {
				en = append(en, " with no votes"...)
				es = append(es, " sin votos"...)
			} else {
				en = appendPlural(append(en, " with "...), r.Votes, "vote", "votes")
				es = appendPlural(append(es, " con "...), r.Votes, "voto", "votos")
			}
			if r.TieBroken {
				en = appendOthersEN(append(en, ", tied with "...), run, k)
				es = appendOthersES(append(es, ", empatado con "...), run, k)
			}
			switch {
			case r.Won && crosses:
				en = append(append(append(en, "; funded by "...), tbEN...), '.')
				es = append(append(append(es, "; financiado por "...), tbES...), '.')
			case r.Won && r.TieBroken:
				en = append(append(append(en, " (order by "...), tbEN...), "); funded."...)
				es = append(append(append(es, " (orden por "...), tbES...), "); financiado."...)
			case r.Won:
				en = append(en, "; funded."...)
				es = append(es, "; financiado."...)
			case crosses:
				en = append(append(append(en, "; not funded: placed after the last funded project by "...), tbEN...), '.')
				es = append(append(append(es, "; no financiado: quedó detrás del último proyecto financiado por "...), tbES...), '.')
			case r.Rank <= seats: // within the seats but not funded: no votes
				en = append(en, "; not funded: a project needs at least one vote."...)
				es = append(es, "; no financiado: un proyecto necesita al menos un voto."...)
			case funded > 0:
				en = append(appendPlural(append(en, ", "...), last-r.Votes, "vote", "votes"), " short of the last funded project."...)
				es = append(appendPlural(append(es, ", "...), last-r.Votes, "voto", "votos"), " menos que el último proyecto financiado."...)
			default:
				en = append(en, '.')
				es = append(es, '.')
			}
			if r.Provisional {
				en = append(en, " Provisional: not every table has reported."...)
				es = append(es, " Provisional: faltan mesas por informar."...)
			}
			all.Write(en)
			ends = append(ends, all.Len())
			all.Write(es)
			ends = append(ends, all.Len())
		}
		i = j
	}
	text, start := all.String(), 0
	for i := range out {
		out[i].English = text[start:ends[2*i]]
		out[i].Spanish = text[ends[2*i]:ends[2*i+1]]
		start = ends[2*i+1]
	}
}

func tieBreakNames(tb comuna.TieBreak) (en, es string) {
	switch tb {
	case comuna.TieLowerCost:
		return "the lower-cost tie-break", "el desempate por menor costo"
	case comuna.TieBallotNumber:
		return "the ballot-number tie-break", "el desempate por número en la papeleta"
	}
	return "the lottery tie-break", "el sorteo de desempate"
}

// appendPlural writes n with the singular or plural noun.
func appendPlural(b []byte, n int64, one, many string) []byte {
	b = append(strconv.AppendInt(b, n, 10), ' ')
	if n == 1 {
		return append(b, one...)
	}
	return append(b, many...)
}

// appendOrdinalEN writes 1st, 2nd, 3rd, 4th, 11th, 21st, 112th.
func appendOrdinalEN(b []byte, n int) []byte {
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
	return append(strconv.AppendInt(b, int64(n), 10), suffix...)
}

// appendOthersEN lists the projects of run other than run[k]: "No. 3",
// "No. 3 and No. 5", "No. 3, No. 5 and No. 6".
func appendOthersEN(b []byte, run []Ranked, k int) []byte {
	return appendList(b, run, k, "No. ", " and ")
}

// appendOthersES lists them in Spanish: "el n.º 3", "los n.º 3 y 5".
func appendOthersES(b []byte, run []Ranked, k int) []byte {
	if len(run) == 2 {
		return appendList(append(b, "el n.º "...), run, k, "", " y ")
	}
	return appendList(append(b, "los n.º "...), run, k, "", " y ")
}

// appendList writes the numbers of run except run[k], each after prefix,
// separated by commas and and before the last.
func appendList(b []byte, run []Ranked, k int, prefix, and string) []byte {
	n := len(run) - 1 // items to write
	written := 0
	for i, r := range run {
		if i == k {
			continue
		}
		switch {
		case written == 0:
		case written == n-1:
			b = append(b, and...)
		default:
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(append(b, prefix...), int64(r.Number), 10)
		written++
	}
	return b
}
