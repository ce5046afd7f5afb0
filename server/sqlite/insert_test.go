package sqlite

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// TestInsertKeepsNoStatementJournal: no step of flushPending's INSERTs can abort the statement
// half way (a constraint that ABORTs, an immediate foreign key), which is what makes SQLite
// keep a statement journal, a copy of every page the statement changes; and both foreign keys
// are still checked, deferred to the commit.
func TestInsertKeepsNoStatementJournal(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.writerConn().QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check after the migrations: %q %v", ok, err)
	}
	const oeAbort = 2 // SQLite's OE_Abort, as P2 of Halt and HaltIfNull
	for _, n := range insertChunks {
		rows, err := db.writerConn().Query(`EXPLAIN `+insertStatements[n], make([]any, n*nSubmissionColumns)...)
		if err != nil {
			t.Fatal(err)
		}
		deferredKeys := 0
		for rows.Next() {
			var addr, p1, p2, p3 int64
			var op string
			var p4, p5, comment any
			if err := rows.Scan(&addr, &op, &p1, &p2, &p3, &p4, &p5, &comment); err != nil {
				t.Fatal(err)
			}
			switch {
			case (op == "Halt" || op == "HaltIfNull") && p2 == oeAbort:
				t.Errorf("%d rows: step %d %s aborts the statement (%v)", n, addr, op, p4)
			// FkCounter P2 > 0 counts a row without its parent (P2 < 0, a row of
			// pratica_eventi whose parent this row is); P1 = 1 counts it at the commit.
			case op == "FkCounter" && p2 > 0 && p1 == 0:
				t.Errorf("%d rows: step %d checks a foreign key immediately", n, addr)
			case op == "FkCounter" && p2 > 0:
				deferredKeys++
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		// One loop over the rows: module and user.
		if deferredKeys != 2 {
			t.Errorf("%d rows: %d deferred foreign key checks, want 2 (module and user)", n, deferredKeys)
		}
	}
}

// TestSubmissionKeysHoldAtCommit: with the foreign keys deferred (migration 0009), a
// submission whose module or user does not exist still cannot be stored: the commit fails and
// leaves nothing.
func TestSubmissionKeysHoldAtCommit(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.writerConn().Exec(`INSERT INTO users (id, email, cognome, nome, data_nascita, password_hash, created_at)
		VALUES (1, 'a@example.it', 'Rossi', 'Maria', '1970-01-01', 'x', '2009-09-01T00:00:00.000Z');
		INSERT INTO modules (id, kind, campaign_id, user_id, data, created_at)
		VALUES ('EM-AAAA-AAAA-A', 'EM', 'em2009', 1, '{}', '2009-09-01T00:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, module string
		user         int64
		ok           bool
	}{
		{"no such module", "EM-BBBB-BBBB-B", 1, false},
		{"no such user", "EM-AAAA-AAAA-A", 2, false},
		{"module and user exist", "EM-AAAA-AAAA-A", 1, true},
	} {
		tx, err := db.writerConn().Begin()
		if err != nil {
			t.Fatal(err)
		}
		args := make([]any, nSubmissionColumns)
		for i := range args {
			args[i] = "x"
		}
		args[0], args[1], args[2], args[4] = "sub-"+c.name, c.module, c.user, "P-"+c.name
		if _, err := tx.Exec(insertStatements[1], args...); err != nil {
			tx.Rollback()
			t.Fatalf("%s: the insert: %v", c.name, err)
		}
		err = tx.Commit()
		var se sqlite3.Error
		switch {
		case c.ok && err != nil:
			t.Errorf("%s: commit: %v", c.name, err)
		case !c.ok && !(errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey):
			t.Errorf("%s: commit = %v, want a foreign key failure", c.name, err)
		}
		var n int
		if err := db.writerConn().QueryRow(`SELECT count(*) FROM submissions WHERE submission_id = ?`, "sub-"+c.name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 1, false: 0}[c.ok]; n != want {
			t.Errorf("%s: %d rows stored, want %d", c.name, n, want)
		}
	}
	var schema string
	if err := db.writerConn().QueryRow(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'submissions'`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	if strings.Count(schema, "DEFERRABLE INITIALLY DEFERRED") != 2 {
		t.Errorf("the submissions table after migration 0009:\n%s", schema)
	}
}
