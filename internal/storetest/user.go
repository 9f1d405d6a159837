package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/sqlstore"
)

func testUsers(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	users := []*comuna.User{
		{Username: "vocera.k1", Name: "María Pérez", Role: comuna.RoleSpokesperson, Scope: "K1", PasswordHash: "h1"},
		{Username: "coord.ci1", Name: "José Rivas", Role: comuna.RoleCoordinator, Scope: "CI1", PasswordHash: "h2"},
		{Username: "mesa.t1", Role: comuna.RoleTableMember, Scope: "T1", PasswordHash: "h3"},
		{Username: "admin", Role: comuna.RoleAdmin, PasswordHash: "h4", Disabled: true},
	}
	for _, u := range users {
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatalf("CreateUser(%s) = %v", u.Username, err)
		}
		if u.ID == 0 || u.Created.IsZero() {
			t.Errorf("CreateUser(%s) left id %d, created %v", u.Username, u.ID, u.Created)
		}
	}
	got, err := s.User(ctx, users[0].ID)
	if err != nil || !reflect.DeepEqual(got, users[0]) {
		t.Errorf("User(%d) = %+v, %v; want %+v", users[0].ID, got, err, users[0])
	}
	got, err = s.UserByUsername(ctx, "admin")
	if err != nil || !reflect.DeepEqual(got, users[3]) {
		t.Errorf("UserByUsername(admin) = %+v, %v; want %+v", got, err, users[3])
	}
	all, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range all {
		names = append(names, u.Username)
	}
	if want := []string{"admin", "coord.ci1", "mesa.t1", "vocera.k1"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Users() = %v, want %v", names, want)
	}
	_, err = s.User(ctx, 999)
	checkErr(t, "User(999)", err, comuna.ENotFound, "")
	_, err = s.UserByUsername(ctx, "nadie")
	checkErr(t, "UserByUsername(nadie)", err, comuna.ENotFound, "")

	if err := s.SetPassword(ctx, users[0].ID, "new-hash"); err != nil {
		t.Fatalf("SetPassword() = %v", err)
	}
	if got, _ := s.User(ctx, users[0].ID); got.PasswordHash != "new-hash" {
		t.Errorf("after SetPassword hash = %q, want new-hash", got.PasswordHash)
	}
	checkErr(t, "SetPassword(999)", s.SetPassword(ctx, 999, "x"), comuna.ENotFound, "")
	checkErr(t, "SetPassword(empty)", s.SetPassword(ctx, users[0].ID, ""), comuna.EInvalid, "password")
}

func testCreateUserErrors(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	Seed(t, s)
	Admin(t, s)
	tests := []struct {
		u     comuna.User
		code  string
		field string
	}{
		{comuna.User{Username: "admin", Role: comuna.RoleObserver}, comuna.EConflict, "username"},
		{comuna.User{Username: "X", Role: comuna.RoleObserver}, comuna.EInvalid, "username"},
		{comuna.User{Username: "someone", Role: "king"}, comuna.EInvalid, "role"},
		{comuna.User{Username: "vocero", Role: comuna.RoleSpokesperson}, comuna.EInvalid, "scope"},
		{comuna.User{Username: "vocero", Role: comuna.RoleSpokesperson, Scope: "K99"}, comuna.EInvalid, "scope"},
		{comuna.User{Username: "vocero", Role: comuna.RoleSpokesperson, Scope: "CI1"}, comuna.EInvalid, "scope"}, // a circuit, not a council
		{comuna.User{Username: "coord", Role: comuna.RoleCoordinator, Scope: "K1"}, comuna.EInvalid, "scope"},
		{comuna.User{Username: "observa", Role: comuna.RoleObserver, Scope: "S1"}, comuna.EInvalid, "scope"},
	}
	for _, tt := range tests {
		u := tt.u
		checkErr(t, "CreateUser("+u.Username+")", s.CreateUser(ctx, &u), tt.code, tt.field)
	}
	if all, _ := s.Users(ctx); len(all) != 1 {
		t.Errorf("after failed creations Users() = %d users, want 1", len(all))
	}
}

