package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
	"nullaosta/shared"
)

var _ core.EnablementService = (*DB)(nil)

// matchOperatori matches the rows of a request to accounts (core.MatchOperatori) with the
// look-ups of q, a transaction or the pool.
func matchOperatori(ctx context.Context, q querier, rows []core.OperatoreInput) ([]*core.User, []shared.Problem, error) {
	return core.MatchOperatori(rows, core.OperatorLookup{
		UserByEmail: func(email string) (*core.User, error) {
			return scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, NormalizeEmail(email)))
		},
		PendingIn: func(userID int64) (int64, bool, error) {
			var other int64
			err := q.QueryRow(ctx, `SELECT richiesta_id FROM richiesta_operatori WHERE user_id = $1 AND stato = 'in_attesa' LIMIT 1`, userID).Scan(&other)
			if errors.Is(err, pgx.ErrNoRows) {
				return 0, false, nil
			}
			return other, err == nil, err
		},
	})
}

// CheckOperatori implements core.EnablementService.
func (db *DB) CheckOperatori(ctx context.Context, rows []core.OperatoreInput) ([]shared.Problem, error) {
	_, ps, err := matchOperatori(ctx, db.pool, rows)
	return ps, err
}

// CreateEnablement implements core.EnablementService. The rows' accounts are locked (in id
// order) before they are matched, so two requests naming the same person on two instances
// cannot both find them free.
func (db *DB) CreateEnablement(ctx context.Context, r *core.Enablement, rows []core.OperatoreInput) error {
	now := db.now()
	var stored *core.Enablement
	emails := make([]string, len(rows))
	for i, row := range rows {
		emails[i] = NormalizeEmail(row.Email)
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE email = ANY($1) ORDER BY id FOR NO KEY UPDATE`, emails); err != nil {
			return err
		}
		users, ps, err := matchOperatori(ctx, tx, rows)
		if err != nil {
			return err
		}
		if len(ps) > 0 {
			return core.RowsProblem(ps)
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO richieste (created_by, created_at, stato, ente_nome, ente_tipo, ente_provincia,
			ref_nome, ref_cognome, ref_ruolo, ref_telefono, ref_fax, ref_email) VALUES ($1, $2, 'in_attesa', $3, $4, $5, $6, $7, $8, $9, $10, $11)
			RETURNING id`,
			r.CreatedByID, now, r.Ente.Nome, r.Ente.Tipo, r.Ente.Provincia, r.Referente.Nome, r.Referente.Cognome,
			r.Referente.Ruolo, r.Referente.Telefono, r.Referente.Fax, NormalizeEmail(r.Referente.Email)).Scan(&id); err != nil {
			return err
		}
		for i, row := range rows {
			if _, err := tx.Exec(ctx, `INSERT INTO richiesta_operatori (richiesta_id, pos, user_id, nome, cognome, data_nascita, email)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, row.Pos, users[i].ID, row.Nome, row.Cognome, row.DataNascita, users[i].Email); err != nil {
				return err
			}
		}
		stored, err = loadEnablement(ctx, tx, id)
		return err
	})
	if err != nil {
		return err
	}
	*r = *stored
	return nil
}

const enablementColumns = `r.id, r.created_by, cu.email, r.created_at, r.stato, r.ente_nome, r.ente_tipo, r.ente_provincia,
	r.ref_nome, r.ref_cognome, r.ref_ruolo, r.ref_telefono, r.ref_fax, r.ref_email, r.motivo, r.decided_at, coalesce(du.email, '')
	FROM richieste r JOIN users cu ON cu.id = r.created_by LEFT JOIN users du ON du.id = r.decided_by`

func scanEnablement(row pgx.Row) (*core.Enablement, error) {
	var r core.Enablement
	var decided *time.Time
	err := row.Scan(&r.ID, &r.CreatedByID, &r.CreatedBy, &r.CreatedAt, &r.Stato, &r.Ente.Nome, &r.Ente.Tipo, &r.Ente.Provincia,
		&r.Referente.Nome, &r.Referente.Cognome, &r.Referente.Ruolo, &r.Referente.Telefono, &r.Referente.Fax, &r.Referente.Email,
		&r.Motivo, &decided, &r.DecidedBy)
	if err != nil {
		return nil, err
	}
	r.CreatedAt = r.CreatedAt.UTC()
	r.CreatedAtRome = core.RomeTime(r.CreatedAt)
	if decided != nil {
		r.DecidedAt = decided.UTC()
		r.DecidedAtRome = core.RomeTime(r.DecidedAt)
	}
	r.Operatori = []core.EnablementOperator{}
	return &r, nil
}

// loadEnablement reads one request with its rows.
func loadEnablement(ctx context.Context, q querier, id int64) (*core.Enablement, error) {
	r, err := scanEnablement(q.QueryRow(ctx, `SELECT `+enablementColumns+` WHERE r.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "La richiesta n. %d non esiste.", id)
	}
	if err != nil {
		return nil, err
	}
	if err := loadOperatori(ctx, q, map[int64]*core.Enablement{r.ID: r}, `richiesta_id = $1`, id); err != nil {
		return nil, err
	}
	return r, nil
}

