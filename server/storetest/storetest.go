// Package storetest is the test suite of the server's storage, run against every
// implementation (server/sqlite, server/postgres): one list of behaviours, each engine's
// package calls Run with a function that opens a fresh store.
package storetest

import (
	"context"
	"crypto/ed25519"
	"sync"
	"testing"
	"time"

	"nullaosta/server/api"
	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/server/receipt"
)

// Store is what the suite tests: everything the API needs.
type Store = api.Store

// Opener returns a new, empty store whose clock is now and whose receipts are signed by
// Signer(); it closes the store when t ends.
type Opener func(t testing.TB, now func() time.Time) Store

// T0 is the fixed clock of the tests: 15 September 2009, 10:00 in Rome.
var T0 = time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC)

var ctx = context.Background()

// Signer is the tests' receipt key.
func Signer() *receipt.Signer {
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, "nullaosta test key, not secret!")
	return receipt.NewSigner(ed25519.NewKeyFromSeed(seed))
}

type suite struct {
	opener Opener
	mu     sync.Mutex
	now    time.Time
}

// open returns a fresh store with the clock at T0.
func (s *suite) open(t testing.TB) Store {
	s.setNow(T0)
	return s.opener(t, s.clock)
}

func (s *suite) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

func (s *suite) setNow(t time.Time) {
	s.mu.Lock()
	s.now = t
	s.mu.Unlock()
}

// Run runs every test of the suite, each on a store of its own.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, *suite)
	}{
		{"CreateUser", testCreateUser},
		{"UseTokenRefusals", testUseTokenRefusals},
		{"ResetRevokesEverything", testResetRevokesEverything},
		{"SetPasswordKeepsCurrentSession", testSetPasswordKeepsCurrentSession},
		{"SetRole", testSetRole},
		{"Sessions", testSessions},
		{"Tokens", testTokens},
		{"Outbox", testOutbox},
		{"OutboxClaim", testOutboxClaim},
		{"CreateModule", testCreateModule},
		{"ModuleLimitRace", testModuleLimitRace},
		{"Submit", testSubmit},
		{"SubmitCheckSent", testSubmitCheckSent},
		{"SubmitReplayOnly", testSubmitReplayOnly},
		{"SubmitSameIDConcurrently", testSubmitSameIDConcurrently},
		{"SubmitGapless", testSubmitGapless},
		{"SubmitCollisionsInOneBatch", testSubmitCollisionsInOneBatch},
		{"CountsFollowWrites", testCountsFollowWrites},
		{"LimitCounters", testLimitCounters},
		{"SubmitCountsAgainstLimit", testSubmitCountsAgainstLimit},
		{"SetPasswordEndsResetLinks", testSetPasswordEndsResetLinks},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, &suite{opener: open})
		})
	}
}

// NewUser stores an active user with that e-mail.
func NewUser(t testing.TB, db Store, email string) *core.User {
	t.Helper()
	u := &core.User{Email: email, Cognome: "Rossi", Nome: "Maria", DataNascita: "1970-03-07", PasswordHash: "x"}
	_, hash := auth.NewSecret()
	err := db.CreateUser(ctx, u, core.OneTimeToken{Hash: hash, Purpose: core.PurposeActivate, ExpiresAt: T0.Add(time.Hour)},
		func(u *core.User) core.Mail { return core.Mail{To: u.Email, Subject: "attiva", Body: "b", Link: "l"} })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UseToken(ctx, core.PurposeActivate, hash, ""); err != nil {
		t.Fatal(err)
	}
	u.Active = true
	return u
}
