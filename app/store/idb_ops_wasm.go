//go:build js && wasm

package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall/js"

	"github.com/hack-pad/go-indexeddb/idb"
)

// The helpers below are the only code that talks to go-indexeddb. Each opens one transaction
// and issues its request at once: a transaction that sees the event loop with nothing pending
// commits, so nothing may block between Transaction and the request.

// putRaw writes value under key and waits until the transaction has committed.
func (s *indexedDB) putRaw(ctx context.Context, store, key, value string) (err error) {
	defer recoverTo(&err)
	txn, os, err := s.objectStore(store, idb.TransactionReadWrite)
	if err != nil {
		return err
	}
	if _, err := os.PutKey(js.ValueOf(key), js.ValueOf(value)); err != nil {
		return wrapIDB(err)
	}
	return wrapIDB(txn.Await(ctx))
}

// getRaw reads the string under key; ErrNotFound when there is none.
func (s *indexedDB) getRaw(ctx context.Context, store, key string) (_ string, err error) {
	defer recoverTo(&err)
	_, os, err := s.objectStore(store, idb.TransactionReadOnly)
	if err != nil {
		return "", err
	}
	req, err := os.Get(js.ValueOf(key))
	if err != nil {
		return "", wrapIDB(err)
	}
	v, err := req.Await(ctx)
	if err != nil {
		return "", wrapIDB(err)
	}
	if v.Type() != js.TypeString {
		return "", ErrNotFound
	}
	return v.String(), nil
}

// deleteRaw removes key; deleting what is not there is not an error (IndexedDB's own rule).
func (s *indexedDB) deleteRaw(ctx context.Context, store, key string) (err error) {
	defer recoverTo(&err)
	txn, os, err := s.objectStore(store, idb.TransactionReadWrite)
	if err != nil {
		return err
	}
	if _, err := os.Delete(js.ValueOf(key)); err != nil {
		return wrapIDB(err)
	}
	return wrapIDB(txn.Await(ctx))
}

// listRaw returns every value of user in store, walking a cursor over the user's key range
// (go-indexeddb has no getAll for values). Decoding (and decrypting, which awaits WebCrypto)
// happens after the transaction: awaiting anything else inside it would let it commit early.
func (s *indexedDB) listRaw(ctx context.Context, store, user string) (_ []rawRecord, err error) {
	defer recoverTo(&err)
	_, os, err := s.objectStore(store, idb.TransactionReadOnly)
	if err != nil {
		return nil, err
	}
	// [user+"\x00", user+"\x01"): every key user+"\x00"+id and nothing of another user, since
	// users contain no NUL (checkUser).
	kr, err := idb.NewKeyRangeBound(js.ValueOf(user+"\x00"), js.ValueOf(user+"\x01"), false, true)
	if err != nil {
		return nil, wrapIDB(err)
	}
	req, err := os.OpenCursorRange(kr, idb.CursorNext)
	if err != nil {
		return nil, wrapIDB(err)
	}
	var out []rawRecord
	prefix := user + "\x00"
	err = req.Iter(ctx, func(c *idb.CursorWithValue) error {
		k, err := c.Key()
		if err != nil {
			return err
		}
		v, err := c.Value()
		if err != nil {
			return err
		}
		if v.Type() != js.TypeString || k.Type() != js.TypeString {
			return fmt.Errorf("store: record illeggibile in %s", store)
		}
		out = append(out, rawRecord{id: strings.TrimPrefix(k.String(), prefix), value: v.String()})
		return nil
	})
	if err != nil {
		return nil, wrapIDB(err)
	}
	return out, nil
}

func (s *indexedDB) objectStore(name string, mode idb.TransactionMode) (*idb.Transaction, *idb.ObjectStore, error) {
	txn, err := s.db.Transaction(mode, name)
	if err != nil {
		return nil, nil, wrapIDB(err)
	}
	os, err := txn.ObjectStore(name)
	if err != nil {
		return nil, nil, wrapIDB(err)
	}
	return txn, os, nil
}

// wrapIDB turns the browser's QuotaExceededError into ErrQuotaExceeded, which the UI can
// recognise with errors.Is and explain to the person.
func wrapIDB(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, idb.NewDOMException("QuotaExceededError")) {
		return fmt.Errorf("%w (%v)", ErrQuotaExceeded, err)
	}
	return err
}

// recoverTo turns a panic inside go-indexeddb (it panics on some unexpected JS values) into an
// error, so that a storage failure is shown to the person rather than killing the app.
func recoverTo(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(error); ok {
			*err = fmt.Errorf("store: errore di IndexedDB: %w", e)
			return
		}
		*err = fmt.Errorf("store: errore di IndexedDB: %v", r)
	}
}
