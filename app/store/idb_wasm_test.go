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
	"nullaosta/app/vault"
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

// benchStores runs f on IndexedDB in clear and encrypted: the cost of encryption on the saves
// of the compiler (one PutDraft after each pause in typing) and on opening the lists.
func benchStores(b *testing.B, f func(b *testing.B, s store.Store)) {
	for _, enc := range []bool{false, true} {
		name := "plain"
		if enc {
			name = "encrypted"
		}
		b.Run(name, func(b *testing.B) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			dbName := fmt.Sprintf("nullaosta-bench-%d", time.Now().UnixNano())
			s, err := store.OpenIndexedDB(ctx, dbName)
			if err != nil {
				b.Fatal(err)
			}
			defer store.DeleteIndexedDB(ctx, dbName)
			defer s.(io.Closer).Close()
			if enc {
				k, err := vault.Random()
				if err != nil {
					b.Fatal(err)
				}
				kr := vault.NewKeyring()
				kr.Set("anna@example.it", k)
				if s, err = store.Encrypt(s, kr); err != nil {
					b.Fatal(err)
				}
			}
			f(b, s)
		})
	}
}

func BenchmarkPutDraft(b *testing.B) {
	benchStores(b, func(b *testing.B, s store.Store) {
		d := storetest.Draft("anna@example.it", "EM-1")
		d.Data = storetest.TypicalModule()
		for b.Loop() {
			if err := s.PutDraft(context.Background(), d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkGetDraft(b *testing.B) {
	benchStores(b, func(b *testing.B, s store.Store) {
		d := storetest.Draft("anna@example.it", "EM-1")
		d.Data = storetest.TypicalModule()
		if err := s.PutDraft(context.Background(), d); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := s.GetDraft(context.Background(), "anna@example.it", "EM-1"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListDrafts50 is opening «Compila» with 50 modules on the device.
func BenchmarkListDrafts50(b *testing.B) {
	benchStores(b, func(b *testing.B, s store.Store) {
		for i := range 50 {
			d := storetest.Draft("anna@example.it", fmt.Sprintf("EM-%02d", i))
			d.Data = storetest.TypicalModule()
			if err := s.PutDraft(context.Background(), d); err != nil {
				b.Fatal(err)
			}
		}
		for b.Loop() {
			if ds, err := s.ListDrafts(context.Background(), "anna@example.it"); err != nil || len(ds) != 50 {
				b.Fatal(len(ds), err)
			}
		}
	})
}
