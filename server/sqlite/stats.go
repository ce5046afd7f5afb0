package sqlite

import (
	"context"

	"nullaosta/server/core"
)

var _ core.StatsService = (*DB)(nil)

// Dashboard implements core.StatsService. Everything comes from the counts kept by the writes
// (migration 0003): a few hundred rows per day whatever the number of applications, summed by
// core.StatsTally.
func (db *DB) Dashboard(ctx context.Context, f core.StatsFilter) (*core.Stats, error) {
	fromDay, toDay := f.Days()
	t := core.NewStatsTally()
	rows, err := db.read.QueryContext(ctx, `SELECT day, n FROM moduli_counts WHERE day >= ? AND day < ?`, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		t.Generated(d, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.read.QueryContext(ctx, `SELECT day, provincia, tipologia, cittadinanza, stato, sum(n) FROM domande_counts
		WHERE day >= ? AND day < ? GROUP BY 1, 2, 3, 4, 5`, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d, provincia, tipologia, cittadinanza, stato string
		var n int
		if err := rows.Scan(&d, &provincia, &tipologia, &cittadinanza, &stato, &n); err != nil {
			return nil, err
		}
		t.Sent(d, provincia, tipologia, cittadinanza, stato, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var operators int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'operatore'`).Scan(&operators); err != nil {
		return nil, err
	}
	return t.Stats(operators), nil
}
