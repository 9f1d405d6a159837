package execution

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ocdsDir is the OCDS schema folder: the shared reference beside the
// repository when present, else the copy in testdata.
func ocdsDir(t *testing.T) string {
	if d := os.Getenv("COMUNA_REFERENCE_DIR"); d != "" {
		return filepath.Join(d, "ocds")
	}
	if _, err := os.Stat("../../../shared/ocds/release-schema.json"); err == nil {
		return "../../../shared/ocds"
	}
	t.Log("../shared/ocds is absent: validating against the copy in testdata/ocds")
	return "testdata/ocds"
}

func ocdsSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	dir := ocdsDir(t)
	c := jsonschema.NewCompiler()
	for name, url := range map[string]string{
		"release-schema.json":         "https://standard.open-contracting.org/schema/1__1__5/release-schema.json",
		"release-package-schema.json": "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	s, err := c.Compile("https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sampleProject() (Project, []Evidence) {
	p := Project{
		Round: 3, Circuit: "ZU-CC-0001", Proposal: 41, Title: "Rehabilitación del módulo de salud", Rank: 1,
		Executor:   "Consejo comunal Las Flores",
		Commitment: Commitment{Amount: 1000000, Currency: "USD", PaidIn: "VES", Rate: MustRate("36.5"), RateSource: "BCV", RateDate: day("2027-01-05")},
		Committed:  day("2027-01-05"),
		Window:     Window{Start: day("2027-01-10"), End: day("2027-06-30")},
		History: []StatusChange{
			{Seq: 1, Status: Committed, At: day("2027-01-05"), By: "fondo"},
			{Seq: 2, Status: Transferred, At: day("2027-01-20"), By: "fondo"},
		},
		Milestones: []Milestone{
			{ID: 1, Title: "Techo", Weight: 2, Status: Met, Planned: day("2027-02-01"), Met: day("2027-02-03")},
			{ID: 2, Title: "Pintura", Weight: 1, Status: Scheduled, Planned: day("2027-04-01")},
		},
		Payments: []Disbursement{
			{ID: 1, Date: day("2027-01-20"), Amount: 18250000, Currency: "VES", Rate: MustRate("36.5"), Payer: FederalFund, Payee: "CC Las Flores", Reference: "TX-1", RecordedBy: "fondo", ConfirmedBy: "finanzas"},
			{ID: 2, Date: day("2027-02-20"), Amount: 50000, Currency: "USD", Payer: Governorship, Payee: "CC Las Flores", Reference: "TX-2", RecordedBy: "fondo", ConfirmedBy: "finanzas"},
			{ID: 3, Date: day("2027-02-21"), Amount: 50000, Currency: "USD", Payer: Governorship, Payee: "CC Las Flores", Reference: "TX-3", RecordedBy: "fondo"},
		},
		Reviewed: -1,
	}
	ev := []Evidence{{ID: 1, Kind: Photo, Title: "Techo terminado", SHA256: strings.Repeat("ab", 32), MediaType: "image/jpeg", Size: 1000, Uploaded: day("2027-02-03")}}
	return p, ev
}

func TestReleaseValidatesAgainstOCDS(t *testing.T) {
	schema := ocdsSchema(t)
	p, ev := sampleProject()
	pub := Publisher{Name: "Comuna", URI: "https://comuna.example", Prefix: "ocds-comuna"}
	rel := Release(pub, p, ev, func(sha string) string { return "https://comuna.example/evidence/" + sha }, day("2027-03-01"))
	pkg := Package(pub, "https://comuna.example/ocds/3.json", time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC), []ReleaseJSON{rel})
	b, err := json.Marshal(pkg)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("the release package is not valid OCDS 1.1: %v\n%s", err, b)
	}
	impl := rel.Contracts[0].Implementation
	if got, want := len(impl.Transactions), 2; got != want {
		t.Errorf("transactions = %d, want %d (the unconfirmed payment is left out)", got, want)
	}
	if got, want := string(impl.Transactions[0].Value.Amount), "182500.00"; got != want {
		t.Errorf("first transaction amount = %s, want %s", got, want)
	}
	if got, want := impl.Milestones[0].Status, "met"; got != want {
		t.Errorf("milestone status = %s, want %s", got, want)
	}
	if got, want := impl.Documents[0].DocumentType, "illustration"; got != want {
		t.Errorf("photo documentType = %s, want %s", got, want)
	}

	// The schema is not a rubber stamp: a release with a status outside
	// the closed codelist fails.
	bad := strings.Replace(string(b), `"status":"active"`, `"status":"ongoing"`, 1)
	doc, _ = jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if err := schema.Validate(doc); err == nil {
		t.Errorf("a contract status outside the codelist validated")
	}
}
