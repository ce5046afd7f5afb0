package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/server/pgtest"
	"nullaosta/server/postgres"
	"nullaosta/server/receipt"
	"nullaosta/server/sqlite"
	"nullaosta/shared"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidateCommand(t *testing.T) {
	colf := filepath.Join("..", "shared", "testdata", "em_colf.json")
	b, err := os.ReadFile(colf)
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	json.Unmarshal(b, &d)
	d["datore.codice_fiscale"] = "BNCGNN58C52D205X" // wrong check character
	wrong, _ := json.Marshal(d)

	for _, tc := range []struct {
		name    string
		stdin   string
		args    []string
		code    int
		out     string // substring of stdout
		errText string // substring of stderr
	}{
		{"valid", "", []string{"validate", "--module", "EM", "--date", "2009-09-15", colf}, 0, `"valid": true`, ""},
		{"errors", string(wrong), []string{"validate", "-module", "em", "-date", "2009-09-15", "-"}, 1, `"code": "cf_check"`, ""},
		{"not JSON", "{", []string{"validate", "--module", "EM", "-"}, 2, "", "JSON"},
		{"not an object", "[1]", []string{"validate", "--module", "EM", "-"}, 2, "", "oggetto"},
		{"unknown module", "{}", []string{"validate", "--module", "B", "-"}, 2, "", "EM oppure A"},
		{"no file", "", []string{"validate", "--module", "EM"}, 2, "", "file"},
		{"missing file", "", []string{"validate", "--module", "EM", "/nessuno.json"}, 2, "", "leggere"},
		{"bad date", "{}", []string{"validate", "--module", "EM", "--date", "ieri", "-"}, 2, "", "--date"},
	} {
		code, out, errText := runCmd(t, tc.stdin, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errText, tc.errText) {
			t.Errorf("%s: exit %d (want %d)\nstdout %s\nstderr %s", tc.name, code, tc.code, out, errText)
		}
	}
}

func TestVerifyReceiptCommand(t *testing.T) {
	dir := t.TempDir()
	s, err := receipt.LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	content := []byte(`{"datore.cognome": "Rossi"}`)
	r := &core.Receipt{Protocol: "EM2009-0000001", CampaignID: "em2009", ModuleID: "EM-0000-0000-0", SubmissionID: "sub-00000001",
		ReceivedAt: "2009-09-15T08:00:00.000Z", ReceivedAtRome: "15/09/2009 10:00:00", Sportello: "Sportello Unico di Cuneo", Provincia: "CN",
	}
	// The hash of the canonical content, as the server computes it.
	contentFile := filepath.Join(dir, "domanda.json")
	os.WriteFile(contentFile, content, 0o644)
	r.SHA256 = sha256Canonical(t, content)
	if err := s.Sign(r); err != nil {
		t.Fatal(err)
	}
	write := func(name string, v any) string {
		b, _ := json.Marshal(v)
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	good := write("ricevuta.json", r)
	wrapped := write("risultato.json", map[string]any{"status": "accepted", "receipt": r})
	tampered := *r
	tampered.Sportello = "Sportello Unico di Roma"
	bad := write("alterata.json", &tampered)
	pubFile := filepath.Join(dir, receipt.PublicKeyFile)

	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/api/v1/receipts/public-key" {
			http.NotFound(w, req)
			return
		}
		json.NewEncoder(w).Encode(s.Info())
	}))
	defer ts.Close()

	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"key file", []string{"verify-receipt", "-key", pubFile, good}, 0, "OK: la ricevuta EM2009-0000001"},
		{"from the server", []string{"verify-receipt", "-server", ts.URL, wrapped}, 0, "OK"},
		{"with content", []string{"verify-receipt", "-key", pubFile, "-content", contentFile, good}, 0, "è il contenuto inviato"},
		{"tampered", []string{"verify-receipt", "-key", pubFile, bad}, 1, "NON VALIDA"},
		{"other content", []string{"verify-receipt", "-key", pubFile, "-content", good, good}, 1, "SHA-256 diverso"},
		{"no key", []string{"verify-receipt", good}, 2, ""},
		{"not a receipt", []string{"verify-receipt", "-key", pubFile, pubFile}, 2, ""},
	} {
		code, out, errText := runCmd(t, "", tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("%s: exit %d (want %d)\nstdout %s\nstderr %s", tc.name, code, tc.code, out, errText)
		}
	}
}

func sha256Canonical(t *testing.T, content []byte) string {
	d, err := shared.ParseData(content)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(shared.CanonicalJSON(d))
	return hex.EncodeToString(sum[:])
}

func TestBackupAndSetRoleCommands(t *testing.T) {
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) { testBackupAndSetRoleCommands(t, engine) })
	}
}

