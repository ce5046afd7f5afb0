package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestAnswersWaitForTheSync: a write is answered only once the syncer has synced the WAL that
// holds its commit, though the read pool sees it from the commit; while that sync is under
// way the writer runs the writes that arrive in one transaction, which it commits, as one
// batch, when the sync has ended.
func TestAnswersWaitForTheSync(t *testing.T) {
	db, syncing, release := openHeldSyncs(t)
	ran := make(chan string, 16)
	write := func(id string) chan error {
		done := make(chan error, 1)
		go func() {
			done <- db.Write(context.Background(), func(tx *sql.Tx) error {
				ran <- id
				_, err := tx.Exec(`INSERT INTO protocol_counters (campaign_id, last) VALUES (?, 1)`, id)
				return err
			})
		}()
		return done
	}
	stored := func() int {
		t.Helper()
		var n int
		if err := db.read.QueryRow(`SELECT count(*) FROM protocol_counters`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := db.Stats()

	first := write("a")
	<-ran
	waitSync(t, syncing) // a is committed, and its sync is held
	if n := stored(); n != 1 {
		t.Fatalf("the read pool sees %d rows after the commit, want 1", n)
	}
	select {
	case err := <-first:
		t.Fatalf("answered (%v) before the WAL was synced", err)
	case <-time.After(50 * time.Millisecond):
	}

	var rest []chan error
	for i := range 5 {
		rest = append(rest, write(fmt.Sprint("b", i)))
	}
	for range rest {
		<-ran // run by the writer, in its open transaction
	}
	if n := stored(); n != 1 {
		t.Fatalf("%d rows committed while the sync was held, want the first alone", n)
	}
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for _, done := range rest {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := stored(); n != 6 {
		t.Fatalf("%d rows, want 6", n)
	}
	st := db.Stats().Since(before)
	if st.Batches != 2 || st.Jobs != 6 || st.MaxBatch != 5 || st.Syncs != 2 {
		t.Fatalf("%d writes in %d commits (largest %d), %d syncs; want 6 in 2 (the second of 5), 2 syncs",
			st.Jobs, st.Batches, st.MaxBatch, st.Syncs)
	}
}

// TestRefusalWaitsForTheSync: a write refused because of an earlier commit is answered only
// once that commit is synced: the refusal must not outlive a power cut that removes its cause.
func TestRefusalWaitsForTheSync(t *testing.T) {
	db, syncing, release := openHeldSyncs(t)
	taken := errors.New("già inviata")
	write := func() chan error {
		done := make(chan error, 1)
		go func() {
			done <- db.Write(context.Background(), func(tx *sql.Tx) error {
				var n int
				if err := tx.QueryRow(`SELECT count(*) FROM protocol_counters WHERE campaign_id = 'x'`).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return taken
				}
				_, err := tx.Exec(`INSERT INTO protocol_counters (campaign_id, last) VALUES ('x', 1)`)
				return err
			})
		}()
		return done
	}
	first := write()
	waitSync(t, syncing)
	second := write()
	select {
	case err := <-second:
		t.Fatalf("refused (%v) before the commit it depends on was synced", err)
	case <-time.After(50 * time.Millisecond):
	}
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; !errors.Is(err, taken) {
		t.Fatalf("second write: %v, want %v", err, taken)
	}
}

// openHeldSyncs opens a store whose syncer reports each sync on syncing and holds it until
// release; the test's cleanup releases it before closing the store (Close waits for the
// syncer).
func openHeldSyncs(t *testing.T) (db *DB, syncing chan struct{}, release func()) {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	hold := make(chan struct{})
	release = sync.OnceFunc(func() { close(hold) })
	t.Cleanup(func() {
		release()
		db.Close()
	})
	syncing = make(chan struct{}, 16)
	db.syncWAL = func() error {
		syncing <- struct{}{}
		<-hold
		return db.wal.Sync()
	}
	return db, syncing, release
}

func waitSync(t *testing.T, syncing chan struct{}) {
	t.Helper()
	select {
	case <-syncing:
	case <-time.After(10 * time.Second):
		t.Fatal("the WAL was never synced")
	}
}
