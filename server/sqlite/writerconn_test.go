package sqlite

import (
	"context"
	"database/sql"
)

// writerConn runs a test's own statements on the writer's connection (db.wc), which the
// writer holds from Open to Close: the pool of write has no other. Tests use it while no
// batch is open.
type writerConn struct{ c *sql.Conn }

func (db *DB) writerConn() writerConn { return writerConn{db.wc} }

func (w writerConn) Exec(q string, args ...any) (sql.Result, error) {
	return w.c.ExecContext(context.Background(), q, args...)
}

func (w writerConn) QueryRow(q string, args ...any) *sql.Row {
	return w.c.QueryRowContext(context.Background(), q, args...)
}

func (w writerConn) Query(q string, args ...any) (*sql.Rows, error) {
	return w.c.QueryContext(context.Background(), q, args...)
}

func (w writerConn) Begin() (*sql.Tx, error) { return w.c.BeginTx(context.Background(), nil) }
