package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/comuna/comuna/internal/auth"
	"github.com/comuna/comuna/internal/comuna"
)

type usersPage struct {
	*Page
	Users []*comuna.User
	Pager *Pager
}

// userList lists the accounts, 50 to a page.
func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	users, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	p := &usersPage{Page: s.page(r, "users.title", "users"), Pager: newPager(r, 50)}
	off := min(p.Pager.Offset(), len(users))
	users = users[off:]
	p.Users = users[:p.Pager.Done(r, len(users))]
	return s.render(w, r, http.StatusOK, "users", p)
}

type userFormPage struct {
	*Page
	Form  *Form
	Roles []Option
}

var userFields = []string{"username", "name", "role", "scope", "password"}

func (s *Server) userFormPage(r *http.Request, f *Form) *userFormPage {
	p := &userFormPage{Page: s.page(r, "userform.title", "users"), Form: f}
	for _, role := range comuna.Roles {
		p.Roles = append(p.Roles, Option{string(role), p.L("role", role)})
	}
	return p
}

func (s *Server) userForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "user_form", s.userFormPage(r, newForm(r)))
}

// userCreate creates an account with a role, a scope for scoped roles,
// and a password.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	f := newForm(r)
	u := &comuna.User{Username: strings.ToLower(f.str("username")), Name: f.str("name"),
		Role: comuna.Role(f.str("role")), Scope: f.str("scope")}
	err := s.createUser(r, u, f.Values.Get("password"))
	if err == nil {
		return redirect(w, r, "/users")
	}
	status := http.StatusUnprocessableEntity
	if comuna.ErrorCode(err) == comuna.EConflict {
		var e *comuna.Error
		if asErr(err, &e) {
			f.fail("username", messageText(f.lang, e))
		}
		status = http.StatusConflict
	} else if !f.take(err, userFields...) {
		return err
	}
	return s.render(w, r, status, "user_form", s.userFormPage(r, f))
}

// createUser validates, hashes the password and stores the account.
func (s *Server) createUser(r *http.Request, u *comuna.User, password string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := auth.CheckPasswordStrength(password, u.Username, u.Name); err != nil {
		return comuna.FieldError("password", "%s", err.Error())
	}
	hash, err := auth.HashPassword(password)
	if errors.Is(err, auth.ErrShortPassword) {
		return comuna.FieldError("password", "%s", err.Error())
	} else if err != nil {
		return err
	}
	u.PasswordHash = hash
	u.Created = s.now()
	return s.store.CreateUser(r.Context(), u)
}
