package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"time"

	"nullaosta/server/core"
)

// tokenUseGranularity: a token's last use is recorded at most this often, so that a compiler
// sending a thousand modules does not cost a thousand writes.
const tokenUseGranularity = time.Minute

// CreateToken implements core.SessionService.
func (db *DB) CreateToken(ctx context.Context, t *core.Token) error {
	t.CreatedAt = db.now()
	return db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM import_tokens WHERE user_id = ? AND expires_at <= ?`, t.UserID, fmtTime(t.CreatedAt)); err != nil {
			return err
		}
		res, err := tx.Exec(`INSERT INTO import_tokens (hash, user_id, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			t.Hash, t.UserID, t.Label, fmtTime(t.CreatedAt), fmtTime(t.ExpiresAt))
		if err != nil {
			return err
		}
		t.ID, err = res.LastInsertId()
		return err
	})
}

func scanToken(s scanner) (*core.Token, error) {
	var t core.Token
	var created, expires string
	var used sql.NullString
	if err := s.Scan(&t.ID, &t.UserID, &t.Label, &created, &expires, &used); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt = parseTime(created), parseTime(expires)
	if used.Valid {
		u := parseTime(used.String)
		t.LastUsedAt = &u
	}
	return &t, nil
}

// tokenUserQuery reads a live token and its user: only what a request uses (core.SessionService),
// and whether the token's last use is older than tokenUseGranularity, compared as text like
// every instant here, so that no time is parsed; (SELECT ?): see moduleQuery.
const tokenUserQuery = `SELECT t.id, t.last_used_at IS NULL OR t.last_used_at <= (SELECT ?),
		u.id, u.email, u.cognome, u.nome, u.data_nascita, u.role, u.provincia, u.active
		FROM import_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = (SELECT ?) AND t.expires_at > (SELECT ?)`

// TokenUser implements core.SessionService.
func (db *DB) TokenUser(ctx context.Context, hash []byte) (*core.User, *core.Token, error) {
	now := db.now()
	// The token and its user in one read: every request of the compiler makes it.
	var t core.Token
	var u core.User
	var vals [10]driver.Value
	found, err := db.writerRow(ctx, tokenUserQuery, []driver.NamedValue{
		{Ordinal: 1, Value: fmtTime(now.Add(-tokenUseGranularity))}, {Ordinal: 2, Value: hash}, {Ordinal: 3, Value: fmtTime(now)},
	}, vals[:])
	if err != nil {
		return nil, nil, err
	}
	if !found {
		return nil, nil, core.Errorf(core.EUNAUTHORIZED, "Il token di importazione non è valido, è scaduto o è stato revocato: creane uno nuovo dal sito.")
	}
	r := rowReader{row: vals[:]}
	t.ID = r.int(0)
	stale := r.bool(1)
	u.ID, u.Email, u.Cognome, u.Nome, u.DataNascita = r.int(2), r.text(3), r.text(4), r.text(5), r.text(6)
	u.Role, u.Provincia, u.Active = core.Role(r.text(7)), r.text(8), r.bool(9)
	if r.err != nil {
		return nil, nil, r.err
	}
	t.UserID = u.ID
	if stale {
		id := t.ID
		// Recording the use is a courtesy: its failure must not fail the request.
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`UPDATE import_tokens SET last_used_at = ? WHERE id = ?`, fmtTime(now), id)
			return err
		}); err == nil {
			t.LastUsedAt = &now
		}
	}
	return &u, &t, nil
}

// Tokens implements core.SessionService.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]core.Token, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, user_id, label, created_at, expires_at, last_used_at
		FROM import_tokens WHERE user_id = ? AND expires_at > ? ORDER BY id DESC`, userID, fmtTime(db.now()))
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
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM import_tokens WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return core.Errorf(core.ENOTFOUND, "Token %d non trovato fra i tuoi token di importazione.", id)
		}
		return nil
	})
}
