package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"

	"nullaosta/server/core"
	"nullaosta/shared"
)

var _ core.SportelloService = (*DB)(nil)

// protocolPattern recognises a protocol number typed in the search box.
var protocolPattern = regexp.MustCompile(`^[A-Za-z0-9]+-[0-9]{7}$`)

// domandaWhere is the condition of a filter on submissions s.
func domandaWhere(f core.DomandaFilter) (string, []any) {
	where := []string{"1"}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.Provincia != "" {
		add("s.provincia = ?", f.Provincia)
	}
	if f.Kind != "" {
		add("s.kind = ?", string(f.Kind))
	}
	if !f.From.IsZero() {
		add("s.received_at >= ?", fmtTime(f.From))
	}
	if !f.To.IsZero() {
		add("s.received_at < ?", fmtTime(f.To))
	}
	if f.Tipologia != "" {
		add("s.tipologia = ?", f.Tipologia)
	}
	if f.Cittadinanza != "" {
		add("s.cittadinanza = ?", f.Cittadinanza)
	}
	if f.Stato != "" {
		add("s.stato = ?", f.Stato)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		if protocolPattern.MatchString(q) {
			add("s.protocol = ?", strings.ToUpper(q))
		} else {
			k := core.SearchKey(q)
			add("((s.employer_search >= ? AND s.employer_search < ?) OR (s.worker_search >= ? AND s.worker_search < ?))",
				k, k+maxRune, k, k+maxRune)
		}
	}
	return strings.Join(where, " AND "), args
}

