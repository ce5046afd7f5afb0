package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"nullaosta/server/core"
)

var _ core.UserService = (*DB)(nil)

const userColumns = `id, email, cognome, nome, data_nascita, password_hash, role, provincia, active, created_at`

type scanner interface{ Scan(dest ...any) error }

func scanUser(s scanner) (*core.User, error) {
	var u core.User
	var created string
	err := s.Scan(&u.ID, &u.Email, &u.Cognome, &u.Nome, &u.DataNascita, &u.PasswordHash, &u.Role,
		&u.Provincia, &u.Active, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "Account non trovato.")
	}
	if err != nil {
		return nil, err
	}
	u.CreatedAt = parseTime(created)
	return &u, nil
}

// NormalizeEmail is the stored form of an e-mail address: trimmed, lower-case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CreateUser implements core.UserService.
func (db *DB) CreateUser(ctx context.Context, u *core.User, activation core.OneTimeToken, mail func(*core.User) core.Mail) error {
	u.Email = NormalizeEmail(u.Email)
	if u.Role == "" {
		u.Role = core.RolePrivato
	}
	u.CreatedAt = db.now()
	var stored core.User
	err := db.Write(ctx, func(tx *sql.Tx) error {
		existing, err := scanUser(tx.QueryRow(`SELECT `+userColumns+` FROM users WHERE email = ?`, u.Email))
		switch {
		case err == nil && existing.Active:
			// Taken: nothing changes, and the owner is told (the answer is the same as for a
			// new address, so registering does not tell who has an account).
			stored = *existing
			return db.enqueueMail(tx, mail(&stored))
		case err == nil:
			// Never activated: whoever registers now replaces the registration, and every
			// link sent before dies, so the address belongs to whoever opens the newest link
			// (and, activating, proves the password: the API asks for it).
			stored = *existing
			stored.Cognome, stored.Nome, stored.DataNascita, stored.PasswordHash = u.Cognome, u.Nome, u.DataNascita, u.PasswordHash
			if _, err := tx.Exec(`UPDATE users SET cognome = ?, nome = ?, data_nascita = ?, password_hash = ? WHERE id = ?`,
				u.Cognome, u.Nome, u.DataNascita, u.PasswordHash, stored.ID); err != nil {
				return err
			}
			if _, err := tx.Exec(`UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL`,
				fmtTime(u.CreatedAt), stored.ID); err != nil {
				return err
			}
		case core.ErrorCode(err) == core.ENOTFOUND:
			stored = *u
			res, err := tx.Exec(`INSERT INTO users (email, cognome, nome, data_nascita, password_hash, role, provincia, active, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Email, u.Cognome, u.Nome, u.DataNascita, u.PasswordHash,
				u.Role, u.Provincia, u.Active, fmtTime(u.CreatedAt))
			if err != nil {
				return err
			}
			if stored.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		default:
			return err
		}
		if err := insertOneTimeToken(tx, stored.ID, activation); err != nil {
			return err
		}
		return db.enqueueMail(tx, mail(&stored))
	})
	if err != nil {
		return err
	}
	*u = stored
	return nil
}

func insertOneTimeToken(tx *sql.Tx, userID int64, t core.OneTimeToken) error {
	_, err := tx.Exec(`INSERT INTO one_time_tokens (hash, user_id, purpose, expires_at) VALUES (?, ?, ?, ?)`,
		t.Hash, userID, t.Purpose, fmtTime(t.ExpiresAt))
	return err
}

// invalidLink is the answer to a link that cannot be used, whatever the reason.
func invalidLink() error {
	return core.Errorf(core.EINVALID, "Il link non è valido o è scaduto. Chiedine uno nuovo: per l'attivazione registrati di nuovo con la stessa e-mail, per la password usa «Password dimenticata».")
}

// OneTimeTokenUser implements core.UserService.
func (db *DB) OneTimeTokenUser(ctx context.Context, purpose string, hash []byte) (*core.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+prefixed("u.", userColumns)+` FROM one_time_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = ? AND t.purpose = ? AND t.used_at IS NULL AND t.expires_at > ?`, hash, purpose, fmtTime(db.now())))
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil, invalidLink()
	}
	return u, err
}

// UseToken implements core.UserService.
func (db *DB) UseToken(ctx context.Context, purpose string, hash []byte, passwordHash string) (*core.User, error) {
	var u *core.User
	now := db.now()
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var userID int64
		var expires string
		var used sql.NullString
		err := tx.QueryRow(`SELECT user_id, expires_at, used_at FROM one_time_tokens WHERE hash = ? AND purpose = ?`,
			hash, purpose).Scan(&userID, &expires, &used)
		invalid := invalidLink()
		if errors.Is(err, sql.ErrNoRows) {
			return invalid
		}
		if err != nil {
			return err
		}
		if u, err = scanUser(tx.QueryRow(`SELECT `+userColumns+` FROM users WHERE id = ?`, userID)); err != nil {
			return err
		}
		if used.Valid {
			if purpose == core.PurposeActivate && u.Active {
				return nil // the link opened twice: the account is active, say so
			}
			return invalid
		}
		if !parseTime(expires).After(now) {
			return invalid
		}
		if _, err := tx.Exec(`UPDATE one_time_tokens SET used_at = ? WHERE hash = ?`, fmtTime(now), hash); err != nil {
			return err
		}
		switch purpose {
		case core.PurposeActivate:
			_, err = tx.Exec(`UPDATE users SET active = 1 WHERE id = ?`, userID)
		case core.PurposeReset:
			// The link proves the address: it activates, and ends every session and token.
			if _, err = tx.Exec(`UPDATE users SET password_hash = ?, active = 1 WHERE id = ?`, passwordHash, userID); err != nil {
				return err
			}
			if _, err = tx.Exec(`UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND purpose = 'reset' AND used_at IS NULL`, fmtTime(now), userID); err != nil {
				return err
			}
			err = revokeAll(tx, userID, nil)
		}
		u.Active = true
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// revokeAll ends every session of the user except keep, and every import token.
func revokeAll(tx *sql.Tx, userID int64, keep []byte) error {
	if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ? AND hash IS NOT ?`, userID, keep); err != nil {
		return err
	}
	_, err := tx.Exec(`DELETE FROM import_tokens WHERE user_id = ?`, userID)
	return err
}

// CreateResetToken implements core.UserService.
func (db *DB) CreateResetToken(ctx context.Context, email string, t core.OneTimeToken, mail func(*core.User) core.Mail) (bool, error) {
	var ok bool
	err := db.Write(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRow(`SELECT `+userColumns+` FROM users WHERE email = ?`, NormalizeEmail(email)))
		if core.ErrorCode(err) == core.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		if err := insertOneTimeToken(tx, u.ID, t); err != nil {
			return err
		}
		ok = true
		return db.enqueueMail(tx, mail(u))
	})
	return ok, err
}

// UserByEmail implements core.UserService.
func (db *DB) UserByEmail(ctx context.Context, email string) (*core.User, error) {
	return scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, NormalizeEmail(email)))
}

