package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
)

var _ core.StatsService = (*DB)(nil)

// Dashboard implements core.StatsService. Everything comes from the counts kept by the writes
// (migration 0002): a few hundred rows per day whatever the number of applications, summed by
// core.StatsTally.
func (db *DB) Dashboard(ctx context.Context, f core.StatsFilter) (*core.Stats, error) {
	fromDay, toDay := f.Days()
	t := core.NewStatsTally()
	var d, provincia, tipologia, cittadinanza, stato string
	var n int
	rows, err := db.pool.Query(ctx, `SELECT day, n FROM moduli_counts WHERE day >= $1 AND day < $2`, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&d, &n}, func() error { t.Generated(d, n); return nil }); err != nil {
		return nil, err
	}
	rows, err = db.pool.Query(ctx, `SELECT day, provincia, tipologia, cittadinanza, stato, sum(n) FROM domande_counts
		WHERE day >= $1 AND day < $2 GROUP BY 1, 2, 3, 4, 5`, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&d, &provincia, &tipologia, &cittadinanza, &stato, &n}, func() error {
		t.Sent(d, provincia, tipologia, cittadinanza, stato, n)
		return nil
	}); err != nil {
		return nil, err
	}
	var operators int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'operatore'`).Scan(&operators); err != nil {
		return nil, err
	}
	return t.Stats(operators), nil
}
