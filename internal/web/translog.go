package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
	"github.com/comuna/comuna/internal/translog"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// LogStore is the transparency log as the server reads it; the SQL store
// implements it. Records are appended by the store itself, in the
// transactions that accept sheets, publish ballots and change phases.
type LogStore interface {
	LogSize(ctx context.Context) (int64, error)
	LogCheckpoint(ctx context.Context, signer note.Signer) ([]byte, error)
	LogRecord(ctx context.Context, n int64) ([]byte, error)
	LogTile(ctx context.Context, path string) ([]byte, error)
	LogProveRecord(ctx context.Context, n, size int64) (tlog.RecordProof, error)
	LogProveTree(ctx context.Context, newSize, oldSize int64) (tlog.TreeProof, error)
	// LogKeys lists the published verifier keys, oldest first.
	LogKeys(ctx context.Context) ([]string, error)
	// CheckIntegrity compares a round's stored sheets and ballots with
	// their log records.
	CheckIntegrity(ctx context.Context, roundID int64) ([]record.Problem, error)
	// LogIndexOfSheet finds the record of a table's sheet version;
	// ENotFound if it is not in the log.
	LogIndexOfSheet(ctx context.Context, roundID int64, table string, version int) (int64, error)
}

// logStore returns the log, or EUnavailable when none is configured.
func (s *Server) logStore() (LogStore, error) {
	if s.tlog == nil {
		return nil, comuna.Errorf(comuna.EUnavailable, "the transparency log is not configured on this server")
	}
	return s.tlog, nil
}

