package record

import (
	"reflect"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/assemblies/federation"
)

func TestFederationRoundTrip(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, x := range []*Federation{
		{FederationID: 1, Entry: federation.Entry{Seq: 1, Kind: federation.EvFound, At: at, By: "ana", Name: "Unión \"del\" Valle", AdmitBy: "board"}},
		{FederationID: 1, Entry: federation.Entry{Seq: 7, Kind: federation.EvAmend, At: at, By: "ana", Document: 1, Article: 2, Op: "replace", Paragraph: 1, Text: "Nuevo texto\ncon salto", Delegate: 3}},
		{FederationID: 1, Entry: federation.Entry{Seq: 10, Kind: federation.EvVoteDoc, At: at, By: "ana", Document: 1, Tally: federation.Tally{Yes: 40}},
			Approved: "### Artículo 1\nTexto.\n"},
		{FederationID: 1, Entry: federation.Entry{Seq: 8, Kind: federation.EvVoteArt, At: at, By: "ana", Document: 1, Article: 2, Tally: federation.Tally{Yes: 40, No: 3, Abstain: 2}}},
		{FederationID: 2, Entry: federation.Entry{Seq: 9, Kind: federation.EvClose, At: at, By: "ana", Election: 1, Quota: 3, Ballots: [][]int{{}, {0, 2}, {1}}},
			Quota: "1.000000001", Elected: []string{"Ana", "Beto"}, Alternates: []string{"Carla"}},
	} {
		data, err := Encode(x)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", x.Entry.Kind, err, x.Body())
		}
		if !reflect.DeepEqual(got, x) {
			t.Errorf("round trip\n got %+v\nwant %+v", got, x)
		}
	}
	// a zero field written out is not canonical
	body := []byte("comuna federation v1\nfederation_id 1\nseq 1\nentry \"found\"\nat 2026-12-01T10:00:00.000Z\nby \"a\"\nmember 0\n")
	if _, err := ParseFederation(body); err == nil {
		t.Errorf("non-canonical body accepted")
	}
	if _, err := ParseFederation([]byte("comuna federation v1\nfederation_id 1\nseq 1\nentry \"party\"\nat 2026-12-01T10:00:00.000Z\nby \"a\"\n")); err == nil {
		t.Errorf("unknown entry accepted")
	}
}
