package sqlite_test

import (
	"testing"
	"time"
)

func TestOutbox(t *testing.T) {
	db := openTest(t)
	newUser(t, db, "mail@example.it")
	ms, err := db.PendingMail(ctx, 10)
	if err != nil || len(ms) != 1 || ms[0].To != "mail@example.it" || ms[0].Link == "" {
		t.Fatalf("PendingMail = %+v, %v", ms, err)
	}
	if err := db.MarkMailFailed(ctx, ms[0].ID, "rete", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ms, _ := db.PendingMail(ctx, 10); len(ms) != 0 {
		t.Fatalf("a failed mail is due again before its next attempt: %+v", ms)
	}
	db.Now = func() time.Time { return t0.Add(2 * time.Minute) }
	ms, _ = db.PendingMail(ctx, 10)
	if len(ms) != 1 || ms[0].Attempts != 1 {
		t.Fatalf("retry: %+v", ms)
	}
	if err := db.MarkMailSent(ctx, ms[0].ID); err != nil {
		t.Fatal(err)
	}
	if ms, _ := db.PendingMail(ctx, 10); len(ms) != 0 {
		t.Fatalf("sent mail still pending: %+v", ms)
	}
	// The development page still lists it.
	if ms, _ := db.MailTo(ctx, "mail@example.it", 10); len(ms) != 1 {
		t.Fatalf("MailTo = %+v", ms)
	}
	if ms, _ := db.RecentMail(ctx, 10); len(ms) != 1 {
		t.Fatalf("RecentMail = %+v", ms)
	}
}
