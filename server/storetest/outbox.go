package storetest

import (
	"fmt"
	"sync"

	"nullaosta/server/core"
	"testing"
	"time"
)

func testOutbox(t *testing.T, su *suite) {
	db := su.open(t)
	NewUser(t, db, "mail@example.it")
	ms, err := db.PendingMail(ctx, 10)
	if err != nil || len(ms) != 1 || ms[0].To != "mail@example.it" || ms[0].Link == "" {
		t.Fatalf("PendingMail = %+v, %v", ms, err)
	}
	if err := db.MarkMailFailed(ctx, ms[0].ID, "rete", T0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ms, _ := db.PendingMail(ctx, 10); len(ms) != 0 {
		t.Fatalf("a failed mail is due again before its next attempt: %+v", ms)
	}
	su.setNow(T0.Add(2 * time.Minute))
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

// testOutboxClaim: senders calling PendingMail at the same moment (two instances on one
// database) get disjoint messages; a claimed message is not handed out again while its lease
// lasts, and is handed out again after it (its sender died before marking it).
func testOutboxClaim(t *testing.T, su *suite) {
	db := su.open(t)
	for i := range 6 {
		NewUser(t, db, fmt.Sprintf("claim%d@example.it", i))
	}
	var wg sync.WaitGroup
	got := make([][]core.Mail, 3)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if got[i], err = db.PendingMail(ctx, 4); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen := map[int64]int{}
	for _, ms := range got {
		for _, m := range ms {
			seen[m.ID]++
		}
	}
	if len(seen) != 6 {
		t.Fatalf("claimed %d distinct mails, want 6: %v", len(seen), seen)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("mail %d handed to %d senders", id, n)
		}
	}
	if ms, _ := db.PendingMail(ctx, 10); len(ms) != 0 {
		t.Fatalf("claimed mails handed out again during the lease: %+v", ms)
	}
	su.setNow(T0.Add(core.MailLease + time.Second))
	if ms, _ := db.PendingMail(ctx, 10); len(ms) != 6 {
		t.Fatalf("after the lease %d mails are due, want 6", len(ms))
	}
}
