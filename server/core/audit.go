package core

import (
	"context"
	"time"
)

// Actions of the audit log.
const (
	AuditLogin      = "login"       // an admin or sportello user logged in
	AuditApprova    = "approva"     // operators of a request enabled
	AuditRespingi   = "respingi"    // operators of a request rejected
	AuditRevoca     = "revoca"      // an operator taken back to privato
	AuditStato      = "stato"       // an application's status changed
	AuditExport     = "export"      // applications exported to CSV
	AuditDettaglio  = "dettaglio"   // an application viewed in full
	AuditCreaUtente = "crea_utente" // an admin or sportello user created from the command line
)

// AuditEntry is one line of the audit log: who did what, when, on what. The log is append-only
// (the database refuses to change or delete a line).
type AuditEntry struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	AtRome  string    `json:"atRome"`
	ActorID int64     `json:"-"`
	Actor   string    `json:"actor"` // e-mail
	Role    Role      `json:"role"`
	Action  string    `json:"action"`
	Target  string    `json:"target"`
	Detail  string    `json:"detail,omitempty"`
}

// NewAudit returns an entry for an action of u (nil: the command line).
func NewAudit(u *User, action, target, detail string) AuditEntry {
	e := AuditEntry{Action: action, Target: target, Detail: detail, Actor: "riga di comando"}
	if u != nil {
		e.ActorID, e.Actor, e.Role = u.ID, u.Email, u.Role
	}
	return e
}

// AuditFilter pages through the log, newest first.
type AuditFilter struct {
	Limit  int
	Before int64 // entries with a smaller id; 0 for the newest
	Action string
	Actor  string
}

// AuditService keeps the audit log.
type AuditService interface {
	// RecordAudit appends an entry on its own (for reads: detail views, exports). Changes
	// record theirs in their own transaction.
	RecordAudit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
