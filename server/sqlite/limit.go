package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"nullaosta/server/core"
)

var _ core.LimitService = (*DB)(nil)

// sweepRows is how many expired counters one Hit deletes: the table stays the size of the
// live windows without a job of its own.
const sweepRows = 16

// Hit implements core.LimitService.
func (db *DB) Hit(ctx context.Context, key string, lim core.Limit, n int) (int, error) {
	var count int
	err := db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		count, err = hit(tx, key, lim, n, db.now().Unix())
		return err
	})
	return lim.Max - count, err
}

// hit counts n attempts in tx and returns the window's count.
func hit(tx *sql.Tx, key string, lim core.Limit, n int, now int64) (int, error) {
	start := lim.WindowStart(time.Unix(now, 0))
	var count int
	err := tx.QueryRow(`INSERT INTO limit_counters (key, window_start, n, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key, window_start) DO UPDATE SET n = n + excluded.n RETURNING n`,
		key, start, n, start+int64(lim.Window.Seconds())).Scan(&count)
	if err != nil {
		return 0, err
	}
	return count, sweepLimits(tx, now, sweepRows)
}

// sweepLimits deletes up to rows counters whose window ended before now.
func sweepLimits(tx *sql.Tx, now int64, rows int) error {
	_, err := tx.Exec(`DELETE FROM limit_counters WHERE (key, window_start) IN
		(SELECT key, window_start FROM limit_counters WHERE expires_at < ? ORDER BY expires_at LIMIT ?)`, now, rows)
	return err
}

// Left implements core.LimitService.
func (db *DB) Left(ctx context.Context, key string, lim core.Limit) (int, error) {
	var count int
	err := db.read.QueryRowContext(pointRead(ctx), `SELECT n FROM limit_counters WHERE key = ? AND window_start = ?`,
		key, lim.WindowStart(db.now())).Scan(&count)
	if errors.Is(err, sql.ErrNoRows) {
		return lim.Max, nil
	}
	return lim.Max - count, err
}
