package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"nullaosta/server/core"
	"nullaosta/shared"
)

var _ core.EnablementService = (*DB)(nil)

// querier is a transaction or the read pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// matchOperatori matches the rows of a request to accounts (core.MatchOperatori) with the
// look-ups of q, a transaction or the read pool.
func matchOperatori(ctx context.Context, q querier, rows []core.OperatoreInput) ([]*core.User, []shared.Problem, error) {
	return core.MatchOperatori(rows, core.OperatorLookup{
		UserByEmail: func(email string) (*core.User, error) {
			return scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, NormalizeEmail(email)))
		},
		PendingIn: func(userID int64) (int64, bool, error) {
			var other int64
			err := q.QueryRowContext(ctx, `SELECT richiesta_id FROM richiesta_operatori WHERE user_id = ? AND stato = 'in_attesa' LIMIT 1`, userID).Scan(&other)
			if errors.Is(err, sql.ErrNoRows) {
				return 0, false, nil
			}
			return other, err == nil, err
		},
	})
}

// CheckOperatori implements core.EnablementService.
func (db *DB) CheckOperatori(ctx context.Context, rows []core.OperatoreInput) ([]shared.Problem, error) {
	_, ps, err := matchOperatori(ctx, db.read, rows)
	return ps, err
}

// CreateEnablement implements core.EnablementService.
func (db *DB) CreateEnablement(ctx context.Context, r *core.Enablement, rows []core.OperatoreInput) error {
	now := db.now()
	var stored *core.Enablement
	err := db.Write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		users, ps, err := matchOperatori(bg, tx, rows)
		if err != nil {
			return err
		}
		if len(ps) > 0 {
			return core.RowsProblem(ps)
		}
		res, err := tx.Exec(`INSERT INTO richieste (created_by, created_at, stato, ente_nome, ente_tipo, ente_provincia,
			ref_nome, ref_cognome, ref_ruolo, ref_telefono, ref_fax, ref_email) VALUES (?, ?, 'in_attesa', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.CreatedByID, fmtTime(now), r.Ente.Nome, r.Ente.Tipo, r.Ente.Provincia, r.Referente.Nome, r.Referente.Cognome,
			r.Referente.Ruolo, r.Referente.Telefono, r.Referente.Fax, NormalizeEmail(r.Referente.Email))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for i, row := range rows {
			if _, err := tx.Exec(`INSERT INTO richiesta_operatori (richiesta_id, pos, user_id, nome, cognome, data_nascita, email)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, id, row.Pos, users[i].ID, row.Nome, row.Cognome, row.DataNascita, users[i].Email); err != nil {
				return err
			}
		}
		stored, err = loadEnablement(bg, tx, id)
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

func scanEnablement(sc scanner) (*core.Enablement, error) {
	var r core.Enablement
	var created string
	var decided sql.NullString
	err := sc.Scan(&r.ID, &r.CreatedByID, &r.CreatedBy, &created, &r.Stato, &r.Ente.Nome, &r.Ente.Tipo, &r.Ente.Provincia,
		&r.Referente.Nome, &r.Referente.Cognome, &r.Referente.Ruolo, &r.Referente.Telefono, &r.Referente.Fax, &r.Referente.Email,
		&r.Motivo, &decided, &r.DecidedBy)
	if err != nil {
		return nil, err
	}
	r.CreatedAt = parseTime(created)
	r.CreatedAtRome = core.RomeTime(r.CreatedAt)
	if decided.Valid {
		r.DecidedAt = parseTime(decided.String)
		r.DecidedAtRome = core.RomeTime(r.DecidedAt)
	}
	r.Operatori = []core.EnablementOperator{}
	return &r, nil
}

// loadEnablement reads one request with its rows.
func loadEnablement(ctx context.Context, q querier, id int64) (*core.Enablement, error) {
	r, err := scanEnablement(q.QueryRowContext(ctx, `SELECT `+enablementColumns+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "La richiesta n. %d non esiste.", id)
	}
	if err != nil {
		return nil, err
	}
	if err := loadOperatori(ctx, q, map[int64]*core.Enablement{r.ID: r}, `richiesta_id = ?`, id); err != nil {
		return nil, err
	}
	return r, nil
}

