package postgres

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
)

var _ core.MailService = (*DB)(nil)

// enqueueMail stores a message in the outbox, in the caller's transaction: the mail exists if
// and only if what it announces was committed.
func (db *DB) enqueueMail(ctx context.Context, tx pgx.Tx, m core.Mail) error {
	now := db.now()
	_, err := tx.Exec(ctx, `INSERT INTO outbox (to_addr, subject, body, link, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		NormalizeEmail(m.To), m.Subject, m.Body, m.Link, now, now)
	return err
}

const mailColumns = `id, to_addr, subject, body, link, created_at, attempts`

func scanMails(rows pgx.Rows) ([]core.Mail, error) {
	defer rows.Close()
	ms := []core.Mail{}
	for rows.Next() {
		var m core.Mail
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.Link, &m.CreatedAt, &m.Attempts); err != nil {
			return nil, err
		}
		m.CreatedAt = m.CreatedAt.UTC()
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// PendingMail implements core.MailService: it claims up to n due messages for this caller.
// Rows another instance is claiming at the same moment are skipped (SKIP LOCKED), and the
// claimed ones are not due again until core.MailLease has passed, so two senders never get the
// same message while the first is alive.
func (db *DB) PendingMail(ctx context.Context, n int) ([]core.Mail, error) {
	now := db.now()
	var ms []core.Mail
	err := db.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE outbox SET next_attempt_at = $1
			WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2
				ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
			RETURNING `+mailColumns, now.Add(core.MailLease), now, n)
		if err != nil {
			return err
		}
		ms, err = scanMails(rows)
		return err
	})
	sort.Slice(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	return ms, err
}

// MarkMailSent implements core.MailService.
func (db *DB) MarkMailSent(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2`, db.now(), id)
		return err
	})
}

// MarkMailFailed implements core.MailService.
func (db *DB) MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3`,
			reason, ts(next), id)
		return err
	})
}

// MailTo implements core.MailService.
func (db *DB) MailTo(ctx context.Context, to string, n int) ([]core.Mail, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+mailColumns+` FROM outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT $2`, NormalizeEmail(to), n)
	if err != nil {
		return nil, err
	}
	return scanMails(rows)
}

// RecentMail implements core.MailService.
func (db *DB) RecentMail(ctx context.Context, n int) ([]core.Mail, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+mailColumns+` FROM outbox ORDER BY id DESC LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	return scanMails(rows)
}

// insertAudit appends an entry in the caller's transaction: it exists if and only if the action
// it records was committed.
func (db *DB) insertAudit(ctx context.Context, tx pgx.Tx, e core.AuditEntry) error {
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (at, actor_id, actor, role, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		db.now(), e.ActorID, e.Actor, string(e.Role), e.Action, e.Target, e.Detail)
	return err
}

var _ core.AuditService = (*DB)(nil)

// RecordAudit implements core.AuditService.
func (db *DB) RecordAudit(ctx context.Context, e core.AuditEntry) error {
	return db.tx(ctx, func(tx pgx.Tx) error { return db.insertAudit(ctx, tx, e) })
}

// AuditLog implements core.AuditService.
func (db *DB) AuditLog(ctx context.Context, f core.AuditFilter) ([]core.AuditEntry, error) {
	var w where
	if f.Before > 0 {
		w.add("id < ?", f.Before)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.Actor != "" {
		w.add("actor = ?", NormalizeEmail(f.Actor))
	}
	q := `SELECT id, at, actor_id, actor, role, action, target, detail FROM audit_log WHERE ` + w.String() +
		` ORDER BY id DESC LIMIT ` + w.arg(f.Limit)
	rows, err := db.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	es := []core.AuditEntry{}
	for rows.Next() {
		var e core.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.Role, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		e.AtRome = core.RomeTime(e.At)
		es = append(es, e)
	}
	return es, rows.Err()
}

// where builds a condition with numbered parameters: add("x = ?", v) appends "x = $n".
type where struct {
	conds []string
	args  []any
}

func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + itoa(len(w.args))
}

func (w *where) add(cond string, vs ...any) {
	for _, v := range vs {
		cond = strings.Replace(cond, "?", w.arg(v), 1)
	}
	w.conds = append(w.conds, cond)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return "true"
	}
	return strings.Join(w.conds, " AND ")
}
