package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"nullaosta/server/core"
)

// romeDay is the day of the counts tables of an instant (core.RomeDay).
func romeDay(t time.Time) string { return core.RomeDay(t) }

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
		return core.RomeDay(t)
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

// countDomande answers how many applications match f from the counts table, when it can
// (core.DomandaFilter.CountQuery); ok is false otherwise.
func (db *DB) countDomande(ctx context.Context, f core.DomandaFilter) (n int, ok bool, err error) {
	fromDay, toDay, eq, ok := f.CountQuery()
	if !ok {
		return 0, false, nil
	}
	where := []string{"day >= ? AND day < ?"}
	args := []any{fromDay, toDay}
	for _, c := range eq {
		where = append(where, c[0]+" = ?")
		args = append(args, c[1])
	}
	err = db.read.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM domande_counts WHERE `+strings.Join(where, " AND "), args...).Scan(&n)
	return n, err == nil, err
}
