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
		if err := db.writerConn().QueryRow(`SELECT count(*) FROM protocol_counters`).Scan(&n); err != nil {
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

// TestBatchSumsFollowTheCommit: the counters the functions of a batch add to (batchSums) are
// written once before the commit, and a batch that fails leaves them as they were: the next
// batch reads the stored values again, so protocol numbers stay gapless and the counts exact.
func TestBatchSumsFollowTheCommit(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2009, 9, 15, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	var got []int64
	submit := func(tx *sql.Tx) error {
		n, err := db.sums.nextProtocol(tx, "em2009")
		got = append(got, n)
		db.sums.addDomanda(domandaKey{"CN", "2009-09-15", "EM", "colf", "UA", core.DomandaRicevuta}, 1)
		db.sums.hit("submit:7", core.SubmitLimit, 1, now)
		return err
	}
	newJob := func(fn func(tx *sql.Tx) error) *job {
		return &job{fn: fn, done: make(chan error, 1), queued: time.Now(), whole: true}
	}
	run := func(fns ...func(tx *sql.Tx) error) []error {
		batch := make([]*job, len(fns))
		for i, fn := range fns {
			batch[i] = newJob(fn)
		}
		db.runBatch(batch)
		errs := make([]error, len(batch))
		for i, j := range batch {
			errs[i] = <-j.done
		}
		return errs
	}
	stored := func() (last, domande, hits int64) {
		t.Helper()
		q := `SELECT (SELECT coalesce(max(last), 0) FROM protocol_counters WHERE campaign_id = 'em2009'),
			(SELECT coalesce(sum(n), 0) FROM domande_counts), (SELECT coalesce(sum(n), 0) FROM limit_counters WHERE key = 'submit:7')`
		if err := db.writerConn().QueryRow(q).Scan(&last, &domande, &hits); err != nil {
			t.Fatal(err)
		}
		return
	}

	for i, err := range run(submit, submit, submit) {
		if err != nil {
			t.Fatalf("job %d: %v", i, err)
		}
	}
	if last, d, h := stored(); last != 3 || d != 3 || h != 3 {
		t.Fatalf("after 3: protocol %d, domande %d, limit %d; want 3 each", last, d, h)
	}
	failing := func(tx *sql.Tx) error {
		if err := submit(tx); err != nil {
			return err
		}
		return errors.New("disco pieno")
	}
	for i, err := range run(submit, failing) {
		if core.ErrorCode(err) != core.ERETRY {
			t.Errorf("job %d of the failed batch: %v, want retry", i, err)
		}
	}
	if last, d, h := stored(); last != 3 || d != 3 || h != 3 {
		t.Fatalf("after a failed batch: protocol %d, domande %d, limit %d; want them unchanged (3)", last, d, h)
	}
	got = nil
	run(submit, submit)
	if len(got) != 2 || got[0] != 4 || got[1] != 5 {
		t.Fatalf("numbers after the failed batch %v, want [4 5]", got)
	}
	if last, d, h := stored(); last != 5 || d != 5 || h != 5 {
		t.Fatalf("after 5: protocol %d, domande %d, limit %d; want 5 each", last, d, h)
	}
}

// TestForeignKeysAfterMigrations: the migrations that rebuild a table turn foreign keys off
// for their transaction only; the writer enforces them afterwards.
func TestForeignKeysAfterMigrations(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "fk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var on int
	if err := db.writerConn().QueryRow(`PRAGMA foreign_keys`).Scan(&on); err != nil || on != 1 {
		t.Fatalf("foreign_keys = %d (%v), want 1", on, err)
	}
}
