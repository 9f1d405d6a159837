package execution

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// OCDS describes a funded project as an Open Contracting Data Standard 1.1
// release: the round's decision is the award, the commitment the contract,
// and what happened after — payments, milestones, evidence — its
// implementation. Progress and the runner-up, which OCDS has no field for,
// go in the contract's description.

// Publisher names who publishes a release package.
type Publisher struct {
	Name   string
	URI    string // the site's address, e.g. https://comuna.example
	Prefix string // the registered OCID prefix, e.g. ocds-a1b2c3
}

// PackageJSON is an OCDS release package.
type PackageJSON struct {
	URI           string        `json:"uri"`
	Version       string        `json:"version"`
	PublishedDate string        `json:"publishedDate"`
	Publisher     orgName       `json:"publisher"`
	Releases      []ReleaseJSON `json:"releases"`
}

type orgName struct {
	Name string `json:"name"`
	URI  string `json:"uri,omitempty"`
}

// ReleaseJSON is one OCDS release of a funded project.
type ReleaseJSON struct {
	OCID           string       `json:"ocid"`
	ID             string       `json:"id"`
	Date           string       `json:"date"`
	Tag            []string     `json:"tag"`
	InitiationType string       `json:"initiationType"`
	Language       string       `json:"language"`
	Parties        []partyJSON  `json:"parties"`
	Buyer          orgRef       `json:"buyer"`
	Awards         []awardJSON  `json:"awards"`
	Contracts      []contractJS `json:"contracts"`
}

type partyJSON struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

type orgRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type valueJSON struct {
	Amount   json.Number `json:"amount"`
	Currency string      `json:"currency"`
}

type awardJSON struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Status      string    `json:"status"`
	Date        string    `json:"date,omitempty"`
	Value       valueJSON `json:"value"`
	Suppliers   []orgRef  `json:"suppliers"`
}

type periodJSON struct {
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

type contractJS struct {
	ID             string         `json:"id"`
	AwardID        string         `json:"awardID"`
	Title          string         `json:"title"`
	Description    string         `json:"description,omitempty"`
	Status         string         `json:"status"`
	Period         *periodJSON    `json:"period,omitempty"`
	Value          valueJSON      `json:"value"`
	DateSigned     string         `json:"dateSigned,omitempty"`
	Implementation implementation `json:"implementation"`
}

type implementation struct {
	Transactions []transactionJSON `json:"transactions"`
	Milestones   []milestoneJSON   `json:"milestones"`
	Documents    []documentJSON    `json:"documents"`
}

type transactionJSON struct {
	ID    string    `json:"id"`
	Date  string    `json:"date"`
	Value valueJSON `json:"value"`
	Payer orgRef    `json:"payer"`
	Payee orgRef    `json:"payee"`
}

type milestoneJSON struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Type         string `json:"type"`
	Description  string `json:"description,omitempty"`
	DueDate      string `json:"dueDate,omitempty"`
	DateMet      string `json:"dateMet,omitempty"`
	DateModified string `json:"dateModified,omitempty"`
	Status       string `json:"status"`
}

type documentJSON struct {
	ID            string `json:"id"`
	DocumentType  string `json:"documentType"`
	Title         string `json:"title"`
	Description   string `json:"description,omitempty"`
	URL           string `json:"url"`
	DatePublished string `json:"datePublished"`
	Format        string `json:"format"`
}

func ocdsTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func ocdsValue(c comuna.Cents, cur string) valueJSON {
	return valueJSON{Amount: json.Number(c.Plain()), Currency: cur}
}

// contractStatus maps a project's status to OCDS's closed contractStatus
// codelist.
func contractStatus(s Status) string {
	switch s {
	case Completed:
		return "terminated"
	case Cancelled:
		return "cancelled"
	}
	return "active"
}

// payerNames names the payers as parties.
var payerNames = map[Payer]string{
	FederalFund:  "Fondo de Compensación Interterritorial",
	Governorship: "Gobernación",
	Municipality: "Alcaldía",
}

// OCID is the Open Contracting identifier of a funded project.
func OCID(prefix string, round, proposal int64) string {
	return fmt.Sprintf("%s-r%d-p%d", prefix, round, proposal)
}

