package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/assemblies/federation"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/record"
)

var _ federation.Store = (*DB)(nil)

// FoundFederation starts a federation with its founding entry.
func (db *DB) FoundFederation(ctx context.Context, e federation.Entry) (int64, *federation.Federation, error) {
	const op = "found federation"
	if e.Kind != federation.EvFound {
		return 0, nil, fmt.Errorf("%s: %w", op, comuna.Errorf(comuna.EInvalid, "a federation starts with its founding"))
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	f := &federation.Federation{}
	if e.At.IsZero() {
		e.At = tx.now
	}
	if _, err := federation.Apply(&federation.Federation{}, e); err != nil {
		return 0, nil, fmt.Errorf("%s: %w", op, err)
	}
	var id int64
	if err := tx.get(ctx, "INSERT INTO federations (name, created) VALUES (?, ?) RETURNING id", []any{e.Name, ms(tx.now)}, &id); err != nil {
		return 0, nil, fmt.Errorf("%s: %w", op, err)
	}
	if _, err := appendFederation(ctx, tx, id, f, e); err != nil {
		return 0, nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return 0, nil, fmt.Errorf("%s: %w", op, err)
	}
	return id, f, nil
}

// appendFederation applies e to f, then stores it with its log record.
func appendFederation(ctx context.Context, tx *Tx, id int64, f *federation.Federation, e federation.Entry) (federation.Entry, error) {
	if e.At.IsZero() {
		e.At = tx.now
	}
	e, err := federation.Apply(f, e)
	if err != nil {
		return e, err
	}
	rec := &record.Federation{FederationID: id, Entry: e}
	if e.Kind == federation.EvClose {
		r := f.Election(e.Election).Result
		rec.Quota, rec.Elected, rec.Alternates = r.Quota, r.Elected, r.Alternates
	}
	if d := f.Document(e.Document); e.Kind == federation.EvVoteDoc && d.Status == "approved" {
		rec.Approved = d.Versions[len(d.Versions)-1].Text
	}
	idx, err := appendLog(ctx, tx, rec)
	if err != nil {
		return e, err
	}
	if _, err := tx.exec(ctx, "INSERT INTO federation_entries (federation_id, seq, kind, body, log_index) VALUES (?, ?, ?, ?, ?)",
		id, e.Seq, string(e.Kind), string(rec.Body()), idx); err != nil {
		return e, err
	}
	return e, nil
}

func federationEntries(ctx context.Context, tx *Tx, id int64) ([]federation.Entry, error) {
	rows, err := tx.query(ctx, "SELECT body FROM federation_entries WHERE federation_id = ? ORDER BY seq", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []federation.Entry
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		rec, err := record.ParseFederation([]byte(body))
		if err != nil {
			return nil, err
		}
		out = append(out, rec.Entry)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, comuna.Errorf(comuna.ENotFound, "no federation %d", id)
	}
	return out, nil
}

func loadFederation(ctx context.Context, tx *Tx, id int64) (*federation.Federation, error) {
	entries, err := federationEntries(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return federation.Replay(entries)
}

// Federation replays federation id.
func (db *DB) Federation(ctx context.Context, id int64) (*federation.Federation, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("federation: %w", err)
	}
	defer tx.rollback()
	f, err := loadFederation(ctx, tx, id)
	if err != nil {
		return nil, fmt.Errorf("federation: %w", err)
	}
	return f, nil
}

// FederationEntries returns federation id's entries in order.
func (db *DB) FederationEntries(ctx context.Context, id int64) ([]federation.Entry, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("federation entries: %w", err)
	}
	defer tx.rollback()
	es, err := federationEntries(ctx, tx, id)
	if err != nil {
		return nil, fmt.Errorf("federation entries: %w", err)
	}
	return es, nil
}