// loadOperatori appends to each request of byID its rows matching cond, in form order.
func loadOperatori(ctx context.Context, q querier, byID map[int64]*core.Enablement, cond string, args ...any) error {
	rows, err := q.Query(ctx, `SELECT richiesta_id, user_id, nome, cognome, data_nascita, email, stato, motivo, decided_at
		FROM richiesta_operatori WHERE `+cond+` ORDER BY richiesta_id, pos`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var o core.EnablementOperator
		var decided *time.Time
		if err := rows.Scan(&id, &o.UserID, &o.Nome, &o.Cognome, &o.DataNascita, &o.Email, &o.Stato, &o.Motivo, &decided); err != nil {
			return err
		}
		if decided != nil {
			o.DecidedAt = decided.UTC()
			o.DecidedAtRome = core.RomeTime(o.DecidedAt)
		}
		if r := byID[id]; r != nil {
			r.Operatori = append(r.Operatori, o)
		}
	}
	return rows.Err()
}

// Enablement implements core.EnablementService.
func (db *DB) Enablement(ctx context.Context, id int64) (*core.Enablement, error) {
	return loadEnablement(ctx, db.pool, id)
}

// maxEnablements bounds one list of requests.
const maxEnablements = 1000

// Enablements implements core.EnablementService.
func (db *DB) Enablements(ctx context.Context, createdBy int64, stato string) ([]core.Enablement, error) {
	var w where
	if createdBy > 0 {
		w.add("r.created_by = ?", createdBy)
	}
	if stato != "" {
		w.add("r.stato = ?", stato)
	}
	rows, err := db.pool.Query(ctx, `SELECT `+enablementColumns+` WHERE `+w.String()+` ORDER BY r.id DESC LIMIT `+itoa(maxEnablements), w.args...)
	if err != nil {
		return nil, err
	}
	var list []*core.Enablement
	byID := map[int64]*core.Enablement{}
	for rows.Next() {
		r, err := scanEnablement(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, r)
		byID[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]core.Enablement, 0, len(list))
	if len(list) == 0 {
		return out, nil
	}
	// The rows of the listed requests, in one query: ids span from the last to the first.
	if err := loadOperatori(ctx, db.pool, byID, `richiesta_id BETWEEN $1 AND $2`, list[len(list)-1].ID, list[0].ID); err != nil {
		return nil, err
	}
	for _, r := range list {
		out = append(out, *r)
	}
	return out, nil
}

