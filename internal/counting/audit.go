package counting

import (
	"context"

	"github.com/comuna/comuna/internal/audit"
	"github.com/comuna/comuna/internal/comuna"
	"github.com/comuna/comuna/internal/results"
)

// AuditReport is an audit with its round, where it stands on the round's
// current sheets, and the hand counts entered so far.
type AuditReport struct {
	Round  *comuna.Round
	Audit  *audit.Audit
	Report *audit.Report
	Counts []*audit.HandCount
}

// CreateAudit starts an audit of a round and reports on it. What the
// caller leaves out takes the one set of defaults every caller shares:
// no kind is a risk-limiting audit, and a risk-limiting audit without a
// risk limit has audit.DefaultRiskLimit. The store checks the rest (the
// round must be counting or in results, the seed must not be blank).
func (s *Service) CreateAudit(ctx context.Context, a *audit.Audit) (*AuditReport, error) {
	if a.Kind == "" {
		a.Kind = audit.KindRisk
	}
	if a.Kind == audit.KindRisk && a.RiskLimit == 0 {
		a.RiskLimit = audit.DefaultRiskLimit
	}
	if err := s.db.CreateAudit(ctx, a); err != nil {
		return nil, err
	}
	return s.report(ctx, a)
}

// Audit reports on a stored audit; ENotFound if there is none.
func (s *Service) Audit(ctx context.Context, auditID int64) (*AuditReport, error) {
	a, err := s.db.Audit(ctx, auditID)
	if err != nil {
		return nil, err
	}
	return s.report(ctx, a)
}

// report evaluates a on its round's current sheets, read with the
// poll-book counters in one snapshot, and its hand counts.
func (s *Service) report(ctx context.Context, a *audit.Audit) (*AuditReport, error) {
	round, err := s.db.Round(ctx, a.RoundID)
	if err != nil {
		return nil, err
	}
	c, err := s.db.LiveCounts(ctx, a.RoundID)
	if err != nil {
		return nil, err
	}
	hs, err := s.db.HandCounts(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	rep, err := audit.NewReport(a, results.Sheets(c.Sheets), c.Polled(), round.WinnersPerCircuit, hs, c.Epoch)
	if err != nil {
		return nil, err
	}
	return &AuditReport{Round: round, Audit: a, Report: rep, Counts: hs}, nil
}
