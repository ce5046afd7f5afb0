package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/sqlite"
	"nullaosta/server/storetest"
)

var ctx = context.Background()

var t0 = storetest.T0

func openTest(t testing.TB) *sqlite.DB {
	t.Helper()
	return open(t, func() time.Time { return t0 })
}

func open(t testing.TB, now func() time.Time) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Now = now
	db.Signer = storetest.Signer()
	t.Cleanup(func() { db.Close() })
	return db
}

// TestStore runs the storage suite shared with the PostgreSQL store.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t testing.TB, now func() time.Time) storetest.Store { return open(t, now) })
}

func TestMigrationsFromEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := db.SchemaVersion(ctx)
	if want := newestMigration(t); err != nil || v != want {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, want)
	}
	db.Close()
	// Opening again applies nothing and keeps the data.
	db, err = sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersion(ctx); v != newestMigration(t) {
		t.Fatalf("after reopening SchemaVersion = %d", v)
	}
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, table := range []string{"users", "sessions", "import_tokens", "one_time_tokens", "modules", "submissions", "protocol_counters", "outbox",
		"richieste", "richiesta_operatori", "pratica_eventi", "audit_log"} {
		var n int
		if err := raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing", table)
		}
	}
	var mode string
	raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

func TestGroupCommit(t *testing.T) {
	db := openTest(t)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.Write(ctx, func(tx *sql.Tx) error {
				_, err := tx.Exec(`INSERT INTO protocol_counters (campaign_id, last) VALUES (?, ?)`, "c"+string(rune('A'+i%26))+time.Duration(i).String(), i)
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st := db.Stats()
	if st.Jobs != n {
		t.Fatalf("Jobs = %d, want %d", st.Jobs, n)
	}
	t.Logf("%d writes in %d commits (largest %d)", st.Jobs, st.Batches, st.MaxBatch)
}

func TestWriteErrorRollsBackOnlyItsJob(t *testing.T) {
	db := openTest(t)
	var wg sync.WaitGroup
	results := make([]error, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = db.Write(ctx, func(tx *sql.Tx) error {
				if _, err := tx.Exec(`INSERT INTO protocol_counters (campaign_id, last) VALUES (?, 1)`, time.Duration(i).String()); err != nil {
					return err
				}
				if i%2 == 1 {
					return core.Errorf(core.EINVALID, "no")
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range results {
		if (i%2 == 1) != (err != nil) {
			t.Errorf("job %d: err = %v", i, err)
		}
	}
	var n int
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		return tx.QueryRow(`SELECT count(*) FROM protocol_counters`).Scan(&n)
	}); err != nil || n != 10 {
		t.Fatalf("rows = %d, %v; want the 10 jobs that succeeded", n, err)
	}
}

func TestBackup(t *testing.T) {
	db := openTest(t)
	u := storetest.NewUser(t, db, "backup@example.it")
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := sqlite.Backup(ctx, db.Path, dst); err != nil {
		t.Fatal(err)
	}
	if err := sqlite.Backup(ctx, db.Path, dst); err == nil {
		t.Error("a second backup over an existing file succeeded")
	}
	copyDB, err := sqlite.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	got, err := copyDB.UserByEmail(ctx, "backup@example.it")
	if err != nil || got.ID != u.ID || !got.Active {
		t.Fatalf("backup holds %+v, %v", got, err)
	}
}

func TestCloseAnswersQueuedWrites(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	err = db.Write(ctx, func(tx *sql.Tx) error { return nil })
	if core.ErrorCode(err) != core.ERETRY {
		t.Fatalf("Write after Close = %v, want retry", err)
	}
}

// newestMigration is the number of the newest file in migrations/: what a fresh database's
// SchemaVersion must be.
func newestMigration(t *testing.T) int {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v", err)
	}
	newest := 0
	for _, n := range names {
		v, err := strconv.Atoi(strings.SplitN(filepath.Base(n), "_", 2)[0])
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		newest = max(newest, v)
	}
	return newest
}
