package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Object stores (IndexedDB) and tables (the in-memory twin). Every value is a string under the
// key user+"\x00"+id, so that one key range lists one user's records and nothing else.
const (
	drafts   = "drafts"
	outbox   = "outbox"
	receipts = "receipts"
	settings = "settings"
)

var tables = []string{drafts, outbox, receipts, settings}

// VaultSettingPrefix starts the settings that stay in clear even when the store encrypts: the
// wrapped data key must be readable before the person is unlocked.
const VaultSettingPrefix = "vault."

// rawStore is what an implementation provides: strings under (table, user+"\x00"+id).
type rawStore interface {
	putRaw(ctx context.Context, table, key, value string) error
	getRaw(ctx context.Context, table, key string) (string, error) // ErrNotFound
	listRaw(ctx context.Context, table, user string) ([]rawRecord, error)
	deleteRaw(ctx context.Context, table, key string) error
}

// rawRecord is one value of a user's range, with the id its key ends with.
type rawRecord struct{ id, value string }

// records is the Store over a rawStore: the checks, JSON and, with a sealer, encryption. One
// implementation of them for both stores, so the twin cannot drift from IndexedDB.
type records struct {
	raw    rawStore
	sealer Sealer // nil: values in clear
}

// Encrypt returns s encrypting every record of a person with sl (see the package doc). s must
// come from NewMemory or OpenIndexedDB; the records already there in clear stay readable to
// their owner once unlocked and are encrypted by SealPlaintext.
func Encrypt(s Store, sl Sealer) (Store, error) {
	r, ok := s.(*records)
	if !ok {
		return nil, fmt.Errorf("store: %T non si può cifrare", s)
	}
	return &records{raw: r.raw, sealer: sl}, nil
}