func testBackupAndSetRoleCommands(t *testing.T, engine string) {
	data := t.TempDir()
	dbArgs, openDB := testDB(t, engine, data)
	db := openDB()
	defer db.Close() // the "server" keeps running during the backup
	_, h := auth.NewSecret()
	u := &core.User{Email: "backup@example.it", Cognome: "R", Nome: "M", DataNascita: "1970-01-01", PasswordHash: "x"}
	if err := db.CreateUser(context.Background(), u, core.OneTimeToken{Hash: h, Purpose: core.PurposeActivate, ExpiresAt: time.Now().Add(time.Hour)},
		func(u *core.User) core.Mail { return core.Mail{To: u.Email} }); err != nil {
		t.Fatal(err)
	}

	cmd := func(args ...string) []string { return withDB(args, dbArgs) }
	if code, out, errText := runCmd(t, "", cmd("set-role", "-data", data, "backup@example.it", "operatore")...); code != 0 {
		t.Fatalf("set-role: %d %s %s", code, out, errText)
	}
	if code, _, _ := runCmd(t, "", cmd("set-role", "-data", data, "backup@example.it", "sportello")...); code != 2 {
		t.Errorf("sportello without provincia: exit %d", code)
	}
	if code, _, _ := runCmd(t, "", cmd("set-role", "-data", data, "nessuno@example.it", "admin")...); code != 1 {
		t.Errorf("unknown user: exit %d", code)
	}

	dst := filepath.Join(t.TempDir(), "copia.db")
	code, out, errText := runCmd(t, "", cmd("backup", "-data", data, dst)...)
	if code != 0 || !strings.Contains(out, "Backup") {
		t.Fatalf("backup: %d %s %s", code, out, errText)
	}
	if code, _, _ := runCmd(t, "", cmd("backup", "-data", data, dst)...); code != 2 {
		t.Errorf("backup over an existing file: exit %d", code)
	}
	var copyDB store
	var err error
	if engine == "sqlite" {
		if code, _, _ := runCmd(t, "", "backup", "-data", t.TempDir(), filepath.Join(t.TempDir(), "x.db")); code != 2 {
			t.Errorf("backup without a database: exit %d", code)
		}
		if copyDB, err = sqlite.Open(dst); err != nil {
			t.Fatal(err)
		}
	} else {
		// Restored as docs/OPERATIONS.md says: pg_restore into an empty database.
		restored := pgtest.NewDatabase(t)
		restore, terr := postgres.Tool("pg_restore")
		if terr != nil {
			t.Fatal(terr)
		}
		if out, err := exec.Command(restore, "--no-owner", "--exit-on-error", "--dbname="+restored, dst).CombinedOutput(); err != nil {
			t.Fatalf("pg_restore: %v\n%s", err, out)
		}
		if copyDB, err = postgres.Open(context.Background(), restored); err != nil {
			t.Fatal(err)
		}
	}
	defer copyDB.Close()
	got, err := copyDB.UserByEmail(context.Background(), "backup@example.it")
	if err != nil || got.Role != core.RoleOperatore {
		t.Fatalf("the backup holds %+v, %v", got, err)
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errText := runCmd(t, "", "esplodi"); code != 2 || !strings.Contains(errText, "sconosciuto") {
		t.Fatalf("exit %d %s", code, errText)
	}
	if code, out, _ := runCmd(t, "", "help"); code != 0 || !strings.Contains(out, "verify-receipt") {
		t.Fatalf("help: %d %s", code, out)
	}
}

// TestServe starts the whole server (go-app pages included), calls it, and stops it as
// SIGTERM would.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	web := filepath.Join(dir, "web")
	os.MkdirAll(web, 0o755)
	wasm := bytes.Repeat([]byte("\x00asm fake module "), 1000)
	os.WriteFile(filepath.Join(web, "app.wasm"), wasm, 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(wasm)
	zw.Close()
	os.WriteFile(filepath.Join(web, "app.wasm.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(web, "app.css"), []byte("body{}"), 0o644)

	cfg, err := serveFlags([]string{"-addr", "127.0.0.1:0", "-addr-file", filepath.Join(dir, "addr"),
		"-data", filepath.Join(dir, "data"), "-web", web, "-dev"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	var addr []byte
	for range 100 {
		if addr, _ = os.ReadFile(filepath.Join(dir, "addr")); len(addr) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(addr) == 0 {
		cancel()
		t.Fatalf("the server did not start: %v", <-done)
	}
	base := "http://" + string(addr)
	get := func(path string, header ...string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", base+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		tr := &http.Transport{DisableCompression: true}
		res, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}

	if res, b := get("/healthz"); res.StatusCode != 200 || !strings.Contains(string(b), `"ok"`) {
		t.Errorf("healthz: %d %s", res.StatusCode, b)
	}
	res, b := get("/")
	if res.StatusCode != 200 || !strings.Contains(string(b), "wasm_exec.js") || !strings.Contains(res.Header.Get("Content-Security-Policy"), "wasm-unsafe-eval") {
		t.Errorf("page: %d %v %.200s", res.StatusCode, res.Header, b)
	}
	if strings.Contains(string(b), "<script>") {
		t.Error("the page has an inline script: the CSP would block it")
	}
	res, b = get("/web/app.wasm", "Accept-Encoding", "gzip, br;q=0")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Content-Type") != "application/wasm" || !bytes.Equal(b, gz.Bytes()) {
		t.Errorf("precompressed wasm: %d %v (%d bytes)", res.StatusCode, res.Header, len(b))
	}
	if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(gz.Len()) {
		t.Errorf("precompressed wasm: Content-Length %q, want %d", cl, gz.Len())
	}
	// A range request still gets the whole compressed twin, with its length.
	res, b = get("/web/app.wasm", "Accept-Encoding", "gzip", "Range", "bytes=0-9")
	if res.StatusCode != 200 || !bytes.Equal(b, gz.Bytes()) {
		t.Errorf("range on the compressed wasm: %d (%d bytes)", res.StatusCode, len(b))
	}
	res, b = get("/web/app.wasm")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" || !bytes.Equal(b, wasm) {
		t.Errorf("plain wasm: %d %v (%d bytes)", res.StatusCode, res.Header, len(b))
	}
	if res, _ = get("/web/app.wasm.gz"); res.StatusCode != 404 {
		t.Errorf("the .gz twin is served directly: %d", res.StatusCode)
	}
	if res, _ = get("/web/"); res.StatusCode != 404 {
		t.Errorf("directory listing: %d", res.StatusCode)
	}
	res, b = get("/app.js")
	if res.StatusCode != 200 || !strings.Contains(string(b), "17000") {
		t.Errorf("app.js lacks the wasm length 17000: %d", res.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", receipt.KeyFile)); err != nil {
		t.Errorf("no signing key: %v", err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop")
	}
}

// TestDatabaseSelection: -db or -database-url, else DATABASE_URL, else the SQLite file of the
// data directory.
func TestDatabaseSelection(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"-data", "d", "-dev"}, "", filepath.Join("d", "nullaosta.db")},
		{[]string{"-data", "d", "-dev"}, "postgres://u@h/env", "postgres://u@h/env"},
		{[]string{"-data", "d", "-dev", "-db", "postgres://u@h/flag"}, "postgres://u@h/env", "postgres://u@h/flag"},
		{[]string{"-data", "d", "-dev", "-database-url", "postgresql://u@h/alias"}, "", "postgresql://u@h/alias"},
		{[]string{"-data", "d", "-dev", "-db", "/var/lib/nullaosta/altro.db"}, "postgres://u@h/env", "/var/lib/nullaosta/altro.db"},
	} {
		t.Setenv("DATABASE_URL", tc.env)
		cfg, err := serveFlags(tc.args, io.Discard)
		if err != nil || cfg.db != tc.want {
			t.Errorf("%v with DATABASE_URL=%q: %q, %v; want %q", tc.args, tc.env, cfg.db, err, tc.want)
		}
	}
	if got := describeDB("postgres://nullaosta:segreta@db.interno:5432/nullaosta"); strings.Contains(got, "segreta") {
		t.Errorf("the password is in the log line: %s", got)
	}
}

// TestServeRequiresBaseURL: a server that is not -dev refuses to start without -base-url
// (the links in e-mails would otherwise have no trusted origin); -dev derives it once from the
// address it listens on.
func TestServeRequiresBaseURL(t *testing.T) {
	if _, err := serveFlags([]string{"-addr", "127.0.0.1:0"}, io.Discard); err == nil || !strings.Contains(err.Error(), "-base-url") {
		t.Fatalf("no -base-url, no -dev: %v", err)
	}
	for _, bad := range []string{"evil.example", "ftp://x.example", "https://", "https://u:p@x.example", "https://x.example/?a=1"} {
		if _, err := serveFlags([]string{"-base-url", bad}, io.Discard); err == nil {
			t.Errorf("-base-url %q accepted", bad)
		}
	}
	c, err := serveFlags([]string{"-base-url", "https://nullaosta.example/"}, io.Discard)
	if err != nil || c.baseURL != "https://nullaosta.example" {
		t.Fatalf("-base-url: %+v %v", c, err)
	}
	if _, err := serveFlags([]string{"-dev"}, io.Discard); err != nil {
		t.Fatalf("-dev without -base-url: %v", err)
	}
	for addr, want := range map[string]string{"127.0.0.1:8080": "http://127.0.0.1:8080", "[::]:8080": "http://localhost:8080", "0.0.0.0:9": "http://localhost:9"} {
		a, _ := net.ResolveTCPAddr("tcp", addr)
		if got := devBaseURL(a); got != want {
			t.Errorf("devBaseURL(%s) = %s, want %s", addr, got, want)
		}
	}
}

// TestRotateReceiptKeyCommand: the command retires the data directory's key, and the server
// opened on it afterwards signs with the new key and still publishes the old one.
func TestRotateReceiptKeyCommand(t *testing.T) {
	dir := t.TempDir()
	before, err := receipt.LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errText := runCmd(t, "", "rotate-receipt-key", "-data", dir)
	if code != 0 || !strings.Contains(out, before.KeyID()) || !strings.Contains(out, "Riavvia") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errText)
	}
	after, err := receipt.LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	keys := after.Keys().Keys
	if after.KeyID() == before.KeyID() || !strings.Contains(out, after.KeyID()) || len(keys) != 2 || keys[1].KeyID != before.KeyID() {
		t.Fatalf("after rotation: signs with %s, publishes %+v", after.KeyID(), keys)
	}
}
