package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
)

// addDomandaCount adds delta to the count of applications with these columns, in the
// transaction that stores or changes them.
func addDomandaCount(ctx context.Context, tx pgx.Tx, provincia, day, kind, tipologia, cittadinanza, stato string, delta int) error {
	_, err := tx.Exec(ctx, `INSERT INTO domande_counts (provincia, day, kind, tipologia, cittadinanza, stato, n)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (provincia, day, kind, tipologia, cittadinanza, stato) DO UPDATE SET n = domande_counts.n + excluded.n`,
		provincia, day, kind, tipologia, cittadinanza, stato, delta)
	return err
}

// moveDomandaCount moves the application protocol from its counted status to stato; it runs
// before the application's row changes (which the caller has locked).
func moveDomandaCount(ctx context.Context, tx pgx.Tx, protocol, stato string) error {
	var provincia, kind, tipologia, cittadinanza, old string
	var receivedAt time.Time
	if err := tx.QueryRow(ctx, `SELECT provincia, received_at, kind, tipologia, cittadinanza, stato FROM submissions WHERE protocol = $1`,
		protocol).Scan(&provincia, &receivedAt, &kind, &tipologia, &cittadinanza, &old); err != nil {
		return err
	}
	day := core.RomeDay(receivedAt)
	if err := addDomandaCount(ctx, tx, provincia, day, kind, tipologia, cittadinanza, old, -1); err != nil {
		return err
	}
	return addDomandaCount(ctx, tx, provincia, day, kind, tipologia, cittadinanza, stato, 1)
}

// addModuloCount counts one module generated on day by userID.
func addModuloCount(ctx context.Context, tx pgx.Tx, day string, userID int64) error {
	if _, err := tx.Exec(ctx, `INSERT INTO moduli_counts (day, n) VALUES ($1, 1) ON CONFLICT (day) DO UPDATE SET n = moduli_counts.n + 1`, day); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO user_module_counts (user_id, n) VALUES ($1, 1)
		ON CONFLICT (user_id) DO UPDATE SET n = user_module_counts.n + 1`, userID)
	return err
}

// countDomande answers how many applications match f from the counts table, when it can
// (core.DomandaFilter.CountQuery); ok is false otherwise.
func (db *DB) countDomande(ctx context.Context, f core.DomandaFilter) (n int, ok bool, err error) {
	fromDay, toDay, eq, ok := f.CountQuery()
	if !ok {
		return 0, false, nil
	}
	var w where
	w.add("day >= ? AND day < ?", fromDay, toDay)
	for _, c := range eq {
		w.add(c[0]+" = ?", c[1])
	}
	err = db.pool.QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM domande_counts WHERE `+w.String(), w.args...).Scan(&n)
	return n, err == nil, err
}
