package api

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// engine is the storage the tests run on: every test runs once on SQLite, then once more on
// PostgreSQL (a throwaway cluster, see server/pgtest), with the same assertions.
var engine = "sqlite"

func TestMain(m *testing.M) {
	// Cheap hashes: the tests check the flows, not argon2's cost (auth's own tests do).
	auth.Default = auth.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
	// The stores log their migrations before a test can give them its logger.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(pgtest.Main(func() int {
		engine = "sqlite"
		code := m.Run()
		engine = "postgres"
		fmt.Println("=== the same tests on PostgreSQL")
		if c := m.Run(); c != 0 {
			code = c
		}
		return code
	}))
}

// testDB is a store the tests can close and write to directly.
type testDB interface {
	Store
	Close() error
	// Exec runs one statement outside the store's methods.
	Exec(ctx context.Context, q string, args ...any) error
}

// sqliteDB gives the SQLite store the Exec of the PostgreSQL one.
type sqliteDB struct{ *sqlite.DB }

func (db sqliteDB) Exec(ctx context.Context, q string, args ...any) error {
	return db.Write(ctx, func(tx *sql.Tx) error { _, err := tx.Exec(q, args...); return err })
}

// openStore opens an empty store of the engine under test, closed when t ends.
func openStore(t testing.TB, now func() time.Time, logger *slog.Logger) testDB {
	t.Helper()
	switch engine {
	case "postgres":
		db, err := postgres.Open(context.Background(), pgtest.NewDatabase(t))
		if err != nil {
			t.Fatal(err)
		}
		db.Now, db.Signer, db.Logger = now, testSigner(), logger
		t.Cleanup(func() { db.Close() })
		return db
	default:
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "api.db"))
		if err != nil {
			t.Fatal(err)
		}
		db.Now, db.Signer, db.Logger = now, testSigner(), logger
		t.Cleanup(func() { db.Close() })
		return sqliteDB{db}
	}
}

// t0 is the tests' clock: 15 September 2009, 10:00 in Rome, inside the EM 2009 window.
var t0 = time.Date(2009, 9, 15, 8, 0, 0, 0, time.UTC)

const password = "una password lunga"

type env struct {
	t   testing.TB
	db  testDB
	srv *Server
	ts  *httptest.Server

	mu  sync.Mutex
	now time.Time
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) setClock(t time.Time) {
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

func testSigner() *receipt.Signer {
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, "api test key, not a secret")
	return receipt.NewSigner(ed25519.NewKeyFromSeed(seed))
}

// newEnv starts a server over a fresh database, running the official campaigns, with the
// development mail on.
func newEnv(t testing.TB, configure ...func(*Config)) *env {
	t.Helper()
	e := &env{t: t, now: t0}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	db := openStore(t, e.clock, logger)
	e.db = db
	t.Logf("storage: %s", engine)
	cfg := Config{Campaigns: shared.Campaigns(), DevMail: true, BaseURL: "http://nullaosta.test"}
	for _, f := range configure {
		f(&cfg)
	}
	e.srv = New(db, testSigner(), cfg)
	e.srv.Now = e.clock
	e.srv.Logger = logger
	e.srv.App = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><title>app</title>")
	})
	e.ts = httptest.NewServer(e.srv)
	t.Cleanup(e.ts.Close)
	return e
}

// actor is someone calling the API: anonymous, with a session cookie, or with a bearer token.
type actor struct {
	name   string
	user   *core.User
	cookie string
	token  string
}

var anonymous = &actor{name: "anonimo"}

// newActor registers an active user with that role and logs in.
func (e *env) newActor(name, email string, role core.Role) *actor {
	e.t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		e.t.Fatal(err)
	}
	_, h := auth.NewSecret()
	u := &core.User{Email: email, Cognome: "Verdi", Nome: name, DataNascita: "1970-01-01", PasswordHash: hash}
	ctx := context.Background()
	if err := e.db.CreateUser(ctx, u, core.OneTimeToken{Hash: h, Purpose: core.PurposeActivate, ExpiresAt: t0.Add(time.Hour)},
		func(u *core.User) core.Mail { return core.Mail{To: u.Email, Subject: "x", Body: "x"} }); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.UseToken(ctx, core.PurposeActivate, h, ""); err != nil {
		e.t.Fatal(err)
	}
	if role != core.RolePrivato {
		provincia := ""
		if role == core.RoleSportello {
			provincia = "CN"
		}
		if err := e.db.SetRole(ctx, email, role, provincia); err != nil {
			e.t.Fatal(err)
		}
	}
	return e.login(name, email, password)
}