// loadOperatori appends to each request of byID its rows matching cond, in form order.
func loadOperatori(ctx context.Context, q querier, byID map[int64]*core.Enablement, cond string, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT richiesta_id, user_id, nome, cognome, data_nascita, email, stato, motivo, decided_at
		FROM richiesta_operatori WHERE `+cond+` ORDER BY richiesta_id, pos`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var o core.EnablementOperator
		var decided sql.NullString
		if err := rows.Scan(&id, &o.UserID, &o.Nome, &o.Cognome, &o.DataNascita, &o.Email, &o.Stato, &o.Motivo, &decided); err != nil {
			return err
		}
		if decided.Valid {
			o.DecidedAt = parseTime(decided.String)
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
	return loadEnablement(ctx, db.read, id)
}

// maxEnablements bounds one list of requests.
const maxEnablements = 1000

// Enablements implements core.EnablementService.
func (db *DB) Enablements(ctx context.Context, createdBy int64, stato string) ([]core.Enablement, error) {
	var where []string
	var args []any
	if createdBy > 0 {
		where, args = append(where, "r.created_by = ?"), append(args, createdBy)
	}
	if stato != "" {
		where, args = append(where, "r.stato = ?"), append(args, stato)
	}
	q := `SELECT ` + enablementColumns
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY r.id DESC LIMIT ` + strconv.Itoa(maxEnablements)
	rows, err := db.read.QueryContext(ctx, q, args...)
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
	if err := loadOperatori(ctx, db.read, byID, `richiesta_id BETWEEN ? AND ?`, list[len(list)-1].ID, list[0].ID); err != nil {
		return nil, err
	}
	for _, r := range list {
		out = append(out, *r)
	}
	return out, nil
}

