package federation

import "context"

// Summary is a federation as lists show it.
type Summary struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Members int    `json:"members"` // admitted members
	Entries int    `json:"entries"`
}

// Store keeps federations: their entries (each logged in the same
// transaction), the hashes of delegates' credential codes, ballots without
// identity and, apart, who took part.
type Store interface {
	// FoundFederation starts a federation with its founding entry.
	FoundFederation(ctx context.Context, e Entry) (int64, *Federation, error)
	// Federation replays federation id; ENotFound if absent.
	Federation(ctx context.Context, id int64) (*Federation, error)
	// FederationEntries returns its entries in order.
	FederationEntries(ctx context.Context, id int64) ([]Entry, error)
	// Federations lists every federation.
	Federations(ctx context.Context) ([]Summary, error)
	// AppendFederation applies e and stores it with its log record. Use
	// Accredit, CheckInCode and CloseElection for those entries.
	AppendFederation(ctx context.Context, id int64, e Entry) (*Federation, Entry, error)
	// Accredit accredits a delegate (an EvAccredit entry) and returns the
	// credential code, shown once, printed on the credential.
	Accredit(ctx context.Context, id int64, e Entry) (*Federation, Entry, string, error)
	// CheckInCode checks in at congress the delegate holding code.
	CheckInCode(ctx context.Context, id int64, congress int, code, by string) (*Federation, *Delegate, error)
	// CastBallot records the ballot of the delegate holding code: the
	// ballot without identity, the participation apart. A second ballot
	// from the same delegate is EConflict and changes nothing.
	CastBallot(ctx context.Context, id int64, election int, code string, ranking []int) error
	// CloseElection closes an election, counting its ballots (an EvClose
	// entry carrying them all).
	CloseElection(ctx context.Context, id int64, election int, by string) (*Federation, error)
}
