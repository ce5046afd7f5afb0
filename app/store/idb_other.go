//go:build !(js && wasm)

package store

import (
	"context"
)

// OpenIndexedDB is the non-browser twin of the IndexedDB opener: it always fails. Use
// NewMemory outside the browser.
func OpenIndexedDB(ctx context.Context, name string) (Store, error) { return nil, ErrNoBrowser }

// DeleteIndexedDB is the non-browser twin: it always fails.
func DeleteIndexedDB(ctx context.Context, name string) error { return ErrNoBrowser }

// RequestPersistence is the non-browser twin: it always fails.
func RequestPersistence(ctx context.Context) (bool, error) { return false, ErrNoBrowser }

// Estimate is the non-browser twin: it always fails.
func Estimate(ctx context.Context) (usage, quota int64, err error) { return 0, 0, ErrNoBrowser }
