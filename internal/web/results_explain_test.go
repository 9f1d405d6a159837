package web

import (
	"strings"
	"testing"

	"github.com/comuna/comuna/internal/allocation"
	"github.com/comuna/comuna/internal/comuna"
)

// TestExplainBothLanguages decides one circuit by every rule and checks
// chosen sentences in Spanish and English, rendered from the engine's
// data; and that no Spanish sentence is the engine's English text.
func TestExplainBothLanguages(t *testing.T) {
	ps := []allocation.Project{{Number: 1, Cost: 2_000_000}, {Number: 2, Cost: 500_000}, {Number: 3, Cost: 800_000}, {Number: 4, Cost: 100_000}, {Number: 5, Cost: 300_000}}
	votes := []int64{30, 20, 20, 0, 1}
	base := allocation.Rules{RoundID: 1, VoteRule: comuna.RuleChooseOne, Winners: 2, Amount: 1_000_000, TieBreak: comuna.TieLottery, Seed: "s"}
	tests := []struct {
		alloc       comuna.Allocation
		number      int
		provisional bool
		es, en      string
	}{
		{comuna.Allocation{}, 1, false,
			"Financiado: 1.º de 5 por votos, con 30 votos, 10 votos más que el primer proyecto que quedó fuera. Recibe USD 10.000.",
			"Funded: ranked 1st of 5 with 30 votes, 10 votes ahead of the first project left out. It receives USD 10,000."},
		{comuna.Allocation{}, 3, true,
			"No financiado: 3.º de 5 por votos, con 20 votos, empatado con el último ganador y detrás por el sorteo de desempate. Provisional: faltan mesas por informar.",
			"Not funded: ranked 3rd of 5 with 20 votes, tied with the last winner and behind it by the lottery tie-break. Provisional: not every table has reported."},
		{comuna.Allocation{}, 5, false,
			"No financiado: 4.º de 5 por votos, con 1 voto, 19 votos menos que el último de los 2 ganadores.",
			"Not funded: ranked 4th of 5 with 1 vote, 19 votes behind the last of the 2 winners."},
		{comuna.Allocation{Rule: comuna.AllocGreedy, Budget: 1_500_000}, 1, false,
			"No financiado: cuando le tocó solo quedaban USD 15.000 del presupuesto y costaba USD 20.000; habría entrado con un costo de hasta USD 15.000.",
			"Not funded: when its turn came only USD 15,000 of the budget was left and it cost USD 20,000; it would have fit at a cost of at most USD 15,000."},
		{comuna.Allocation{Rule: comuna.AllocGreedy, Budget: 1_500_000}, 2, false,
			"Financiado, 1.º en el orden de más apoyo por costo: cuando le tocó quedaban USD 15.000 del presupuesto y costaba USD 5.000. Recibe USD 5.000.",
			"Funded, 1st in order of support per cost: when its turn came USD 15,000 of the budget was left and it cost USD 5,000. It receives USD 5,000."},
		{comuna.Allocation{Rule: comuna.AllocMES, Budget: 1_500_000}, 2, false,
			"No financiado: en la ronda 1, a quienes lo apoyan (20) solo les quedaban USD 4.109,58 para su costo de USD 5.000; habría seguido en carrera con un costo de hasta USD 4.109,58.",
			"Not funded: by round 1 its supporters (20) had only USD 4,109.58 left for its cost of USD 5,000; it could have stayed in the running only at a cost of at most USD 4,109.58."},
		{comuna.Allocation{Rule: comuna.AllocMES, Budget: 1_500_000, Fill: "greedy"}, 3, false,
			"Financiado, 2.º en la selección, al repartir de forma voraz lo que dejó MES: quedaban USD 10.000 y costaba USD 8.000. Recibe USD 8.000.",
			"Funded, 2nd in the selection, when what MES left was spent greedily: USD 10,000 was left and it cost USD 8,000. It receives USD 8,000."},
		{comuna.Allocation{Rule: comuna.AllocPhragmen, Budget: 1_500_000}, 1, false,
			"No financiado: cuesta USD 20.000, más que todo el presupuesto de USD 15.000.",
			"Not funded: it costs USD 20,000, more than the whole budget of USD 15,000."},
		{comuna.Allocation{Rule: comuna.AllocPhragmen, Budget: 1_500_000}, 5, false,
			"No financiado: era el siguiente, pero su costo de USD 3.000 superaba los USD 2.000 que quedaban, así que la regla se detuvo aquí.",
			"Not funded: it was next in line, but its cost of USD 3,000 exceeded the USD 2,000 left, so the rule stopped here."},
	}
	for _, tt := range tests {
		r := base
		r.Allocation = tt.alloc
		d, err := allocation.Decide(&allocation.Circuit{Rules: r, Code: "C", Projects: ps, Votes: votes, Blank: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range d.Projects {
			es, en := explain("es", d, e, tt.provisional, "USD"), explain("en", d, e, tt.provisional, "USD")
			if es == en || strings.Contains(es, e.Text) || strings.Contains(es, "Not ") || strings.Contains(es, "funded") {
				t.Errorf("%s No. %d: Spanish %q reads English (engine: %q)", d.Rule, e.Number, es, e.Text)
			}
			if e.Number != tt.number {
				continue
			}
			if es != tt.es {
				t.Errorf("%s No. %d in Spanish:\n got %q\nwant %q", d.Rule, e.Number, es, tt.es)
			}
			if en != tt.en {
				t.Errorf("%s No. %d in English:\n got %q\nwant %q", d.Rule, e.Number, en, tt.en)
			}
		}
	}
}

func TestFormatDecimal(t *testing.T) {
	tests := []struct{ lang, in, want string }{
		{"es", "1500", "1.500"}, {"en", "1500", "1,500"}, {"es", "1234567.25", "1.234.567,25"}, {"en", "12.5", "12.5"},
		{"es", "-3.25", "-3,25"}, {"es", "10/3", "10/3"}, {"en", "", ""},
	}
	for _, tt := range tests {
		if got := formatDecimal(tt.lang, tt.in); got != tt.want {
			t.Errorf("formatDecimal(%s, %q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
	for in, want := range map[string]string{"15000.00": "15000", "12.5": "12.50", "205.47": "205.47", "1.333": "1.333", "7": "7"} {
		if got := moneyDecimal(in); got != want {
			t.Errorf("moneyDecimal(%q) = %q, want %q", in, got, want)
		}
	}
}
