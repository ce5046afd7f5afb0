package postgres

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
	"nullaosta/shared"
	"nullaosta/shared/codicefiscale"
)

var _ core.ModuleService = (*DB)(nil)

// CreateModule implements core.ModuleService. With a limit, the user's row is locked before
// counting (FOR NO KEY UPDATE: it does not block the submissions that reference the user), so
// that requests on different instances count one after the other and cannot pass the limit
// together.
func (db *DB) CreateModule(ctx context.Context, m *core.Module, limit int) error {
	data, err := json.Marshal(m.Data)
	if err != nil {
		return err
	}
	m.CreatedAt = db.now()
	m.CreatedAtRome = core.RomeTime(m.CreatedAt)
	m.Status = core.ModuleGenerated
	m.Employer = employerOf(m.Data)
	return db.tx(ctx, func(tx pgx.Tx) error {
		if limit > 0 {
			if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, m.UserID); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM modules WHERE user_id = $1 AND campaign_id = $2`,
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
			tag, err := tx.Exec(ctx, `INSERT INTO modules (id, kind, campaign_id, user_id, data, created_at, employer_search)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
				m.ID, m.Kind, m.CampaignID, m.UserID, string(data), m.CreatedAt, employerSearch(m.Data))
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 1 {
				return addModuloCount(ctx, tx, core.RomeDay(m.CreatedAt), m.UserID)
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

// employerOf is the employer of a module as lists show it: "BIANCHI Giovanna".
func employerOf(d shared.Data) string {
	return shared.PersonName(d.Str("datore.cognome"), d.Str("datore.nome"))
}

// employerSearch is what the modules_employer index holds: surname and name, folded.
func employerSearch(d shared.Data) string {
	return core.SearchKey(d.Str("datore.cognome") + " " + d.Str("datore.nome"))
}

const moduleQuery = `SELECT m.id, m.kind, m.campaign_id, m.user_id, m.data, m.created_at, s.stato, s.stato_at, s.stato_nota, ` + receiptColumns + `
	FROM modules m LEFT JOIN submissions s ON s.module_id = m.id`

func scanModule(row pgx.Row) (*core.Module, error) {
	var m core.Module
	var data string
	var stato, nota *string
	var statoAt *time.Time
	var r nullableReceipt
	dest := append([]any{&m.ID, &m.Kind, &m.CampaignID, &m.UserID, &data, &m.CreatedAt, &stato, &statoAt, &nota}, r.dest()...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if m.Data, err = shared.DecodeData([]byte(data)); err != nil {
		return nil, err
	}
	if m.Data == nil {
		m.Data = shared.Data{}
	}
	m.CreatedAt = m.CreatedAt.UTC()
	m.CreatedAtRome = core.RomeTime(m.CreatedAt)
	m.Status = core.ModuleGenerated
	if m.Receipt = r.receipt(); m.Receipt != nil {
		m.Status = core.ModuleSent
		t := *r.receivedAt
		if statoAt != nil {
			t = *statoAt
		}
		t = t.UTC()
		m.DomandaStato = &core.DomandaStato{Stato: deref(stato), Nota: deref(nota), UpdatedAt: t, UpdatedAtRome: core.RomeTime(t)}
	}
	m.Employer = employerOf(m.Data)
	return &m, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Module implements core.ModuleService.
func (db *DB) Module(ctx context.Context, id string) (*core.Module, error) {
	m, err := scanModule(db.pool.QueryRow(ctx, moduleQuery+` WHERE m.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "Il modulo %s non esiste o non è tuo.", id)
	}
	return m, err
}

// ModuleToSend implements core.ModuleService: one row of modules and one look-up in the
// submissions' module_id index.
func (db *DB) ModuleToSend(ctx context.Context, id string) (*core.Module, error) {
	m := core.Module{ID: id}
	var data string
	var sent bool
	err := db.pool.QueryRow(ctx, `SELECT m.kind, m.campaign_id, m.user_id, m.data,
		EXISTS (SELECT 1 FROM submissions s WHERE s.module_id = m.id) FROM modules m WHERE m.id = $1`, id).
		Scan(&m.Kind, &m.CampaignID, &m.UserID, &data, &sent)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "Il modulo %s non esiste o non è tuo.", id)
	}
	if err != nil {
		return nil, err
	}
	if m.Data, err = shared.DecodeData([]byte(data)); err != nil {
		return nil, err
	}
	if m.Data == nil {
		m.Data = shared.Data{}
	}
	m.Status = core.ModuleGenerated
	if sent {
		m.Status = core.ModuleSent
	}
	return &m, nil
}

// Modules implements core.ModuleService.
func (db *DB) Modules(ctx context.Context, userID int64) ([]core.Module, error) {
	rows, err := db.pool.Query(ctx, moduleQuery+` WHERE m.user_id = $1 ORDER BY m.created_at DESC, m.id`, userID)
	if err != nil {
		return nil, err
	}
	return scanModules(rows)
}

func scanModules(rows pgx.Rows) ([]core.Module, error) {
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

// SearchModules implements core.ModuleService.
func (db *DB) SearchModules(ctx context.Context, userID int64, f core.ModuleFilter) ([]core.Module, int, error) {
	var w where
	w.add("m.user_id = ?", userID)
	if q := core.SearchKey(f.Q); q != "" {
		// A prefix range on the "C"-collated index: the same match as SQLite's.
		w.add("m.employer_search >= ? AND m.employer_search < ?", q, q+maxRune)
	}
	if cf := codicefiscale.Normalize(f.CF); cf != "" {
		w.add("s.employer_key = ?", cf)
	}
	switch f.Status {
	case core.ModuleGenerated:
		w.add("s.protocol IS NULL")
	case core.ModuleSent:
		w.add("s.protocol IS NOT NULL")
	}
	cond := " WHERE " + w.String()
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM modules m LEFT JOIN submissions s ON s.module_id = m.id`+cond,
		w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := moduleQuery + cond + ` ORDER BY m.created_at DESC, m.id`
	if f.Limit > 0 {
		q += ` LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset)
	}
	rows, err := db.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, err
	}
	ms, err := scanModules(rows)
	return ms, total, err
}

// maxRune ends the upper bound of a prefix range: every text that starts with the prefix sorts
// below prefix+maxRune.
const maxRune = "\U0010FFFF"
