package comuna

import (
	"context"
	"regexp"
	"strconv"
	"time"
)

// Role is what an account may do; some roles are scoped to a unit of the
// territory.
type Role string

// Roles. The public needs no account.
const (
	RoleAdmin        Role = "admin"                // national administrator
	RoleCoordinator  Role = "coordinator"          // circuit coordinator: scope is a circuit code
	RoleReviewer     Role = "reviewer"             // reviews cost and feasibility of proposals
	RoleSpokesperson Role = "spokesperson"         // council spokesperson: scope is a council code
	RoleTableMember  Role = "table_member"         // member of a voting table: scope is a table code
	RoleObserver     Role = "observer"             // accredited observer: read-only
	RoleFundOfficer  Role = "fund_officer"         // records disbursements to funded projects
	RoleFinance      Role = "finance_spokesperson" // a council's finance spokesperson: scope is a council code
	RoleComptroller  Role = "comptroller"          // a commune's comptroller: scope is a commune code
	RoleSecretary    Role = "secretary"            // secretary of a commune's organs: scope is a commune code
	// RoleAuditor is a member of an audit board: scope is an audit's id.
	// It enters that audit's hand recounts and nothing else.
	RoleAuditor Role = "auditor"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleReviewer, RoleSpokesperson, RoleTableMember, RoleObserver, RoleFundOfficer, RoleFinance, RoleComptroller, RoleSecretary, RoleAuditor}

// ScopeLevel returns the territory level a role's scope names, or "" for a
// role with national reach.
func ScopeLevel(r Role) Level {
	switch r {
	case RoleCoordinator:
		return LevelCircuit
	case RoleSpokesperson:
		return LevelCouncil
	case RoleTableMember:
		return LevelTable
	case RoleFinance:
		return LevelCouncil
	case RoleComptroller, RoleSecretary:
		return LevelCommune
	}
	return ""
}

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool {
	for _, q := range Roles {
		if q == r {
			return true
		}
	}
	return false
}

// User is an account.
type User struct {
	ID           int64
	Username     string
	Name         string
	Role         Role
	Scope        string // unit code for scoped roles, "" otherwise
	PasswordHash string
	Created      time.Time
	Disabled     bool
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,39}$`)

// Validate checks a user's fields, naming the field at fault.
func (u *User) Validate() error {
	if !usernamePattern.MatchString(u.Username) {
		return FieldError("username", "username must be 3 to 40 lower-case letters, digits, dots, dashes or underscores")
	}
	if len(u.Name) > 200 {
		return FieldError("name", "name is longer than 200 characters")
	}
	if !ValidRole(u.Role) {
		return FieldError("role", "unknown role %q", u.Role)
	}
	if u.Role == RoleAuditor {
		if n, err := strconv.ParseInt(u.Scope, 10, 64); err != nil || n <= 0 || strconv.FormatInt(n, 10) != u.Scope {
			return FieldError("scope", "an auditor needs the number of their audit")
		}
		return nil
	}
	if lvl := ScopeLevel(u.Role); lvl != "" && u.Scope == "" {
		return FieldError("scope", "a %s needs the code of their %s", u.Role, lvl)
	} else if lvl == "" && u.Scope != "" {
		return FieldError("scope", "a %s has no scope", u.Role)
	}
	return nil
}

// Session is a logged-in browser. Only a hash of its token is stored.
type Session struct {
	TokenHash []byte
	UserID    int64
	CSRF      string // the token every form of this session must carry
	Created   time.Time
	Expires   time.Time
}

// APIToken lets a program act as a user. Only a hash of it is stored.
type APIToken struct {
	ID        int64
	TokenHash []byte
	UserID    int64
	Name      string
	Created   time.Time
}

// UserService stores accounts, sessions and API tokens.
type UserService interface {
	// CreateUser validates and stores a user; EConflict if the username is
	// taken. The scope must exist in the editable territory.
	CreateUser(ctx context.Context, u *User) error
	// User returns one user by id; ENotFound if absent.
	User(ctx context.Context, id int64) (*User, error)
	// UserByUsername returns one user by username; ENotFound if absent.
	UserByUsername(ctx context.Context, username string) (*User, error)
	// Users lists all users by username.
	Users(ctx context.Context) ([]*User, error)
	// SetPassword replaces a user's password hash and ends their sessions.
	SetPassword(ctx context.Context, id int64, hash string) error
	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s *Session) error
	// SessionUser returns the live session with that token hash and its
	// user; EUnauthorized if there is none or it expired.
	SessionUser(ctx context.Context, tokenHash []byte) (*Session, *User, error)
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// CreateAPIToken stores a token for a user.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// APITokenUser returns the user a token belongs to; EUnauthorized if
	// there is none.
	APITokenUser(ctx context.Context, tokenHash []byte) (*User, error)
}
