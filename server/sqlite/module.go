package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"

	"nullaosta/server/core"
	"nullaosta/shared"
)

var _ core.ModuleService = (*DB)(nil)

// CreateModule implements core.ModuleService.
func (db *DB) CreateModule(ctx context.Context, m *core.Module, limit int) error {
	data, err := json.Marshal(m.Data)
	if err != nil {
		return err
	}
	m.CreatedAt = db.now()
	m.CreatedAtRome = core.RomeTime(m.CreatedAt)
	m.Status = core.ModuleGenerated
	return db.Write(ctx, func(tx *sql.Tx) error {
		if limit > 0 {
			var n int
			if err := tx.QueryRow(`SELECT count(*) FROM modules WHERE user_id = ? AND campaign_id = ?`,
				m.UserID, m.CampaignID).Scan(&n); err != nil {
				return err
			}
			if n >= limit {
				return core.Errorf(core.ELIMIT, "Hai già generato %d moduli per questa procedura: è il massimo consentito a un utente privato. Gli operatori di comuni e patronati abilitati dal Ministero non hanno limite.", n)
			}
		}
		// 40 random bits: a collision is rare, and the primary key catches it.
		for range 5 {
			m.ID = core.FormatModuleID(m.Kind, randomBits())
			_, err := tx.Exec(`INSERT INTO modules (id, kind, campaign_id, user_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				m.ID, m.Kind, m.CampaignID, m.UserID, data, fmtTime(m.CreatedAt))
			if !isUnique(err) {
				return err
			}
		}
		return core.Errorf(core.ERETRY, "Non è stato possibile assegnare un codice al modulo: riprova.")
	})
}

func randomBits() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return binary.BigEndian.Uint64(b[:])
}

const moduleQuery = `SELECT m.id, m.kind, m.campaign_id, m.user_id, m.data, m.created_at, ` + receiptColumns + `
	FROM modules m LEFT JOIN submissions s ON s.module_id = m.id`

func scanModule(sc scanner) (*core.Module, error) {
	var m core.Module
	var data, created string
	var r nullableReceipt
	dest := append([]any{&m.ID, &m.Kind, &m.CampaignID, &m.UserID, &data, &created}, r.dest()...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(data), &m.Data); err != nil {
		return nil, err
	}
	if m.Data == nil {
		m.Data = shared.Data{}
	}
	m.CreatedAt = parseTime(created)
	m.CreatedAtRome = core.RomeTime(m.CreatedAt)
	m.Status = core.ModuleGenerated
	if m.Receipt = r.receipt(); m.Receipt != nil {
		m.Status = core.ModuleSent
	}
	return &m, nil
}

// Module implements core.ModuleService.
func (db *DB) Module(ctx context.Context, id string) (*core.Module, error) {
	m, err := scanModule(db.read.QueryRowContext(ctx, moduleQuery+` WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "Il modulo %s non esiste o non è tuo.", id)
	}
	return m, err
}

// Modules implements core.ModuleService.
func (db *DB) Modules(ctx context.Context, userID int64) ([]core.Module, error) {
	rows, err := db.read.QueryContext(ctx, moduleQuery+` WHERE m.user_id = ? ORDER BY m.created_at DESC, m.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ms := []core.Module{}
	for rows.Next() {
		m, err := scanModule(rows)
		if err != nil {
			return nil, err
		}
		ms = append(ms, *m)
	}
	return ms, rows.Err()
}
