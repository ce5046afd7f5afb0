package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
)

// writerRow is pointRow on the writer's connection while a batch is open, else on the read pool.
func (db *DB) writerRow(ctx context.Context, query string, args []driver.NamedValue, row []driver.Value) (found bool, err error) {
	if c := db.conn.Load(); c != nil {
		ctx := pointRead(ctx)
		err = c.Raw(func(dc any) error {
			found, err = queryRow(ctx, dc, query, args, row)
			return err
		})
		if !errors.Is(err, sql.ErrConnDone) {
			return found && err == nil, err
		}
	}
	return db.pointRow(ctx, query, args, row)
}

// beginOn opens the batch's transaction on a connection the writer keeps until end, so that
// writerRow can read on it while the transaction is open (database/sql shows a Tx's
// connection to no one).
func (db *DB) beginOn(ctx context.Context) (*sql.Conn, *sql.Tx, error) {
	c, err := db.write.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, tx, nil
}
