package core

import (
	"context"
	"strconv"
	"time"
)

// Limit is a budget of attempts per key in fixed windows of Window: at most Max in each.
type Limit struct {
	Max    int
	Window time.Duration
}

// The limits the server enforces through LimitService. Every instance shares them: they live
// in the database.
var (
	// PasswordLimit: failed password checks per account e-mail, whichever route checks it
	// (login, POST /tokens, password change, activation). Over it, the password is not even
	// checked until the window ends.
	PasswordLimit = Limit{Max: 10, Window: 15 * time.Minute}
	// SubmitLimit: modules sent per account (each item of POST /submissions, accepted or
	// not). An operator's whole queue of a click day fits; a loop does not.
	SubmitLimit = Limit{Max: 600, Window: 10 * time.Minute}
	// RegisterLimit and ResetLimit: e-mails sent to one address. Registrations allow a few
	// more: a pending registration is replaced by the next, and its owner may need to
	// register again after someone else used the address.
	RegisterLimit = Limit{Max: 5, Window: time.Hour}
	ResetLimit    = Limit{Max: 3, Window: time.Hour}
	// TokensLimit: import tokens asked for one account.
	TokensLimit = Limit{Max: 10, Window: 15 * time.Minute}
	// EnablementsLimit: enablement requests filed by one account.
	EnablementsLimit = Limit{Max: 20, Window: time.Hour}
)

// Keys of the counters.
func PasswordKey(email string) string { return "password:" + email }
func SubmitKey(userID int64) string   { return "submit:" + strconv.FormatInt(userID, 10) }

// LimitService counts attempts against limits.
type LimitService interface {
	// Hit counts n attempts against key in the current window of lim and returns how many
	// are left: lim.Max minus the window's count, negative once over it.
	Hit(ctx context.Context, key string, lim Limit, n int) (left int, err error)
	// Left returns how many attempts key has left in the current window, counting none: a
	// read, for the checks made before work whose attempts are counted later (by Hit, or by
	// the write that stores the work, as Submit does for SubmitKey). 0 or less: none.
	Left(ctx context.Context, key string, lim Limit) (int, error)
}

// WindowStart is the start of the window of lim that holds t, in Unix seconds.
func (l Limit) WindowStart(t time.Time) int64 {
	w := int64(l.Window / time.Second)
	if w <= 0 {
		w = 1
	}
	return t.Unix() / w * w
}
