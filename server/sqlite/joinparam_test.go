package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"nullaosta/server/core"
)

// openBare opens a migrated store with one user, one import token and one module.
func openBare(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`INSERT INTO users (id, email, cognome, nome, data_nascita, password_hash, role, provincia, active, created_at)
			VALUES (1, 'a@example.it', 'Rossi', 'Maria', '1970-03-07', 'x', 'privato', '', 1, '2009-09-01T00:00:00.000Z')`,
		`INSERT INTO import_tokens (hash, user_id, label, created_at, expires_at)
			VALUES (x'0102', 1, 'compilatore', '2009-09-01T00:00:00.000Z', '2009-10-01T00:00:00.000Z')`,
		`INSERT INTO modules (id, kind, campaign_id, user_id, data, created_at, employer_search)
			VALUES ('EM-AAAA-BBBB-1', 'EM', 'em2009', 1, '{"datore.cognome":"Rossi"}', '2009-09-01T00:00:00.000Z', 'ROSSI')`,
	} {
		if _, err := db.writerConn().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestHotQueryPlans: the reads every submission makes compare their parameters as (SELECT ?)
// (see moduleQuery) and still find their rows through an index, never by scanning a table.
func TestHotQueryPlans(t *testing.T) {
	db := openBare(t)
	for _, c := range []struct {
		name, query string
		args        []any
		want        []string
	}{
		{"Module", moduleByID, []any{"EM-AAAA-BBBB-1"},
			[]string{"SEARCH m USING PRIMARY KEY (id=?)", "SEARCH s USING INDEX sqlite_autoindex_submissions_2 (module_id=?)"}},
		{"ModuleToSend", moduleToSendByID, []any{"EM-AAAA-BBBB-1"},
			[]string{"SEARCH m USING PRIMARY KEY (id=?)", "SEARCH s USING COVERING INDEX sqlite_autoindex_submissions_2 (module_id=?)"}},
		{"Modules", modulesOfUser, []any{1}, []string{"SEARCH m USING INDEX"}},
		{"TokenUser", tokenUserQuery, []any{"2009-09-14T23:59:00.000Z", []byte{1, 2}, "2009-09-15T00:00:00.000Z"},
			[]string{"SEARCH t USING INDEX sqlite_autoindex_import_tokens_1 (hash=?)", "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"SessionUser", sessionUserQuery, []any{[]byte{3, 4}, "2009-09-15T00:00:00.000Z"},
			[]string{"SEARCH s USING PRIMARY KEY (hash=?)", "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"probe", probeQuery, []any{"sub-1", "EM-AAAA-BBBB-1", "em2009", "RSSMRA70C47D205X"},
			[]string{"SEARCH m USING PRIMARY KEY (id=?)", "(submission_id=?)", "(module_id=?)", "submissions_employer (campaign_id=? AND employer_key=?)"}},
	} {
		rows, err := db.read.Query(`EXPLAIN QUERY PLAN `+c.query, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: plan lacks %q:\n%s", c.name, w, text)
			}
		}
		for _, p := range plan {
			// A one-row subquery such as the probe's (SELECT 1) is no table.
			if strings.HasPrefix(p, "SCAN ") && p != "SCAN CONSTANT ROW" && !strings.HasPrefix(p, "SCAN (subquery-") {
				t.Errorf("%s: scans a table (%s):\n%s", c.name, p, text)
			}
		}
	}
}

// BenchmarkJoinParameter: the CPU of one read of a module by id, with the id bound as ? (the
// statement is planned again at each call) and as (SELECT ?) (the cached statement is reused).
func BenchmarkJoinParameter(b *testing.B) {
	db := openBare(b)
	for _, c := range []struct{ name, query string }{
		{"param", moduleQuery + ` WHERE m.id = ?`},
		{"select-param", moduleByID},
	} {
		b.Run(c.name, func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				if _, err := scanModule(db.read.QueryRowContext(context.Background(), c.query, "EM-AAAA-BBBB-1")); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the CPU the process used so far: on a shared machine ns/op also counts waiting.
func cpuTime() time.Duration {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// TestCheckpointer: the writer's commits leave the WAL to the checkpointer goroutine, which
// copies it into the database file by itself.
func TestCheckpointer(t *testing.T) {
	db := openBare(t)
	var auto int
	if err := db.writerConn().QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("the writer's wal_autocheckpoint = %d, %v; want 0", auto, err)
	}
	st, err := os.Stat(db.Path)
	if err != nil {
		t.Fatal(err)
	}
	before := st.Size()
	// About 4 MiB in one commit: far past the 1000 pages after which the writer would have
	// checkpointed in its commit.
	if err := db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
			INSERT INTO audit_log (at, actor, action, target, detail)
			SELECT '2009-09-15T08:00:00.000Z', 'test', 'riempi', 'x', printf('%.1000c', 'x') FROM n`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := os.Stat(db.Path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() >= before+4<<20 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the database file is still %d bytes (was %d): the WAL was not copied into it", st.Size(), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWALStartsOverUnderLoad: under a steady stream of commits with readers always busy, as on
// click day, the WAL starts over instead of growing without end. Without finishCheckpoint the
// checkpointer copies every frame but SQLite never restarts the WAL (a write transaction must
// begin when every frame is copied, and the writer keeps adding frames while the checkpointer
// copies), so the WAL file ends as large as everything written.
func TestWALStartsOverUnderLoad(t *testing.T) {
	every, frames := checkpointEvery, restartFrames
	checkpointEvery, restartFrames = 10*time.Millisecond, 128 // 512 KiB
	t.Cleanup(func() { checkpointEvery, restartFrames = every, frames })
	db := openBare(t)

	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var n int
				if err := db.read.QueryRow(`SELECT user_id FROM import_tokens WHERE hash = x'0102'`).Scan(&n); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	// 31 MiB in 800 commits of 10 rows of 4 KiB (a page each).
	const commits, perCommit = 800, 10
	for i := range commits {
		if err := db.Write(context.Background(), func(tx *sql.Tx) error {
			_, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
				INSERT INTO audit_log (at, actor, action, target, detail)
				SELECT '2009-09-15T08:00:00.000Z', 'test', 'riempi', 'x', printf('%.4000c', 'x') FROM n`, perCommit)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if i%20 == 0 {
			time.Sleep(time.Millisecond) // the checkpointer's ticks fall between commits too
		}
	}
	close(stop)
	readers.Wait()
	st, err := os.Stat(db.Path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	written := int64(commits * perCommit * 4096)
	if st.Size() > written/3 {
		t.Fatalf("after %d MiB of commits with readers busy the WAL is %d KiB: it did not start over (checkpoints finished by the writer: %d)",
			written>>20, st.Size()>>10, db.Stats().Finished)
	}
	if db.Stats().Finished == 0 {
		t.Fatal("the writer finished no checkpoint")
	}
	t.Logf("WAL %d KiB after %d MiB written; %s", st.Size()>>10, written>>20, db.Stats())
}

// TestBatchesSweepAtTheirPace: the writer's batches delete expired limit counters, at most
// sweepBatchRows every sweepEvery, instead of in every commit.
func TestBatchesSweepAtTheirPace(t *testing.T) {
	db := openBare(t)
	now := time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return now })
	const expired = 600
	if _, err := db.writerConn().Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO limit_counters (key, window_start, n, expires_at) SELECT 'vecchio:' || i, 0, 1, 1 FROM n`, expired); err != nil {
		t.Fatal(err)
	}
	left := func() int {
		var n int
		if err := db.read.QueryRow(`SELECT count(*) FROM limit_counters WHERE expires_at = 1`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	send := func(id string) {
		// A module that does not exist: refused, and counted against the sender all the same.
		db.Submit(context.Background(), []core.SubmissionInput{{SubmissionID: id, ModuleID: "EM-0000-0000-0", UserID: 1}})
	}
	send("spazza-0001")
	if n := left(); n != expired-sweepBatchRows {
		t.Fatalf("after the first batch %d expired counters are left, want %d", n, expired-sweepBatchRows)
	}
	send("spazza-0002")
	if n := left(); n != expired-sweepBatchRows {
		t.Fatalf("a second batch within %s swept again: %d left", sweepEvery, n)
	}
	now = now.Add(sweepEvery)
	send("spazza-0003")
	if n := left(); n != expired-2*sweepBatchRows {
		t.Fatalf("a batch %s later: %d left, want %d", sweepEvery, n, expired-2*sweepBatchRows)
	}
}
