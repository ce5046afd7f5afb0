package sqlite

import (
	"context"
	"database/sql/driver"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// TestModuleToSend: the read of the module a send names, made on the writer's connection
// (writerRow), gives its owner, kind, campaign and generation data, and says whether it was sent.
func TestModuleToSend(t *testing.T) {
	db := openBare(t)
	ctx := context.Background()
	if _, err := db.ModuleToSend(ctx, "EM-ZZZZ-ZZZZ-9"); core.ErrorCode(err) != core.ENOTFOUND {
		t.Fatalf("unknown module: %v, want not found", err)
	}
	m, err := db.ModuleToSend(ctx, "EM-AAAA-BBBB-1")
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "EM-AAAA-BBBB-1" || m.Kind != shared.KindEM || m.CampaignID != "em2009" || m.UserID != 1 ||
		m.Status != core.ModuleGenerated || len(m.Data) != 1 || m.Data.Str("datore.cognome") != "Rossi" {
		t.Fatalf("ModuleToSend = %+v", *m)
	}
	if _, err := db.writerConn().Exec(`INSERT INTO submissions (submission_id, module_id, user_id, campaign_id, protocol,
		sha256, employer_key, tipologia, sportello, provincia, received_at, signature, key_id, content)
		VALUES ('sub-00000001', 'EM-AAAA-BBBB-1', 1, 'em2009', 'EM2009-0000001', 'x', 'RSSMRA70C47D205X', 'colf',
		'TO', 'TO', '2009-09-15T08:00:00.000Z', 'x', 'k', '{}')`); err != nil {
		t.Fatal(err)
	}
	if m, err := db.ModuleToSend(ctx, "EM-AAAA-BBBB-1"); err != nil || m.Status != core.ModuleSent {
		t.Fatalf("a sent module: %+v, %v; want status %s", m, err, core.ModuleSent)
	}
}

// TestPointRow: pointRow answers a row, no row, or the query's error; the values are read
// strictly as their columns' types, as database/sql's Scan would.
func TestPointRow(t *testing.T) {
	db := openBare(t)
	ctx := context.Background()
	var row [3]driver.Value
	found, err := db.pointRow(ctx, `SELECT 7, 'sette', x'0708' WHERE ? = 1`, []driver.NamedValue{{Ordinal: 1, Value: int64(1)}}, row[:])
	if err != nil || !found {
		t.Fatalf("a row: found %v, %v", found, err)
	}
	r := rowReader{row: row[:]}
	if n, s, b := r.int(0), r.text(1), r.bytes(2); r.err != nil || n != 7 || s != "sette" || string(b) != "\x07\x08" {
		t.Fatalf("values %d %q %q, %v", n, s, b, r.err)
	}
	if found, err := db.pointRow(ctx, `SELECT 7, 'sette', x'0708' WHERE ? = 1`, []driver.NamedValue{{Ordinal: 1, Value: int64(2)}}, row[:]); err != nil || found {
		t.Fatalf("no row: found %v, %v", found, err)
	}
	if _, err := db.pointRow(ctx, `SELECT nothing FROM nowhere`, nil, row[:]); err == nil {
		t.Fatal("a query that cannot run gave no error")
	}
	for i, read := range []func(r *rowReader){
		func(r *rowReader) { r.int(1) },
		func(r *rowReader) { r.text(0) },
		func(r *rowReader) { r.bool(0) }, // 7 is no boolean
	} {
		r := rowReader{row: row[:]}
		if found, err := db.pointRow(ctx, `SELECT 7, 'sette', NULL`, nil, row[:]); err != nil || !found {
			t.Fatal(found, err)
		}
		if read(&r); r.err == nil || !strings.Contains(r.err.Error(), "column") {
			t.Errorf("read %d of a value of another type: %v, want an error", i, r.err)
		}
	}
	r = rowReader{row: row[:]}
	if b := r.bytes(2); r.err != nil || b != nil {
		t.Errorf("NULL read as bytes: %q, %v; want nil as Scan gives", b, r.err)
	}
	if r.text(2); r.err == nil {
		t.Error("NULL read as a text: no error")
	}
}