// writeLog writes a log response as text. Immutable data (records, full
// tiles, proofs between fixed sizes) may be cached for a year; the rest
// must be fetched again.
func writeLog(w http.ResponseWriter, data []byte, contentType string, immutable bool) error {
	w.Header().Set("Content-Type", contentType)
	if immutable {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, err := w.Write(data)
	return err
}

const textPlain = "text/plain; charset=utf-8"

// logInt parses a non-negative decimal from the path or query; anything
// else is ENotFound for a path and EInvalid for a query.
func logInt(s, what string, code string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != s {
		return 0, comuna.Errorf(code, "%s %q is not a record count or index", what, s)
	}
	return n, nil
}

// logCheckpoint serves the latest signed checkpoint (a note).
func (s *Server) logCheckpoint(w http.ResponseWriter, r *http.Request) error {
	l, err := s.logStore()
	if err != nil {
		return err
	}
	if s.logSigner == nil {
		return comuna.Errorf(comuna.EUnavailable, "no log signing key is configured on this server")
	}
	msg, err := l.LogCheckpoint(r.Context(), s.logSigner)
	if err != nil {
		return err
	}
	return writeLog(w, msg, textPlain, false)
}

// logRecord serves record n, as logged (package record's bytes).
func (s *Server) logRecord(w http.ResponseWriter, r *http.Request) error {
	l, err := s.logStore()
	if err != nil {
		return err
	}
	n, err := logInt(r.PathValue("n"), "record", comuna.ENotFound)
	if err != nil {
		return err
	}
	data, err := l.LogRecord(r.Context(), n)
	if err != nil {
		return err
	}
	return writeLog(w, data, "application/octet-stream", true)
}

// logTile serves a tlog hash tile at its exact path, e.g.
// /log/tile/8/0/x001/234 or the partial /log/tile/8/0/001.p/5.
func (s *Server) logTile(w http.ResponseWriter, r *http.Request) error {
	l, err := s.logStore()
	if err != nil {
		return err
	}
	path := strings.TrimPrefix(r.URL.Path, "/log/")
	t, err := tlog.ParseTilePath(path)
	if err != nil || t.Path() != path {
		return comuna.Errorf(comuna.ENotFound, "no tile at /log/%s", path)
	}
	data, err := l.LogTile(r.Context(), path)
	if err != nil {
		return err
	}
	return writeLog(w, data, "application/octet-stream", t.W == 1<<t.H)
}

// logRecordProof serves the inclusion proof of record n in the tree of
// size records (default: the current size), one base64 hash per line.
func (s *Server) logRecordProof(w http.ResponseWriter, r *http.Request) error {
	l, err := s.logStore()
	if err != nil {
		return err
	}
	n, err := logInt(r.PathValue("n"), "record", comuna.ENotFound)
	if err != nil {
		return err
	}
	size, fixed, err := s.logSizeParam(r, l, "size")
	if err != nil {
		return err
	}
	p, err := l.LogProveRecord(r.Context(), n, size)
	if err != nil {
		return err
	}
	w.Header().Set("Comuna-Log-Size", strconv.FormatInt(size, 10))
	return writeLog(w, translog.FormatProof(p), textPlain, fixed)
}

// logTreeProof serves the consistency proof between the trees of old and
// new records (new defaults to the current size).
func (s *Server) logTreeProof(w http.ResponseWriter, r *http.Request) error {
	l, err := s.logStore()
	if err != nil {
		return err
	}
	old, err := logInt(r.URL.Query().Get("old"), "old", comuna.EInvalid)
	if err != nil {
		return err
	}
	size, fixed, err := s.logSizeParam(r, l, "new")
	if err != nil {
		return err
	}
	p, err := l.LogProveTree(r.Context(), size, old)
	if err != nil {
		return err
	}
	w.Header().Set("Comuna-Log-Size", strconv.FormatInt(size, 10))
	return writeLog(w, translog.FormatProof(p), textPlain, fixed)
}

// logSizeParam reads a tree size from the query, or the log's size when
// absent; fixed reports whether it was given.
func (s *Server) logSizeParam(r *http.Request, l LogStore, name string) (size int64, fixed bool, err error) {
	if v := r.URL.Query().Get(name); v != "" {
		size, err = logInt(v, name, comuna.EInvalid)
		return size, true, err
	}
	size, err = l.LogSize(r.Context())
	return size, false, err
}

// logKeys serves the published verifier keys, one per line, oldest first:
// the input of translog.ParseVerifierKeys and comuna verify.
func (s *Server) logKeys(w http.ResponseWriter, r *http.Request) error {
	l, err := s.logStore()
	if err != nil {
		return err
	}
	keys, err := l.LogKeys(r.Context())
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# Verifier keys of this transparency log, oldest first.\n")
	for _, k := range keys {
		b.WriteString(k + "\n")
	}
	return writeLog(w, []byte(b.String()), textPlain, false)
}

// integrityPage is the admin page comparing a round's stored sheets and
// ballots with the log.
type integrityPage struct {
	*Page
	Round    *comuna.Round
	Problems []record.Problem
	Keys     []string
}

// roundIntegrity checks a round's data against the log and lists every
// problem, naming the sheet or ballot.
func (s *Server) roundIntegrity(w http.ResponseWriter, r *http.Request) error {
	l, err := s.logStore()
	if err != nil {
		return err
	}
	round, err := s.loadRound(r)
	if err != nil {
		return err
	}
	ps, err := l.CheckIntegrity(r.Context(), round.ID)
	if err != nil {
		return err
	}
	p := &integrityPage{Page: s.page(r, "integrity.title", "rounds"), Round: round, Problems: ps}
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	if len(ps) > 0 {
		status = http.StatusConflict
	}
	return s.render(w, r, status, "integrity", p)
}

// roundLogKeys returns the verifier keys to show on a round's page; none
// when the log is not configured or not readable.
func (s *Server) roundLogKeys(r *http.Request) []string {
	if s.tlog == nil {
		return nil
	}
	keys, err := s.tlog.LogKeys(r.Context())
	if err != nil {
		s.log.Warn("log keys", "err", err)
		return nil
	}
	return keys
}

// logMessages are the catalogue's labels of the transparency log.
var logMessages = map[string][2]string{
	"integrity.title":    {"Integridad de los datos", "Data integrity"},
	"integrity.ok":       {"Cada acta aceptada y boleta publicada coincide con su registro en el registro público de transparencia.", "Every accepted tally sheet and published ballot matches its record in the public transparency log."},
	"integrity.problems": {"Datos que no coinciden con el registro público (%d):", "Data that does not match the public log (%d):"},
	"integrity.record":   {"registro %d", "record %d"},
	"round.logkeys":      {"Clave pública del registro de esta consulta", "Public key of this round's log"},
	"round.logkeyshelp":  {"Con ella cualquiera verifica las actas publicadas en /log/ (ver comuna verify).", "With it anyone can verify the tally sheets published under /log/ (see comuna verify)."},
	"round.integrity":    {"Comprobar la integridad", "Check integrity"},
}

func init() {
	for k, v := range logMessages {
		messages[k] = v
	}
}
