package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"nullaosta/server/core"
)

var _ core.SessionService = (*DB)(nil)

// CreateSession implements core.SessionService.
func (db *DB) CreateSession(ctx context.Context, s *core.Session) error {
	s.CreatedAt = db.now()
	return db.Write(ctx, func(tx *sql.Tx) error {
		// Expired sessions of the same user are swept here rather than by a timer.
		if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?`, s.UserID, fmtTime(s.CreatedAt)); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			s.Hash, s.UserID, fmtTime(s.CreatedAt), fmtTime(s.ExpiresAt)); err != nil {
			return err
		}
		if s.Audit != nil {
			return db.insertAudit(tx, *s.Audit)
		}
		return nil
	})
}

// SessionUser implements core.SessionService.
func (db *DB) SessionUser(ctx context.Context, hash []byte) (*core.User, *core.Session, error) {
	var s core.Session
	var created, expires string
	err := db.read.QueryRowContext(pointRead(ctx), `SELECT user_id, created_at, expires_at FROM sessions WHERE hash = ? AND expires_at > ?`,
		hash, fmtTime(db.now())).Scan(&s.UserID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, core.Errorf(core.ENOTFOUND, "Sessione scaduta.")
	}
	if err != nil {
		return nil, nil, err
	}
	s.Hash, s.CreatedAt, s.ExpiresAt = hash, parseTime(created), parseTime(expires)
	u, err := db.UserByID(pointRead(ctx), s.UserID)
	if err != nil {
		return nil, nil, err
	}
	return u, &s, nil
}

// DeleteSession implements core.SessionService.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM sessions WHERE hash = ?`, hash)
		return err
	})
}