// Decide implements core.EnablementService. The request's row is locked first: two decisions
// on it, from two instances, apply one after the other and the second sees the first.
func (db *DB) Decide(ctx context.Context, d core.Decision) (*core.Enablement, error) {
	var out *core.Enablement
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM richieste WHERE id = $1 FOR NO KEY UPDATE`, d.EnablementID); err != nil {
			return err
		}
		r, err := loadEnablement(ctx, tx, d.EnablementID)
		if err != nil {
			return err
		}
		targets, err := core.DecisionTargets(r, d.UserIDs)
		if err != nil {
			return err
		}
		now := db.now()
		stato, motivo := core.OperatoreRespinto, d.Motivo
		if d.Approve {
			stato, motivo = core.OperatoreAbilitato, ""
		}
		var decided []core.EnablementOperator
		for _, i := range targets {
			o := &r.Operatori[i]
			if d.Approve {
				var role core.Role
				if err := tx.QueryRow(ctx, `SELECT role FROM users WHERE id = $1 FOR NO KEY UPDATE`, o.UserID).Scan(&role); err != nil {
					return err
				}
				if role != core.RolePrivato && role != core.RoleOperatore {
					return core.Errorf(core.ECONFLICT, "%s %s (%s) ora ha il profilo %s e non può essere abilitato come operatore: respingi la sua riga.", o.Nome, o.Cognome, o.Email, role)
				}
				if _, err := tx.Exec(ctx, `UPDATE users SET role = 'operatore', provincia = '' WHERE id = $1`, o.UserID); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE richiesta_operatori SET stato = $1, motivo = $2, decided_at = $3, decided_by = $4
				WHERE richiesta_id = $5 AND user_id = $6`, stato, motivo, now, d.By.ID, r.ID, o.UserID); err != nil {
				return err
			}
			o.Stato, o.Motivo = stato, motivo
			decided = append(decided, *o)
		}
		if err := updateEnablementStato(ctx, tx, r.ID, now, d.By.ID, motivo); err != nil {
			return err
		}
		if out, err = loadEnablement(ctx, tx, r.ID); err != nil {
			return err
		}
		if d.Mail != nil {
			for _, m := range d.Mail(out, decided) {
				if err := db.enqueueMail(ctx, tx, m); err != nil {
					return err
				}
			}
		}
		return db.insertAudit(ctx, tx, d.Audit)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateEnablementStato derives a request's status again from its rows.
func updateEnablementStato(ctx context.Context, tx pgx.Tx, id int64, now time.Time, by int64, motivo string) error {
	rows, err := tx.Query(ctx, `SELECT stato FROM richiesta_operatori WHERE richiesta_id = $1`, id)
	if err != nil {
		return err
	}
	st, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE richieste SET stato = $1, decided_at = $2, decided_by = $3,
		motivo = CASE WHEN $4 = '' THEN motivo ELSE $4 END WHERE id = $5`, core.EnablementStato(st), now, by, motivo, id)
	return err
}

// Revoke implements core.EnablementService.
func (db *DB) Revoke(ctx context.Context, userID int64, motivo string, by *core.User, mail func(*core.User) core.Mail, audit core.AuditEntry) (*core.User, error) {
	var u *core.User
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR NO KEY UPDATE`, userID))
		if err != nil || u.Role != core.RoleOperatore {
			if err == nil || core.ErrorCode(err) == core.ENOTFOUND {
				return core.Errorf(core.ENOTFOUND, "Nessun operatore abilitato con il numero %d.", userID)
			}
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET role = 'privato' WHERE id = $1`, userID); err != nil {
			return err
		}
		now := db.now()
		rows, err := tx.Query(ctx, `UPDATE richiesta_operatori SET stato = 'revocato', motivo = $1, decided_at = $2, decided_by = $3
			WHERE user_id = $4 AND stato = 'abilitato' RETURNING richiesta_id`, motivo, now, by.ID, userID)
		if err != nil {
			return err
		}
		reqs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		for _, id := range reqs {
			if err := updateEnablementStato(ctx, tx, id, now, by.ID, ""); err != nil {
				return err
			}
		}
		u.Role = core.RolePrivato
		if mail != nil {
			if err := db.enqueueMail(ctx, tx, mail(u)); err != nil {
				return err
			}
		}
		return db.insertAudit(ctx, tx, audit)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// OperatorInfo implements core.EnablementService.
func (db *DB) OperatorInfo(ctx context.Context, userID int64) (core.OperatorInfo, error) {
	var info core.OperatorInfo
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM richiesta_operatori WHERE user_id = $1 AND stato = 'in_attesa')`,
		userID).Scan(&info.Pending); err != nil {
		return info, err
	}
	var e core.Ente
	var at time.Time
	err := db.pool.QueryRow(ctx, `SELECT r.ente_nome, r.ente_tipo, r.ente_provincia, o.decided_at
		FROM richiesta_operatori o JOIN richieste r ON r.id = o.richiesta_id
		WHERE o.user_id = $1 AND o.stato = 'abilitato' ORDER BY o.decided_at DESC LIMIT 1`, userID).Scan(&e.Nome, &e.Tipo, &e.Provincia, &at)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return info, err
	default:
		info.Ente, info.EnabledAt = &e, at.UTC()
	}
	var dec core.OperatorDecision
	err = db.pool.QueryRow(ctx, `SELECT o.stato, o.motivo, o.richiesta_id, r.ente_nome, r.ente_tipo, r.ente_provincia, o.decided_at
		FROM richiesta_operatori o JOIN richieste r ON r.id = o.richiesta_id
		WHERE o.user_id = $1 AND o.stato <> 'in_attesa' AND o.decided_at IS NOT NULL
		ORDER BY o.decided_at DESC, o.richiesta_id DESC LIMIT 1`, userID).Scan(&dec.Stato, &dec.Motivo, &dec.EnablementID,
		&dec.Ente.Nome, &dec.Ente.Tipo, &dec.Ente.Provincia, &at)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return info, err
	default:
		dec.DecidedAtRome = core.RomeTime(at)
		info.Decision = &dec
	}
	return info, nil
}

