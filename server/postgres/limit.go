package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"nullaosta/server/core"
)

var _ core.LimitService = (*DB)(nil)

// sweepRows is how many expired counters one Hit deletes: the table stays the size of the
// live windows without a job of its own.
const sweepRows = 16

// Hit implements core.LimitService.
func (db *DB) Hit(ctx context.Context, key string, lim core.Limit, n int) (int, error) {
	var count int
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		count, err = hit(ctx, tx, key, lim, n, db.now())
		return err
	})
	return lim.Max - count, err
}

// hit counts n attempts in tx and returns the window's count. The upsert is atomic across
// instances: concurrent hits of one key serialise on its row.
func hit(ctx context.Context, tx pgx.Tx, key string, lim core.Limit, n int, now time.Time) (int, error) {
	start := lim.WindowStart(now)
	var count int
	err := tx.QueryRow(ctx, `INSERT INTO limit_counters (key, window_start, n, expires_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key, window_start) DO UPDATE SET n = limit_counters.n + excluded.n RETURNING n`,
		key, start, n, start+int64(lim.Window.Seconds())).Scan(&count)
	if err != nil {
		return 0, err
	}
	_, err = tx.Exec(ctx, `DELETE FROM limit_counters WHERE (key, window_start) IN
		(SELECT key, window_start FROM limit_counters WHERE expires_at < $1 ORDER BY expires_at LIMIT $2
		 FOR UPDATE SKIP LOCKED)`, now.Unix(), sweepRows)
	return count, err
}

// Left implements core.LimitService.
func (db *DB) Left(ctx context.Context, key string, lim core.Limit) (int, error) {
	var count int
	err := db.pool.QueryRow(ctx, `SELECT n FROM limit_counters WHERE key = $1 AND window_start = $2`,
		key, lim.WindowStart(db.now())).Scan(&count)
	if errors.Is(err, pgx.ErrNoRows) {
		return lim.Max, nil
	}
	return lim.Max - count, err
}

// countSubmitted counts the inputs against each sender's core.SubmitLimit in the transaction
// that stores them: the limit costs no transaction of its own.
func countSubmitted(ctx context.Context, tx pgx.Tx, in []core.SubmissionInput, now time.Time) error {
	per := map[int64]int{}
	var order []int64
	for i := range in {
		if per[in[i].UserID] == 0 {
			order = append(order, in[i].UserID)
		}
		per[in[i].UserID]++
	}
	for _, id := range order {
		if _, err := hit(ctx, tx, core.SubmitKey(id), core.SubmitLimit, per[id], now); err != nil {
			return err
		}
	}
	return nil
}
