package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"nullaosta/app/store"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

func testOutbox(t *testing.T, s store.Store) {
	ctx := context.Background()
	items, err := s.ListOutbox(ctx, anna)
	if err != nil || len(items) != 0 {
		t.Fatalf("ListOutbox of an empty store = %v, %v", items, err)
	}
	// Put in an order that differs from both CreatedAt and SubmissionID order.
	mk := func(id string, created time.Duration) store.OutboxItem {
		return store.OutboxItem{
			User: anna, SubmissionID: id, ModuleID: "EM-" + id,
			Data:        shared.Data{"a": "x", "b": true},
			NextAttempt: t0.Add(time.Hour), CreatedAt: t0.Add(created),
		}
	}
	mustOK(t, s.PutOutbox(ctx, mk("b-second", 2*time.Second)))
	mustOK(t, s.PutOutbox(ctx, mk("c-first", time.Second)))
	mustOK(t, s.PutOutbox(ctx, mk("a-third", 3*time.Second)))
	mustOK(t, s.PutOutbox(ctx, mk("z-tie", 3*time.Second))) // same CreatedAt: SubmissionID decides
	items, err = s.ListOutbox(ctx, anna)
	mustOK(t, err)
	if ids := outboxIDs(items); ids != "c-first,b-second,a-third,z-tie" {
		t.Errorf("ListOutbox order = %s, want c-first,b-second,a-third,z-tie (by CreatedAt)", ids)
	}
	sameJSON(t, "outbox item", items[0], mk("c-first", time.Second))

	// A retry overwrites the item in place.
	it := mk("b-second", 2*time.Second)
	it.Attempts, it.LastError, it.NextAttempt = 3, "server occupato", t0.Add(5*time.Minute)
	mustOK(t, s.PutOutbox(ctx, it))
	items, _ = s.ListOutbox(ctx, anna)
	if len(items) != 4 {
		t.Fatalf("overwrite changed the number of items: %d", len(items))
	}
	sameJSON(t, "outbox item after overwrite", items[1], it)

	mustOK(t, s.DeleteOutbox(ctx, anna, "b-second"))
	mustOK(t, s.DeleteOutbox(ctx, anna, "b-second"))
	items, _ = s.ListOutbox(ctx, anna)
	if ids := outboxIDs(items); ids != "c-first,a-third,z-tie" {
		t.Errorf("ListOutbox after delete = %s", ids)
	}
}

// Receipt returns a receipt with every field set.
func Receipt(user, protocol, receivedAt string) store.Receipt {
	return store.NewReceipt(user, wire.Receipt{
		Protocol: protocol, CampaignID: "em2009", ModuleID: "EM-7K3Q-9XHD-4",
		SubmissionID: "6f1c2a8e-1b1e-4c8e-9a5e-3f9d2b7c4a10", ReceivedAt: receivedAt,
		ReceivedAtRome: "23/11/2026 15:05:09", Sportello: "Sportello Unico di Roma", Provincia: "RM",
		SHA256: strings.Repeat("ab", 32), Signature: "c2lnbmF0dXJl", KeyID: "k1",
	})
}

func testReceipts(t *testing.T, s store.Store) {
	ctx := context.Background()
	rs, err := s.ListReceipts(ctx, anna)
	if err != nil || len(rs) != 0 {
		t.Fatalf("ListReceipts of an empty store = %v, %v", rs, err)
	}
	// Fractional seconds: "…09.5Z" is newer than "…09Z" though it sorts before it as text.
	mustOK(t, s.PutReceipt(ctx, Receipt(anna, "EM2009-0000002", "2026-11-23T14:05:09Z")))
	mustOK(t, s.PutReceipt(ctx, Receipt(anna, "EM2009-0000003", "2026-11-23T14:05:09.5Z")))
	mustOK(t, s.PutReceipt(ctx, Receipt(anna, "EM2009-0000001", "2026-11-22T08:00:00Z")))
	mustOK(t, s.PutReceipt(ctx, Receipt(anna, "EM2009-0000004", "2026-11-24T08:00:00Z")))
	rs, err = s.ListReceipts(ctx, anna)
	mustOK(t, err)
	if ps := protocols(rs); ps != "EM2009-0000004,EM2009-0000003,EM2009-0000002,EM2009-0000001" {
		t.Errorf("ListReceipts order = %s, want newest first", ps)
	}
	sameJSON(t, "receipt", rs[3], Receipt(anna, "EM2009-0000001", "2026-11-22T08:00:00Z"))

	// Refreshing from the server overwrites a receipt with the same protocol.
	r := Receipt(anna, "EM2009-0000001", "2026-11-22T08:00:00Z")
	r.Sportello = "Sportello Unico di Milano"
	mustOK(t, s.PutReceipt(ctx, r))
	rs, _ = s.ListReceipts(ctx, anna)
	if len(rs) != 4 || rs[3].Sportello != "Sportello Unico di Milano" {
		t.Errorf("overwrite of a receipt: %d receipts, last %+v", len(rs), rs[len(rs)-1])
	}
}

func testSettings(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.GetSetting(ctx, anna, "token"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetSetting of an unset key: %v, want ErrNotFound", err)
	}
	mustOK(t, s.PutSetting(ctx, anna, "token", "t1"))
	mustOK(t, s.PutSetting(ctx, "", "utente", anna)) // device-wide: who is logged in
	mustOK(t, s.PutSetting(ctx, anna, "vuoto", ""))  // an empty value is a value
	checkSetting(t, s, anna, "token", "t1")
	checkSetting(t, s, "", "utente", anna)
	checkSetting(t, s, anna, "vuoto", "")
	if _, err := s.GetSetting(ctx, "", "token"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a user's setting is visible device-wide: %v", err)
	}
	if _, err := s.GetSetting(ctx, anna, "utente"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a device-wide setting is visible as a user's: %v", err)
	}
	mustOK(t, s.PutSetting(ctx, anna, "token", "t2"))
	checkSetting(t, s, anna, "token", "t2")
	big := strings.Repeat("[{\"id\":\"em2009\"}]", 20000)
	mustOK(t, s.PutSetting(ctx, anna, "campaigns", big))
	checkSetting(t, s, anna, "campaigns", big)

	mustOK(t, s.DeleteSetting(ctx, anna, "token"))
	mustOK(t, s.DeleteSetting(ctx, anna, "token"))
	if _, err := s.GetSetting(ctx, anna, "token"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetSetting after delete: %v, want ErrNotFound", err)
	}
	checkSetting(t, s, "", "utente", anna)
}

func checkSetting(t *testing.T, s store.Store, user, key, want string) {
	t.Helper()
	got, err := s.GetSetting(context.Background(), user, key)
	if err != nil || got != want {
		if len(got) > 40 {
			got = got[:40] + "…"
		}
		t.Errorf("GetSetting(%q, %q) = %q, %v; want %.40q", user, key, got, err, want)
	}
}

func outboxIDs(items []store.OutboxItem) string {
	var ids []string
	for _, it := range items {
		ids = append(ids, it.SubmissionID)
	}
	return strings.Join(ids, ",")
}

func protocols(rs []store.Receipt) string {
	var ps []string
	for _, r := range rs {
		ps = append(ps, r.Protocol)
	}
	return strings.Join(ps, ",")
}
