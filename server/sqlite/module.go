package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"

	"nullaosta/server/core"
	"nullaosta/shared"
	"nullaosta/shared/codicefiscale"
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
	m.Employer = employerOf(m.Data)
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
			_, err := tx.Exec(`INSERT INTO modules (id, kind, campaign_id, user_id, data, created_at, employer_search) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				m.ID, m.Kind, m.CampaignID, m.UserID, data, fmtTime(m.CreatedAt), employerSearch(m.Data))
			if err == nil {
				return addModuloCount(tx, core.RomeDay(m.CreatedAt), m.UserID)
			}
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

// employerOf is the employer of a module as lists show it: "BIANCHI Giovanna".
func employerOf(d shared.Data) string {
	return shared.PersonName(d.Str("datore.cognome"), d.Str("datore.nome"))
}

// employerSearch is what the modules_employer index holds: surname and name, folded.
func employerSearch(d shared.Data) string {
	return core.SearchKey(d.Str("datore.cognome") + " " + d.Str("datore.nome"))
}

// moduleQuery and the other joins read on every request (TokenUser, the writer's probe) compare
// their parameters as (SELECT ?), not ?: SQLite (3.54) plans a join whose WHERE compares a
// column with a bound parameter for that parameter's value, and prepares the statement again
// whenever the value changes, that is at every call; the cached statement then saves nothing
// and each read costs 15-45 µs of planning instead of 4-6 µs (BenchmarkJoinParameter). A
// scalar subquery is a constant the plan does not depend on; the index is used just the same
// (TestHotQueryPlans).
const moduleQuery = `SELECT m.id, m.kind, m.campaign_id, m.user_id, m.data, m.created_at, s.stato, s.stato_at, s.stato_nota, ` + receiptColumns + `
	FROM modules m LEFT JOIN submissions s ON s.module_id = m.id`

const (
	moduleByID    = moduleQuery + ` WHERE m.id = (SELECT ?)`
	modulesOfUser = moduleQuery + ` WHERE m.user_id = (SELECT ?) ORDER BY m.created_at DESC, m.id`
)

func scanModule(sc scanner) (*core.Module, error) {
	var m core.Module
	var data []byte
	var created string
	var stato, statoAt, nota sql.NullString
	var r nullableReceipt
	dest := append([]any{&m.ID, &m.Kind, &m.CampaignID, &m.UserID, &data, &created, &stato, &statoAt, &nota}, r.dest()...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if m.Data, err = shared.DecodeData(data); err != nil {
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
		at := m.Receipt.ReceivedAt
		if statoAt.Valid {
			at = statoAt.String
		}
		t := parseTime(at)
		m.DomandaStato = &core.DomandaStato{Stato: stato.String, Nota: nota.String, UpdatedAt: t, UpdatedAtRome: core.RomeTime(t)}
	}
	m.Employer = employerOf(m.Data)
	return &m, nil
}

// Module implements core.ModuleService.
func (db *DB) Module(ctx context.Context, id string) (*core.Module, error) {
	m, err := scanModule(db.read.QueryRowContext(ctx, moduleByID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "Il modulo %s non esiste o non è tuo.", id)
	}
	return m, err
}

// moduleToSendByID is what a send reads of its module: one row of modules and one look-up in
// the submissions' module_id index. The data comes as a BLOB, the bytes DecodeData reads: as
// a text the driver would make a string of it, to be copied again into bytes.
const moduleToSendByID = `SELECT m.kind, m.campaign_id, m.user_id, CAST(m.data AS BLOB),
	EXISTS (SELECT 1 FROM submissions s WHERE s.module_id = m.id) FROM modules m WHERE m.id = (SELECT ?)`

// ModuleToSend implements core.ModuleService.
func (db *DB) ModuleToSend(ctx context.Context, id string) (*core.Module, error) {
	var vals [5]driver.Value
	found, err := db.writerRow(ctx, moduleToSendByID, []driver.NamedValue{{Ordinal: 1, Value: id}}, vals[:])
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, core.Errorf(core.ENOTFOUND, "Il modulo %s non esiste o non è tuo.", id)
	}
	r := rowReader{row: vals[:]}
	m := core.Module{ID: id, Kind: shared.Kind(r.text(0)), CampaignID: r.text(1), UserID: r.int(2)}
	data, sent := r.bytes(3), r.bool(4)
	if r.err != nil {
		return nil, r.err
	}
	if m.Data, err = shared.DecodeData(data); err != nil {
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
	rows, err := db.read.QueryContext(ctx, modulesOfUser, userID)
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

// SearchModules implements core.ModuleService.
func (db *DB) SearchModules(ctx context.Context, userID int64, f core.ModuleFilter) ([]core.Module, int, error) {
	where := []string{"m.user_id = ?"}
	args := []any{userID}
	if q := core.SearchKey(f.Q); q != "" {
		// A range on the index rather than LIKE: prefix match, whatever the collation.
		where = append(where, "m.employer_search >= ? AND m.employer_search < ?")
		args = append(args, q, q+maxRune)
	}
	if cf := codicefiscale.Normalize(f.CF); cf != "" {
		where = append(where, "s.employer_key = ?")
		args = append(args, cf)
	}
	switch f.Status {
	case core.ModuleGenerated:
		where = append(where, "s.protocol IS NULL")
	case core.ModuleSent:
		where = append(where, "s.protocol IS NOT NULL")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM modules m LEFT JOIN submissions s ON s.module_id = m.id`+cond,
		args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := moduleQuery + cond + ` ORDER BY m.created_at DESC, m.id`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	ms := []core.Module{}
	for rows.Next() {
		m, err := scanModule(rows)
		if err != nil {
			return nil, 0, err
		}
		ms = append(ms, *m)
	}
	return ms, total, rows.Err()
}

// maxRune ends the upper bound of a prefix range: every text that starts with the prefix sorts
// below prefix+maxRune.
const maxRune = "\U0010FFFF"
