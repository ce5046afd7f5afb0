//go:build js && wasm

package store

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"
)

// Object stores. Every record is a JSON string under the out-of-line key user+"\x00"+id, so
// that one key range lists one user's records and nothing else.
const (
	drafts   = "drafts"
	outbox   = "outbox"
	receipts = "receipts"
	settings = "settings"
)

// schemaVersion is the IndexedDB version of the layout above. Raise it and add a step to
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
	return &indexedDB{db: db}, nil
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

func (s *indexedDB) PutDraft(ctx context.Context, d Draft) error {
	if err := checkUser(d.User, false); err != nil {
		return err
	}
	if err := checkID("modulo", d.ModuleID); err != nil {
		return err
	}
	return s.putJSON(ctx, drafts, recordKey(d.User, d.ModuleID), d)
}

func (s *indexedDB) GetDraft(ctx context.Context, user, moduleID string) (Draft, error) {
	var d Draft
	err := s.getJSON(ctx, drafts, recordKey(user, moduleID), &d)
	return d, err
}

func (s *indexedDB) ListDrafts(ctx context.Context, user string) ([]Draft, error) {
	ds, err := listJSON[Draft](ctx, s, drafts, user)
	sortDrafts(ds)
	return ds, err
}

func (s *indexedDB) DeleteDraft(ctx context.Context, user, moduleID string) error {
	return s.delete(ctx, drafts, recordKey(user, moduleID))
}

func (s *indexedDB) PutOutbox(ctx context.Context, it OutboxItem) error {
	if err := checkUser(it.User, false); err != nil {
		return err
	}
	if err := checkID("identificativo di invio", it.SubmissionID); err != nil {
		return err
	}
	return s.putJSON(ctx, outbox, recordKey(it.User, it.SubmissionID), it)
}

func (s *indexedDB) ListOutbox(ctx context.Context, user string) ([]OutboxItem, error) {
	items, err := listJSON[OutboxItem](ctx, s, outbox, user)
	sortOutbox(items)
	return items, err
}

func (s *indexedDB) DeleteOutbox(ctx context.Context, user, submissionID string) error {
	return s.delete(ctx, outbox, recordKey(user, submissionID))
}

func (s *indexedDB) PutReceipt(ctx context.Context, r Receipt) error {
	if err := checkUser(r.User, false); err != nil {
		return err
	}
	if err := checkID("protocollo", r.Protocol); err != nil {
		return err
	}
	return s.putJSON(ctx, receipts, recordKey(r.User, r.Protocol), r)
}

func (s *indexedDB) ListReceipts(ctx context.Context, user string) ([]Receipt, error) {
	rs, err := listJSON[Receipt](ctx, s, receipts, user)
	sortReceipts(rs)
	return rs, err
}

func (s *indexedDB) GetSetting(ctx context.Context, user, key string) (string, error) {
	return s.get(ctx, settings, recordKey(user, key))
}

func (s *indexedDB) PutSetting(ctx context.Context, user, key, value string) error {
	if err := checkUser(user, true); err != nil {
		return err
	}
	if err := checkID("chiave", key); err != nil {
		return err
	}
	return s.put(ctx, settings, recordKey(user, key), value)
}

func (s *indexedDB) DeleteSetting(ctx context.Context, user, key string) error {
	return s.delete(ctx, settings, recordKey(user, key))
}
