// Package storetest is the one test suite every store.Store implementation must pass: the
// in-memory twin natively and IndexedDB in headless Chromium, so the twin can stand in for the
// browser in every other test.
package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"nullaosta/app/store"
)

// Run runs the suite. open must return a new, empty store for each call.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Drafts", testDrafts},
		{"DraftValues", testDraftValues},
		{"DraftNotAliased", testDraftNotAliased},
		{"LargeDraft", testLargeDraft},
		{"Outbox", testOutbox},
		{"Receipts", testReceipts},
		{"Settings", testSettings},
		{"Isolation", testIsolation},
		{"Invalid", testInvalid},
		{"Concurrent", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var t0 = time.Date(2026, 11, 23, 14, 5, 9, 123456000, time.UTC)

const (
	anna  = "anna@example.it"
	bruno = "bruno@example.it"
)

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sameJSON compares as the stores keep records: two values are the same record when they
// encode alike (a time in another zone or without its monotonic clock is still the same time).
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	mustOK(t, err)
	w, err := json.Marshal(want)
	mustOK(t, err)
	if string(g) != string(w) {
		t.Errorf("%s:\n got %.600s\nwant %.600s", what, g, w)
	}
}
