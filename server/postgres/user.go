package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
)

var _ core.UserService = (*DB)(nil)

const userColumns = `id, email, cognome, nome, data_nascita, password_hash, role, provincia, active, created_at`

// querier is a transaction or the pool.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func scanUser(row pgx.Row) (*core.User, error) {
	var u core.User
	var created time.Time
	err := row.Scan(&u.ID, &u.Email, &u.Cognome, &u.Nome, &u.DataNascita, &u.PasswordHash, &u.Role,
		&u.Provincia, &u.Active, &created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "Account non trovato.")
	}
	if err != nil {
		return nil, err
	}
	u.CreatedAt = created.UTC()
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
	err := db.tx(ctx, func(tx pgx.Tx) error {
		// Insert unless the address is taken; a registration of the same address on another
		// instance at the same moment waits for it here and then finds its row.
		stored = *u
		err := tx.QueryRow(ctx, `INSERT INTO users (email, cognome, nome, data_nascita, password_hash, role, provincia, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (email) DO NOTHING RETURNING id`,
			u.Email, u.Cognome, u.Nome, u.DataNascita, u.PasswordHash, u.Role, u.Provincia, u.Active, u.CreatedAt).Scan(&stored.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			existing, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1 FOR NO KEY UPDATE`, u.Email))
			if err != nil {
				return err
			}
			if existing.Active {
				// Taken: nothing changes, and the owner is told (the answer is the same as
				// for a new address, so registering does not tell who has an account).
				stored = *existing
				return db.enqueueMail(ctx, tx, mail(&stored))
			}
			// Never activated: whoever registers now replaces the registration, and every
			// link sent before dies, so the address belongs to whoever opens the newest link
			// (and, activating, proves the password: the API asks for it).
			stored = *existing
			stored.Cognome, stored.Nome, stored.DataNascita, stored.PasswordHash = u.Cognome, u.Nome, u.DataNascita, u.PasswordHash
			if _, err := tx.Exec(ctx, `UPDATE users SET cognome = $1, nome = $2, data_nascita = $3, password_hash = $4 WHERE id = $5`,
				u.Cognome, u.Nome, u.DataNascita, u.PasswordHash, stored.ID); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE one_time_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`,
				u.CreatedAt, stored.ID); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if err := insertOneTimeToken(ctx, tx, stored.ID, activation); err != nil {
			return err
		}
		return db.enqueueMail(ctx, tx, mail(&stored))
	})
	if err != nil {
		return err
	}
	*u = stored
	return nil
}

func insertOneTimeToken(ctx context.Context, tx pgx.Tx, userID int64, t core.OneTimeToken) error {
	_, err := tx.Exec(ctx, `INSERT INTO one_time_tokens (hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)`,
		t.Hash, userID, t.Purpose, ts(t.ExpiresAt))
	return err
}

// OneTimeTokenUser implements core.UserService.
func (db *DB) OneTimeTokenUser(ctx context.Context, purpose string, hash []byte) (*core.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `SELECT `+prefixedUser+` FROM one_time_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3`, hash, purpose, db.now()))
	if core.ErrorCode(err) == core.ENOTFOUND {
		return nil, core.Errorf(core.EINVALID, "Il link non è valido o è scaduto. Chiedine uno nuovo: per l'attivazione registrati di nuovo con la stessa e-mail, per la password usa «Password dimenticata».")
	}
	return u, err
}

