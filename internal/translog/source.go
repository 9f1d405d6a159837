package translog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/comuna/comuna/internal/comuna"
	"golang.org/x/mod/sumdb/tlog"
)

// Source is where a verifier reads a published log from. Paths are those
// served under /log/: "checkpoint", tlog tile paths ("tile/8/0/000") and
// "record/N".
type Source interface {
	// Checkpoint returns the latest signed checkpoint note.
	Checkpoint(ctx context.Context) ([]byte, error)
	// Tile returns the data of the tile at path, a tlog Tile.Path.
	Tile(ctx context.Context, path string) ([]byte, error)
	// Record returns record n; ENotFound if there is none.
	Record(ctx context.Context, n int64) ([]byte, error)
}

// HTTPSource reads a log published by a Comuna server at Base: it GETs
// Base/log/checkpoint, Base/log/tile/… and Base/log/record/N.
type HTTPSource struct {
	Base   string       // e.g. "https://comuna.example"; no trailing slash needed
	Client *http.Client // nil means http.DefaultClient
}

// Checkpoint implements Source.
func (s *HTTPSource) Checkpoint(ctx context.Context) ([]byte, error) {
	return s.get(ctx, "checkpoint", maxCheckpoint)
}

// Tile implements Source.
func (s *HTTPSource) Tile(ctx context.Context, path string) ([]byte, error) {
	if _, err := tlog.ParseTilePath(path); err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "bad tile path %q", path)
	}
	return s.get(ctx, path, 1<<TileHeight*tlog.HashSize)
}

// Record implements Source.
func (s *HTTPSource) Record(ctx context.Context, n int64) ([]byte, error) {
	return s.get(ctx, "record/"+strconv.FormatInt(n, 10), MaxRecordSize+1024)
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

// DirSource reads a log copied into a directory by Mirror, laid out with
// the same paths as the server: DIR/checkpoint, DIR/tile/…, DIR/record/N.
type DirSource string

// Checkpoint implements Source.
func (d DirSource) Checkpoint(ctx context.Context) ([]byte, error) {
	return d.read("checkpoint")
}

// Tile implements Source.
func (d DirSource) Tile(ctx context.Context, path string) ([]byte, error) {
	if _, err := tlog.ParseTilePath(path); err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "bad tile path %q", path)
	}
	return d.read(path)
}

// Record implements Source.
func (d DirSource) Record(ctx context.Context, n int64) ([]byte, error) {
	if n < 0 {
		return nil, comuna.Errorf(comuna.ENotFound, "no record %d", n)
	}
	return d.read("record/" + strconv.FormatInt(n, 10))
}

func (d DirSource) read(path string) ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(string(d), filepath.FromSlash(path)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, comuna.Errorf(comuna.ENotFound, "%s is missing from %s", path, string(d))
	}
	return data, err
}

// fetchers bounds how many tiles or records are fetched at once.
const fetchers = 16

// Mirror copies the log published by src into dir, for DirSource and
// offline verification: every tile of the current tree, every record, and
// the checkpoint, written last. It checks nothing; Verify does. It returns
// the number of records copied.
func Mirror(ctx context.Context, src Source, dir string) (int64, error) {
	msg, err := src.Checkpoint(ctx)
	if err != nil {
		return 0, fmt.Errorf("mirror: %w", err)
	}
	c, err := peekCheckpoint(msg)
	if err != nil {
		return 0, fmt.Errorf("mirror: %w", err)
	}
	n := c.Tree.N
	if n > maxRecords {
		return 0, comuna.Errorf(comuna.EInvalid, "mirror: the checkpoint claims %d records, more than a mirror copies", n)
	}
	tiles := tlog.NewTiles(TileHeight, 0, n)
	err = fetchAll(ctx, len(tiles), func(i int) error {
		p := tiles[i].Path()
		data, err := src.Tile(ctx, p)
		if err != nil {
			return err
		}
		return writeFile(dir, p, data)
	})
	if err == nil {
		err = fetchAll(ctx, int(n), func(i int) error {
			data, err := src.Record(ctx, int64(i))
			if err != nil {
				return err
			}
			return writeFile(dir, "record/"+strconv.Itoa(i), data)
		})
	}
	if err == nil {
		err = writeFile(dir, "checkpoint", msg)
	}
	if err != nil {
		return 0, fmt.Errorf("mirror: %w", err)
	}
	return n, nil
}

func writeFile(dir, path string, data []byte) error {
	name := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(name, data)
}

// fetchAll calls f(0) … f(n-1), up to fetchers at a time, and returns the
// error of the lowest index that failed.
func fetchAll(ctx context.Context, n int, f func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(fetchers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if errs[i] = f(i); errs[i] != nil {
					cancel()
				}
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}