func (e *env) login(name, email, pw string) *actor {
	e.t.Helper()
	res, body := e.do(anonymous, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": pw})
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", email, res.StatusCode, body)
	}
	a := &actor{name: name}
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			a.cookie = c.Value
		}
	}
	a.user, _ = e.db.UserByEmail(context.Background(), email)
	return a
}

// withToken returns the same user calling with a new import token.
func (e *env) withToken(a *actor) *actor {
	e.t.Helper()
	var tok createTokenResponse
	e.mustJSON(anonymous, "POST", "/api/v1/tokens", map[string]string{"email": a.user.Email, "password": password, "label": "test"}, http.StatusCreated, &tok)
	return &actor{name: a.name + " (token)", user: a.user, token: tok.Token}
}

// do sends a request as a; body is nil, a string (sent as is) or a value (sent as JSON).
func (e *env) do(a *actor, method, path string, body any, header ...string) (*http.Response, []byte) {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: a.cookie})
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res, b
}

// mustJSON sends a request, checks the status and decodes the answer into out (if not nil).
func (e *env) mustJSON(a *actor, method, path string, body any, status int, out any) []byte {
	e.t.Helper()
	res, b := e.do(a, method, path, body)
	if res.StatusCode != status {
		e.t.Fatalf("%s %s as %s: status %d, want %d: %s", method, path, a.name, res.StatusCode, status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return b
}

// apiError decodes an error answer.
func apiError(t testing.TB, b []byte) errorBody {
	t.Helper()
	var eb errorBody
	if err := json.Unmarshal(b, &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
		t.Fatalf("not an error answer: %s", b)
	}
	return eb
}

// fixture reads one of shared/testdata's valid applications.
func fixture(t testing.TB, name string) shared.Data {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "shared", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := shared.ParseData(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// generation keeps only the generation fields of d.
func generation(k shared.Kind, d shared.Data) shared.Data {
	g := shared.Data{}
	for _, f := range shared.GenerationFields(k) {
		if v, ok := d[f.Key]; ok {
			g[f.Key] = v
		}
	}
	return g
}

// newModule generates a module for d as a and returns its id.
func (e *env) newModule(a *actor, k shared.Kind, d shared.Data) string {
	e.t.Helper()
	var m core.Module
	e.mustJSON(a, "POST", "/api/v1/modules", map[string]any{"kind": k, "data": generation(k, d)}, http.StatusCreated, &m)
	return m.ID
}

type item struct {
	SubmissionID string      `json:"submissionId"`
	ModuleID     string      `json:"moduleId"`
	Data         shared.Data `json:"data"`
}

// send posts submissions as a and returns the results (the request itself must succeed).
func (e *env) send(a *actor, items ...item) []submissionResult {
	e.t.Helper()
	var res submitResponse
	e.mustJSON(a, "POST", "/api/v1/submissions", map[string]any{"submissions": items}, http.StatusOK, &res)
	if len(res.Results) != len(items) {
		e.t.Fatalf("%d results for %d submissions", len(res.Results), len(items))
	}
	return res.Results
}

// lastLink returns the link of the newest development e-mail to addr.
func (e *env) lastLink(addr string) string {
	e.t.Helper()
	var ms []core.Mail
	e.mustJSON(anonymous, "GET", "/api/v1/dev/mail?to="+url.QueryEscape(addr), nil, http.StatusOK, &ms)
	if len(ms) == 0 || ms[0].Link == "" {
		e.t.Fatalf("no e-mail with a link to %s", addr)
	}
	return ms[0].Link
}

func tokenOf(t testing.TB, link string) string {
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}
