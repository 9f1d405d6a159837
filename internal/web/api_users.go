package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/comuna/comuna/internal/comuna"
)

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	out := make([]userJSON, 0, len(users))
	for _, u := range users {
		out = append(out, toUserJSON(u))
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u := &comuna.User{Username: strings.ToLower(strings.TrimSpace(in.Username)), Name: strings.TrimSpace(in.Name),
		Role: comuna.Role(in.Role), Scope: strings.TrimSpace(in.Scope)}
	if err := s.createUser(r, u, in.Password); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	s.writeJSON(w, http.StatusCreated, toUserJSON(u))
	return nil
}

// apiTokenCreate issues an API token for the caller, or with "user_id"
// for another account (administrators only). The token is shown once.
func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	var in tokenInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	me := reqInfoOf(r).user
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		return comuna.FieldError("name", "give the token a name of 1 to 100 characters")
	}
	if in.UserID == 0 {
		in.UserID = me.ID
	}
	if in.UserID != me.ID {
		if err := comuna.Authorize(me, comuna.ActionManageUsers, comuna.Target{}); err != nil {
			return err
		}
		if _, err := s.store.User(r.Context(), in.UserID); err != nil {
			return err
		}
	}
	tok, err := s.issueToken(r, in.UserID, in.Name)
	if err != nil {
		return err
	}
	s.writeJSON(w, http.StatusCreated, tokenJSON{Token: tok, Name: in.Name, UserID: in.UserID})
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	s.writeJSON(w, http.StatusOK, toUserJSON(reqInfoOf(r).user))
	return nil
}