// Federations lists every federation.
func (db *DB) Federations(ctx context.Context) ([]federation.Summary, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("federations: %w", err)
	}
	defer tx.rollback()
	rows, err := tx.query(ctx, "SELECT id FROM federations ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("federations: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("federations: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := []federation.Summary{}
	for _, id := range ids {
		f, err := loadFederation(ctx, tx, id)
		if err != nil {
			return nil, fmt.Errorf("federations: %w", err)
		}
		s := federation.Summary{ID: id, Name: f.Name, Entries: f.Seq}
		for _, m := range f.Members {
			if m.Status == federation.Admitted {
				s.Members++
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// withFederation runs fn on federation id in a write transaction.
func (db *DB) withFederation(ctx context.Context, op string, id int64, fn func(tx *Tx, f *federation.Federation) error) (*federation.Federation, error) {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer tx.rollback()
	f, err := loadFederation(ctx, tx, id)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := fn(tx, f); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return f, nil
}

// AppendFederation applies e to federation id and stores it.
func (db *DB) AppendFederation(ctx context.Context, id int64, e federation.Entry) (*federation.Federation, federation.Entry, error) {
	switch e.Kind {
	case federation.EvAccredit, federation.EvCheckIn, federation.EvClose, federation.EvFound:
		return nil, e, fmt.Errorf("append federation entry: %w", comuna.Errorf(comuna.EInvalid, "%s entries have their own operation", e.Kind))
	}
	var out federation.Entry
	f, err := db.withFederation(ctx, "append federation entry", id, func(tx *Tx, f *federation.Federation) error {
		var err error
		out, err = appendFederation(ctx, tx, id, f, e)
		return err
	})
	return f, out, err
}

// credentialAlphabet leaves out letters and digits read alike.
const credentialAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func newCredentialCode() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	var s strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(credentialAlphabet[int(x)%len(credentialAlphabet)])
	}
	return s.String()
}

func credentialHash(id int64, code string) string {
	code = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(code), " ", ""))
	h := sha256.Sum256([]byte(strconv.FormatInt(id, 10) + ":" + code))
	return hex.EncodeToString(h[:])
}

// Accredit accredits a delegate and returns its credential code.
func (db *DB) Accredit(ctx context.Context, id int64, e federation.Entry) (*federation.Federation, federation.Entry, string, error) {
	if e.Kind != federation.EvAccredit {
		return nil, e, "", fmt.Errorf("accredit: %w", comuna.Errorf(comuna.EInvalid, "not an accreditation"))
	}
	code := newCredentialCode()
	var out federation.Entry
	f, err := db.withFederation(ctx, "accredit", id, func(tx *Tx, f *federation.Federation) error {
		var err error
		if out, err = appendFederation(ctx, tx, id, f, e); err != nil {
			return err
		}
		_, err = tx.exec(ctx, "INSERT INTO federation_credentials (federation_id, congress, delegate, code_hash) VALUES (?, ?, ?, ?)",
			id, out.Congress, out.Delegate, credentialHash(id, code))
		return err
	})
	if err != nil {
		return nil, out, "", err
	}
	return f, out, code, nil
}

// delegateByCode finds the delegate of congress holding code.
func delegateByCode(ctx context.Context, tx *Tx, id int64, congress int, code string) (int, error) {
	var d, c int
	err := tx.get(ctx, "SELECT congress, delegate FROM federation_credentials WHERE code_hash = ?", []any{credentialHash(id, code)}, &c, &d)
	if err == sql.ErrNoRows || err == nil && c != congress {
		return 0, comuna.FieldError("code", "no delegate of this congress holds that credential code")
	}
	return d, err
}

// CheckInCode checks in the delegate holding code.
func (db *DB) CheckInCode(ctx context.Context, id int64, congress int, code, by string) (*federation.Federation, *federation.Delegate, error) {
	var del int
	f, err := db.withFederation(ctx, "check in", id, func(tx *Tx, f *federation.Federation) error {
		var err error
		if del, err = delegateByCode(ctx, tx, id, congress, code); err != nil {
			return err
		}
		_, err = appendFederation(ctx, tx, id, f, federation.Entry{Kind: federation.EvCheckIn, Congress: congress, Delegate: del, By: by})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return f, f.Congress(congress).Delegate(del), nil
}

func formatRanking(r []int) string {
	s := make([]string, len(r))
	for i, c := range r {
		s[i] = strconv.Itoa(c)
	}
	return strings.Join(s, " ")
}

func parseRanking(s string) ([]int, error) {
	out := []int{}
	for _, f := range strings.Fields(s) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("stored ballot %q: %w", s, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// CastBallot records a delegate's ballot without identity.
func (db *DB) CastBallot(ctx context.Context, id int64, election int, code string, ranking []int) error {
	_, err := db.withFederation(ctx, "cast ballot", id, func(tx *Tx, f *federation.Federation) error {
		el := f.Election(election)
		if el == nil {
			return comuna.Errorf(comuna.ENotFound, "no election %d", election)
		}
		del, err := delegateByCode(ctx, tx, id, el.Congress, code)
		if err != nil {
			return err
		}
		if _, err := f.CheckVoter(election, del); err != nil {
			return err
		}
		if err := el.CheckBallot(ranking); err != nil {
			return err
		}
		var n int
		if err := tx.get(ctx, "SELECT COUNT(*) FROM federation_participation WHERE federation_id = ? AND election = ? AND delegate = ?",
			[]any{id, election, del}, &n); err != nil {
			return err
		}
		if n > 0 {
			return comuna.Errorf(comuna.EConflict, "this delegate has cast a ballot in this election already")
		}
		if _, err := tx.exec(ctx, "INSERT INTO federation_participation (federation_id, election, delegate) VALUES (?, ?, ?)", id, election, del); err != nil {
			return err
		}
		var tok [16]byte
		if _, err := rand.Read(tok[:]); err != nil {
			return err
		}
		_, err = tx.exec(ctx, "INSERT INTO federation_ballots (federation_id, election, token, ranking) VALUES (?, ?, ?, ?)",
			id, election, hex.EncodeToString(tok[:]), formatRanking(ranking))
		return err
	})
	return err
}

// CloseElection closes an election and counts its ballots.
func (db *DB) CloseElection(ctx context.Context, id int64, election int, by string) (*federation.Federation, error) {
	return db.withFederation(ctx, "close election", id, func(tx *Tx, f *federation.Federation) error {
		rows, err := tx.query(ctx, "SELECT ranking FROM federation_ballots WHERE federation_id = ? AND election = ?", id, election)
		if err != nil {
			return err
		}
		var ballots [][]int
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			r, err := parseRanking(s)
			if err != nil {
				rows.Close()
				return err
			}
			ballots = append(ballots, r)
		}
		rows.Close()
		var n int
		if err := tx.get(ctx, "SELECT COUNT(*) FROM federation_participation WHERE federation_id = ? AND election = ?", []any{id, election}, &n); err != nil {
			return err
		}
		_, err = appendFederation(ctx, tx, id, f, federation.Entry{Kind: federation.EvClose, Election: election, Quota: n, Ballots: ballots, By: by})
		return err
	})
}