// Release builds the OCDS release of a project as known on asOf. evidence
// lists its files; urlOf gives the public address of a file by its hash.
func Release(pub Publisher, p Project, evidence []Evidence, urlOf func(sha string) string, asOf time.Time) ReleaseJSON {
	ocid := OCID(pub.Prefix, p.Round, p.Proposal)
	sum := Summarize(p, asOf)
	executor := orgRef{ID: "executor-" + p.Circuit, Name: p.Executor}
	buyer := orgRef{ID: "fund", Name: payerNames[FederalFund]}
	parties := []partyJSON{{ID: buyer.ID, Name: buyer.Name, Roles: []string{"buyer", "payer"}}}
	seenPayer := map[Payer]bool{FederalFund: true}
	var txs []transactionJSON
	for _, d := range p.Payments {
		if !d.Confirmed() {
			continue // an unconfirmed payment is not yet a fact to publish
		}
		payer := orgRef{ID: string(d.Payer), Name: payerNames[d.Payer]}
		if d.Payer == FederalFund {
			payer = buyer
		} else if !seenPayer[d.Payer] {
			seenPayer[d.Payer] = true
			parties = append(parties, partyJSON{ID: payer.ID, Name: payer.Name, Roles: []string{"payer"}})
		}
		txs = append(txs, transactionJSON{
			ID:    fmt.Sprintf("%s/%s", d.Payer, d.Reference), // the bank's reference, unique per payer
			Date:  ocdsTime(d.Date),
			Value: ocdsValue(d.Amount, d.Currency),
			Payer: payer,
			Payee: executor,
		})
	}
	parties = append(parties, partyJSON{ID: executor.ID, Name: executor.Name, Roles: []string{"supplier", "payee"}})
	var ms []milestoneJSON
	for _, m := range p.Milestones {
		ms = append(ms, milestoneJSON{
			ID: fmt.Sprintf("%s-m-%d", ocid, m.ID), Title: m.Title, Type: "delivery",
			Description: m.Description, DueDate: ocdsTime(m.Planned), DateMet: ocdsTime(m.Met),
			DateModified: ocdsTime(m.Modified), Status: string(m.Status),
		})
	}
	var docs []documentJSON
	for _, e := range evidence {
		docs = append(docs, documentJSON{
			ID: fmt.Sprintf("%s-d-%d", ocid, e.ID), DocumentType: e.Kind.DocumentType(), Title: e.Title,
			Description: "SHA-256 " + e.SHA256, URL: urlOf(e.SHA256),
			DatePublished: ocdsTime(e.Uploaded), Format: e.MediaType,
		})
	}
	if txs == nil {
		txs = []transactionJSON{}
	}
	if ms == nil {
		ms = []milestoneJSON{}
	}
	if docs == nil {
		docs = []documentJSON{}
	}
	how := "funded by the consultation's decision"
	if p.Activated {
		how = "funded as the runner-up"
	}
	desc := fmt.Sprintf("Circuit %s, rank %d, %s. Status %s; physical progress %s %%, financial progress %s %%.",
		p.Circuit, p.Rank, how, sum.Status, sum.Physical, sum.Financial)
	award := awardJSON{
		ID: ocid + "-award", Title: p.Title, Description: desc, Status: "active",
		Date: ocdsTime(p.Committed), Value: ocdsValue(p.Commitment.Amount, p.Commitment.Currency),
		Suppliers: []orgRef{executor},
	}
	var period *periodJSON
	if !p.Window.Start.IsZero() || !p.Window.End.IsZero() {
		period = &periodJSON{StartDate: ocdsTime(p.Window.Start), EndDate: ocdsTime(p.Window.End)}
	}
	contract := contractJS{
		ID: ocid + "-contract", AwardID: award.ID, Title: p.Title, Description: desc,
		Status: contractStatus(sum.Status), Period: period,
		Value:          ocdsValue(p.Commitment.Amount, p.Commitment.Currency),
		DateSigned:     ocdsTime(p.Committed),
		Implementation: implementation{Transactions: txs, Milestones: ms, Documents: docs},
	}
	date := p.Committed
	for _, h := range p.History {
		if h.At.After(date) {
			date = h.At
		}
	}
	return ReleaseJSON{
		OCID: ocid, ID: fmt.Sprintf("%s-%d", ocid, len(p.History)+len(p.Payments)+len(p.Milestones)+len(evidence)),
		Date: ocdsTime(date), Tag: []string{"award", "contract", "implementation"},
		InitiationType: "tender", Language: "es", Parties: parties, Buyer: buyer,
		Awards: []awardJSON{award}, Contracts: []contractJS{contract},
	}
}

// Package wraps releases in an OCDS 1.1 release package.
func Package(pub Publisher, uri string, published time.Time, releases []ReleaseJSON) PackageJSON {
	if releases == nil {
		releases = []ReleaseJSON{}
	}
	return PackageJSON{URI: uri, Version: "1.1", PublishedDate: ocdsTime(published),
		Publisher: orgName{Name: pub.Name, URI: pub.URI}, Releases: releases}
}
