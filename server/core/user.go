package core

import (
	"context"
	"time"

	"nullaosta/shared/wire"
)

// Role says what a user may do.
type Role string

const (
	RolePrivato   Role = wire.RolePrivato   // a private person: at most the campaign's limit of modules
	RoleOperatore Role = wire.RoleOperatore // an enabled operator of a comune or patronato: no limit
	RoleAdmin     Role = wire.RoleAdmin     // the Ministry
	RoleSportello Role = wire.RoleSportello // a provincial Sportello Unico
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RolePrivato, RoleOperatore, RoleAdmin, RoleSportello:
		return true
	}
	return false
}

// Applicant reports whether the role generates and sends modules.
func (r Role) Applicant() bool { return r == RolePrivato || r == RoleOperatore }

// User is a registered account. The e-mail is the username.
type User struct {
	ID          int64     `json:"id"`
	Email       string    `json:"email"`
	Cognome     string    `json:"cognome"`
	Nome        string    `json:"nome"`
	DataNascita string    `json:"dataNascita"` // YYYY-MM-DD
	Role        Role      `json:"role"`
	Provincia   string    `json:"provincia,omitempty"` // sportello: its provincia
	Active      bool      `json:"-"`
	CreatedAt   time.Time `json:"-"`

	PasswordHash string `json:"-"`
}

// Quota is how many modules a user generated in one campaign and may generate (0 = no limit).
type Quota struct {
	Kind       string `json:"kind"`
	CampaignID string `json:"campaignId"`
	Generated  int    `json:"generated"`
	Limit      int    `json:"limit"`
}

// Mail is one message of the outbox.
type Mail struct {
	ID        int64     `json:"id"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Link      string    `json:"link,omitempty"` // the activation or reset link, for the dev page
	CreatedAt time.Time `json:"createdAt"`
	SentAt    time.Time `json:"-"`
	Attempts  int       `json:"-"`
}

// Purposes of one-time tokens sent by e-mail.
const (
	PurposeActivate = "activate"
	PurposeReset    = "reset"
)

// OneTimeToken is the stored side of an activation or reset link: the SHA-256 of the secret.
type OneTimeToken struct {
	Hash      []byte
	Purpose   string
	ExpiresAt time.Time
}

// Session is a logged-in browser. Only the SHA-256 of the cookie value is stored.
type Session struct {
	Hash      []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	// Audit, if not nil, is recorded with the session (the logins of admin and sportello).
	Audit *AuditEntry
}

// Token is an import token: a bearer secret scoped to importing, sending and reading receipts.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"-"`
	Hash       []byte     `json:"-"`
	Label      string     `json:"label"`
	CreatedAt  time.Time  `json:"createdAt"`
	ExpiresAt  time.Time  `json:"expiresAt"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
}

// UserService stores accounts and the secrets that prove who someone is.
type UserService interface {
	// CreateUser stores a new, inactive account with its activation token and queues
	// mail(u). A registration never tells whether the address was taken, and never lets
	// whoever registers first capture it:
	//   - an inactive account with that e-mail is replaced: its names, birth date and
	//     password become u's, every link sent for it before stops working, and the new
	//     activation token is stored;
	//   - an active account is left as it is, no token is stored, and mail is called with
	//     that account (Active true): the API tells its owner someone used the address.
	// u is filled with the stored account either way.
	CreateUser(ctx context.Context, u *User, activation OneTimeToken, mail func(u *User) Mail) error
	// OneTimeTokenUser returns the account of a live (unused, unexpired) token of that
	// purpose, without using it; EINVALID if there is none (the same error as UseToken).
	OneTimeTokenUser(ctx context.Context, purpose string, hash []byte) (*User, error)
	// UseToken consumes a one-time token of that purpose and applies it: activation activates,
	// reset sets passwordHash (already hashed), activates and ends every session and token.
	UseToken(ctx context.Context, purpose string, hash []byte, passwordHash string) (*User, error)
	// CreateResetToken stores a reset token and its e-mail if the account exists; ok is false
	// (and nothing is stored) if not.
	CreateResetToken(ctx context.Context, email string, t OneTimeToken, mail func(u *User) Mail) (ok bool, err error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	// SetPassword replaces the hash and ends every session except keep, every import token
	// and every reset link not yet used.
	SetPassword(ctx context.Context, userID int64, passwordHash string, keep []byte) error
	// SetRole changes a user's role (and provincia for a sportello).
	SetRole(ctx context.Context, email string, role Role, provincia string) error
	// CreateActiveUser stores an account already active (the command line: admin and
	// sportello users; the demo), or ECONFLICT if the e-mail is taken. audit, if not nil, is
	// recorded with it.
	CreateActiveUser(ctx context.Context, u *User, audit *AuditEntry) error
	// ModuleCounts counts the user's modules per campaign.
	ModuleCounts(ctx context.Context, userID int64) (map[string]int, error)
}

// SessionService stores logged-in browsers and import tokens.
type SessionService interface {
	CreateSession(ctx context.Context, s *Session) error
	// SessionUser returns the user of a live session, or ENOTFOUND.
	SessionUser(ctx context.Context, hash []byte) (*User, *Session, error)
	DeleteSession(ctx context.Context, hash []byte) error

	CreateToken(ctx context.Context, t *Token) error
	// TokenUser returns the user of a live import token and records its use, or ENOTFOUND.
	// Every request with a token makes it, so callers may rely only on what a request uses:
	// the user without PasswordHash and CreatedAt, the token's ID and UserID (and LastUsedAt
	// when this call recorded the use).
	TokenUser(ctx context.Context, hash []byte) (*User, *Token, error)
	Tokens(ctx context.Context, userID int64) ([]Token, error)
	DeleteToken(ctx context.Context, userID, id int64) error
}

// MailLease is how long a message handed out by PendingMail stays claimed: not handed to
// another sender (another server instance) until it has passed. Its sender marks it sent or
// failed well within it; if the sender died, another one sends it once the lease is over.
const MailLease = 10 * time.Minute

// MailService is the outbox.
type MailService interface {
	// PendingMail claims and returns up to n messages not yet sent whose next attempt is due;
	// a claimed message is not due again for MailLease, so senders calling it at the same
	// time never get the same message.
	PendingMail(ctx context.Context, n int) ([]Mail, error)
	MarkMailSent(ctx context.Context, id int64) error
	MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error
	// MailTo lists the messages to an address, newest first (the development page).
	MailTo(ctx context.Context, to string, n int) ([]Mail, error)
	// RecentMail lists the newest messages to anyone.
	RecentMail(ctx context.Context, n int) ([]Mail, error)
}
