package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"

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

// sessionUserQuery reads a live session and its user in one read: every request of a
// browser makes it. (SELECT ?): see moduleQuery.
const sessionUserQuery = `SELECT s.created_at, s.expires_at, u.id, u.email, u.cognome, u.nome, u.data_nascita,
		u.password_hash, u.role, u.provincia, u.active, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = (SELECT ?) AND s.expires_at > (SELECT ?)`

// SessionUser implements core.SessionService.
func (db *DB) SessionUser(ctx context.Context, hash []byte) (*core.User, *core.Session, error) {
	var vals [12]driver.Value
	found, err := db.pointRow(ctx, sessionUserQuery, []driver.NamedValue{{Ordinal: 1, Value: hash}, {Ordinal: 2, Value: fmtTime(db.now())}}, vals[:])
	if err != nil {
		return nil, nil, err
	}
	if !found {
		return nil, nil, core.Errorf(core.ENOTFOUND, "Sessione scaduta.")
	}
	r := rowReader{row: vals[:]}
	var s core.Session
	var u core.User
	created, expires := r.text(0), r.text(1)
	u.ID, u.Email, u.Cognome, u.Nome, u.DataNascita = r.int(2), r.text(3), r.text(4), r.text(5), r.text(6)
	u.PasswordHash, u.Role, u.Provincia, u.Active = r.text(7), core.Role(r.text(8)), r.text(9), r.bool(10)
	userCreated := r.text(11)
	if r.err != nil {
		return nil, nil, r.err
	}
	s.Hash, s.UserID, s.CreatedAt, s.ExpiresAt = hash, u.ID, parseTime(created), parseTime(expires)
	u.CreatedAt = parseTime(userCreated)
	return &u, &s, nil
}

// DeleteSession implements core.SessionService.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM sessions WHERE hash = ?`, hash)
		return err
	})
}