// Close closes the underlying database, if it has one (tests delete their databases).
func (r *records) Close() error {
	if c, ok := r.raw.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// sealed says whether a value is kept encrypted: everything of a person except the vault's
// own settings; the device-wide settings (user "", who is logged in) stay in clear.
func (r *records) sealed(table, user, id string) bool {
	if r.sealer == nil {
		return false
	}
	return table != settings || (user != "" && !strings.HasPrefix(id, VaultSettingPrefix))
}

// aad names a record for the cipher: a value copied under another key does not open.
func aad(table, user, id string) string { return "nullaosta/" + table + "/" + user + "\x00" + id }

func (r *records) encode(ctx context.Context, table, user, id string, plain []byte) (string, error) {
	if !r.sealed(table, user, id) {
		return string(plain), nil
	}
	return r.sealer.Seal(ctx, user, aad(table, user, id), plain)
}

// decode returns a stored value in clear. A record in clear of before encryption is given to
// its owner only when unlocked: locked means nothing of the person shows.
func (r *records) decode(ctx context.Context, table, user, id, v string) ([]byte, error) {
	if !r.sealed(table, user, id) {
		return []byte(v), nil
	}
	if !r.sealer.Unlocked(user) {
		return nil, ErrLocked
	}
	if !r.sealer.IsSealed(v) {
		return []byte(v), nil
	}
	return r.sealer.Open(ctx, user, aad(table, user, id), v)
}

func (r *records) put(ctx context.Context, table, user, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s, err := r.encode(ctx, table, user, id, b)
	if err != nil {
		return err
	}
	return r.raw.putRaw(ctx, table, recordKey(user, id), s)
}

func (r *records) get(ctx context.Context, table, user, id string, v any) error {
	if r.sealer != nil && r.sealed(table, user, id) && !r.sealer.Unlocked(user) {
		return ErrLocked // even for a missing record: being locked says nothing about what exists
	}
	s, err := r.raw.getRaw(ctx, table, recordKey(user, id))
	if err != nil {
		return err
	}
	b, err := r.decode(ctx, table, user, id, s)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func list[T any](ctx context.Context, r *records, table, user string) ([]T, error) {
	if r.sealer != nil && r.sealed(table, user, "") && !r.sealer.Unlocked(user) {
		return nil, ErrLocked
	}
	raw, err := r.raw.listRaw(ctx, table, user)
	if err != nil {
		return nil, err
	}
	// Decrypt several at once: in the browser each is a WebCrypto promise, and waiting for
	// them one by one doubled the time of a list of 50 modules.
	out := make([]T, len(raw))
	errs := make([]error, len(raw))
	sem := make(chan struct{}, decodeAtOnce)
	var wg sync.WaitGroup
	for i, rec := range raw {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b, err := r.decode(ctx, table, user, rec.id, rec.value)
			if err == nil {
				if err = json.Unmarshal(b, &out[i]); err != nil {
					err = fmt.Errorf("store: record illeggibile in %s: %w", table, err)
				}
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeAtOnce bounds the records decrypted at the same time by one list.
const decodeAtOnce = 8

func (r *records) PutDraft(ctx context.Context, d Draft) error {
	if err := checkUser(d.User, false); err != nil {
		return err
	}
	if err := checkID("modulo", d.ModuleID); err != nil {
		return err
	}
	return r.put(ctx, drafts, d.User, d.ModuleID, d)
}

func (r *records) GetDraft(ctx context.Context, user, moduleID string) (Draft, error) {
	var d Draft
	err := r.get(ctx, drafts, user, moduleID, &d)
	return d, err
}

func (r *records) ListDrafts(ctx context.Context, user string) ([]Draft, error) {
	ds, err := list[Draft](ctx, r, drafts, user)
	sortDrafts(ds)
	return ds, err
}

func (r *records) DeleteDraft(ctx context.Context, user, moduleID string) error {
	return r.raw.deleteRaw(ctx, drafts, recordKey(user, moduleID))
}

func (r *records) PutOutbox(ctx context.Context, it OutboxItem) error {
	if err := checkUser(it.User, false); err != nil {
		return err
	}
	if err := checkID("identificativo di invio", it.SubmissionID); err != nil {
		return err
	}
	return r.put(ctx, outbox, it.User, it.SubmissionID, it)
}

func (r *records) ListOutbox(ctx context.Context, user string) ([]OutboxItem, error) {
	items, err := list[OutboxItem](ctx, r, outbox, user)
	sortOutbox(items)
	return items, err
}

func (r *records) DeleteOutbox(ctx context.Context, user, submissionID string) error {
	return r.raw.deleteRaw(ctx, outbox, recordKey(user, submissionID))
}

func (r *records) PutReceipt(ctx context.Context, rc Receipt) error {
	if err := checkUser(rc.User, false); err != nil {
		return err
	}
	if err := checkID("protocollo", rc.Protocol); err != nil {
		return err
	}
	return r.put(ctx, receipts, rc.User, rc.Protocol, rc)
}

func (r *records) ListReceipts(ctx context.Context, user string) ([]Receipt, error) {
	rs, err := list[Receipt](ctx, r, receipts, user)
	sortReceipts(rs)
	return rs, err
}

func (r *records) GetSetting(ctx context.Context, user, key string) (string, error) {
	if r.sealed(settings, user, key) && !r.sealer.Unlocked(user) {
		return "", ErrLocked
	}
	s, err := r.raw.getRaw(ctx, settings, recordKey(user, key))
	if err != nil {
		return "", err
	}
	b, err := r.decode(ctx, settings, user, key, s)
	return string(b), err
}

func (r *records) PutSetting(ctx context.Context, user, key, value string) error {
	if err := checkUser(user, true); err != nil {
		return err
	}
	if err := checkID("chiave", key); err != nil {
		return err
	}
	s, err := r.encode(ctx, settings, user, key, []byte(value))
	if err != nil {
		return err
	}
	return r.raw.putRaw(ctx, settings, recordKey(user, key), s)
}

func (r *records) DeleteSetting(ctx context.Context, user, key string) error {
	return r.raw.deleteRaw(ctx, settings, recordKey(user, key))
}

// SealPlaintext encrypts the records of user still in clear (written before the store
// encrypted, or by a version without it) and returns how many. The app calls it at every
// unlock, so an upgraded device is encrypted at each person's first login.
func SealPlaintext(ctx context.Context, s Store, user string) (int, error) {
	r, ok := s.(*records)
	if !ok || r.sealer == nil {
		return 0, nil
	}
	if !r.sealer.Unlocked(user) {
		return 0, ErrLocked
	}
	n := 0
	for _, table := range tables {
		raw, err := r.raw.listRaw(ctx, table, user)
		if err != nil {
			return n, err
		}
		for _, rec := range raw {
			if !r.sealed(table, user, rec.id) || r.sealer.IsSealed(rec.value) {
				continue
			}
			v, err := r.sealer.Seal(ctx, user, aad(table, user, rec.id), []byte(rec.value))
			if err != nil {
				return n, err
			}
			if err := r.raw.putRaw(ctx, table, recordKey(user, rec.id), v); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// Forget deletes every record of user that is encrypted (drafts, queue, receipts, sealed
// settings), keeping the vault's settings: what a person chooses to drop when a password
// reset left them without the key that opens it.
func Forget(ctx context.Context, s Store, user string) error {
	r, ok := s.(*records)
	if !ok {
		return fmt.Errorf("store: %T non supporta l'eliminazione", s)
	}
	if err := checkUser(user, false); err != nil {
		return err
	}
	for _, table := range tables {
		raw, err := r.raw.listRaw(ctx, table, user)
		if err != nil {
			return err
		}
		for _, rec := range raw {
			if table == settings && strings.HasPrefix(rec.id, VaultSettingPrefix) {
				continue
			}
			if err := r.raw.deleteRaw(ctx, table, recordKey(user, rec.id)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Counts says how many records user has in each object store, without reading them: what a
// person about to drop undecryptable data is told they lose.
func Counts(ctx context.Context, s Store, user string) (map[string]int, error) {
	r, ok := s.(*records)
	if !ok {
		return nil, errors.New("store: conteggio non disponibile")
	}
	out := map[string]int{}
	for _, table := range tables {
		raw, err := r.raw.listRaw(ctx, table, user)
		if err != nil {
			return nil, err
		}
		out[table] = len(raw)
	}
	return out, nil
}

// Raw returns every stored value of user, as the device keeps it (ciphertext when encrypted):
// what anyone who opens the browser's storage sees. For tests and diagnostics.
func Raw(ctx context.Context, s Store, user string) ([]string, error) {
	r, ok := s.(*records)
	if !ok {
		return nil, errors.New("store: lettura grezza non disponibile")
	}
	var out []string
	for _, table := range tables {
		raw, err := r.raw.listRaw(ctx, table, user)
		if err != nil {
			return nil, err
		}
		for _, rec := range raw {
			out = append(out, table+"/"+user+"/"+rec.id+": "+rec.value)
		}
	}
	return out, nil
}

// Plain returns s without encryption: the values as stored, for what is kept in clear (the
// vault's settings) and what was written before encryption.
func Plain(s Store) Store {
	if r, ok := s.(*records); ok && r.sealer != nil {
		return &records{raw: r.raw}
	}
	return s
}
