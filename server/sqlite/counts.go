package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"nullaosta/server/core"
)

// romeDay is the civil day in Italy of an instant, as the counts tables key it.
func romeDay(t time.Time) string { return t.In(core.Rome).Format(time.DateOnly) }

// addDomandaCount adds delta to the count of applications with these columns, in the
// transaction that stores or changes them.
func addDomandaCount(tx *sql.Tx, provincia, day, kind, tipologia, cittadinanza, stato string, delta int) error {
	_, err := tx.Exec(`INSERT INTO domande_counts (provincia, day, kind, tipologia, cittadinanza, stato, n)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (provincia, day, kind, tipologia, cittadinanza, stato) DO UPDATE SET n = n + excluded.n`,
		provincia, day, kind, tipologia, cittadinanza, stato, delta)
	return err
}

// moveDomandaCount moves the application protocol from its counted status to stato; it runs
// before the application's row changes.
func moveDomandaCount(tx *sql.Tx, protocol, stato string) error {
	var provincia, receivedAt, kind, tipologia, cittadinanza, old string
	if err := tx.QueryRow(`SELECT provincia, received_at, kind, tipologia, cittadinanza, stato FROM submissions WHERE protocol = ?`,
		protocol).Scan(&provincia, &receivedAt, &kind, &tipologia, &cittadinanza, &old); err != nil {
		return err
	}
	day := romeDay(parseTime(receivedAt))
	if err := addDomandaCount(tx, provincia, day, kind, tipologia, cittadinanza, old, -1); err != nil {
		return err
	}
	return addDomandaCount(tx, provincia, day, kind, tipologia, cittadinanza, stato, 1)
}

// addModuloCount counts one module generated on day by userID.
func addModuloCount(tx *sql.Tx, day string, userID int64) error {
	if _, err := tx.Exec(`INSERT INTO moduli_counts (day, n) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET n = n + 1`, day); err != nil {
		return err
	}
	_, err := tx.Exec(`INSERT INTO user_module_counts (user_id, n) VALUES (?, 1) ON CONFLICT (user_id) DO UPDATE SET n = n + 1`, userID)
	return err
}

// fillCounts counts what is already stored, when migration 0003 creates the counts tables.
// Instants are grouped by hour in SQL (Rome's offset is a whole number of hours) and the hours
// folded into days here.
func fillCounts(tx *sql.Tx) error {
	hourDay := func(hour string) string {
		t, err := time.Parse("2006-01-02T15", hour)
		if err != nil {
			return hour
		}
		return romeDay(t)
	}
	rows, err := tx.Query(`SELECT provincia, substr(received_at, 1, 13), kind, tipologia, cittadinanza, stato, count(*)
		FROM submissions GROUP BY 1, 2, 3, 4, 5, 6`)
	if err != nil {
		return err
	}
	type key struct{ provincia, day, kind, tipologia, cittadinanza, stato string }
	counts := map[key]int{}
	for rows.Next() {
		var k key
		var hour string
		var n int
		if err := rows.Scan(&k.provincia, &hour, &k.kind, &k.tipologia, &k.cittadinanza, &k.stato, &n); err != nil {
			rows.Close()
			return err
		}
		k.day = hourDay(hour)
		counts[k] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for k, n := range counts {
		if err := addDomandaCount(tx, k.provincia, k.day, k.kind, k.tipologia, k.cittadinanza, k.stato, n); err != nil {
			return err
		}
	}
	rows, err = tx.Query(`SELECT substr(created_at, 1, 13), count(*) FROM modules GROUP BY 1`)
	if err != nil {
		return err
	}
	days := map[string]int{}
	for rows.Next() {
		var hour string
		var n int
		if err := rows.Scan(&hour, &n); err != nil {
			rows.Close()
			return err
		}
		days[hourDay(hour)] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for d, n := range days {
		if _, err := tx.Exec(`INSERT INTO moduli_counts (day, n) VALUES (?, ?)`, d, n); err != nil {
			return err
		}
	}
	return nil
}

// dayBounds turns the instants of a filter into the days of the counts tables: from is
// inclusive, to exclusive, "" for open. ok is false when an instant is not a midnight in Italy,
// so that whole days cannot answer the filter.
func dayBounds(from, to time.Time) (fromDay, toDay string, ok bool) {
	midnight := func(t time.Time) bool {
		r := t.In(core.Rome)
		return r.Hour() == 0 && r.Minute() == 0 && r.Second() == 0 && r.Nanosecond() == 0
	}
	toDay = "9999"
	if !from.IsZero() {
		if !midnight(from) {
			return "", "", false
		}
		fromDay = romeDay(from)
	}
	if !to.IsZero() {
		if !midnight(to) {
			return "", "", false
		}
		toDay = romeDay(to)
	}
	return fromDay, toDay, true
}

// countDomande answers how many applications match f from the counts table, when f has no
// text search and whole days; ok is false otherwise.
func (db *DB) countDomande(ctx context.Context, f core.DomandaFilter) (n int, ok bool, err error) {
	if strings.TrimSpace(f.Q) != "" {
		return 0, false, nil
	}
	fromDay, toDay, ok := dayBounds(f.From, f.To)
	if !ok {
		return 0, false, nil
	}
	where := []string{"day >= ? AND day < ?"}
	args := []any{fromDay, toDay}
	add := func(col, v string) {
		if v != "" {
			where = append(where, col+" = ?")
			args = append(args, v)
		}
	}
	add("provincia", f.Provincia)
	add("kind", string(f.Kind))
	add("tipologia", f.Tipologia)
	add("cittadinanza", f.Cittadinanza)
	add("stato", f.Stato)
	err = db.read.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM domande_counts WHERE `+strings.Join(where, " AND "), args...).Scan(&n)
	return n, err == nil, err
}
