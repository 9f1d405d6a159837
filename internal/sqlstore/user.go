package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

const userColumns = "id, username, name, role, scope, password_hash, created, disabled"

func scanUser(s interface{ Scan(...any) error }) (*comuna.User, error) {
	var u comuna.User
	var role string
	var created int64
	if err := s.Scan(&u.ID, &u.Username, &u.Name, &role, &u.Scope, &u.PasswordHash, &created, &u.Disabled); err != nil {
		return nil, err
	}
	u.Role, u.Created = comuna.Role(role), fromMS(created)
	return &u, nil
}

func findUser(ctx context.Context, tx *Tx, where string, arg any) (*comuna.User, error) {
	u, err := scanUser(tx.tx.QueryRowContext(ctx, tx.d.Rebind("SELECT "+userColumns+" FROM users WHERE "+where), arg))
	if err == sql.ErrNoRows {
		return nil, comuna.Errorf(comuna.ENotFound, "user %v not found", arg)
	} else if err != nil {
		return nil, tx.d.Err(err)
	}
	return u, nil
}

// CreateUser validates and stores a user, setting u.ID and u.Created;
// EConflict if the username is taken. A scoped role's unit must exist in
// the editable territory.
func (db *DB) CreateUser(ctx context.Context, u *comuna.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	defer tx.rollback()
	if lvl := comuna.ScopeLevel(u.Role); lvl != "" {
		v, err := editableVersion(ctx, tx)
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if _, err := findUnit(ctx, tx, v.ID, lvl, u.Scope); err != nil {
			if comuna.ErrorCode(err) == comuna.ENotFound {
				return fmt.Errorf("create user: %w", comuna.FieldError("scope", "unknown %s %q", lvl, u.Scope))
			}
			return fmt.Errorf("create user: %w", err)
		}
	}
	if u.Role == comuna.RoleAuditor {
		var n int
		if err := tx.get(ctx, "SELECT COUNT(*) FROM audits WHERE id = ?", []any{u.Scope}, &n); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("create user: %w", comuna.FieldError("scope", "unknown audit %s", u.Scope))
		}
	}
	var n int
	if err := tx.get(ctx, "SELECT COUNT(*) FROM users WHERE username = ?", []any{u.Username}, &n); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("create user: %w", comuna.Keyed(comuna.EConflict, "username",
			"username %q is taken", "username %q is taken", u.Username))
	}
	created := tx.now
	if err := tx.get(ctx, `INSERT INTO users (username, name, role, scope, password_hash, created, disabled)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{u.Username, u.Name, string(u.Role), u.Scope, u.PasswordHash, ms(created), u.Disabled}, &u.ID); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	u.Created = created
	return nil
}

// User returns one user by id; ENotFound if absent.
func (db *DB) User(ctx context.Context, id int64) (*comuna.User, error) {
	return db.userBy(ctx, "id = ?", id)
}

// UserByUsername returns one user by username; ENotFound if absent.
func (db *DB) UserByUsername(ctx context.Context, username string) (*comuna.User, error) {
	return db.userBy(ctx, "username = ?", username)
}

func (db *DB) userBy(ctx context.Context, where string, arg any) (*comuna.User, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("user: %w", err)
	}
	defer tx.rollback()
	u, err := findUser(ctx, tx, where, arg)
	if err != nil {
		return nil, fmt.Errorf("user: %w", err)
	}
	return u, nil
}

// Users lists all users by username.
func (db *DB) Users(ctx context.Context) ([]*comuna.User, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer tx.rollback()
	rows, err := tx.query(ctx, "SELECT "+userColumns+" FROM users ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var us []*comuna.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("users: %w", tx.d.Err(err))
	}
	return us, nil
}

// SetPassword replaces a user's password hash and ends their sessions.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string) error {
	if strings.TrimSpace(hash) == "" {
		return fmt.Errorf("set password: %w", comuna.FieldError("password", "the password hash is empty"))
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	defer tx.rollback()
	if _, err := findUser(ctx, tx, "id = ?", id); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if _, err := tx.exec(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, id); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// CreateSession stores a new session, setting s.Created if it is zero.
// Sessions that have expired by now are swept at the same time.
func (db *DB) CreateSession(ctx context.Context, s *comuna.Session) error {
	if len(s.TokenHash) == 0 {
		return fmt.Errorf("create session: %w", comuna.FieldError("token", "the session token hash is empty"))
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	defer tx.rollback()
	if s.Created.IsZero() {
		s.Created = tx.now
	}
	if _, err := findUser(ctx, tx, "id = ?", s.UserID); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE expires <= ?", ms(tx.now)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if _, err := tx.exec(ctx, "INSERT INTO sessions (token_hash, user_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)",
		s.TokenHash, s.UserID, s.CSRF, ms(s.Created), ms(s.Expires)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the live session with that token hash and its user;
// EUnauthorized if there is none or it expired.
func (db *DB) SessionUser(ctx context.Context, tokenHash []byte) (*comuna.Session, *comuna.User, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, nil, fmt.Errorf("session: %w", err)
	}
	defer tx.rollback()
	var s comuna.Session
	var created, expires int64
	err = tx.get(ctx, "SELECT token_hash, user_id, csrf, created, expires FROM sessions WHERE token_hash = ?",
		[]any{tokenHash}, &s.TokenHash, &s.UserID, &s.CSRF, &created, &expires)
	if err == sql.ErrNoRows || (err == nil && expires <= ms(tx.now)) {
		return nil, nil, fmt.Errorf("session: %w", comuna.Errorf(comuna.EUnauthorized, "your session has ended; log in again"))
	} else if err != nil {
		return nil, nil, fmt.Errorf("session: %w", err)
	}
	s.Created, s.Expires = fromMS(created), fromMS(expires)
	u, err := findUser(ctx, tx, "id = ?", s.UserID)
	if err != nil {
		return nil, nil, fmt.Errorf("session: %w", err)
	}
	return &s, u, nil
}

// DeleteSession ends a session; ending one that does not exist is not an
// error, so logging out twice is harmless.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// CreateAPIToken stores a token for a user, setting t.ID and t.Created.
func (db *DB) CreateAPIToken(ctx context.Context, t *comuna.APIToken) error {
	if len(t.TokenHash) == 0 {
		return fmt.Errorf("create api token: %w", comuna.FieldError("token", "the token hash is empty"))
	}
	if strings.TrimSpace(t.Name) == "" {
		return fmt.Errorf("create api token: %w", comuna.FieldError("name", "name the token after the program that uses it"))
	}
	tx, err := db.begin(ctx, true)
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	defer tx.rollback()
	if _, err := findUser(ctx, tx, "id = ?", t.UserID); err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	created := tx.now
	if err := tx.get(ctx, "INSERT INTO api_tokens (token_hash, user_id, name, created) VALUES (?, ?, ?, ?) RETURNING id",
		[]any{t.TokenHash, t.UserID, t.Name, ms(created)}, &t.ID); err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	t.Created = created
	return nil
}

// APITokenUser returns the user a token belongs to; EUnauthorized if there
// is none.
func (db *DB) APITokenUser(ctx context.Context, tokenHash []byte) (*comuna.User, error) {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("api token: %w", err)
	}
	defer tx.rollback()
	u, err := scanUser(tx.tx.QueryRowContext(ctx, tx.d.Rebind("SELECT u."+strings.ReplaceAll(userColumns, ", ", ", u.")+
		" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?"), tokenHash))
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("api token: %w", comuna.Errorf(comuna.EUnauthorized, "unknown API token"))
	} else if err != nil {
		return nil, fmt.Errorf("api token: %w", tx.d.Err(err))
	}
	return u, nil
}
