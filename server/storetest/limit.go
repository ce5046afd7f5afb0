package storetest

import (
	"testing"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
)

// testLimitCounters: Hit counts in fixed windows and returns what is left (negative once over);
// Left reads without counting; a new window starts from zero.
func testLimitCounters(t *testing.T, su *suite) {
	db := su.open(t)
	lim := core.Limit{Max: 3, Window: time.Minute}
	for i := 1; i <= 4; i++ {
		left, err := db.Hit(ctx, "k", lim, 1)
		if err != nil || left != 3-i {
			t.Fatalf("hit %d: %d left, %v", i, left, err)
		}
	}
	if left, err := db.Left(ctx, "k", lim); err != nil || left > 0 {
		t.Fatalf("Left after 4 hits: %d %v", left, err)
	}
	if left, _ := db.Left(ctx, "other", lim); left != 3 {
		t.Fatalf("another key: %d left", left)
	}
	if left, _ := db.Hit(ctx, "many", lim, 3); left != 0 {
		t.Fatalf("3 of 3 at once: %d left", left)
	}
	su.setNow(T0.Add(2 * time.Minute))
	if left, err := db.Left(ctx, "k", lim); err != nil || left != 3 {
		t.Fatalf("a new window: %d %v", left, err)
	}
	for i := 1; i <= 3; i++ {
		if left, err := db.Hit(ctx, "k", lim, 1); err != nil || left < 0 {
			t.Fatalf("hit %d of the new window: %d %v", i, left, err)
		}
	}
}

// testSubmitCountsAgainstLimit: Submit counts each input against its sender's
// core.SubmitLimit in its own transaction.
func testSubmitCountsAgainstLimit(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "conta@example.it")
	before, err := db.Left(ctx, core.SubmitKey(u.ID), core.SubmitLimit)
	if err != nil || before != core.SubmitLimit.Max {
		t.Fatalf("before: %d %v", before, err)
	}
	// Inputs for modules that do not exist: refused by the store, counted all the same.
	in := []core.SubmissionInput{{SubmissionID: "conta-0001", ModuleID: "EM-0000-0000-0", UserID: u.ID},
		{SubmissionID: "conta-0002", ModuleID: "EM-0000-0000-1", UserID: u.ID}}
	db.Submit(ctx, in)
	if left, _ := db.Left(ctx, core.SubmitKey(u.ID), core.SubmitLimit); left != core.SubmitLimit.Max-2 {
		t.Fatalf("after 2 inputs: %d left", left)
	}
}

// testSetPasswordEndsResetLinks: a reset link asked for before a password change does not
// work after it.
func testSetPasswordEndsResetLinks(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "r@example.it")
	_, reset := auth.NewSecret()
	if ok, err := db.CreateResetToken(ctx, u.Email, core.OneTimeToken{Hash: reset, Purpose: core.PurposeReset, ExpiresAt: T0.Add(time.Hour)}, mailFor); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, err := db.OneTimeTokenUser(ctx, core.PurposeReset, reset); err != nil {
		t.Fatalf("the reset link before the change: %v", err)
	}
	if err := db.SetPassword(ctx, u.ID, "new", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UseToken(ctx, core.PurposeReset, reset, "attacker"); core.ErrorCode(err) != core.EINVALID {
		t.Fatalf("reset link after a password change: %v", err)
	}
	if got, _ := db.UserByEmail(ctx, u.Email); got.PasswordHash != "new" {
		t.Fatalf("password %q", got.PasswordHash)
	}
}
