// Package federation is the pure domain of a federation of communes and
// social movements: its member organisations with their delegate quotas
// (applications, admissions, suspensions and withdrawals, all dated), its
// congresses with accredited delegates checked in by credential, the
// documents a congress approves article by article with amendments, and the
// elections it holds — plurality, approval or exact STV with gender balance
// and alternates (package stv).
//
// A federation's whole history is a list of entries replayed by one Apply,
// so the store, the pages and the verifier enforce and compute the same.
// Ballots are not entries: the store keeps them without the delegate's
// identity (participation apart) and hands them to the closing entry, whose
// log record carries every ballot so that anyone can recount.
package federation

import (
	"time"

	"github.com/comuna/comuna/internal/assemblies/stv"
)

// OrgKind is what kind of organisation a member is.
type OrgKind string

// Member kinds.
const (
	Commune  OrgKind = "commune"
	Council  OrgKind = "council"
	Movement OrgKind = "movement"
)

// MemberStatus is where a member organisation stands.
type MemberStatus string

// Member statuses.
const (
	Applied   MemberStatus = "applied"
	Admitted  MemberStatus = "member"
	Rejected  MemberStatus = "rejected"
	Suspended MemberStatus = "suspended"
	Withdrawn MemberStatus = "withdrawn"
)

// StatusChange is one dated change of a member's status.
type StatusChange struct {
	Status MemberStatus `json:"status"`
	Date   string       `json:"date"` // YYYY-MM-DD
	Reason string       `json:"reason,omitempty"`
	Seq    int          `json:"seq"` // the entry that made it
}

// Member is a member organisation (or an applicant).
type Member struct {
	ID      int            `json:"id"`
	Name    string         `json:"name"`
	Kind    OrgKind        `json:"kind"`
	Quota   int            `json:"quota"` // delegates it sends to a congress
	Status  MemberStatus   `json:"status"`
	History []StatusChange `json:"history"`
}

// Delegate is a person accredited by a member organisation to a congress.
type Delegate struct {
	ID        int    `json:"id"`
	Member    int    `json:"member"`
	Name      string `json:"name"`
	CheckedIn bool   `json:"checked_in"`
}

// Congress is a meeting of the members' delegates.
type Congress struct {
	ID        int         `json:"id"`
	Title     string      `json:"title"`
	Date      string      `json:"date"`
	Delegates []*Delegate `json:"delegates"`
	Closed    bool        `json:"closed"`
}

// Quorum is a congress's attendance against what its votes need.
type Quorum struct {
	Accredited int  `json:"accredited"`
	Present    int  `json:"present"`
	Required   int  `json:"required"`
	Met        bool `json:"met"`
}

// Quorum is more than half of the accredited delegates checked in. (The
// same rule as a parliament organ's default quorum; a small function of its
// own here, to merge with package parliament's later.)
func (c *Congress) Quorum() Quorum {
	q := Quorum{Accredited: len(c.Delegates)}
	for _, d := range c.Delegates {
		if d.CheckedIn {
			q.Present++
		}
	}
	q.Required = q.Accredited/2 + 1
	q.Met = q.Accredited > 0 && q.Present >= q.Required
	return q
}

// Delegate returns delegate id of the congress, or nil.
func (c *Congress) Delegate(id int) *Delegate {
	for _, d := range c.Delegates {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// Tally is the count of a show-of-hands or electronic vote.
type Tally struct {
	Yes     int `json:"yes"`
	No      int `json:"no"`
	Abstain int `json:"abstain"`
}

// Passed is a simple majority: more yes than no.
func (t Tally) Passed() bool { return t.Yes > t.No }

// Federation is the state the entries build.
type Federation struct {
	Name string `json:"name"`
	// AdmitBy is who decides applications: "board" or "congress".
	AdmitBy    string      `json:"admit_by"`
	Members    []*Member   `json:"members"`
	Congresses []*Congress `json:"congresses"`
	Documents  []*Document `json:"documents"`
	Elections  []*Election `json:"elections"`
	Seq        int         `json:"seq"` // entries applied
}

// Member returns member id, or nil.
func (f *Federation) Member(id int) *Member {
	if id < 1 || id > len(f.Members) {
		return nil
	}
	return f.Members[id-1]
}

// Congress returns congress id, or nil.
func (f *Federation) Congress(id int) *Congress {
	if id < 1 || id > len(f.Congresses) {
		return nil
	}
	return f.Congresses[id-1]
}

// Document returns document id, or nil.
func (f *Federation) Document(id int) *Document {
	if id < 1 || id > len(f.Documents) {
		return nil
	}
	return f.Documents[id-1]
}

// Election returns election id, or nil.
func (f *Federation) Election(id int) *Election {
	if id < 1 || id > len(f.Elections) {
		return nil
	}
	return f.Elections[id-1]
}

// dateOf is the calendar date of t, as entries record it.
func dateOf(t time.Time) string { return t.UTC().Format("2006-01-02") }

// Rule re-exports the counting rules an election may use.
type Rule = stv.Rule
