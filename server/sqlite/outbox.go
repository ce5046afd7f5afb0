package sqlite

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"nullaosta/server/core"
)

var _ core.MailService = (*DB)(nil)

// enqueueMail stores a message in the outbox, in the caller's transaction: the mail exists if
// and only if what it announces was committed.
func (db *DB) enqueueMail(tx *sql.Tx, m core.Mail) error {
	now := fmtTime(db.now())
	_, err := tx.Exec(`INSERT INTO outbox (to_addr, subject, body, link, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)`,
		NormalizeEmail(m.To), m.Subject, m.Body, m.Link, now, now)
	return err
}

func scanMails(rows *sql.Rows) ([]core.Mail, error) {
	defer rows.Close()
	ms := []core.Mail{}
	for rows.Next() {
		var m core.Mail
		var created string
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.Link, &created, &m.Attempts); err != nil {
			return nil, err
		}
		m.CreatedAt = parseTime(created)
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// PendingMail implements core.MailService: it claims the due messages it returns by moving
// their next attempt past core.MailLease, as the PostgreSQL store does for its instances.
func (db *DB) PendingMail(ctx context.Context, n int) ([]core.Mail, error) {
	var ms []core.Mail
	err := db.Write(ctx, func(tx *sql.Tx) error {
		now := db.now()
		rows, err := tx.Query(`UPDATE outbox SET next_attempt_at = ?
			WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?)
			RETURNING id, to_addr, subject, body, link, created_at, attempts`, fmtTime(now.Add(core.MailLease)), fmtTime(now), n)
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
	return db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?`, fmtTime(db.now()), id)
		return err
	})
}

// MarkMailFailed implements core.MailService.
func (db *DB) MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`,
			reason, fmtTime(next), id)
		return err
	})
}

// MailTo implements core.MailService.
func (db *DB) MailTo(ctx context.Context, to string, n int) ([]core.Mail, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, to_addr, subject, body, link, created_at, attempts FROM outbox
		WHERE to_addr = ? ORDER BY id DESC LIMIT ?`, NormalizeEmail(to), n)
	if err != nil {
		return nil, err
	}
	return scanMails(rows)
}

// RecentMail lists the newest messages to anyone (the development page without a filter).
func (db *DB) RecentMail(ctx context.Context, n int) ([]core.Mail, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, to_addr, subject, body, link, created_at, attempts FROM outbox
		ORDER BY id DESC LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	return scanMails(rows)
}