// prefixedUser is userColumns of the alias u.
var prefixedUser = func() string {
	cols := strings.Split(userColumns, ",")
	for i, c := range cols {
		cols[i] = "u." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}()

// UseToken implements core.UserService.
func (db *DB) UseToken(ctx context.Context, purpose string, hash []byte, passwordHash string) (*core.User, error) {
	var u *core.User
	now := db.now()
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var userID int64
		var expires time.Time
		var used *time.Time
		// The token's row is locked: the same link opened on two instances is used once.
		err := tx.QueryRow(ctx, `SELECT user_id, expires_at, used_at FROM one_time_tokens WHERE hash = $1 AND purpose = $2 FOR UPDATE`,
			hash, purpose).Scan(&userID, &expires, &used)
		invalid := core.Errorf(core.EINVALID, "Il link non è valido o è scaduto. Chiedine uno nuovo: per l'attivazione registrati di nuovo con la stessa e-mail, per la password usa «Password dimenticata».")
		if errors.Is(err, pgx.ErrNoRows) {
			return invalid
		}
		if err != nil {
			return err
		}
		if u, err = scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, userID)); err != nil {
			return err
		}
		if used != nil {
			if purpose == core.PurposeActivate && u.Active {
				return nil // the link opened twice: the account is active, say so
			}
			return invalid
		}
		if !expires.After(now) {
			return invalid
		}
		if _, err := tx.Exec(ctx, `UPDATE one_time_tokens SET used_at = $1 WHERE hash = $2`, now, hash); err != nil {
			return err
		}
		switch purpose {
		case core.PurposeActivate:
			_, err = tx.Exec(ctx, `UPDATE users SET active = true WHERE id = $1`, userID)
		case core.PurposeReset:
			// The link proves the address: it activates, and ends every session and token.
			if _, err = tx.Exec(ctx, `UPDATE users SET password_hash = $1, active = true WHERE id = $2`, passwordHash, userID); err != nil {
				return err
			}
			if _, err = tx.Exec(ctx, `UPDATE one_time_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = 'reset' AND used_at IS NULL`, now, userID); err != nil {
				return err
			}
			err = revokeAll(ctx, tx, userID, nil)
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
func revokeAll(ctx context.Context, tx pgx.Tx, userID int64, keep []byte) error {
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND hash IS DISTINCT FROM $2`, userID, keep); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM import_tokens WHERE user_id = $1`, userID)
	return err
}

// CreateResetToken implements core.UserService.
func (db *DB) CreateResetToken(ctx context.Context, email string, t core.OneTimeToken, mail func(*core.User) core.Mail) (bool, error) {
	var ok bool
	err := db.tx(ctx, func(tx pgx.Tx) error {
		ok = false
		u, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, NormalizeEmail(email)))
		if core.ErrorCode(err) == core.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		if err := insertOneTimeToken(ctx, tx, u.ID, t); err != nil {
			return err
		}
		ok = true
		return db.enqueueMail(ctx, tx, mail(u))
	})
	return ok, err
}

// UserByEmail implements core.UserService.
func (db *DB) UserByEmail(ctx context.Context, email string) (*core.User, error) {
	return scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, NormalizeEmail(email)))
}

// UserByID implements core.UserService.
func (db *DB) UserByID(ctx context.Context, id int64) (*core.User, error) {
	return scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
}

// SetPassword implements core.UserService.
func (db *DB) SetPassword(ctx context.Context, userID int64, passwordHash string, keep []byte) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, passwordHash, userID); err != nil {
			return err
		}
		// A reset link asked for before the change would undo it.
		if _, err := tx.Exec(ctx, `UPDATE one_time_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = 'reset' AND used_at IS NULL`,
			db.now(), userID); err != nil {
			return err
		}
		return revokeAll(ctx, tx, userID, keep)
	})
}

// SetRole implements core.UserService.
func (db *DB) SetRole(ctx context.Context, email string, role core.Role, provincia string) error {
	if !role.Valid() {
		return core.Errorf(core.EINVALID, "Ruolo «%s» sconosciuto: usa privato, operatore, admin o sportello.", role)
	}
	return db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET role = $1, provincia = $2 WHERE email = $3`, role, provincia, NormalizeEmail(email))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
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
	return db.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO users (email, cognome, nome, data_nascita, password_hash, role, provincia, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8) ON CONFLICT (email) DO NOTHING RETURNING id`, u.Email, u.Cognome, u.Nome, u.DataNascita, u.PasswordHash,
			u.Role, u.Provincia, u.CreatedAt).Scan(&u.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			return core.Errorf(core.ECONFLICT, "Esiste già un account con l'e-mail %s: per cambiarne il ruolo usa set-role.", u.Email)
		}
		if err != nil {
			return err
		}
		if audit != nil {
			return db.insertAudit(ctx, tx, *audit)
		}
		return nil
	})
}

// ModuleCounts implements core.UserService.
func (db *DB) ModuleCounts(ctx context.Context, userID int64) (map[string]int, error) {
	rows, err := db.pool.Query(ctx, `SELECT campaign_id, count(*) FROM modules WHERE user_id = $1 GROUP BY campaign_id`, userID)
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
