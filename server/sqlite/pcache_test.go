package sqlite

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// TestPageCacheTruncatesOnlyWhatItMust: commits of random inserts, whose page splits park pages
// on the lock page's number, no longer make SQLite's page cache scan itself for pages past
// the end of the database; a transaction that grew the database and rolled back still has
// its pages dropped, and the database stays whole.
func TestPageCacheTruncatesOnlyWhatItMust(t *testing.T) {
	if pcacheErr != nil {
		t.Fatal(pcacheErr)
	}
	// One connection of its own, with no checkpointer or read pool beside it: the count of
	// truncations is the process's.
	conn, err := sql.Open(driverName, "file:"+filepath.Join(t.TempDir(), "pcache.db")+"?_journal_mode=WAL&_synchronous=NORMAL&_cache_size=-16384")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)`)
	r := rand.New(rand.NewPCG(1, 2))
	rows := 0
	insert := func(tx *sql.Tx, n, size int) {
		t.Helper()
		for range n {
			if _, err := tx.Exec(`INSERT INTO t (k, v) VALUES (?, ?)`, fmt.Sprintf("%016x", r.Uint64()), fmt.Sprintf("%0*d", size, 7)); err != nil {
				t.Fatal(err)
			}
		}
	}
	commit := func(n, size int) {
		t.Helper()
		tx, err := conn.Begin()
		if err != nil {
			t.Fatal(err)
		}
		insert(tx, n, size)
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		rows += n
	}
	commit(2000, 100) // a b-tree of a few levels, so that inserts split pages

	before := pcacheTruncations()
	const commits = 300
	for range commits {
		commit(13, 100)
	}
	// Unwrapped, nearly every one of these commits scanned the cache (the uprobe saw 683 of
	// 770 batches do it in BenchmarkWriterSubmit).
	if n := pcacheTruncations() - before; n > commits/20 {
		t.Errorf("%d commits of inserts truncated the page cache %d times: the lock page's parking still counts", commits, n)
	}

	// A transaction that grows the database by hundreds of pages and rolls back: its pages,
	// past the end of the database again, must leave the cache.
	before = pcacheTruncations()
	tx, err := conn.Begin()
	if err != nil {
		t.Fatal(err)
	}
	insert(tx, 500, 3000)
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if pcacheTruncations() == before {
		t.Error("a rolled-back transaction that grew the database did not truncate the page cache")
	}
	commit(500, 3000) // the same page numbers again, with other contents
	var check string
	var n int
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	if err := conn.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != rows {
		t.Fatalf("%d rows, want %d (%v)", n, rows, err)
	}
}
