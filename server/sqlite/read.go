package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
)

// pointRead is the context of a read on the path of every request — the caller's session or
// token, the module to send, a limit counter: one row or two found through an index, in a few
// microseconds. It keeps ctx's values but cannot be cancelled: with a context that can be,
// database/sql starts a goroutine per query to watch it and the driver registers a
// context.AfterFunc to interrupt SQLite, which cost 4–5 µs of CPU per read, about a third of
// the read itself (BenchmarkSendReads: 15.8 → 10.5 µs for the token's user). There is nothing
// to interrupt in a read this short; a request whose client went away ends right after it.
func pointRead(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// pointRow runs query, which answers at most one row, on a connection of the read pool
// through the driver itself, with pointRead's context, and leaves the row's values in row as
// the driver gives them (int64, string, []byte or nil); found is false when there is no row.
// The same read through database/sql (QueryRow, Scan) added a Rows and a Row, a conversion of
// every column by reflection and a copy of every []byte: a third of the Go side of the two
// reads every submission makes (BenchmarkSendReads).
func (db *DB) pointRow(ctx context.Context, query string, args []driver.NamedValue, row []driver.Value) (found bool, err error) {
	ctx = pointRead(ctx)
	c, err := db.read.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer c.Close()
	err = c.Raw(func(dc any) error {
		found, err = queryRow(ctx, dc, query, args, row)
		return err
	})
	return found && err == nil, err
}

// queryRow is pointRow's read on the driver's connection dc.
func queryRow(ctx context.Context, dc any, query string, args []driver.NamedValue, row []driver.Value) (found bool, err error) {
	q, ok := dc.(driver.QueryerContext)
	if !ok {
		return false, fmt.Errorf("sqlite: the driver cannot query (%T)", dc)
	}
	rows, err := q.QueryContext(ctx, query, args)
	if err != nil {
		return false, err
	}
	err = rows.Next(row)
	if cerr := rows.Close(); err == nil || err == io.EOF {
		found = err == nil
		err = cerr
	}
	return found, err
}

// rowReader reads the values pointRow left, each as the type its column holds; the first
// value of another type is the error, as database/sql's Scan would answer it.
type rowReader struct {
	row []driver.Value
	err error
}

func (r *rowReader) fail(i int, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("sqlite: column %d is %T, not %s", i, r.row[i], want)
	}
}

func (r *rowReader) text(i int) string {
	switch v := r.row[i].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	r.fail(i, "a text")
	return ""
}

// bytes is a BLOB or a text as bytes (NULL: nil); the driver made them for this row alone.
func (r *rowReader) bytes(i int) []byte {
	switch v := r.row[i].(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	case nil:
		return nil
	}
	r.fail(i, "bytes")
	return nil
}

func (r *rowReader) int(i int) int64 {
	if v, ok := r.row[i].(int64); ok {
		return v
	}
	r.fail(i, "an integer")
	return 0
}

// bool is an integer as database/sql scans it into a bool: 0 or 1.
func (r *rowReader) bool(i int) bool {
	switch r.int(i) {
	case 0:
		return false
	case 1:
		return true
	}
	r.fail(i, "a boolean (0 or 1)")
	return false
}
