// Package store keeps everything the compiler holds on the device: drafts, the send queue
// (outbox), receipts and per-user settings. One interface, two implementations: IndexedDB in
// the browser (idb_wasm.go) and an in-memory twin for tests and non-browser builds; both pass
// the same suite (storetest).
//
// Every record belongs to one user (their e-mail, lower-cased): on a shared patronato tablet a
// user's drafts, queue and receipts are listed only for that user.
//
// Both implementations keep strings under (object store, user, id); records.go turns them into
// records and back. Wrapped with Encrypt, every record of a person (drafts, queue, receipts
// and their settings, except the wrapped data key itself) is kept AES-GCM-encrypted under that
// person's data key (app/vault): the object stores then hold ciphertext, and keys made of the
// person's e-mail and the module, submission or protocol ids.
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

// ErrLocked is returned for a record of a person whose data key is not in memory: nobody is
// logged in as them on this device, or the app locked after the idle time. The UI asks for
// the password (app/session).
var ErrLocked = errors.New("Dati bloccati: scrivi la tua password per sbloccarli.")

// ErrUndecryptable is returned for a record that the person's key does not open: altered on
// the device, or encrypted under another key.
var ErrUndecryptable = errors.New("store: dato cifrato che la chiave non apre")

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
	// FilledUnder is the campaign as it was when the draft was imported (or first opened), and
	// FilledUnderVersion its shared.Campaign.ParamsVersion: the compiler compares them with the
	// campaign in force and says what changed, until the person has checked again.
	FilledUnder        *shared.Campaign `json:"filledUnder,omitempty"`
	FilledUnderVersion string           `json:"filledUnderVersion,omitempty"`
}

// RecordCampaign sets the campaign the draft is filled under.
func (d *Draft) RecordCampaign(c shared.Campaign) {
	d.FilledUnder, d.FilledUnderVersion = &c, c.ParamsVersion()
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
	// OpensAt is set when the server answered that the send window opens then (server's
	// clock): the item waits for it, and the screen counts down to it.
	OpensAt   time.Time `json:"opensAt,omitzero"`
	CreatedAt time.Time `json:"createdAt"`
}

// Receipt is the server's receipt as kept on the device (see docs/API.md).
type Receipt struct {
	User string `json:"user"`
	wire.Receipt
}

// NewReceipt is the record of a receipt from the server, owned by user.
func NewReceipt(user string, r wire.Receipt) Receipt { return Receipt{User: user, Receipt: r} }

// Sealer encrypts and decrypts a person's records (app/vault's Keyring). aad names the record
// (object store, owner and id) so that a value moved to another record does not open.
type Sealer interface {
	Seal(ctx context.Context, user, aad string, plain []byte) (string, error) // ErrLocked
	Open(ctx context.Context, user, aad, sealed string) ([]byte, error)       // ErrLocked, ErrUndecryptable
	Unlocked(user string) bool
	IsSealed(value string) bool
}

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
