package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/server/sqlite"
)

// TestMigrationBackfill: a database made before the back office gets, from migration 0002,
// the employer search column of its modules and the Sportello's columns of its submissions,
// computed from the stored data as the code computes them for new rows.
func TestMigrationBackfill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	init, err := os.ReadFile(filepath.Join("migrations", "0001_init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		string(init),
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
		`INSERT INTO schema_migrations VALUES (1, '0001_init.sql', '2009-09-01T00:00:00.000Z')`,
		`INSERT INTO users (id, email, cognome, nome, data_nascita, password_hash, active, created_at)
			VALUES (1, 'a@example.it', 'R', 'M', '1970-01-01', 'x', 1, '2009-09-01T00:00:00.000Z')`,
		`INSERT INTO modules VALUES ('EM-0000-0000-0', 'EM', 'em2009', 1,
			'{"datore.cognome":"Nicolò","datore.nome":"Anna","impiego.provincia":"CN"}', '2009-09-15T08:00:00.000Z')`,
		`INSERT INTO modules VALUES ('EM-0000-0001-1', 'EM', 'em2009', 1, '{"datore.cognome":"Rossi"}', '2009-09-15T09:00:00.000Z')`,
		`INSERT INTO submissions VALUES ('sub-00000001', 'EM-0000-0000-0', 1, 'em2009', 'EM2009-0000001',
			'{"datore.cognome":"Nicolò","datore.nome":"Anna","lavoratore.cittadinanza":"ua","lavoratore.cognome":"Kovalenko","lavoratore.nome":"Olena","rapporto.tipologia":"badante"}',
			'ab', 'NCLNNA', 'badante', 'Sportello Unico di Cuneo', 'CN', '2009-09-15T08:30:00.000Z', 'sig', 'key')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	raw.Close()

	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersion(ctx); v != newestMigration(t) {
		t.Fatalf("schema version %d", v)
	}
	ms, total, err := db.SearchModules(ctx, 1, core.ModuleFilter{Q: "nicolo an"})
	if err != nil || total != 1 || ms[0].Employer != "NICOLÒ Anna" || ms[0].DomandaStato == nil || ms[0].DomandaStato.Stato != core.DomandaRicevuta {
		t.Fatalf("modules %+v %d %v", ms, total, err)
	}
	if _, total, _ := db.SearchModules(ctx, 1, core.ModuleFilter{Q: "ROSSI"}); total != 1 {
		t.Fatalf("ROSSI: %d", total)
	}
	n, items, err := db.Domande(ctx, core.DomandaFilter{Provincia: "CN", Q: "kovalenko olena", Cittadinanza: "UA", Limit: 10})
	if err != nil || n != 1 {
		t.Fatalf("domande %d %v", n, err)
	}
	it := items[0]
	if it.Kind != "EM" || it.Employer != "NICOLÒ Anna" || it.Worker != "KOVALENKO Olena" || it.Cittadinanza != "UA" || it.Stato != core.DomandaRicevuta {
		t.Fatalf("item %+v", it)
	}
	// The folding in SQL and in Go agree.
	if got := core.SearchKey("Nicolò Anna"); got != "NICOLO ANNA" {
		t.Fatalf("SearchKey = %q", got)
	}
	if n, _, _ := db.Domande(ctx, core.DomandaFilter{Q: strings.ToLower("NICOLÒ"), Limit: 1}); n != 1 {
		t.Fatalf("search by employer: %d", n)
	}
	// Migration 0003 counted what was stored, by day in Italy.
	st, err := db.Dashboard(ctx, core.StatsFilter{})
	if err != nil || st.Totals.Generated != 2 || st.Totals.Sent != 1 || len(st.PerDay) != 1 || st.PerDay[0] != (core.DayCount{Day: "2009-09-15", Generated: 2, Sent: 1}) {
		t.Fatalf("dashboard after the migration: %+v %v", st, err)
	}
	if n, _, _ := db.Domande(ctx, core.DomandaFilter{Provincia: "CN", Tipologia: "badante", Limit: 1}); n != 1 {
		t.Fatalf("counted domande: %d", n)
	}
	// Migration 0007 moved the submissions into a table with rowid; the history of an
	// application still refers to it by protocol.
	raw, err = sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var ddl string
	if err := raw.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'submissions'`).Scan(&ddl); err != nil || strings.Contains(ddl, "WITHOUT ROWID") {
		t.Fatalf("submissions after the migrations: %q %v", ddl, err)
	}
	clerk := &core.User{ID: 1, Email: "a@example.it", Role: core.RoleSportello, Provincia: "CN"}
	if _, err := db.SetStato(ctx, core.StatoChange{Protocol: "EM2009-0000001", Provincia: "CN", Stato: core.DomandaInIstruttoria, By: clerk,
		Audit: core.NewAudit(clerk, core.AuditStato, "EM2009-0000001", "x")}); err != nil {
		t.Fatalf("change of status after the migration: %v", err)
	}
	if d, err := db.Domanda(ctx, "EM2009-0000001", "CN"); err != nil || len(d.History) != 2 {
		t.Fatalf("history after the migration: %+v %v", d, err)
	}
}
