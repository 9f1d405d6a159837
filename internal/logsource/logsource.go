// Package logsource reads a published transparency log from outside the
// process: a Comuna server over HTTP (HTTPSource), or a copy of it in a
// directory (DirSource, written by Mirror). It also keeps the checkpoint
// a verifier saw last in a file (VerifySaved), so that a later run
// against a rolled-back or forked log fails.
//
// The tree, checkpoint and record formats and their verification stay in
// internal/translog, which does no I/O of its own; this package is where
// the network and the file system come in.
package logsource

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// HTTPSource reads a log published by a Comuna server at Base: it GETs
// Base/log/checkpoint, Base/log/tile/… and Base/log/record/N.
type HTTPSource struct {
	Base   string       // e.g. "https://comuna.example"; no trailing slash needed
	Client *http.Client // nil means http.DefaultClient
}

var _ translog.Source = (*HTTPSource)(nil)

// Checkpoint implements translog.Source.
func (s *HTTPSource) Checkpoint(ctx context.Context) ([]byte, error) {
	return s.get(ctx, "checkpoint", translog.MaxCheckpointSize)
}

// Tile implements translog.Source.
func (s *HTTPSource) Tile(ctx context.Context, path string) ([]byte, error) {
	if _, err := tlog.ParseTilePath(path); err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "bad tile path %q", path)
	}
	return s.get(ctx, path, 1<<translog.TileHeight*tlog.HashSize)
}

// Record implements translog.Source.
func (s *HTTPSource) Record(ctx context.Context, n int64) ([]byte, error) {
	return s.get(ctx, "record/"+strconv.FormatInt(n, 10), translog.MaxRecordSize+1024)
}

func (s *HTTPSource) get(ctx context.Context, path string, limit int64) ([]byte, error) {
	url := strings.TrimRight(s.Base, "/") + "/log/" + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "bad log URL %q: %v", url, err)
	}
	c := s.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, comuna.Errorf(comuna.ENotFound, "GET %s: not found", url)
	case resp.StatusCode != http.StatusOK:
		return nil, comuna.Errorf(comuna.EUnavailable, "GET %s: %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "GET %s: %v", url, err)
	}
	if int64(len(data)) > limit {
		return nil, comuna.Errorf(comuna.EInvalid, "GET %s: response longer than %d bytes", url, limit)
	}
	return data, nil
}

// errorf wraps err with the operation that failed.
func errorf(op string, err error) error { return fmt.Errorf("%s: %w", op, err) }