// Domande implements core.SportelloService.
func (db *DB) Domande(ctx context.Context, f core.DomandaFilter) (int, []core.DomandaItem, error) {
	cond, args := domandaWhere(f)
	// The total from the counts kept with every write; a text search counts its index range.
	total, ok, err := db.countDomande(ctx, f)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM submissions s WHERE `+cond, args...).Scan(&total); err != nil {
			return 0, nil, err
		}
	}
	offset := f.Offset
	if f.After != nil {
		cond += ` AND s.received_at <= ? AND (s.received_at < ? OR s.protocol < ?)`
		args = append(args, f.After.ReceivedAt, f.After.ReceivedAt, f.After.Protocol)
		offset = 0
	}
	rows, err := db.read.QueryContext(ctx, `SELECT s.protocol, s.module_id, s.kind, s.received_at, s.employer_name, s.worker_name,
		s.cittadinanza, s.tipologia, s.provincia, s.stato FROM submissions s WHERE `+cond+`
		ORDER BY s.received_at DESC, s.protocol DESC LIMIT ? OFFSET ?`, append(args, f.Limit, offset)...)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	items := []core.DomandaItem{}
	for rows.Next() {
		var it core.DomandaItem
		if err := rows.Scan(&it.Protocol, &it.ModuleID, &it.Kind, &it.ReceivedAt, &it.Employer, &it.Worker,
			&it.Cittadinanza, &it.Tipologia, &it.Provincia, &it.Stato); err != nil {
			return 0, nil, err
		}
		it.ReceivedAtRome = core.RomeTime(parseTime(it.ReceivedAt))
		items = append(items, it)
	}
	return total, items, rows.Err()
}

// loadDomanda reads one application of provincia ("" for any) with its history.
func loadDomanda(ctx context.Context, q querier, protocol, provincia string) (*core.Domanda, error) {
	var d core.Domanda
	var r nullableReceipt
	var content string
	err := q.QueryRowContext(ctx, `SELECT s.user_id, s.content, s.kind, s.employer_name, s.worker_name, s.stato, `+receiptColumns+`
		FROM submissions s WHERE s.protocol = ? AND (? = '' OR s.provincia = ?)`, protocol, provincia, provincia).
		Scan(append([]any{&d.OwnerID, &content, &d.Kind, &d.Employer, &d.Worker, &d.Stato}, r.dest()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		// Another province's application is "not found" too: its existence is not revealed.
		return nil, core.Errorf(core.ENOTFOUND, "Nessuna domanda con protocollo %s fra quelle della tua provincia.", protocol)
	}
	if err != nil {
		return nil, err
	}
	d.Receipt = *r.receipt()
	if d.Data, err = shared.ParseData([]byte(content)); err != nil {
		return nil, err
	}
	received := parseTime(d.Receipt.ReceivedAt)
	d.History = []core.StatoEvent{{Stato: core.PraticaRicevuta, At: received, AtRome: core.RomeTime(received)}}
	rows, err := q.QueryContext(ctx, `SELECT e.stato, e.nota, u.email, e.at FROM pratica_eventi e JOIN users u ON u.id = e.by_user
		WHERE e.protocol = ? ORDER BY e.id`, protocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ev core.StatoEvent
		var at string
		if err := rows.Scan(&ev.Stato, &ev.Nota, &ev.By, &at); err != nil {
			return nil, err
		}
		ev.At = parseTime(at)
		ev.AtRome = core.RomeTime(ev.At)
		d.History = append(d.History, ev)
	}
	return &d, rows.Err()
}

// Domanda implements core.SportelloService.
func (db *DB) Domanda(ctx context.Context, protocol, provincia string) (*core.Domanda, error) {
	return loadDomanda(ctx, db.read, strings.ToUpper(strings.TrimSpace(protocol)), provincia)
}

// SetStato implements core.SportelloService.
func (db *DB) SetStato(ctx context.Context, c core.StatoChange) (*core.Domanda, error) {
	protocol := strings.ToUpper(strings.TrimSpace(c.Protocol))
	var out *core.Domanda
	err := db.Write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		d, err := loadDomanda(bg, tx, protocol, c.Provincia)
		if err != nil {
			return err
		}
		if !core.PraticaCanMove(d.Stato, c.Stato) {
			next := core.PraticaNext(d.Stato)
			if len(next) == 0 {
				return core.Errorf(core.ECONFLICT, "La domanda %s è già %s: lo stato non si può più cambiare.", protocol, strings.ToLower(core.PraticaLabel(d.Stato)))
			}
			labels := make([]string, len(next))
			for i, n := range next {
				labels[i] = "«" + core.PraticaLabel(n) + "»"
			}
			return core.Errorf(core.ECONFLICT, "La domanda %s è «%s»: da qui può passare solo a %s, non a «%s».",
				protocol, core.PraticaLabel(d.Stato), strings.Join(labels, " o "), core.PraticaLabel(c.Stato))
		}
		if err := moveDomandaCount(tx, protocol, c.Stato); err != nil {
			return err
		}
		now := fmtTime(db.now())
		if _, err := tx.Exec(`UPDATE submissions SET stato = ?, stato_at = ?, stato_nota = ? WHERE protocol = ?`,
			c.Stato, now, c.Nota, protocol); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO pratica_eventi (protocol, stato, nota, by_user, at) VALUES (?, ?, ?, ?, ?)`,
			protocol, c.Stato, c.Nota, c.By.ID, now); err != nil {
			return err
		}
		if out, err = loadDomanda(bg, tx, protocol, c.Provincia); err != nil {
			return err
		}
		if c.Mail != nil {
			owner, err := scanUser(tx.QueryRow(`SELECT `+userColumns+` FROM users WHERE id = ?`, out.OwnerID))
			if err != nil {
				return err
			}
			if err := db.enqueueMail(tx, c.Mail(owner, out)); err != nil {
				return err
			}
		}
		return db.insertAudit(tx, c.Audit)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachDomanda implements core.SportelloService. The content is read as sql.RawBytes: no copy
// per row, valid until the next row.
func (db *DB) EachDomanda(ctx context.Context, f core.DomandaFilter, fn func(r *core.DomandaRow) error) error {
	cond, args := domandaWhere(f)
	rows, err := db.read.QueryContext(ctx, `SELECT s.protocol, s.received_at, s.stato, s.content FROM submissions s
		WHERE `+cond+` ORDER BY s.received_at, s.protocol`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r core.DomandaRow
	var content sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&r.Protocol, &r.ReceivedAt, &r.Stato, &content); err != nil {
			return err
		}
		r.Content = content
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}
