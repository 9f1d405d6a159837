package demo

import (
	"context"
	"fmt"

	"github.com/comuna/comuna/internal/assemblies/federation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

// FederationSummary is what the demo federation holds.
type FederationSummary struct {
	ID      int64
	Name    string
	Members int
	// Codes are the credential codes of the congress's delegates, by name:
	// public, as every demo password is, so that anyone can vote on the
	// open election from a phone.
	Codes []DelegateCode
}

// DelegateCode is one delegate's credential.
type DelegateCode struct{ Name, Code string }

// demoStatutes is the statute the demo congress debates.
const demoStatutes = `# Título I. De la Unión
## Capítulo 1. Nombre y fines
### Artículo 1. Nombre
La Unión Comunal del Valle es la federación de comunas, consejos comunales y movimientos sociales del valle.
### Artículo 2. Fines
La Unión defiende el autogobierno comunal.
Coordina los planes de las comunas que la forman.
## Capítulo 2. Miembros
### Artículo 3. Ingreso
Ingresa a la Unión la organización que lo solicita y es admitida por la junta directiva.
# Título II. Órganos
### Artículo 4. Congreso
El congreso, formado por los delegados de cada organización miembro, es el órgano máximo de la Unión.
`

// loadFederation loads a small federation — a union of communes and
// movements — with a congress, a statute under amendment, a board elected
// by Meek STV with gender balance and alternates, and an open election
// for the delegates to vote on with their codes.
func loadFederation(ctx context.Context, fs federation.Store, by string) (*FederationSummary, error) {
	id, _, err := fs.FoundFederation(ctx, federation.Entry{Kind: federation.EvFound, Name: "Unión Comunal del Valle", AdmitBy: "board", By: by})
	if err != nil {
		return nil, err
	}
	do := func(e federation.Entry) (federation.Entry, error) {
		e.By = by
		_, out, err := fs.AppendFederation(ctx, id, e)
		if err != nil {
			return out, fmt.Errorf("%s: %w", e.Kind, err)
		}
		return out, nil
	}
	members := []struct {
		name, kind, date string
		quota            int
		admit            bool
	}{
		{"Comuna El Maizal", "commune", "2026-09-01", 3, true},
		{"Comuna Ataroa", "commune", "2026-09-01", 3, true},
		{"Consejo Comunal La Ceiba", "council", "2026-09-15", 1, true},
		{"Movimiento de Pobladoras y Pobladores", "movement", "2026-10-02", 2, true},
		{"Colectivo Cultural Tamunangue", "movement", "2026-11-20", 1, false},
	}
	for _, m := range members {
		e, err := do(federation.Entry{Kind: federation.EvApply, Name: m.name, OrgKind: m.kind, Quota: m.quota, Date: m.date})
		if err != nil {
			return nil, err
		}
		if m.admit {
			if _, err := do(federation.Entry{Kind: federation.EvDecide, Member: e.Member, Tally: federation.Tally{Yes: 5, No: 0, Abstain: 1}, Date: m.date}); err != nil {
				return nil, err
			}
		}
	}
	if _, err := do(federation.Entry{Kind: federation.EvCongress, Name: "Congreso fundacional", Date: "2026-12-01"}); err != nil {
		return nil, err
	}
	sum := &FederationSummary{ID: id, Name: "Unión Comunal del Valle", Members: 4}
	delegates := []struct {
		member int
		name   string
	}{{1, "Ana Rivas"}, {1, "Bruno Medina"}, {1, "Carmen Uzcátegui"}, {2, "Diego Pérez"}, {2, "Elena Torres"}, {2, "Félix Rangel"},
		{3, "Gabriela Mora"}, {4, "Héctor Salas"}, {4, "Isabel Duarte"}}
	for _, d := range delegates {
		_, _, code, err := fs.Accredit(ctx, id, federation.Entry{Kind: federation.EvAccredit, Congress: 1, Member: d.member, Name: d.name, By: by})
		if err != nil {
			return nil, fmt.Errorf("accredit %s: %w", d.name, err)
		}
		if _, _, err := fs.CheckInCode(ctx, id, 1, code, by); err != nil {
			return nil, err
		}
		sum.Codes = append(sum.Codes, DelegateCode{d.name, code})
	}
	steps := []federation.Entry{
		{Kind: federation.EvDocument, Congress: 1, OrgKind: "statutes", Name: "Estatutos de la Unión", Text: demoStatutes, Threshold: 3},
		{Kind: federation.EvAmend, Document: 1, Article: 2, Op: federation.OpReplace, Paragraph: 1, Text: "La Unión defiende el autogobierno comunal y los bienes comunes del valle.", Delegate: 2},
		{Kind: federation.EvSupport, Document: 1, Amendment: 1, Delegate: 4},
		{Kind: federation.EvSupport, Document: 1, Amendment: 1, Delegate: 8},
		{Kind: federation.EvVoteAmend, Document: 1, Amendment: 1, Tally: federation.Tally{Yes: 7, No: 1, Abstain: 1}},
		{Kind: federation.EvVoteArt, Document: 1, Article: 1, Tally: federation.Tally{Yes: 9}},
		{Kind: federation.EvVoteArt, Document: 1, Article: 2, Tally: federation.Tally{Yes: 8, No: 1}},
		// article 3 is under amendment: one amendment waits for support
		{Kind: federation.EvAmend, Document: 1, Article: 3, Op: federation.OpInsert, Paragraph: 2, Text: "El congreso decide la admisión cuando la junta no alcance acuerdo.", Delegate: 9},
		{Kind: federation.EvElection, Congress: 1, Name: "Junta directiva", Seats: 3, Rule: "meek-prf", MinPct: 40, Alternate: 2, Seed: "Acta del congreso fundacional, 2026-12-01"},
	}
	for _, e := range steps {
		if _, err := do(e); err != nil {
			return nil, err
		}
	}
	for _, c := range []struct{ name, group string }{{"Ana Rivas", "mujer"}, {"Bruno Medina", "hombre"}, {"Diego Pérez", "hombre"},
		{"Elena Torres", "mujer"}, {"Héctor Salas", "hombre"}, {"Isabel Duarte", "mujer"}} {
		if _, err := do(federation.Entry{Kind: federation.EvCandidate, Election: 1, Name: c.name, Group: c.group}); err != nil {
			return nil, err
		}
	}
	if _, err := do(federation.Entry{Kind: federation.EvOpen, Election: 1}); err != nil {
		return nil, err
	}
	// the men lead on first preferences; the balance gives a woman a seat
	ballots := [][]int{{1, 2, 4}, {2, 1, 4}, {4, 1, 2}, {1, 4, 0}, {2, 4, 1}, {0, 3, 5}, {3, 0}, {1, 2}, {5, 0, 3}}
	for i, b := range ballots {
		if err := fs.CastBallot(ctx, id, 1, sum.Codes[i].Code, b); err != nil {
			return nil, fmt.Errorf("demo ballot %d: %w", i+1, err)
		}
	}
	if _, err := fs.CloseElection(ctx, id, 1, by); err != nil {
		return nil, err
	}
	// an election still open, for the delegates' codes
	for _, e := range []federation.Entry{
		{Kind: federation.EvElection, Congress: 1, Name: "Vocería de comunicación", Seats: 1, Rule: "plurality"},
		{Kind: federation.EvCandidate, Election: 2, Name: "Carmen Uzcátegui"},
		{Kind: federation.EvCandidate, Election: 2, Name: "Félix Rangel"},
		{Kind: federation.EvOpen, Election: 2},
	} {
		if _, err := do(e); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

// loadDemoFederation loads the demo federation, run by admin.
func loadDemoFederation(ctx context.Context, st *sqlstore.DB, admin *comuna.User) (*FederationSummary, error) {
	if admin == nil {
		return nil, nil
	}
	sum, err := loadFederation(ctx, st, admin.Username)
	if err != nil {
		return nil, fmt.Errorf("demo federation: %w", err)
	}
	return sum, nil
}
