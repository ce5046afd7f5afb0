package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/server/demo"
	"nullaosta/server/pgtest"
	"nullaosta/server/postgres"
	"nullaosta/server/receipt"
	"nullaosta/server/sqlite"
	"nullaosta/shared"
)

// engines are the databases the commands are tested on.
var engines = []string{"sqlite", "postgres"}

// testDB gives a command's arguments for a database of engine (none for SQLite: the data
// directory's file; -db with a new PostgreSQL database) and opens it as the server would.
func testDB(t *testing.T, engine, data string) (args []string, open func() store) {
	t.Helper()
	if engine == "sqlite" {
		return nil, func() store {
			db, err := sqlite.Open(dbPath(data))
			if err != nil {
				t.Fatal(err)
			}
			return db
		}
	}
	url := pgtest.NewDatabase(t)
	return []string{"-db", url}, func() store {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
}

// withDB inserts the database arguments after the command's words (the flags start there).
func withDB(args, db []string) []string {
	i := 0
	for i < len(args) && !strings.HasPrefix(args[i], "-") {
		i++
	}
	return append(append(append([]string{}, args[:i]...), db...), args[i:]...)
}

func TestStaffCommands(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) { testStaffCommands(t, engine) })
	}
}

func testStaffCommands(t *testing.T, engine string) {
	data := t.TempDir()
	dbArgs, openDB := testDB(t, engine, data)
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("una password del ministero\n"), 0o600)

	for _, tc := range []struct {
		stdin string
		args  []string
		code  int
		text  string // in stdout or stderr
	}{
		{"", []string{"admin", "create", "-data", data, "--email", "ministero@interno.it", "--password-file", pw}, 0, "Creato l'utente del Ministero"},
		{"", []string{"admin", "create", "-data", data, "--email", "MINISTERO@interno.it", "--password-file", pw}, 1, "Esiste già"},
		{"password letta da stdin\n", []string{"admin", "create", "-data", data, "--email", "secondo@interno.it"}, 0, "Creato"},
		{"corta\n", []string{"admin", "create", "-data", data, "--email", "terzo@interno.it"}, 2, "10"},
		{"", []string{"admin", "create", "-data", data, "--email", "quarto@interno.it"}, 2, "nessuna password"},
		{"", []string{"admin", "create", "-data", data, "--email", "non-una-email"}, 2, "--email"},
		{"", []string{"admin", "delete"}, 2, "uso"},
		{"", []string{"admin", "create", "-data", data, "--email", "x@interno.it", "--provincia", "CN", "--password-file", pw}, 2, "solo"},
		{"", []string{"sportello", "create", "-data", data, "--email", "sportello.cn@interno.it", "--provincia", "cn", "--password-file", pw}, 0, "Sportello Unico di Cuneo (CN)"},
		{"", []string{"sportello", "create", "-data", data, "--email", "sportello.xx@interno.it", "--provincia", "XX", "--password-file", pw}, 2, "provincia"},
		{"", []string{"sportello", "create", "-data", data, "--email", "sportello.yy@interno.it", "--password-file", pw}, 2, "provincia"},
	} {
		code, out, errText := runCmd(t, tc.stdin, withDB(tc.args, dbArgs)...)
		if code != tc.code || !strings.Contains(out+errText, tc.text) {
			t.Errorf("%v: exit %d (want %d)\nstdout %s\nstderr %s", tc.args, code, tc.code, out, errText)
		}
	}
	db := openDB()
	defer db.Close()
	ctx := context.Background()
	admin, err := db.UserByEmail(ctx, "ministero@interno.it")
	if err != nil || admin.Role != core.RoleAdmin || !admin.Active {
		t.Fatalf("admin %+v, %v", admin, err)
	}
	if ok, _ := auth.CheckPassword(admin.PasswordHash, "una password del ministero"); !ok {
		t.Error("the admin's password is not the file's first line")
	}
	sp, err := db.UserByEmail(ctx, "sportello.cn@interno.it")
	if err != nil || sp.Role != core.RoleSportello || sp.Provincia != "CN" {
		t.Fatalf("sportello %+v, %v", sp, err)
	}
	es, _ := db.AuditLog(ctx, core.AuditFilter{Action: core.AuditCreaUtente, Limit: 10})
	if len(es) != 3 || es[0].Actor != "riga di comando" || es[0].Target != "sportello.cn@interno.it" || es[0].Detail != "ruolo sportello, provincia CN" {
		t.Fatalf("audit %+v", es)
	}
}

// TestDemoCommand loads a small demo and checks that the database is consistent: the accounts
// the command prints, one Sportello per province used, real protocols and receipts, valid
// data, statuses reached by allowed steps, and nothing loaded twice.
func TestDemoCommand(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) { testDemoCommand(t, engine) })
	}
}

