package execution

import (
	"encoding/hex"
	"strings"
	"time"

	"github.com/comuna/comuna/internal/comuna"
)

// EvidenceKind is what a piece of evidence shows.
type EvidenceKind string

// The kinds of evidence, each with its OCDS documentType.
const (
	Photo          EvidenceKind = "photo"           // a picture of the works
	Receipt        EvidenceKind = "receipt"         // an invoice or receipt of a purchase
	Certificate    EvidenceKind = "certificate"     // a certificate of completion or acceptance
	ProgressReport EvidenceKind = "progress_report" // a report of the works' progress
	AuditReport    EvidenceKind = "audit_report"    // a comptroller's or auditor's report
)

// EvidenceKinds lists the kinds in display order.
var EvidenceKinds = []EvidenceKind{Photo, Receipt, Certificate, ProgressReport, AuditReport}

// documentTypes maps each kind to OCDS's documentType codelist.
var documentTypes = map[EvidenceKind]string{
	Photo:          "illustration",
	Receipt:        "financialProgressReport",
	Certificate:    "completionCertificate",
	ProgressReport: "physicalProgressReport",
	AuditReport:    "finalAudit",
}

// ParseEvidenceKind reads a kind code.
func ParseEvidenceKind(s string) (EvidenceKind, error) {
	if _, ok := documentTypes[EvidenceKind(s)]; ok {
		return EvidenceKind(s), nil
	}
	return "", comuna.FieldError("kind", "unknown kind of evidence %q (want photo, receipt, certificate, progress_report or audit_report)", s)
}

// DocumentType is the kind's OCDS documentType code.
func (k EvidenceKind) DocumentType() string { return documentTypes[k] }

// MaxEvidenceBytes is the largest file a phone may upload.
const MaxEvidenceBytes = 10 << 20

// EvidenceTypes are the media types accepted, by what the file's first
// bytes say (never by its name or the client's word).
var EvidenceTypes = []string{"image/jpeg", "image/png", "application/pdf"}

// AcceptedType reports whether a sniffed media type may be stored.
func AcceptedType(mediaType string) bool {
	mt, _, _ := strings.Cut(mediaType, ";")
	for _, t := range EvidenceTypes {
		if t == strings.TrimSpace(mt) {
			return true
		}
	}
	return false
}

// Evidence is a file backing a project's progress: a photo, a receipt, a
// certificate or a report, stored by the SHA-256 of its content.
type Evidence struct {
	ID        int
	Kind      EvidenceKind
	Title     string
	SHA256    string // hex, of the stored bytes (metadata already stripped)
	MediaType string
	Size      int64
	Milestone int    // the milestone it supports, or 0
	Location  string // "lat,lon" only when the uploader chose to keep it
	Uploaded  time.Time
	By        string
}

// Validate checks evidence before it is recorded.
func (e Evidence) Validate() error {
	if _, err := ParseEvidenceKind(string(e.Kind)); err != nil {
		return err
	}
	if strings.TrimSpace(e.Title) == "" {
		return comuna.FieldError("title", "say what the file shows")
	}
	if b, err := hex.DecodeString(e.SHA256); err != nil || len(b) != 32 {
		return comuna.FieldError("file", "the file's SHA-256 is malformed")
	}
	if !AcceptedType(e.MediaType) {
		return comuna.FieldError("file", "a %s file cannot be evidence (send a JPEG or PNG photo or a PDF)", e.MediaType)
	}
	if e.Size <= 0 || e.Size > MaxEvidenceBytes {
		return comuna.FieldError("file", "the file must be at most %d MB", MaxEvidenceBytes>>20)
	}
	return nil
}
