package store

import (
	"context"
	"strings"
	"sync"
)

// memory is the in-memory twin of the IndexedDB store: strings under the same keys, exactly as
// IndexedDB keeps them, so that both implementations hand back the same values (a number in
// Data comes back as float64 from both) and no caller can alias a stored map.
type memory struct {
	mu     sync.RWMutex
	tables map[string]map[string]string
}

// NewMemory returns an empty store that lives as long as the process: for tests, for the
// server-side rendering of components and wherever IndexedDB is missing.
func NewMemory() Store {
	m := &memory{tables: map[string]map[string]string{}}
	for _, t := range tables {
		m.tables[t] = map[string]string{}
	}
	return &records{raw: m}
}

func (m *memory) putRaw(ctx context.Context, table, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tables[table][key] = value
	return nil
}

func (m *memory) getRaw(ctx context.Context, table, key string) (string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.tables[table][key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// deleteRaw is idempotent, like IndexedDB's: deleting what is not there is not an error.
func (m *memory) deleteRaw(ctx context.Context, table, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tables[table], key)
	return nil
}

func (m *memory) listRaw(ctx context.Context, table, user string) ([]rawRecord, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	prefix := recordKey(user, "")
	var out []rawRecord
	for k, v := range m.tables[table] {
		if id, ok := strings.CutPrefix(k, prefix); ok {
			out = append(out, rawRecord{id: id, value: v})
		}
	}
	return out, nil
}
