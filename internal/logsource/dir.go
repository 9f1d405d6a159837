package logsource

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// DirSource reads a log copied into a directory by Mirror, laid out with
// the same paths as the server: DIR/checkpoint, DIR/tile/…, DIR/record/N.
type DirSource string

var _ translog.Source = DirSource("")

// Checkpoint implements translog.Source.
func (d DirSource) Checkpoint(ctx context.Context) ([]byte, error) {
	return d.read("checkpoint")
}

// Tile implements translog.Source.
func (d DirSource) Tile(ctx context.Context, path string) ([]byte, error) {
	if _, err := tlog.ParseTilePath(path); err != nil {
		return nil, comuna.Errorf(comuna.EInvalid, "bad tile path %q", path)
	}
	return d.read(path)
}

// Record implements translog.Source.
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

// maxRecords bounds the records a mirror copies.
const maxRecords = 1 << 28

// Mirror copies the log published by src into dir, for DirSource and
// offline verification: every tile of the current tree, every record, and
// the checkpoint, written last. It checks nothing; translog.Verify does.
// It returns the number of records copied.
func Mirror(ctx context.Context, src translog.Source, dir string) (int64, error) {
	msg, err := src.Checkpoint(ctx)
	if err != nil {
		return 0, errorf("mirror", err)
	}
	c, err := translog.PeekCheckpoint(msg)
	if err != nil {
		return 0, errorf("mirror", err)
	}
	n := c.Tree.N
	if n > maxRecords {
		return 0, comuna.Errorf(comuna.EInvalid, "mirror: the checkpoint claims %d records, more than a mirror copies", n)
	}
	tiles := tlog.NewTiles(translog.TileHeight, 0, n)
	err = translog.FetchAll(ctx, len(tiles), func(i int) error {
		p := tiles[i].Path()
		data, err := src.Tile(ctx, p)
		if err != nil {
			return err
		}
		return writeFile(dir, p, data)
	})
	if err == nil {
		err = translog.FetchAll(ctx, int(n), func(i int) error {
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
		return 0, errorf("mirror", err)
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

// writeFileAtomic replaces path with data through a temporary file in
// the same directory, so that a crash never leaves half a file.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
