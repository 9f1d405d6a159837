package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/comuna/comuna/internal/comuna"
)

//go:embed static
var staticFS embed.FS

type asset struct {
	hash  string
	body  []byte
	ctype string
}

// assets are the embedded static files with a hash of their content, put
// in their URLs so browsers may cache them for a year.
type assets struct {
	byName map[string]*asset
}

func loadAssets() (*assets, error) {
	a := &assets{byName: make(map[string]*asset)}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.byName[path.Base(p)] = &asset{hash: hex.EncodeToString(sum[:6]), body: body, ctype: ctype}
		return nil
	})
	return a, err
}

// url returns the content-hashed URL of a static file.
func (a *assets) url(name string) string {
	if f, ok := a.byName[name]; ok {
		return "/static/" + f.hash + "/" + name
	}
	return "/static/missing/" + name
}

// static serves an embedded file: cached for a year under its current
// hash, briefly under a stale one.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	f, ok := s.assets.byName[r.PathValue("name")]
	if !ok {
		return comuna.Errorf(comuna.ENotFound, "no static file %q", r.PathValue("name"))
	}
	if r.PathValue("hash") == f.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("ETag", `"`+f.hash+`"`)
	if r.Header.Get("If-None-Match") == `"`+f.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, _ = w.Write(f.body)
	return nil
}
