package sqlite

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"nullaosta/server/core"
)

// TestWholeJobFailureUndoesTheBatch: a function without a savepoint (writeWhole) that fails
// after writing undoes the whole batch, and every function of it is told ERETRY; with its
// savepoint, a failing function undoes only itself.
func TestWholeJobFailureUndoesTheBatch(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	insert := func(id string) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO protocol_counters (campaign_id, last) VALUES (?, 1)`, id)
			return err
		}
	}
	failing := func(id string) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error {
			if err := insert(id)(tx); err != nil {
				return err
			}
			return errors.New("disco pieno")
		}
	}
	newJob := func(fn func(tx *sql.Tx) error, whole bool) *job {
		return &job{fn: fn, done: make(chan error, 1), queued: time.Now(), whole: whole}
	}
	count := func() int {
		var n int
		if err := db.write.QueryRow(`SELECT count(*) FROM protocol_counters`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	batch := []*job{newJob(insert("a"), false), newJob(insert("b"), true), newJob(failing("c"), true), newJob(insert("d"), false)}
	db.runBatch(batch)
	for i, j := range batch {
		if err := <-j.done; core.ErrorCode(err) != core.ERETRY {
			t.Errorf("job %d: %v, want retry", i, err)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("%d rows after a failed whole job, want none", n)
	}

	batch = []*job{newJob(insert("a"), true), newJob(failing("c"), false), newJob(insert("d"), false)}
	db.runBatch(batch)
	want := []bool{true, false, true}
	for i, j := range batch {
		if err := <-j.done; (err == nil) != want[i] {
			t.Errorf("job %d: %v", i, err)
		}
	}
	if n := count(); n != 2 {
		t.Fatalf("%d rows, want the 2 jobs that succeeded", n)
	}
}
