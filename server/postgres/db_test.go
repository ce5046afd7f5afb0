package postgres_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/pgtest"
	"nullaosta/server/postgres"
	"nullaosta/server/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m.Run)) }

var ctx = context.Background()

func open(t testing.TB, now func() time.Time) *postgres.DB {
	t.Helper()
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = now
	db.Signer = storetest.Signer()
	t.Cleanup(func() { db.Close() })
	return db
}

// TestStore runs the storage suite shared with the SQLite store.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t testing.TB, now func() time.Time) storetest.Store { return open(t, now) })
}

// TestMigrationsConcurrent: instances starting together on an empty database apply each
// migration once (the advisory lock) and all end up on the newest schema.
func TestMigrationsConcurrent(t *testing.T) {
	url := pgtest.NewDatabase(t)
	var wg sync.WaitGroup
	dbs := make([]*postgres.DB, 4)
	errs := make([]error, len(dbs))
	for i := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = postgres.Open(ctx, url)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		defer dbs[i].Close()
	}
	v, err := dbs[0].SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Fatalf("SchemaVersion = %d, %v", v, err)
	}
	var n int
	if err := dbs[0].Pool().QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != v {
		t.Fatalf("%d rows in schema_migrations for version %d (%v)", n, v, err)
	}
	// Opening again applies nothing.
	again, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
}

// TestAuditLogAppendOnly: the triggers refuse to change, delete or truncate audit lines, even
// to a client with every right on the table.
func TestAuditLogAppendOnly(t *testing.T) {
	db := open(t, time.Now)
	if err := db.RecordAudit(ctx, core.AuditEntry{Actor: "admin@interno.it", Role: core.RoleAdmin, Action: core.AuditLogin}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE audit_log SET actor = 'nessuno'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
		`INSERT INTO audit_log (id, at, actor, action) OVERRIDING SYSTEM VALUE
			SELECT id, now(), 'x', 'x' FROM audit_log ON CONFLICT (id) DO UPDATE SET actor = 'x'`,
	} {
		if err := db.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%.40s: %v", q, err)
		}
	}
	es, err := db.AuditLog(ctx, core.AuditFilter{Limit: 10})
	if err != nil || len(es) != 1 || es[0].Actor != "admin@interno.it" {
		t.Fatalf("audit log %+v, %v", es, err)
	}
}

func TestIsURL(t *testing.T) {
	for in, want := range map[string]bool{
		"postgres://u@h/db": true, "postgresql://h/db": true, "./data": false, "/var/lib/nullaosta": false, "": false,
	} {
		if got := postgres.IsURL(in); got != want {
			t.Errorf("IsURL(%q) = %v", in, got)
		}
	}
}

// TestBackupRestore: pg_dump of a live database, pg_restore into an empty one, and the copy
// holds the data, its schema version, the identity counters and the append-only triggers.
func TestBackupRestore(t *testing.T) {
	t0 := func() time.Time { return storetest.T0 }
	db := open(t, t0)
	u := storetest.NewUser(t, db, "backup@example.it")
	if err := db.RecordAudit(ctx, core.AuditEntry{Actor: "admin@interno.it", Action: core.AuditLogin}); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "copia.dump")
	if err := postgres.Backup(ctx, db.URL(), dst); err != nil {
		t.Fatal(err)
	}
	if err := postgres.Backup(ctx, db.URL(), dst); err == nil {
		t.Error("a second backup over an existing file succeeded")
	}
	restored := pgtest.NewDatabase(t)
	restore, err := postgres.Tool("pg_restore")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(restore, "--no-owner", "--exit-on-error", "--dbname="+restored, dst).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	copyDB, err := postgres.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	copyDB.Now, copyDB.Signer = t0, storetest.Signer()
	got, err := copyDB.UserByEmail(ctx, "backup@example.it")
	if err != nil || got.ID != u.ID || !got.Active {
		t.Fatalf("the copy holds %+v, %v", got, err)
	}
	// New rows continue the identity sequences instead of colliding with restored ones.
	other := storetest.NewUser(t, copyDB, "dopo@example.it")
	if other.ID <= u.ID {
		t.Errorf("new user id %d after restored %d", other.ID, u.ID)
	}
	if err := copyDB.Exec(ctx, `DELETE FROM audit_log`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("the restored audit log is not append-only: %v", err)
	}
}
