//go:build js && wasm

package storetest

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"nullaosta/app/store"
)

var dbSeq atomic.Int64

// OpenIndexedDB opens a fresh IndexedDB database for one test and closes and deletes it when
// the test ends, so tests in one browser never see each other's records.
func OpenIndexedDB(t *testing.T) store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	name := fmt.Sprintf("nullaosta-test-%d-%d", time.Now().UnixNano(), dbSeq.Add(1))
	s, err := store.OpenIndexedDB(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if c, ok := s.(io.Closer); ok {
			c.Close()
		}
		if err := store.DeleteIndexedDB(ctx, name); err != nil {
			t.Errorf("deleting %s: %v", name, err)
		}
	})
	return s
}
