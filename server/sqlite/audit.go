package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"nullaosta/server/core"
)

var _ core.AuditService = (*DB)(nil)

// insertAudit appends an entry in the caller's transaction: it exists if and only if the action
// it records was committed.
func (db *DB) insertAudit(tx *sql.Tx, e core.AuditEntry) error {
	_, err := tx.Exec(`INSERT INTO audit_log (at, actor_id, actor, role, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		fmtTime(db.now()), e.ActorID, e.Actor, string(e.Role), e.Action, e.Target, e.Detail)
	return err
}

// RecordAudit implements core.AuditService.
func (db *DB) RecordAudit(ctx context.Context, e core.AuditEntry) error {
	return db.Write(ctx, func(tx *sql.Tx) error { return db.insertAudit(tx, e) })
}

// AuditLog implements core.AuditService.
func (db *DB) AuditLog(ctx context.Context, f core.AuditFilter) ([]core.AuditEntry, error) {
	var where []string
	var args []any
	if f.Before > 0 {
		where, args = append(where, "id < ?"), append(args, f.Before)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.Actor != "" {
		where, args = append(where, "actor = ?"), append(args, NormalizeEmail(f.Actor))
	}
	q := `SELECT id, at, actor_id, actor, role, action, target, detail FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	es := []core.AuditEntry{}
	for rows.Next() {
		var e core.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.Role, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		e.AtRome = core.RomeTime(e.At)
		es = append(es, e)
	}
	return es, rows.Err()
}
