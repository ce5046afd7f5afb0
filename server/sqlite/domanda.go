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

var _ core.DomandaService = (*DB)(nil)

// protocolPattern recognises a protocol number typed in the search box.
var protocolPattern = regexp.MustCompile(`^[A-Za-z0-9]+-[0-9]{7}$`)

// domandaWhere is the condition of a filter on submissions s.
func domandaWhere(f core.DomandaFilter) (string, []any) { return domandaWhereOn(f, "s.") }

// domandaWhereOn is domandaWhere on the columns of alias a ("s.", or "" for the table's own).
func domandaWhereOn(f core.DomandaFilter, a string) (string, []any) {
	where := []string{"1"}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	// col names a column in a condition; during a search by name, as +s.col, which SQLite
	// does not use to pick an index: the rows come from the name indexes (see below).
	q := strings.TrimSpace(f.Q)
	byName := q != "" && !protocolPattern.MatchString(q)
	col := func(name string) string {
		if byName {
			return "+" + a + name
		}
		return a + name
	}
	if f.Provincia != "" {
		add(col("provincia")+" = ?", f.Provincia)
	}
	if f.Kind != "" {
		add(col("kind")+" = ?", string(f.Kind))
	}
	if !f.From.IsZero() {
		add(col("received_at")+" >= ?", fmtTime(f.From))
	}
	if !f.To.IsZero() {
		add(col("received_at")+" < ?", fmtTime(f.To))
	}
	if f.Tipologia != "" {
		add(col("tipologia")+" = ?", f.Tipologia)
	}
	if f.Cittadinanza != "" {
		add(col("cittadinanza")+" = ?", f.Cittadinanza)
	}
	if f.Stato != "" {
		add(col("stato")+" = ?", f.Stato)
	}
	if f.After != nil {
		// A row value: a range on the list indexes, (received_at, protocol) in that order.
		add("("+col("received_at")+", "+col("protocol")+") < (?, ?)", f.After.ReceivedAt, f.After.Protocol)
	}
	switch {
	case byName:
		// The matches from the two name indexes (the province checked in the index entry),
		// then the other conditions and the order on those rows only.
		k := core.SearchKey(q)
		add(a+`rowid IN (SELECT rowid FROM submissions INDEXED BY submissions_employer_search
			WHERE employer_search >= ? AND employer_search < ? AND (? = '' OR provincia = ?)
			UNION SELECT rowid FROM submissions INDEXED BY submissions_worker_search
			WHERE worker_search >= ? AND worker_search < ? AND (? = '' OR provincia = ?))`,
			k, k+maxRune, f.Provincia, f.Provincia, k, k+maxRune, f.Provincia, f.Provincia)
	case q != "":
		add(a+"protocol = ?", strings.ToUpper(q))
	}
	return strings.Join(where, " AND "), args
}

// nameArms are, for a search by name, the queries of the matching applications' keys (with
// their receipt instant and protocol, to order them) from each of the two name indexes alone:
// each holds the columns of every other filter (migration 0006). An application whose two
// names both match is in both arms. ok is false for another filter.
func nameArms(f core.DomandaFilter) (employer, worker string, eargs, wargs []any, ok bool) {
	q := strings.TrimSpace(f.Q)
	if q == "" || protocolPattern.MatchString(q) {
		return "", "", nil, nil, false
	}
	k := core.SearchKey(q)
	rest := f
	rest.Q = ""
	cond, cargs := domandaWhereOn(rest, "")
	arm := func(index, col string) (string, []any) {
		return `SELECT rowid AS id, received_at, protocol FROM submissions INDEXED BY ` + index +
			` WHERE ` + col + ` >= ? AND ` + col + ` < ? AND ` + cond, append([]any{k, k + maxRune}, cargs...)
	}
	employer, eargs = arm("submissions_employer_search", "employer_search")
	worker, wargs = arm("submissions_worker_search", "worker_search")
	return employer, worker, eargs, wargs, true
}

// Domande implements core.DomandaService.
func (db *DB) Domande(ctx context.Context, f core.DomandaFilter) (int, []core.DomandaItem, error) {
	cond, args := domandaWhere(f)
	// The total from the counts kept with every write; a text search counts its index range.
	total, ok, err := db.countDomande(ctx, f)
	if err != nil {
		return 0, nil, err
	}
	if !ok {
		all := f
		all.After = nil
		q, args := domandaWhere(all)
		q = `SELECT count(*) FROM submissions s WHERE ` + q
		if e, w, eargs, wargs, ok := nameArms(all); ok {
			// Each arm's matches, less those in both: a UNION would sort every match to
			// remove the few duplicates (thousands for a common prefix).
			q = `SELECT (SELECT count(*) FROM (` + e + `)) + (SELECT count(*) FROM (` + w + `)) -
				(SELECT count(*) FROM (` + e + `) WHERE id IN (SELECT id FROM (` + w + `)))`
			args = append(append(append(eargs, wargs...), eargs...), wargs...)
		}
		if err := db.read.QueryRowContext(ctx, q, args...).Scan(&total); err != nil {
			return 0, nil, err
		}
	}
	offset := f.Offset
	if f.After != nil {
		offset = 0
	}
	keys := `SELECT s.rowid FROM submissions s WHERE ` + cond + `
			ORDER BY s.received_at DESC, s.protocol DESC LIMIT ? OFFSET ?`
	keysLimit := f.Limit
	if e, w, eargs, wargs, ok := nameArms(f); ok {
		args = append(eargs, wargs...)
		if offset == 0 {
			// The first 2×limit of both arms together hold the first limit applications
			// (one is at most twice there, under the same order), without removing
			// duplicates from every match: the IN below does, and the LIMIT after it.
			keys = `SELECT id FROM (` + e + ` UNION ALL ` + w + `) ORDER BY received_at DESC, protocol DESC LIMIT ? OFFSET ?`
			keysLimit = 2 * f.Limit
		} else {
			keys = `SELECT id FROM (` + e + ` UNION ` + w + `) ORDER BY received_at DESC, protocol DESC LIMIT ? OFFSET ?`
		}
	}
	// The page's keys first, from a list index alone (the filters are columns of its entries:
	// SQLite reads no table row to reject one), then those rows by rowid. In one statement,
	// the table would be read for every entry the scan passes.
	rows, err := db.read.QueryContext(ctx, `SELECT s.protocol, s.module_id, s.kind, s.received_at, s.employer_name, s.worker_name,
		s.cittadinanza, s.tipologia, s.provincia, s.stato FROM submissions s WHERE s.rowid IN (`+keys+`)
		ORDER BY s.received_at DESC, s.protocol DESC LIMIT ?`, append(args, keysLimit, offset, f.Limit)...)
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
	d.History = []core.StatoEvent{{Stato: core.DomandaRicevuta, At: received, AtRome: core.RomeTime(received)}}
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

// Domanda implements core.DomandaService.
func (db *DB) Domanda(ctx context.Context, protocol, provincia string) (*core.Domanda, error) {
	return loadDomanda(ctx, db.read, strings.ToUpper(strings.TrimSpace(protocol)), provincia)
}

// SetStato implements core.DomandaService.
func (db *DB) SetStato(ctx context.Context, c core.StatoChange) (*core.Domanda, error) {
	protocol := strings.ToUpper(strings.TrimSpace(c.Protocol))
	var out *core.Domanda
	err := db.Write(ctx, func(tx *sql.Tx) error {
		bg := context.Background()
		d, err := loadDomanda(bg, tx, protocol, c.Provincia)
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

// EachDomanda implements core.DomandaService. The content is read as sql.RawBytes: no copy
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