// maxOperators bounds the list of operators.
const maxOperators = 2000

// Operators implements core.EnablementService.
func (db *DB) Operators(ctx context.Context, q string) ([]core.Operator, error) {
	query := `SELECT u.id, u.email, u.cognome, u.nome, u.data_nascita, u.password_hash, u.role, u.provincia, u.active, u.created_at,
		coalesce(x.richiesta_id, 0), x.ente_nome, x.ente_tipo, x.ente_provincia, x.decided_at,
		coalesce((SELECT c.n FROM user_module_counts c WHERE c.user_id = u.id), 0)
		FROM users u
		LEFT JOIN LATERAL (SELECT o.richiesta_id, o.decided_at, r.ente_nome, r.ente_tipo, r.ente_provincia
			FROM richiesta_operatori o JOIN richieste r ON r.id = o.richiesta_id
			WHERE o.user_id = u.id AND o.stato = 'abilitato' ORDER BY o.decided_at DESC LIMIT 1) x ON true
		WHERE u.role = 'operatore'`
	var args []any
	if q = strings.TrimSpace(q); q != "" {
		// ILIKE on "C"-collated text folds ASCII case only, as SQLite's LIKE does.
		query += ` AND (u.cognome ILIKE $1 ESCAPE '\' OR u.email ILIKE $1 ESCAPE '\' OR x.ente_nome ILIKE $1 ESCAPE '\')`
		args = append(args, likePrefix(q))
	}
	query += ` ORDER BY x.ente_nome NULLS FIRST, u.cognome, u.nome LIMIT ` + itoa(maxOperators)
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ops := []core.Operator{}
	for rows.Next() {
		var o core.Operator
		var u core.User
		var nome, tipo, prov *string
		var at *time.Time
		if err := rows.Scan(&u.ID, &u.Email, &u.Cognome, &u.Nome, &u.DataNascita, &u.PasswordHash, &u.Role, &u.Provincia,
			&u.Active, &u.CreatedAt, &o.EnablementID, &nome, &tipo, &prov, &at, &o.ModulesGenerated); err != nil {
			return nil, err
		}
		u.CreatedAt = u.CreatedAt.UTC()
		o.User = u
		if nome != nil {
			o.Ente = &core.Ente{Nome: *nome, Tipo: *tipo, Provincia: *prov}
			o.EnabledAt = at.UTC()
		}
		ops = append(ops, o)
	}
	return ops, rows.Err()
}

// likePrefix is a LIKE pattern for text starting with s.
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}