func testDemoCommand(t *testing.T, engine string) {
	data := t.TempDir()
	dbArgs, openDB := testDB(t, engine, data)
	code, out, errText := runCmd(t, "", withDB([]string{"demo", "-data", data, "-n", "80"}, dbArgs)...)
	if code != 0 || !strings.Contains(out, demo.Password) || !strings.Contains(out, "ministero@demo.example.it") {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errText)
	}
	var generated, sent, changed int
	fmt.Sscanf(out[strings.Index(out, ": ")+2:], "%d moduli generati, %d domande inviate, %d con", &generated, &sent, &changed)
	if generated != 80 || sent < 50 || sent > 80 || changed == 0 {
		t.Fatalf("counts %d %d %d in %q", generated, sent, changed, out)
	}

	signer, err := receipt.LoadOrCreate(data)
	if err != nil {
		t.Fatal(err)
	}
	db := openDB()
	ctx := context.Background()

	// Every printed account exists, is active and takes the demo password.
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.Contains(f[0], "@") {
			continue
		}
		u, err := db.UserByEmail(ctx, f[0])
		if err != nil || !u.Active {
			t.Fatalf("account %s: %+v %v", f[0], u, err)
		}
		if ok, _ := auth.CheckPassword(u.PasswordHash, demo.Password); !ok {
			t.Errorf("%s: not the demo password", f[0])
		}
	}
	ops, err := db.Operators(ctx, "")
	if err != nil || len(ops) != 3 || ops[0].Ente == nil || ops[0].Ente.Nome != "Comune di Cuneo" {
		t.Fatalf("operators %+v %v", ops, err)
	}
	rs, _ := db.Enablements(ctx, 0, "")
	if len(rs) != 2 || rs[0].Stato != core.EnablementInAttesa || rs[1].Stato != core.EnablementApprovata {
		t.Fatalf("requests %+v", rs)
	}
	pending, _ := db.UserByEmail(ctx, "marco.olivero@patronato-torino.demo.example.it")
	if info, _ := db.OperatorInfo(ctx, pending.ID); !info.Pending || pending.Role != core.RolePrivato {
		t.Fatalf("pending operator %+v %+v", pending, info)
	}

	total, items, err := db.Domande(ctx, core.DomandaFilter{Limit: 10000})
	if err != nil || total != sent || len(items) != sent {
		t.Fatalf("%d applications stored, %d sent: %v", total, sent, err)
	}
	receivedAt := func(s string) time.Time {
		t, _ := time.Parse(core.ReceivedAtLayout, s)
		return t
	}
	campaigns := map[string]shared.Campaign{}
	for _, k := range []shared.Kind{shared.KindEM, shared.KindA} {
		c := shared.DemoCampaign(k, time.Now())
		campaigns[c.ID] = c
	}
	seq := map[string]int{}
	for i := len(items) - 1; i >= 0; i-- { // oldest first
		it := items[i]
		sp, err := db.UserByEmail(ctx, "sportello."+strings.ToLower(it.Provincia)+"@demo.example.it")
		if err != nil || sp.Provincia != it.Provincia {
			t.Fatalf("no sportello for %s: %v", it.Provincia, err)
		}
		d, err := db.Domanda(ctx, it.Protocol, it.Provincia)
		if err != nil {
			t.Fatal(err)
		}
		if err := receipt.Verify(signer.PublicKey(), &d.Receipt); err != nil {
			t.Fatalf("%s: %v", it.Protocol, err)
		}
		sum := sha256.Sum256(shared.CanonicalJSON(d.Data))
		if hex.EncodeToString(sum[:]) != d.Receipt.SHA256 {
			t.Fatalf("%s: content and hash differ", it.Protocol)
		}
		c := campaigns[d.Receipt.CampaignID]
		if ps := shared.Validate(d.Kind, &c, d.Data, receivedAt(it.ReceivedAt)); shared.HasErrors(ps) {
			t.Fatalf("%s: invalid data: %+v", it.Protocol, ps)
		}
		seq[d.Receipt.CampaignID]++
		if want := fmt.Sprintf("%s-%07d", sqlite.ProtocolPrefix(d.Receipt.CampaignID), seq[d.Receipt.CampaignID]); want != it.Protocol {
			t.Fatalf("protocol %s, want %s", it.Protocol, want)
		}
		for j := 1; j < len(d.History); j++ {
			if !core.DomandaCanMove(d.History[j-1].Stato, d.History[j].Stato) || d.History[j].By != sp.Email || d.History[j].At.Before(d.History[j-1].At) {
				t.Fatalf("%s: history %+v", it.Protocol, d.History)
			}
		}
		if d.History[len(d.History)-1].Stato != d.Stato {
			t.Fatalf("%s: status %s, history %+v", it.Protocol, d.Stato, d.History)
		}
	}
	if st, err := db.Dashboard(ctx, core.StatsFilter{}); err != nil || st.Totals.Generated != generated || st.Totals.Sent != sent || st.Totals.Operators != 3 {
		t.Fatalf("stats %+v %v", st, err)
	}
	if es, _ := db.AuditLog(ctx, core.AuditFilter{Action: core.AuditApprova, Limit: 5}); len(es) != 1 {
		t.Fatalf("approval audit %+v", es)
	}
	db.Close()

	// Again: nothing changes.
	code, out, _ = runCmd(t, "", withDB([]string{"demo", "-data", data, "-n", "80"}, dbArgs)...)
	if code != 0 || !strings.Contains(out, "già caricato") {
		t.Fatalf("second run: %d %s", code, out)
	}
	db = openDB()
	defer db.Close()
	if n, _, _ := db.Domande(ctx, core.DomandaFilter{Limit: 1}); n != sent {
		t.Fatalf("after a second run: %d applications", n)
	}
	if code, _, _ := runCmd(t, "", "demo", "-n", "3"); code != 2 {
		t.Errorf("-n 3: exit %d", code)
	}
}