func testSessions(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	u := Admin(t, s)
	now := time.Now().UTC()
	live := &comuna.Session{TokenHash: []byte("live-hash"), UserID: u.ID, CSRF: "csrf-1", Expires: now.Add(time.Hour)}
	old := &comuna.Session{TokenHash: []byte("old-hash"), UserID: u.ID, CSRF: "csrf-2", Created: now.Add(-2 * time.Hour), Expires: now.Add(-time.Hour)}
	for _, sess := range []*comuna.Session{live, old} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatalf("CreateSession(%s) = %v", sess.TokenHash, err)
		}
	}
	got, gotUser, err := s.SessionUser(ctx, []byte("live-hash"))
	if err != nil {
		t.Fatalf("SessionUser(live) = %v", err)
	}
	if gotUser.ID != u.ID || got.CSRF != "csrf-1" || got.UserID != u.ID || !got.Expires.Equal(live.Expires.Truncate(time.Millisecond)) {
		t.Errorf("SessionUser(live) = %+v, %+v", got, gotUser)
	}
	_, _, err = s.SessionUser(ctx, []byte("old-hash"))
	checkErr(t, "SessionUser(expired)", err, comuna.EUnauthorized, "")
	_, _, err = s.SessionUser(ctx, []byte("nope"))
	checkErr(t, "SessionUser(unknown)", err, comuna.EUnauthorized, "")
	checkErr(t, "CreateSession(duplicate)", s.CreateSession(ctx, &comuna.Session{TokenHash: []byte("live-hash"), UserID: u.ID, Expires: now.Add(time.Hour)}), comuna.EConflict, "")
	checkErr(t, "CreateSession(user 999)", s.CreateSession(ctx, &comuna.Session{TokenHash: []byte("h"), UserID: 999, Expires: now.Add(time.Hour)}), comuna.ENotFound, "")

	if err := s.DeleteSession(ctx, []byte("live-hash")); err != nil {
		t.Fatalf("DeleteSession() = %v", err)
	}
	_, _, err = s.SessionUser(ctx, []byte("live-hash"))
	checkErr(t, "SessionUser(deleted)", err, comuna.EUnauthorized, "")
	if err := s.DeleteSession(ctx, []byte("live-hash")); err != nil {
		t.Errorf("DeleteSession(again) = %v, want nil", err)
	}

	// A new password ends every session of the user.
	for _, h := range []string{"a", "b"} {
		if err := s.CreateSession(ctx, &comuna.Session{TokenHash: []byte(h), UserID: u.ID, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetPassword(ctx, u.ID, "new"); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"a", "b"} {
		_, _, err := s.SessionUser(ctx, []byte(h))
		checkErr(t, "SessionUser after SetPassword", err, comuna.EUnauthorized, "")
	}
}

func testAPITokens(t *testing.T, s *sqlstore.DB) {
	ctx := context.Background()
	u := Admin(t, s)
	tok := &comuna.APIToken{TokenHash: []byte("tok-hash"), UserID: u.ID, Name: "importer"}
	if err := s.CreateAPIToken(ctx, tok); err != nil {
		t.Fatalf("CreateAPIToken() = %v", err)
	}
	if tok.ID == 0 || tok.Created.IsZero() {
		t.Errorf("CreateAPIToken() left %+v", tok)
	}
	got, err := s.APITokenUser(ctx, []byte("tok-hash"))
	if err != nil || got.ID != u.ID || got.Username != "admin" {
		t.Errorf("APITokenUser() = %+v, %v; want admin", got, err)
	}
	_, err = s.APITokenUser(ctx, []byte("other"))
	checkErr(t, "APITokenUser(unknown)", err, comuna.EUnauthorized, "")
	checkErr(t, "CreateAPIToken(duplicate)", s.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: []byte("tok-hash"), UserID: u.ID, Name: "x"}), comuna.EConflict, "")
	checkErr(t, "CreateAPIToken(user 999)", s.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: []byte("t2"), UserID: 999, Name: "x"}), comuna.ENotFound, "")
	checkErr(t, "CreateAPIToken(no name)", s.CreateAPIToken(ctx, &comuna.APIToken{TokenHash: []byte("t3"), UserID: u.ID}), comuna.EInvalid, "name")
}
