// Package store keeps everything the compiler holds on the device: drafts, the send queue
// (outbox), receipts and per-user settings. One interface, two implementations: IndexedDB in
// the browser (idb_wasm.go) and an in-memory twin for tests and non-browser builds; both pass
// the same suite (storetest).
//
// Every record belongs to one user (their e-mail, lower-cased): on a shared patronato tablet a
// user's drafts, queue and receipts are listed only for that user.
package store

import (
	"context"
	"errors"
	"time"

	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// ErrNotFound is returned when a record does not exist (for that user).
var ErrNotFound = errors.New("store: non trovato")

// Draft statuses, in the order a module goes through them.
const (
	StatusDraft     = "bozza"      // being filled in
	StatusCompleted = "completato" // reviewed and confirmed ("Riepilogo e conferma")
	StatusQueued    = "in_coda"    // in the outbox, waiting for the connection or a retry
	StatusSent      = "inviato"    // the server accepted it; a receipt exists
	StatusRejected  = "respinto"   // permanently rejected: Problems says why
)

// Draft is one module on the device.
type Draft struct {
	User        string            `json:"user"`
	ModuleID    string            `json:"moduleId"`
	Kind        shared.Kind       `json:"kind"`
	CampaignID  string            `json:"campaignId"`
	Generation  shared.Data       `json:"generation"` // locked fields from the server
	Data        shared.Data       `json:"data"`       // everything the person typed
	Status      string            `json:"status"`
	Problems    []shared.Problem  `json:"problems,omitempty"` // the server's, on rejection
	CreatedAt   time.Time         `json:"createdAt"`
	UpdatedAt   time.Time         `json:"updatedAt"`
	ConfirmedAt time.Time         `json:"confirmedAt,omitzero"`
	Extra       map[string]string `json:"extra,omitempty"`
}

// OutboxItem is one submission waiting to go. SubmissionID is generated once, when the module
// enters the queue, and reused for every retry, so the server never stores it twice.
type OutboxItem struct {
	User         string      `json:"user"`
	SubmissionID string      `json:"submissionId"`
	ModuleID     string      `json:"moduleId"`
	Data         shared.Data `json:"data"`
	Attempts     int         `json:"attempts"`
	NextAttempt  time.Time   `json:"nextAttempt"`
	LastError    string      `json:"lastError,omitempty"`
	CreatedAt    time.Time   `json:"createdAt"`
}

// Receipt is the server's receipt as kept on the device (see docs/API.md).
type Receipt struct {
	User string `json:"user"`
	wire.Receipt
}

// NewReceipt is the record of a receipt from the server, owned by user.
func NewReceipt(user string, r wire.Receipt) Receipt { return Receipt{User: user, Receipt: r} }

// Store is the device's storage. Methods take the user explicitly; a record of another user is
// ErrNotFound. Implementations are safe for concurrent use.
type Store interface {
	PutDraft(ctx context.Context, d Draft) error
	GetDraft(ctx context.Context, user, moduleID string) (Draft, error)
	ListDrafts(ctx context.Context, user string) ([]Draft, error) // by ModuleID
	DeleteDraft(ctx context.Context, user, moduleID string) error

	PutOutbox(ctx context.Context, it OutboxItem) error
	ListOutbox(ctx context.Context, user string) ([]OutboxItem, error) // by CreatedAt
	DeleteOutbox(ctx context.Context, user, submissionID string) error

	PutReceipt(ctx context.Context, r Receipt) error
	ListReceipts(ctx context.Context, user string) ([]Receipt, error) // newest first

	// Settings: small per-user values (import token, campaigns JSON, last sync).
	// user "" holds device-wide values (who is logged in).
	GetSetting(ctx context.Context, user, key string) (string, error) // ErrNotFound if unset
	PutSetting(ctx context.Context, user, key, value string) error
	DeleteSetting(ctx context.Context, user, key string) error
}
