package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/assemblies/parliament"
	"github.com/comuna/comuna/internal/sqlstore"
)

// DecisionCount is the size of the register the search benchmark fills:
// the national register of at least 200,000 decisions.
const DecisionCount = 200_000

var (
	benchTopics  = []string{"agua", "vialidad", "electricidad", "salud", "educación", "ambiente", "muro de contención", "seguridad", "casa comunal", "deporte", "cultura", "alimentación", "transporte", "vivienda", "tubería", "alumbrado"}
	benchActions = []string{"Aprobar", "Rechazar", "Diferir", "Remitir", "Financiar", "Rendir cuentas de", "Evaluar", "Priorizar"}
	benchPlaces  = []string{"sector norte", "sector sur", "barrio La Ceiba", "la escuela", "el ambulatorio", "la cancha", "la quebrada", "el mercado"}
)

// BenchmarkDecisionSearch fills a register of DecisionCount decisions of
// two communes in two states and times searches of it: by word, by word
// prefix, by two words, by state, and the newest decisions.
func BenchmarkDecisionSearch(b *testing.B, db *sqlstore.DB) {
	ctx := context.Background()
	Seed(b, db)
	var ps parliament.Store = db
	var organs []*parliament.Organ
	var sessions []int64
	for _, c := range []string{"C1", "C2"} {
		o := &parliament.Organ{Kind: parliament.KindParliament, UnitCode: c, Name: "Parlamento " + c, Size: 20}
		if err := ps.CreateOrgan(ctx, o); err != nil {
			b.Fatal(err)
		}
		ss, err := ps.ScheduleSession(ctx, o.ID, time.Date(2026, 1, 7, 22, 0, 0, 0, time.UTC))
		if err != nil {
			b.Fatal(err)
		}
		organs, sessions = append(organs, o), append(sessions, ss.ID)
	}
	r := rand.New(rand.NewPCG(12, 0))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 20_000
	t0 := time.Now()
	for lo := 0; lo < DecisionCount; lo += batch {
		ds := make([]parliament.Decision, 0, batch)
		for i := lo; i < lo+batch; i++ {
			k := r.IntN(2)
			topic := benchTopics[r.IntN(len(benchTopics))]
			title := fmt.Sprintf("%s %s en %s", benchActions[r.IntN(len(benchActions))], topic, benchPlaces[r.IntN(len(benchPlaces))])
			text := fmt.Sprintf("Moción %d sobre %s y %s.", i, topic, benchTopics[r.IntN(len(benchTopics))])
			passed := r.IntN(3) > 0
			res := parliament.Result{Passed: passed, Majority: parliament.Simple, Totals: parliament.Totals{For: 10, Against: 5}}
			ds = append(ds, parliament.Decision{OrganID: organs[k].ID, SessionID: sessions[k], Vote: 1, Title: title, Text: text,
				Passed: passed, Result: res, Explanation: res.Explain("es"), DecidedAt: start.Add(time.Duration(i) * time.Minute)})
		}
		if err := db.ImportDecisions(ctx, ds); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("filled %d decisions in %s", DecisionCount, time.Since(t0).Round(time.Millisecond))
	cases := []struct {
		name string
		f    parliament.DecisionFilter
	}{
		{"newest", parliament.DecisionFilter{}},
		{"word", parliament.DecisionFilter{Query: "quebrada"}},
		{"prefix", parliament.DecisionFilter{Query: "elec"}},
		{"two-words", parliament.DecisionFilter{Query: "tubería ambulatorio"}},
		{"rare", parliament.DecisionFilter{Query: "199999"}},
		{"state", parliament.DecisionFilter{Unit: "S2"}},
		{"state-word", parliament.DecisionFilter{Unit: "S1", Query: "agua financiar"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				ds, err := ps.Decisions(ctx, c.f)
				if err != nil || len(ds) == 0 {
					b.Fatalf("Decisions(%+v) = %d, %v", c.f, len(ds), err)
				}
			}
		})
	}
}
