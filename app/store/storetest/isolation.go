package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"nullaosta/app/store"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// testIsolation fills the store for one user and checks that others see nothing of it,
// including users whose e-mail starts with the first one's.
func testIsolation(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustOK(t, s.PutDraft(ctx, Draft(anna, "EM-ANNA")))
	mustOK(t, s.PutOutbox(ctx, store.OutboxItem{User: anna, SubmissionID: "sub-anna", ModuleID: "EM-ANNA", CreatedAt: t0}))
	mustOK(t, s.PutReceipt(ctx, Receipt(anna, "EM2009-0000001", "2026-11-23T14:05:09Z")))
	mustOK(t, s.PutSetting(ctx, anna, "token", "segreto"))

	for _, other := range []string{bruno, "anna@example.i", anna + ".evil", "ANNA@example.it", "x" + anna} {
		ds, err := s.ListDrafts(ctx, other)
		mustOK(t, err)
		items, err := s.ListOutbox(ctx, other)
		mustOK(t, err)
		rs, err := s.ListReceipts(ctx, other)
		mustOK(t, err)
		if len(ds)+len(items)+len(rs) != 0 {
			t.Errorf("%s sees %d drafts, %d queued, %d receipts of %s", other, len(ds), len(items), len(rs), anna)
		}
		if _, err := s.GetDraft(ctx, other, "EM-ANNA"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s GetDraft of %s's module: %v, want ErrNotFound", other, anna, err)
		}
		if _, err := s.GetSetting(ctx, other, "token"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s GetSetting of %s's token: %v, want ErrNotFound", other, anna, err)
		}
		// Deleting by id as another user leaves the owner's records alone.
		mustOK(t, s.DeleteDraft(ctx, other, "EM-ANNA"))
		mustOK(t, s.DeleteOutbox(ctx, other, "sub-anna"))
		mustOK(t, s.DeleteSetting(ctx, other, "token"))
	}

	// The same module id under two users is two drafts.
	b := Draft(bruno, "EM-ANNA")
	b.Data = shared.Data{"lavoratore.nome": "di Bruno"}
	mustOK(t, s.PutDraft(ctx, b))
	got, err := s.GetDraft(ctx, anna, "EM-ANNA")
	mustOK(t, err)
	sameJSON(t, "anna's draft", got, Draft(anna, "EM-ANNA"))
	got, err = s.GetDraft(ctx, bruno, "EM-ANNA")
	mustOK(t, err)
	sameJSON(t, "bruno's draft", got, b)

	items, _ := s.ListOutbox(ctx, anna)
	rs, _ := s.ListReceipts(ctx, anna)
	if len(items) != 1 || len(rs) != 1 {
		t.Errorf("anna's records after the others' deletes: %d queued, %d receipts", len(items), len(rs))
	}
	checkSetting(t, s, anna, "token", "segreto")
}

func testInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	noUser := Draft("", "EM-1")
	noID := Draft(anna, "")
	nul := Draft("a\x00b", "EM-1")
	for name, err := range map[string]error{
		"draft without user":       s.PutDraft(ctx, noUser),
		"draft without module id":  s.PutDraft(ctx, noID),
		"draft of user with NUL":   s.PutDraft(ctx, nul),
		"outbox without user":      s.PutOutbox(ctx, store.OutboxItem{SubmissionID: "s"}),
		"outbox without id":        s.PutOutbox(ctx, store.OutboxItem{User: anna}),
		"receipt without user":     s.PutReceipt(ctx, store.NewReceipt("", wire.Receipt{Protocol: "P"})),
		"receipt without number":   s.PutReceipt(ctx, store.NewReceipt(anna, wire.Receipt{})),
		"setting without key":      s.PutSetting(ctx, anna, "", "v"),
		"setting of user with NUL": s.PutSetting(ctx, "a\x00b", "k", "v"),
	} {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	ds, _ := s.ListDrafts(ctx, "a")
	if len(ds) != 0 {
		t.Errorf("an invalid draft was stored: %v", ds)
	}
}

// testConcurrent writes from many goroutines at once, as the UI's autosave, the send queue and
// a receipts refresh do: every write must land.
func testConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := []string{anna, bruno}[i%2]
			d := Draft(user, fmt.Sprintf("EM-%02d", i))
			errs <- s.PutDraft(ctx, d)
			errs <- s.PutOutbox(ctx, store.OutboxItem{User: user, SubmissionID: fmt.Sprintf("sub-%02d", i), CreatedAt: t0.Add(time.Duration(i) * time.Second)})
			errs <- s.PutReceipt(ctx, Receipt(user, fmt.Sprintf("P-%02d", i), t0.Add(time.Duration(i)*time.Second).Format(time.RFC3339)))
			errs <- s.PutSetting(ctx, user, fmt.Sprintf("k%02d", i), "v")
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		mustOK(t, err)
	}
	for _, user := range []string{anna, bruno} {
		ds, err := s.ListDrafts(ctx, user)
		mustOK(t, err)
		items, err := s.ListOutbox(ctx, user)
		mustOK(t, err)
		rs, err := s.ListReceipts(ctx, user)
		mustOK(t, err)
		if len(ds) != n/2 || len(items) != n/2 || len(rs) != n/2 {
			t.Errorf("%s: %d drafts, %d queued, %d receipts; want %d each", user, len(ds), len(items), len(rs), n/2)
		}
	}
	// Concurrent overwrites of one draft: the last write wins whole, never a mix.
	var wg2 sync.WaitGroup
	for i := range n {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			d := Draft(anna, "EM-SAME")
			d.Data = shared.Data{"who": fmt.Sprint(i), "copy": fmt.Sprint(i)}
			mustOK(t, s.PutDraft(ctx, d))
		}()
	}
	wg2.Wait()
	got, err := s.GetDraft(ctx, anna, "EM-SAME")
	mustOK(t, err)
	if got.Data["who"] != got.Data["copy"] {
		t.Errorf("concurrent overwrites mixed two drafts: %v", got.Data)
	}
}
