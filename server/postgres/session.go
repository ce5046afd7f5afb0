package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
)

var _ core.SessionService = (*DB)(nil)

// CreateSession implements core.SessionService.
func (db *DB) CreateSession(ctx context.Context, s *core.Session) error {
	s.CreatedAt = db.now()
	return db.tx(ctx, func(tx pgx.Tx) error {
		// Expired sessions of the same user are swept here rather than by a timer.
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2`, s.UserID, s.CreatedAt); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			s.Hash, s.UserID, s.CreatedAt, ts(s.ExpiresAt)); err != nil {
			return err
		}
		if s.Audit != nil {
			return db.insertAudit(ctx, tx, *s.Audit)
		}
		return nil
	})
}

// SessionUser implements core.SessionService.
func (db *DB) SessionUser(ctx context.Context, hash []byte) (*core.User, *core.Session, error) {
	var s core.Session
	err := db.pool.QueryRow(ctx, `SELECT user_id, created_at, expires_at FROM sessions WHERE hash = $1 AND expires_at > $2`,
		hash, db.now()).Scan(&s.UserID, &s.CreatedAt, &s.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, core.Errorf(core.ENOTFOUND, "Sessione scaduta.")
	}
	if err != nil {
		return nil, nil, err
	}
	s.Hash, s.CreatedAt, s.ExpiresAt = hash, s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	u, err := db.UserByID(ctx, s.UserID)
	if err != nil {
		return nil, nil, err
	}
	return u, &s, nil
}

// DeleteSession implements core.SessionService.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash)
		return err
	})
}

// tokenUseGranularity: a token's last use is recorded at most this often, so that a compiler
// sending a thousand modules does not cost a thousand writes.
const tokenUseGranularity = time.Minute

// CreateToken implements core.SessionService.
func (db *DB) CreateToken(ctx context.Context, t *core.Token) error {
	t.CreatedAt = db.now()
	return db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM import_tokens WHERE user_id = $1 AND expires_at <= $2`, t.UserID, t.CreatedAt); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO import_tokens (hash, user_id, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			t.Hash, t.UserID, t.Label, t.CreatedAt, ts(t.ExpiresAt)).Scan(&t.ID)
	})
}

func scanToken(row pgx.Row) (*core.Token, error) {
	var t core.Token
	var used *time.Time
	if err := row.Scan(&t.ID, &t.UserID, &t.Label, &t.CreatedAt, &t.ExpiresAt, &used); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC()
	if used != nil {
		u := used.UTC()
		t.LastUsedAt = &u
	}
	return &t, nil
}

// TokenUser implements core.SessionService.
func (db *DB) TokenUser(ctx context.Context, hash []byte) (*core.User, *core.Token, error) {
	now := db.now()
	t, err := scanToken(db.pool.QueryRow(ctx, `SELECT id, user_id, label, created_at, expires_at, last_used_at
		FROM import_tokens WHERE hash = $1 AND expires_at > $2`, hash, now))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, core.Errorf(core.EUNAUTHORIZED, "Il token di importazione non è valido, è scaduto o è stato revocato: creane uno nuovo dal sito.")
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := db.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenUseGranularity {
		// Recording the use is a courtesy: its failure must not fail the request. The
		// condition makes the instances that see the same stale value write it once.
		tag, err := db.pool.Exec(ctx, `UPDATE import_tokens SET last_used_at = $1 WHERE id = $2
			AND (last_used_at IS NULL OR last_used_at <= $3)`, now, t.ID, now.Add(-tokenUseGranularity))
		if err == nil && tag.RowsAffected() > 0 {
			t.LastUsedAt = &now
		}
	}
	return u, t, nil
}

// Tokens implements core.SessionService.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]core.Token, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, user_id, label, created_at, expires_at, last_used_at
		FROM import_tokens WHERE user_id = $1 AND expires_at > $2 ORDER BY id DESC`, userID, db.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ts := []core.Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		ts = append(ts, *t)
	}
	return ts, rows.Err()
}

// DeleteToken implements core.SessionService.
func (db *DB) DeleteToken(ctx context.Context, userID, id int64) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM import_tokens WHERE id = $1 AND user_id = $2`, id, userID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return core.Errorf(core.ENOTFOUND, "Token %d non trovato fra i tuoi token di importazione.", id)
		}
		return nil
	})
}
