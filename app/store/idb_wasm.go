//go:build js && wasm

package store

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"
)

// schemaVersion is the IndexedDB version of the layout (the object stores of codec.go). Raise it and add a step to
// upgrade when the layout changes; the browser runs upgrade before the first transaction.
const schemaVersion = 1

// upgrade brings a database from oldVersion to schemaVersion, one step per version, so that a
// device that skipped versions still ends up with the current layout and keeps its drafts.
func upgrade(db *idb.Database, oldVersion, newVersion uint) error {
	if oldVersion < 1 {
		for _, name := range []string{drafts, outbox, receipts, settings} {
			if _, err := db.CreateObjectStore(name, idb.ObjectStoreOptions{}); err != nil {
				return fmt.Errorf("store: creazione di %s: %w", name, err)
			}
		}
	}
	return nil
}

// indexedDB is the browser's store. Every write awaits its transaction's completion, so when a
// Put returns the record is committed and survives closing the tab.
type indexedDB struct {
	db *idb.Database
}

// OpenIndexedDB opens (creating or upgrading) the database with that name. It fails when the
// browser has no IndexedDB (some private modes) or another tab keeps an older version open
// until ctx ends.
func OpenIndexedDB(ctx context.Context, name string) (s Store, err error) {
	defer recoverTo(&err)
	if !js.Global().Get("indexedDB").Truthy() {
		return nil, errors.New("store: questo browser non offre IndexedDB (navigazione privata?)")
	}
	req, err := idb.Global().Open(ctx, name, schemaVersion, upgrade)
	if err != nil {
		return nil, err
	}
	db, err := req.Await(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: apertura del database %q: %w", name, err)
	}
	return &records{raw: &indexedDB{db: db}}, nil
}

// Close closes the connection. The Store interface has no Close because the app keeps one
// store for its whole life; tests close to delete their databases.
func (s *indexedDB) Close() error { return s.db.Close() }

// DeleteIndexedDB deletes a database (tests; "forget this device" someday).
func DeleteIndexedDB(ctx context.Context, name string) (err error) {
	defer recoverTo(&err)
	req, err := idb.Global().DeleteDatabase(name)
	if err != nil {
		return err
	}
	return req.Await(ctx)
}