// Decide implements core.EnablementService.
func (db *DB) Decide(ctx context.Context, d core.Decision) (*core.Enablement, error) {
	var out *core.Enablement
	err := db.Write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		r, err := loadEnablement(bg, tx, d.EnablementID)
		if err != nil {
			return err
		}
		targets, err := core.DecisionTargets(r, d.UserIDs)
		if err != nil {
			return err
		}
		now := fmtTime(db.now())
		stato, motivo := core.OperatoreRespinto, d.Motivo
		if d.Approve {
			stato, motivo = core.OperatoreAbilitato, ""
		}
		var decided []core.EnablementOperator
		for _, i := range targets {
			o := &r.Operatori[i]
			if d.Approve {
				var role core.Role
				if err := tx.QueryRow(`SELECT role FROM users WHERE id = ?`, o.UserID).Scan(&role); err != nil {
					return err
				}
				if role != core.RolePrivato && role != core.RoleOperatore {
					return core.Errorf(core.ECONFLICT, "%s %s (%s) ora ha il profilo %s e non può essere abilitato come operatore: respingi la sua riga.", o.Nome, o.Cognome, o.Email, role)
				}
				if _, err := tx.Exec(`UPDATE users SET role = 'operatore', provincia = '' WHERE id = ?`, o.UserID); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(`UPDATE richiesta_operatori SET stato = ?, motivo = ?, decided_at = ?, decided_by = ?
				WHERE richiesta_id = ? AND user_id = ?`, stato, motivo, now, d.By.ID, r.ID, o.UserID); err != nil {
				return err
			}
			o.Stato, o.Motivo = stato, motivo
			decided = append(decided, *o)
		}
		if err := db.updateEnablementStato(tx, r.ID, now, d.By.ID, motivo); err != nil {
			return err
		}
		if out, err = loadEnablement(bg, tx, r.ID); err != nil {
			return err
		}
		if d.Mail != nil {
			for _, m := range d.Mail(out, decided) {
				if err := db.enqueueMail(tx, m); err != nil {
					return err
				}
			}
		}
		return db.insertAudit(tx, d.Audit)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateEnablementStato derives a request's status again from its rows.
func (db *DB) updateEnablementStato(tx *sql.Tx, id int64, now string, by int64, motivo string) error {
	rows, err := tx.Query(`SELECT stato FROM richiesta_operatori WHERE richiesta_id = ?`, id)
	if err != nil {
		return err
	}
	var st []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		st = append(st, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = tx.Exec(`UPDATE richieste SET stato = ?, decided_at = ?, decided_by = ?,
		motivo = CASE WHEN ? = '' THEN motivo ELSE ? END WHERE id = ?`, core.EnablementStato(st), now, by, motivo, motivo, id)
	return err
}

// Revoke implements core.EnablementService.
func (db *DB) Revoke(ctx context.Context, userID int64, motivo string, by *core.User, mail func(*core.User) core.Mail, audit core.AuditEntry) (*core.User, error) {
	var u *core.User
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRow(`SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
		if err != nil || u.Role != core.RoleOperatore {
			if err == nil || core.ErrorCode(err) == core.ENOTFOUND {
				return core.Errorf(core.ENOTFOUND, "Nessun operatore abilitato con il numero %d.", userID)
			}
			return err
		}
		if _, err := tx.Exec(`UPDATE users SET role = 'privato' WHERE id = ?`, userID); err != nil {
			return err
		}
		now := fmtTime(db.now())
		ids, err := tx.Query(`SELECT richiesta_id FROM richiesta_operatori WHERE user_id = ? AND stato = 'abilitato'`, userID)
		if err != nil {
			return err
		}
		var reqs []int64
		for ids.Next() {
			var id int64
			if err := ids.Scan(&id); err != nil {
				ids.Close()
				return err
			}
			reqs = append(reqs, id)
		}
		ids.Close()
		if _, err := tx.Exec(`UPDATE richiesta_operatori SET stato = 'revocato', motivo = ?, decided_at = ?, decided_by = ?
			WHERE user_id = ? AND stato = 'abilitato'`, motivo, now, by.ID, userID); err != nil {
			return err
		}
		for _, id := range reqs {
			if err := db.updateEnablementStato(tx, id, now, by.ID, ""); err != nil {
				return err
			}
		}
		u.Role = core.RolePrivato
		if mail != nil {
			if err := db.enqueueMail(tx, mail(u)); err != nil {
				return err
			}
		}
		return db.insertAudit(tx, audit)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// OperatorInfo implements core.EnablementService.
func (db *DB) OperatorInfo(ctx context.Context, userID int64) (core.OperatorInfo, error) {
	var info core.OperatorInfo
	var pending int
	if err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM richiesta_operatori WHERE user_id = ? AND stato = 'in_attesa')`,
		userID).Scan(&pending); err != nil {
		return info, err
	}
	info.Pending = pending == 1
	var e core.Ente
	var at string
	err := db.read.QueryRowContext(ctx, `SELECT r.ente_nome, r.ente_tipo, r.ente_provincia, o.decided_at
		FROM richiesta_operatori o JOIN richieste r ON r.id = o.richiesta_id
		WHERE o.user_id = ? AND o.stato = 'abilitato' ORDER BY o.decided_at DESC LIMIT 1`, userID).Scan(&e.Nome, &e.Tipo, &e.Provincia, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return info, err
	default:
		info.Ente, info.EnabledAt = &e, parseTime(at)
	}
	var dec core.OperatorDecision
	err = db.read.QueryRowContext(ctx, `SELECT o.stato, o.motivo, o.richiesta_id, r.ente_nome, r.ente_tipo, r.ente_provincia, o.decided_at
		FROM richiesta_operatori o JOIN richieste r ON r.id = o.richiesta_id
		WHERE o.user_id = ? AND o.stato <> 'in_attesa' AND o.decided_at IS NOT NULL
		ORDER BY o.decided_at DESC, o.richiesta_id DESC LIMIT 1`, userID).Scan(&dec.Stato, &dec.Motivo, &dec.EnablementID,
		&dec.Ente.Nome, &dec.Ente.Tipo, &dec.Ente.Provincia, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return info, err
	default:
		dec.DecidedAtRome = core.RomeTime(parseTime(at))
		info.Decision = &dec
	}
	return info, nil
}

// maxOperators bounds the list of operators.
const maxOperators = 2000

// Operators implements core.EnablementService.
func (db *DB) Operators(ctx context.Context, q string) ([]core.Operator, error) {
	query := `SELECT ` + prefixed("u.", userColumns) + `, coalesce(r.id, 0), r.ente_nome, r.ente_tipo, r.ente_provincia, o.decided_at,
		coalesce((SELECT c.n FROM user_module_counts c WHERE c.user_id = u.id), 0)
		FROM users u
		LEFT JOIN richiesta_operatori o ON o.user_id = u.id AND o.stato = 'abilitato' AND o.decided_at =
			(SELECT max(decided_at) FROM richiesta_operatori x WHERE x.user_id = u.id AND x.stato = 'abilitato')
		LEFT JOIN richieste r ON r.id = o.richiesta_id
		WHERE u.role = 'operatore'`
	var args []any
	if q = strings.TrimSpace(q); q != "" {
		like := likePrefix(q)
		query += ` AND (u.cognome LIKE ? ESCAPE '\' OR u.email LIKE ? ESCAPE '\' OR r.ente_nome LIKE ? ESCAPE '\')`
		args = append(args, like, like, like)
	}
	query += ` GROUP BY u.id ORDER BY r.ente_nome, u.cognome, u.nome LIMIT ` + strconv.Itoa(maxOperators)
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ops := []core.Operator{}
	for rows.Next() {
		var o core.Operator
		var u core.User
		var created string
		var nome, tipo, prov, at sql.NullString
		if err := rows.Scan(&u.ID, &u.Email, &u.Cognome, &u.Nome, &u.DataNascita, &u.PasswordHash, &u.Role, &u.Provincia,
			&u.Active, &created, &o.EnablementID, &nome, &tipo, &prov, &at, &o.ModulesGenerated); err != nil {
			return nil, err
		}
		u.CreatedAt = parseTime(created)
		o.User = u
		if nome.Valid {
			o.Ente = &core.Ente{Nome: nome.String, Tipo: tipo.String, Provincia: prov.String}
			o.EnabledAt = parseTime(at.String)
		}
		ops = append(ops, o)
	}
	return ops, rows.Err()
}

// prefixed qualifies each column of a comma-separated list.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// likePrefix is a LIKE pattern for text starting with s (LIKE ignores ASCII case).
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}