// UserByID implements core.UserService.
func (db *DB) UserByID(ctx context.Context, id int64) (*core.User, error) {
	return scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// SetPassword implements core.UserService.
func (db *DB) SetPassword(ctx context.Context, userID int64, passwordHash string, keep []byte) error {
	return db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, userID); err != nil {
			return err
		}
		// A reset link asked for before the change would undo it.
		if _, err := tx.Exec(`UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND purpose = 'reset' AND used_at IS NULL`,
			fmtTime(db.now()), userID); err != nil {
			return err
		}
		return revokeAll(tx, userID, keep)
	})
}

// SetRole implements core.UserService.
func (db *DB) SetRole(ctx context.Context, email string, role core.Role, provincia string) error {
	if !role.Valid() {
		return core.Errorf(core.EINVALID, "Ruolo «%s» sconosciuto: usa privato, operatore, admin o sportello.", role)
	}
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE users SET role = ?, provincia = ? WHERE email = ?`, role, provincia, NormalizeEmail(email))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return core.Errorf(core.ENOTFOUND, "Nessun account con l'e-mail %s.", email)
		}
		return nil
	})
}

// CreateActiveUser implements core.UserService.
func (db *DB) CreateActiveUser(ctx context.Context, u *core.User, audit *core.AuditEntry) error {
	if !u.Role.Valid() {
		return core.Errorf(core.EINVALID, "Ruolo «%s» sconosciuto: usa privato, operatore, admin o sportello.", u.Role)
	}
	u.Email = NormalizeEmail(u.Email)
	u.CreatedAt = db.now()
	u.Active = true
	return db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO users (email, cognome, nome, data_nascita, password_hash, role, provincia, active, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)`, u.Email, u.Cognome, u.Nome, u.DataNascita, u.PasswordHash,
			u.Role, u.Provincia, fmtTime(u.CreatedAt))
		if isUnique(err) {
			return core.Errorf(core.ECONFLICT, "Esiste già un account con l'e-mail %s: per cambiarne il ruolo usa set-role.", u.Email)
		}
		if err != nil {
			return err
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if audit != nil {
			return db.insertAudit(tx, *audit)
		}
		return nil
	})
}

// ModuleCounts implements core.UserService.
func (db *DB) ModuleCounts(ctx context.Context, userID int64) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT campaign_id, count(*) FROM modules WHERE user_id = ? GROUP BY campaign_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		m[c] = n
	}
	return m, rows.Err()
}
