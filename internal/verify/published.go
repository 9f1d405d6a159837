package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

// Results is where a verifier reads the results a server published.
type Results interface {
	// Nation returns a round's national results; ENotFound if none are
	// published.
	Nation(ctx context.Context, roundID int64) (*Node, error)
	// Circuit returns a circuit's results with its tables; ENotFound if
	// none are published.
	Circuit(ctx context.Context, roundID int64, code string) (*Circuit, error)
}

// Node is the part of a published results node the verifier compares, as
// the JSON API gives it.
type Node struct {
	Level    string    `json:"level"`
	Code     string    `json:"code"`
	Cast     int64     `json:"cast"`
	Valid    int64     `json:"valid"`
	Blank    int64     `json:"blank"`
	Null     int64     `json:"null"`
	Votes    []int64   `json:"votes"`    // a table's, by ballot number
	Projects []Project `json:"projects"` // a circuit's, in ballot order
	// Decision is what a circuit funds, once a table has reported.
	Decision *Decision `json:"decision"`
}

// Decision is a circuit's published decision: the funded projects in the
// order the round's rule chose them.
type Decision struct {
	Funded []Funded `json:"funded"`
}

// Funded is a published funded project and the amount it receives, a
// decimal of the currency unit as the API writes money.
type Funded struct {
	Number int    `json:"number"`
	Amount string `json:"amount"`
}

// Project is a published project's votes and whether it won.
type Project struct {
	Number int   `json:"number"`
	Votes  int64 `json:"votes"`
	Won    bool  `json:"won"`
}

// Circuit is a circuit's published results and its tables'.
type Circuit struct {
	Node     Node   `json:"node"`
	Children []Node `json:"children"`
}

// HTTPResults reads published results from a Comuna server's JSON API:
// GET Base/api/v1/rounds/{id}/results and
// Base/api/v1/rounds/{id}/results/circuit/{code}. With Mirror set it also
// writes each answer under Mirror/results/ for DirResults.
type HTTPResults struct {
	Base   string
	Client *http.Client // nil means http.DefaultClient
	Mirror string
}

// Nation implements Results.
func (h *HTTPResults) Nation(ctx context.Context, roundID int64) (*Node, error) {
	var v struct {
		Nation *Node `json:"nation"`
	}
	path := fmt.Sprintf("/api/v1/rounds/%d/results", roundID)
	if err := h.get(ctx, path, nationFile(roundID), &v); err != nil {
		return nil, err
	}
	if v.Nation == nil {
		return nil, comuna.Errorf(comuna.EInvalid, "GET %s: no nation in the answer", path)
	}
	return v.Nation, nil
}

// Circuit implements Results.
func (h *HTTPResults) Circuit(ctx context.Context, roundID int64, code string) (*Circuit, error) {
	var c Circuit
	path := fmt.Sprintf("/api/v1/rounds/%d/results/circuit/%s", roundID, url.PathEscape(code))
	if err := h.get(ctx, path, circuitFile(roundID, code), &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// maxResults bounds one results answer.
const maxResults = 16 << 20

func (h *HTTPResults) get(ctx context.Context, path, file string, v any) error {
	data, err := h.GetRaw(ctx, path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return comuna.Errorf(comuna.EInvalid, "GET %s: %v", path, err)
	}
	if h.Mirror != "" {
		name := filepath.Join(h.Mirror, filepath.FromSlash(file))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// GetRaw returns the body of GET Base+path, such as "/log/keys"; a 404 is
// ENotFound, another failure EUnavailable.
func (h *HTTPResults) GetRaw(ctx context.Context, path string) ([]byte, error) {
	u := strings.TrimRight(h.Base, "/") + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "bad URL %q: %v", u, err)
	}
	req.Header.Set("Accept", "application/json")
	c := h.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, comuna.Errorf(comuna.ENotFound, "GET %s: not found", u)
	case resp.StatusCode != http.StatusOK:
		return nil, comuna.Errorf(comuna.EUnavailable, "GET %s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResults+1))
	if err != nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "GET %s: %v", u, err)
	}
	if len(data) > maxResults {
		return nil, comuna.Errorf(comuna.EInvalid, "GET %s: answer longer than %d bytes", u, maxResults)
	}
	return data, nil
}

// DirResults reads results mirrored by HTTPResults into a directory:
// DIR/results/{round}/nation.json and DIR/results/{round}/circuit/{code}.json,
// the JSON API's answers as they were.
type DirResults string

// Nation implements Results.
func (d DirResults) Nation(ctx context.Context, roundID int64) (*Node, error) {
	var v struct {
		Nation *Node `json:"nation"`
	}
	if err := d.read(nationFile(roundID), &v); err != nil {
		return nil, err
	}
	if v.Nation == nil {
		return nil, comuna.Errorf(comuna.EInvalid, "%s: no nation in the file", nationFile(roundID))
	}
	return v.Nation, nil
}

// Circuit implements Results.
func (d DirResults) Circuit(ctx context.Context, roundID int64, code string) (*Circuit, error) {
	var c Circuit
	if err := d.read(circuitFile(roundID, code), &c); err != nil {
		return nil, err
	}
	return &c, nil
}

func (d DirResults) read(file string, v any) error {
	data, err := os.ReadFile(filepath.Join(string(d), filepath.FromSlash(file)))
	if errors.Is(err, os.ErrNotExist) {
		return comuna.Errorf(comuna.ENotFound, "%s is missing from %s", file, string(d))
	} else if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return comuna.Errorf(comuna.EInvalid, "%s: %v", file, err)
	}
	return nil
}

func nationFile(roundID int64) string {
	return "results/" + strconv.FormatInt(roundID, 10) + "/nation.json"
}

// circuitFile names a circuit's file; codes with a slash or a leading dot
// are escaped so that no code can leave the directory.
func circuitFile(roundID int64, code string) string {
	if strings.ContainsAny(code, `/\`) || strings.HasPrefix(code, ".") {
		code = "_" + url.PathEscape(code)
	}
	return "results/" + strconv.FormatInt(roundID, 10) + "/circuit/" + code + ".json"
}
