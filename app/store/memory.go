package store

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
)

// memory is the in-memory twin of the IndexedDB store. Records are kept JSON-encoded, exactly
// as IndexedDB keeps them, so that both implementations hand back the same values (a number
// in Data comes back as float64 from both) and no caller can alias a stored map.
type memory struct {
	mu       sync.RWMutex
	drafts   map[string][]byte
	outbox   map[string][]byte
	receipts map[string][]byte
	settings map[string]string
}

// NewMemory returns an empty store that lives as long as the process: for tests, for the
// server-side rendering of components and wherever IndexedDB is missing.
func NewMemory() Store {
	return &memory{
		drafts:   map[string][]byte{},
		outbox:   map[string][]byte{},
		receipts: map[string][]byte{},
		settings: map[string]string{},
	}
}

func (m *memory) PutDraft(ctx context.Context, d Draft) error {
	if err := checkUser(d.User, false); err != nil {
		return err
	}
	if err := checkID("modulo", d.ModuleID); err != nil {
		return err
	}
	return m.put(m.drafts, d.User, d.ModuleID, d)
}

func (m *memory) GetDraft(ctx context.Context, user, moduleID string) (Draft, error) {
	var d Draft
	err := m.get(m.drafts, user, moduleID, &d)
	return d, err
}

func (m *memory) ListDrafts(ctx context.Context, user string) ([]Draft, error) {
	ds, err := list[Draft](m, m.drafts, user)
	sortDrafts(ds)
	return ds, err
}

func (m *memory) DeleteDraft(ctx context.Context, user, moduleID string) error {
	return m.delete(m.drafts, user, moduleID)
}

func (m *memory) PutOutbox(ctx context.Context, it OutboxItem) error {
	if err := checkUser(it.User, false); err != nil {
		return err
	}
	if err := checkID("identificativo di invio", it.SubmissionID); err != nil {
		return err
	}
	return m.put(m.outbox, it.User, it.SubmissionID, it)
}

func (m *memory) ListOutbox(ctx context.Context, user string) ([]OutboxItem, error) {
	items, err := list[OutboxItem](m, m.outbox, user)
	sortOutbox(items)
	return items, err
}

func (m *memory) DeleteOutbox(ctx context.Context, user, submissionID string) error {
	return m.delete(m.outbox, user, submissionID)
}

func (m *memory) PutReceipt(ctx context.Context, r Receipt) error {
	if err := checkUser(r.User, false); err != nil {
		return err
	}
	if err := checkID("protocollo", r.Protocol); err != nil {
		return err
	}
	return m.put(m.receipts, r.User, r.Protocol, r)
}

func (m *memory) ListReceipts(ctx context.Context, user string) ([]Receipt, error) {
	rs, err := list[Receipt](m, m.receipts, user)
	sortReceipts(rs)
	return rs, err
}

func (m *memory) GetSetting(ctx context.Context, user, key string) (string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.settings[recordKey(user, key)]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (m *memory) PutSetting(ctx context.Context, user, key, value string) error {
	if err := checkUser(user, true); err != nil {
		return err
	}
	if err := checkID("chiave", key); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settings[recordKey(user, key)] = value
	return nil
}

func (m *memory) DeleteSetting(ctx context.Context, user, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.settings, recordKey(user, key))
	return nil
}

func (m *memory) put(table map[string][]byte, user, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	table[recordKey(user, id)] = b
	return nil
}

func (m *memory) get(table map[string][]byte, user, id string, v any) error {
	m.mu.RLock()
	b, ok := table[recordKey(user, id)]
	m.mu.RUnlock()
	if !ok {
		return ErrNotFound
	}
	return json.Unmarshal(b, v)
}

// delete is idempotent, like IndexedDB's: deleting what is not there is not an error.
func (m *memory) delete(table map[string][]byte, user, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(table, recordKey(user, id))
	return nil
}

func list[T any](m *memory, table map[string][]byte, user string) ([]T, error) {
	m.mu.RLock()
	var raw [][]byte
	prefix := recordKey(user, "")
	for k, b := range table {
		if strings.HasPrefix(k, prefix) {
			raw = append(raw, b)
		}
	}
	m.mu.RUnlock()
	out := make([]T, 0, len(raw))
	for _, b := range raw {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
