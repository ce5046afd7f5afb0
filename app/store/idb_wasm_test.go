//go:build js && wasm

package store_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"nullaosta/app/store"
	"nullaosta/app/store/storetest"
)

// Run in headless Chromium: GOOS=js GOARCH=wasm with wasmbrowsertest as go_js_wasm_exec.

func TestIndexedDB(t *testing.T) {
	storetest.Run(t, storetest.OpenIndexedDB)
}

func TestIndexedDBEncrypted(t *testing.T) {
	storetest.RunEncrypted(t, storetest.OpenIndexedDB)
}

// TestIndexedDBReopen checks that what was written is there after closing and reopening the
// database, as after a reload.
func TestIndexedDBReopen(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	name := fmt.Sprintf("nullaosta-reopen-%d", time.Now().UnixNano())
	defer store.DeleteIndexedDB(ctx, name)
	s, err := store.OpenIndexedDB(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutDraft(ctx, storetest.Draft("anna@example.it", "EM-1")); err != nil {
		t.Fatal(err)
	}
	s.(io.Closer).Close()
	s, err = store.OpenIndexedDB(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer s.(io.Closer).Close()
	if _, err := s.GetDraft(ctx, "anna@example.it", "EM-1"); err != nil {
		t.Fatalf("after reopening: %v", err)
	}
}

func TestPersistenceAndEstimate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	granted, err := store.RequestPersistence(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("persistence granted: %v", granted) // headless Chromium may refuse
	usage, quota, err := store.Estimate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if quota <= 0 || usage < 0 {
		t.Errorf("Estimate = %d, %d", usage, quota)
	}
	t.Logf("usage %d of quota %d", usage, quota)
}
