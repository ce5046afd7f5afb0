package postgres

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
	"nullaosta/shared"
)

var _ core.DomandaService = (*DB)(nil)

// protocolPattern recognises a protocol number typed in the search box.
var protocolPattern = regexp.MustCompile(`^[A-Za-z0-9]+-[0-9]{7}$`)

// domandaWhere is the condition of a filter on submissions s.
func domandaWhere(f core.DomandaFilter) *where {
	w := &where{}
	if f.Provincia != "" {
		w.add("s.provincia = ?", f.Provincia)
	}
	if f.Kind != "" {
		w.add("s.kind = ?", string(f.Kind))
	}
	if !f.From.IsZero() {
		w.add("s.received_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		w.add("s.received_at < ?", f.To.UTC())
	}
	if f.Tipologia != "" {
		w.add("s.tipologia = ?", f.Tipologia)
	}
	if f.Cittadinanza != "" {
		w.add("s.cittadinanza = ?", f.Cittadinanza)
	}
	if f.Stato != "" {
		w.add("s.stato = ?", f.Stato)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		if protocolPattern.MatchString(q) {
			w.add("s.protocol = ?", strings.ToUpper(q))
		} else {
			k := core.SearchKey(q)
			w.add("((s.employer_search >= ? AND s.employer_search < ?) OR (s.worker_search >= ? AND s.worker_search < ?))",
				k, k+maxRune, k, k+maxRune)
		}
	}
	return w
}

// Domande implements core.DomandaService.
func (db *DB) Domande(ctx context.Context, f core.DomandaFilter) (int, []core.DomandaItem, error) {
	w := domandaWhere(f)
	// The total from the counts kept with every write; a text search counts its index range.
	total, ok, err := db.countDomande(ctx, f)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM submissions s WHERE `+w.String(), w.args...).Scan(&total); err != nil {
			return 0, nil, err
		}
	}
	offset := f.Offset
	if f.After != nil {
		at, err := time.Parse(core.ReceivedAtLayout, f.After.ReceivedAt)
		if err != nil {
			return 0, nil, core.Errorf(core.EINVALID, "Il segnaposto della pagina (%s) non è valido: torna alla prima pagina.", f.After.ReceivedAt)
		}
		w.add("(s.received_at, s.protocol) < (?, ?)", at, f.After.Protocol)
		offset = 0
	}
	q := `SELECT s.protocol, s.module_id, s.kind, s.received_at, s.employer_name, s.worker_name,
		s.cittadinanza, s.tipologia, s.provincia, s.stato FROM submissions s WHERE ` + w.String() + `
		ORDER BY s.received_at DESC, s.protocol DESC LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(offset)
	rows, err := db.pool.Query(ctx, q, w.args...)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	items := []core.DomandaItem{}
	for rows.Next() {
		var it core.DomandaItem
		var at time.Time
		if err := rows.Scan(&it.Protocol, &it.ModuleID, &it.Kind, &at, &it.Employer, &it.Worker,
			&it.Cittadinanza, &it.Tipologia, &it.Provincia, &it.Stato); err != nil {
			return 0, nil, err
		}
		it.ReceivedAt = fmtTime(at)
		it.ReceivedAtRome = core.RomeTime(at)
		items = append(items, it)
	}
	return total, items, rows.Err()
}

// loadDomanda reads one application of provincia ("" for any) with its history.
func loadDomanda(ctx context.Context, q querier, protocol, provincia string) (*core.Domanda, error) {
	var d core.Domanda
	var r nullableReceipt
	var content string
	err := q.QueryRow(ctx, `SELECT s.user_id, s.content, s.kind, s.employer_name, s.worker_name, s.stato, `+receiptColumns+`
		FROM submissions s WHERE s.protocol = $1 AND ($2 = '' OR s.provincia = $2)`, protocol, provincia).
		Scan(append([]any{&d.OwnerID, &content, &d.Kind, &d.Employer, &d.Worker, &d.Stato}, r.dest()...)...)
	if errors.Is(err, pgx.ErrNoRows) {
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
	received := r.receivedAt.UTC()
	d.History = []core.StatoEvent{{Stato: core.DomandaRicevuta, At: received, AtRome: core.RomeTime(received)}}
	rows, err := q.Query(ctx, `SELECT e.stato, e.nota, u.email, e.at FROM pratica_eventi e JOIN users u ON u.id = e.by_user
		WHERE e.protocol = $1 ORDER BY e.id`, protocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ev core.StatoEvent
		if err := rows.Scan(&ev.Stato, &ev.Nota, &ev.By, &ev.At); err != nil {
			return nil, err
		}
		ev.At = ev.At.UTC()
		ev.AtRome = core.RomeTime(ev.At)
		d.History = append(d.History, ev)
	}
	return &d, rows.Err()
}

// Domanda implements core.DomandaService.
func (db *DB) Domanda(ctx context.Context, protocol, provincia string) (*core.Domanda, error) {
	return loadDomanda(ctx, db.pool, strings.ToUpper(strings.TrimSpace(protocol)), provincia)
}

// SetStato implements core.DomandaService. The application's row is locked before its
// status is read, so two changes from two instances apply in turn and the second is judged
// on the first.
func (db *DB) SetStato(ctx context.Context, c core.StatoChange) (*core.Domanda, error) {
	protocol := strings.ToUpper(strings.TrimSpace(c.Protocol))
	var out *core.Domanda
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM submissions WHERE protocol = $1 FOR NO KEY UPDATE`, protocol); err != nil {
			return err
		}
		d, err := loadDomanda(ctx, tx, protocol, c.Provincia)
		if err != nil {
			return err
		}
		if !core.DomandaCanMove(d.Stato, c.Stato) {
			next := core.DomandaNext(d.Stato)
			if len(next) == 0 {
				return core.Errorf(core.ECONFLICT, "La domanda %s è già %s: lo stato non si può più cambiare.", protocol, strings.ToLower(core.DomandaLabel(d.Stato)))
			}
			labels := make([]string, len(next))
			for i, n := range next {
				labels[i] = "«" + core.DomandaLabel(n) + "»"
			}
			return core.Errorf(core.ECONFLICT, "La domanda %s è «%s»: da qui può passare solo a %s, non a «%s».",
				protocol, core.DomandaLabel(d.Stato), strings.Join(labels, " o "), core.DomandaLabel(c.Stato))
		}
		if err := moveDomandaCount(ctx, tx, protocol, c.Stato); err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.Exec(ctx, `UPDATE submissions SET stato = $1, stato_at = $2, stato_nota = $3 WHERE protocol = $4`,
			c.Stato, now, c.Nota, protocol); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO pratica_eventi (protocol, stato, nota, by_user, at) VALUES ($1, $2, $3, $4, $5)`,
			protocol, c.Stato, c.Nota, c.By.ID, now); err != nil {
			return err
		}
		if out, err = loadDomanda(ctx, tx, protocol, c.Provincia); err != nil {
			return err
		}
		if c.Mail != nil {
			owner, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, out.OwnerID))
			if err != nil {
				return err
			}
			if err := db.enqueueMail(ctx, tx, c.Mail(owner, out)); err != nil {
				return err
			}
		}
		return db.insertAudit(ctx, tx, c.Audit)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachDomanda implements core.DomandaService. Rows are streamed from one query; the content
// is read as raw bytes, valid until the next row.
func (db *DB) EachDomanda(ctx context.Context, f core.DomandaFilter, fn func(r *core.DomandaRow) error) error {
	w := domandaWhere(f)
	rows, err := db.pool.Query(ctx, `SELECT s.protocol, s.received_at, s.stato, s.content FROM submissions s
		WHERE `+w.String()+` ORDER BY s.received_at, s.protocol`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var r core.DomandaRow
	var at time.Time
	for rows.Next() {
		raw := rows.RawValues()
		if err := rows.Scan(&r.Protocol, &at, &r.Stato, nil); err != nil {
			return err
		}
		r.ReceivedAt = fmtTime(at)
		r.Content = raw[3]
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}
