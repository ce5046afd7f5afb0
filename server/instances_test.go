package main

// Two server processes on one PostgreSQL database, under concurrent load on loopback: every
// guarantee of ISSUE 11 is checked on what the database holds, not on what a process
// remembers. The instances are this test binary started again in serve mode (TestMain), so
// that they run the code under test without a separate build.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/server/pgtest"
	"nullaosta/server/postgres"
	"nullaosta/server/receipt"
	"nullaosta/shared"
	"nullaosta/shared/codicefiscale"
)

// serveEnv, set to a JSON list of arguments, makes the test binary run the server instead of
// the tests.
const serveEnv = "NULLAOSTA_TEST_SERVE_ARGS"

func TestMain(m *testing.M) {
	if a := os.Getenv(serveEnv); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(run(args, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(pgtest.Main(m.Run))
}

// instance is a server process.
type instance struct {
	name string
	base string
	cmd  *exec.Cmd
	log  *bytes.Buffer
	done chan struct{}
}

// startInstance starts a server on a free loopback port over the database at dbURL, with the
// receipt key of data and e-mail delivered to smtpPort.
func startInstance(t *testing.T, name, dbURL, data string, smtpPort int) *instance {
	t.Helper()
	dir := t.TempDir()
	web := filepath.Join(dir, "web")
	os.MkdirAll(web, 0o755)
	os.WriteFile(filepath.Join(web, "app.wasm"), []byte("\x00asm"), 0o644)
	addrFile := filepath.Join(dir, "addr")
	args, _ := json.Marshal([]string{"serve", "-db", dbURL, "-data", data, "-web", web,
		"-addr", "127.0.0.1:0", "-addr-file", addrFile, "-campaign", "demo", "-base-url", "http://nullaosta.test",
		"-smtp-host", "127.0.0.1", "-smtp-port", fmt.Sprint(smtpPort), "-log-level", "warn"})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+string(args))
	in := &instance{name: name, cmd: cmd, log: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = in.log, in.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(in.done) }()
	t.Cleanup(func() {
		select {
		case <-in.done:
		default:
			cmd.Process.Signal(syscall.SIGTERM)
			<-in.done
		}
		if t.Failed() {
			t.Logf("log of instance %s:\n%s", name, in.log)
		}
	})
	for range 300 {
		if b, _ := os.ReadFile(addrFile); len(b) > 0 {
			in.base = "http://" + string(b)
			return in
		}
		select {
		case <-in.done:
			t.Fatalf("instance %s exited: %s", name, in.log)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("instance %s did not start: %s", name, in.log)
	return nil
}

// kill ends the process with SIGKILL: no shutdown, no flush, transactions cut in the middle.
func (in *instance) kill() {
	in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.done
}

// smtpSink is a mail server on loopback that counts the messages delivered to each address.
type smtpSink struct {
	port int
	mu   sync.Mutex
	got  map[string]int
}

func startSMTPSink(t *testing.T) *smtpSink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &smtpSink{port: ln.Addr().(*net.TCPAddr).Port, got: map[string]int{}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 sink")
	var rcpt []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 sink")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			rcpt = nil
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			addr := strings.Trim(strings.TrimSpace(line[len("RCPT TO:"):]), "<>")
			rcpt = append(rcpt, strings.ToLower(addr))
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			// A slow mail server: a sender busy with a batch is still at it when the other
			// instance looks at the outbox, so two senders meet over the same messages.
			time.Sleep(50 * time.Millisecond)
			s.mu.Lock()
			for _, a := range rcpt {
				s.got[a]++
			}
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (s *smtpSink) counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.got {
		out[k] = v
	}
	return out
}

// client calls the instances as one logged-in user.
type client struct {
	t      *testing.T
	cookie string
	http   *http.Client
}

// newClient stores an active user with a session, as the login would.
func newClient(t *testing.T, db *postgres.DB, email string, role core.Role) (*client, *core.User) {
	t.Helper()
	ctx := context.Background()
	u := &core.User{Email: email, Cognome: "Prova", Nome: "Istanze", DataNascita: "1970-01-01", PasswordHash: "x", Role: role}
	if err := db.CreateActiveUser(ctx, u, nil); err != nil {
		t.Fatal(err)
	}
	secret, hash := auth.NewSecret()
	if err := db.CreateSession(ctx, &core.Session{Hash: hash, UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return &client{t: t, cookie: secret, http: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}, u
}

// post sends a JSON body; a transport error is returned, not fatal (an instance may be dead).
func (c *client) post(in *instance, path string, body any, out any) (int, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", in.base+"/api/v1"+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: sessionCookieName, Value: c.cookie})
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	rb, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(rb, out); err != nil {
			return res.StatusCode, fmt.Errorf("%s: %w", rb, err)
		}
	}
	return res.StatusCode, nil
}

const sessionCookieName = "nullaosta_session"

// application is a valid EM application whose employer is number e and worker number w.
func application(t *testing.T, base shared.Data, e, w int, run string) shared.Data {
	d := base.Clone()
	cons := "BCDFGLMNPRSTVZ"
	word := func(n int) string {
		return string(cons[n%14]) + "a" + strings.ToLower(string(cons[(n/14)%14])) + "a" + strings.ToLower(string(cons[(n/196)%14])) + "a"
	}
	sur, name := word(e), word(e/2744+len(run))
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, e%7000)
	cf, err := codicefiscale.Compute(codicefiscale.Person{Surname: sur, Name: name, Female: d.Str("datore.sesso") == "F",
		Birth: birth, Place: d.Str("datore.nascita.comune")})
	if err != nil {
		t.Fatal(err)
	}
	d["datore.cognome"], d["datore.nome"], d["datore.data_nascita"], d["datore.codice_fiscale"] = sur, name, birth.Format(time.DateOnly), cf
	d["lavoratore.documento.numero"] = fmt.Sprintf("MI%s%06d", strings.ToUpper(run), w)
	return d
}

// generate creates a module for d through instance in and returns its id.
func (c *client) generate(in *instance, d shared.Data) (string, int, error) {
	g := shared.Data{}
	for _, f := range shared.GenerationFields(shared.KindEM) {
		if v, ok := d[f.Key]; ok {
			g[f.Key] = v
		}
	}
	var m struct{ ID string }
	st, err := c.post(in, "/modules", map[string]any{"kind": "EM", "data": g}, &m)
	return m.ID, st, err
}

type sendResult struct {
	SubmissionID string
	Status       string
	Receipt      *core.Receipt
	Error        *struct{ Code, Message string }
}

// send posts one submission to in.
func (c *client) send(in *instance, sub, module string, d shared.Data) (sendResult, error) {
	var out struct{ Results []sendResult }
	st, err := c.post(in, "/submissions", map[string]any{"submissions": []any{
		map[string]any{"submissionId": sub, "moduleId": module, "data": d}}}, &out)
	if err != nil {
		return sendResult{}, err
	}
	if st != http.StatusOK || len(out.Results) != 1 {
		return sendResult{}, fmt.Errorf("POST /submissions: status %d, %d results", st, len(out.Results))
	}
	return out.Results[0], nil
}

func TestInstancesShareOnePostgres(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.NewDatabase(t)
	data := t.TempDir()
	// Every instance signs with the same key: the one of the shared data folder, made first.
	signer, err := receipt.LoadOrCreate(data)
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sink := startSMTPSink(t)
	a := startInstance(t, "A", dbURL, data, sink.port)
	b := startInstance(t, "B", dbURL, data, sink.port)
	both := []*instance{a, b}

	raw, err := os.ReadFile("../shared/testdata/em_colf.json")
	if err != nil {
		t.Fatal(err)
	}
	base, err := shared.ParseData(raw)
	if err != nil {
		t.Fatal(err)
	}
	op, _ := newClient(t, db, "operatore@istanze.example", core.RoleOperatore)
	var employer atomic.Int64
	nextEmployer := func() int { return int(employer.Add(1)) }

	t.Run("SameSubmissionOnBoth", func(t *testing.T) {
		// The same submission sent to both instances at the same moment, five times over:
		// one stored row, one receipt, given by both.
		d := application(t, base, nextEmployer(), 1, "same")
		id, st, err := op.generate(a, d)
		if err != nil || st != http.StatusCreated {
			t.Fatalf("generate: %d %v", st, err)
		}
		var wg sync.WaitGroup
		res := make([]sendResult, 10)
		for i := range res {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if res[i], err = op.send(both[i%2], "same-submission-0001", id, d); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		for i, r := range res {
			if r.Status != "accepted" || r.Receipt == nil || *r.Receipt != *res[0].Receipt {
				t.Fatalf("answer %d from %s: %+v, first %+v", i, both[i%2].name, r, res[0])
			}
		}
		if err := receipt.Verify(signer.PublicKey(), res[0].Receipt); err != nil {
			t.Fatalf("receipt: %v", err)
		}
		var n int
		db.Pool().QueryRow(ctx, `SELECT count(*) FROM submissions WHERE submission_id = 'same-submission-0001'`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d rows stored for one submission", n)
		}
	})

	t.Run("DifferentPayloadSameIDConflictsOnBoth", func(t *testing.T) {
		d := application(t, base, nextEmployer(), 2, "conf")
		id, _, err := op.generate(b, d)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := op.send(a, "conflict-0001", id, d); err != nil || r.Status != "accepted" {
			t.Fatalf("first: %+v %v", r, err)
		}
		changed := d.Clone()
		changed["rapporto.orario_settimanale"] = "30"
		var wg sync.WaitGroup
		for _, in := range both {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := op.send(in, "conflict-0001", id, changed)
				if err != nil || r.Status != "conflict" || r.Error == nil || r.Error.Code != string(core.ECONFLICT) {
					t.Errorf("instance %s: %+v %v", in.name, r, err)
				}
			}()
		}
		wg.Wait()
	})

	t.Run("EmployerLimitAcrossInstances", func(t *testing.T) {
		// One employer, six colf workers, sent at once half to each instance: E3 allows one.
		e := nextEmployer()
		type mod struct {
			id string
			d  shared.Data
		}
		var ms []mod
		for w := range 6 {
			d := application(t, base, e, 100+w, "e3")
			id, st, err := op.generate(both[w%2], d)
			if err != nil || st != http.StatusCreated {
				t.Fatalf("generate: %d %v", st, err)
			}
			ms = append(ms, mod{id, d})
		}
		var wg sync.WaitGroup
		var accepted, limited atomic.Int32
		for i, m := range ms {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := op.send(both[i%2], fmt.Sprintf("employer-limit-%04d", i), m.id, m.d)
				switch {
				case err != nil:
					t.Error(err)
				case r.Status == "accepted":
					accepted.Add(1)
				case r.Status == "rejected" && r.Error != nil && strings.Contains(r.Error.Message, "colf"):
					limited.Add(1)
				default:
					t.Errorf("%+v %+v", r, r.Error)
				}
			}()
		}
		wg.Wait()
		if accepted.Load() != 1 || limited.Load() != 5 {
			t.Fatalf("accepted %d, refused by E3 %d; want 1 and 5", accepted.Load(), limited.Load())
		}
	})

	t.Run("PrivateModuleLimitAcrossInstances", func(t *testing.T) {
		priv, _ := newClient(t, db, "privato@istanze.example", core.RolePrivato)
		limit := shared.DemoCampaign(shared.KindEM, time.Now()).ModuleLimit
		var wg sync.WaitGroup
		var created, refused atomic.Int32
		for i := range 3 * limit {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, st, err := priv.generate(both[i%2], application(t, base, nextEmployer(), 1, "lim"))
				switch {
				case err != nil:
					t.Error(err)
				case st == http.StatusCreated:
					created.Add(1)
				case st == http.StatusConflict || st == http.StatusTooManyRequests || st == http.StatusForbidden || st == http.StatusUnprocessableEntity:
					refused.Add(1)
				default:
					t.Errorf("status %d", st)
				}
			}()
		}
		wg.Wait()
		if int(created.Load()) != limit || int(refused.Load()) != 2*limit {
			t.Fatalf("created %d, refused %d; want %d and %d", created.Load(), refused.Load(), limit, 2*limit)
		}
	})

	t.Run("PasswordLockSharedByInstances", func(t *testing.T) {
		// Wrong passwords for one account, half to each instance: the lock counts them in the
		// database, so after core.PasswordLimit.Max of them in all even the right password is
		// refused, on both instances. Two instances do not double an attacker's budget.
		const right = "la password giusta del 2009"
		hash, err := auth.HashPassword(right)
		if err != nil {
			t.Fatal(err)
		}
		u := &core.User{Email: "bersaglio@istanze.example", Cognome: "B", Nome: "S", DataNascita: "1970-01-01", PasswordHash: hash, Role: core.RolePrivato}
		if err := db.CreateActiveUser(ctx, u, nil); err != nil {
			t.Fatal(err)
		}
		anon := &client{t: t, http: &http.Client{Timeout: 30 * time.Second}}
		login := func(in *instance, pw string) int {
			st, err := anon.post(in, "/auth/login", map[string]string{"email": u.Email, "password": pw}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		for i := range core.PasswordLimit.Max {
			if st := login(both[i%2], fmt.Sprintf("sbagliata numero %d", i)); st != http.StatusUnauthorized {
				t.Fatalf("wrong password %d on %s: status %d, want 401", i, both[i%2].name, st)
			}
		}
		for _, in := range both {
			if st := login(in, right); st != http.StatusTooManyRequests {
				t.Errorf("the right password on %s after %d wrong ones in all: status %d, want 429", in.name, core.PasswordLimit.Max, st)
			}
		}
	})

	t.Run("MailSentOnce", func(t *testing.T) {
		// Sixty e-mails queued at once: the two instances' senders claim them (FOR UPDATE
		// SKIP LOCKED) and the mail server receives each exactly once.
		const n = 60
		for i := range n {
			u := &core.User{Email: fmt.Sprintf("posta%02d@istanze.example", i), Cognome: "P", Nome: "Q", DataNascita: "1970-01-01", PasswordHash: "x"}
			_, h := auth.NewSecret()
			if err := db.CreateUser(ctx, u, core.OneTimeToken{Hash: h, Purpose: core.PurposeActivate, ExpiresAt: time.Now().Add(time.Hour)},
				func(u *core.User) core.Mail { return core.Mail{To: u.Email, Subject: "Prova", Body: "corpo"} }); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			var pending int
			db.Pool().QueryRow(ctx, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`).Scan(&pending)
			if pending == 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		// One more polling period of both senders, for a duplicate to show up if there were one.
		time.Sleep(6 * time.Second)
		got := sink.counts()
		delivered := 0
		for i := range n {
			addr := fmt.Sprintf("posta%02d@istanze.example", i)
			if got[addr] != 1 {
				t.Errorf("%s received %d times", addr, got[addr])
			}
			delivered += got[addr]
		}
		if !t.Failed() {
			t.Logf("%d mails delivered once each by two instances", delivered)
		}
	})

	t.Run("KillOneInstanceMidLoad", func(t *testing.T) {
		// 16 clients send 240 applications, alternating instances; when a third are
		// acknowledged, instance A is killed with SIGKILL. A client whose request to A failed
		// sends the same submission id to B. At the end every acknowledged submission is stored
		// once, with the protocol it was acknowledged with.
		const n, c = 240, 16
		type mod struct {
			id string
			d  shared.Data
		}
		ms := make([]mod, n)
		var wg sync.WaitGroup
		var next atomic.Int64
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= n {
						return
					}
					d := application(t, base, 10000+i, 10000+i, "kill")
					id, st, err := op.generate(both[i%2], d)
					if err != nil || st != http.StatusCreated {
						t.Errorf("generate: %d %v", st, err)
						return
					}
					ms[i] = mod{id, d}
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		var mu sync.Mutex
		acked := map[string]string{} // submission id → protocol
		var killed atomic.Bool
		var retried atomic.Int32
		next.Store(0)
		for range c {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= n {
						return
					}
					sub := fmt.Sprintf("kill-%04d", i)
					in := both[i%2]
					if killed.Load() {
						in = b
					}
					r, err := op.send(in, sub, ms[i].id, ms[i].d)
					if err != nil && in == a {
						// A died under this request: whatever it did is committed or rolled back;
						// the same submission id on B gives the answer.
						retried.Add(1)
						r, err = op.send(b, sub, ms[i].id, ms[i].d)
					}
					if err != nil || r.Status != "accepted" {
						t.Errorf("%s: %+v %v", sub, r, err)
						continue
					}
					mu.Lock()
					acked[sub] = r.Receipt.Protocol
					k := len(acked)
					mu.Unlock()
					if k == n/3 && killed.CompareAndSwap(false, true) {
						a.kill()
					}
				}
			}()
		}
		wg.Wait()
		if !killed.Load() {
			t.Fatal("instance A was not killed")
		}
		rows, err := db.Pool().Query(ctx, `SELECT submission_id, protocol FROM submissions WHERE submission_id LIKE 'kill-%'`)
		if err != nil {
			t.Fatal(err)
		}
		stored := map[string]string{}
		for rows.Next() {
			var sub, p string
			rows.Scan(&sub, &p)
			if _, dup := stored[sub]; dup {
				t.Errorf("%s stored twice", sub)
			}
			stored[sub] = p
		}
		rows.Close()
		for sub, p := range acked {
			if stored[sub] != p {
				t.Errorf("%s acknowledged with %s, stored with %q", sub, p, stored[sub])
			}
		}
		if len(stored) != len(acked) || len(acked) != n {
			t.Errorf("acknowledged %d, stored %d, sent %d", len(acked), len(stored), n)
		}
		t.Logf("%d acknowledged, %d requests cut by the kill and sent again to B", len(acked), retried.Load())
	})

	t.Run("ProtocolsGaplessAndUnique", func(t *testing.T) {
		// Over everything above, both instances and the kill: 1…n, each once.
		rows, err := db.Pool().Query(ctx, `SELECT protocol FROM submissions WHERE campaign_id = 'demo-em' ORDER BY protocol`)
		if err != nil {
			t.Fatal(err)
		}
		var ps []string
		for rows.Next() {
			var p string
			rows.Scan(&p)
			ps = append(ps, p)
		}
		rows.Close()
		for i, p := range ps {
			if want := fmt.Sprintf("DEMOEM-%07d", i+1); p != want {
				t.Fatalf("protocol %d is %s, want %s: numbers are not gapless", i+1, p, want)
			}
		}
		var last int
		db.Pool().QueryRow(ctx, `SELECT last FROM protocol_counters WHERE campaign_id = 'demo-em'`).Scan(&last)
		if last != len(ps) || len(ps) == 0 {
			t.Fatalf("counter %d, %d submissions", last, len(ps))
		}
	})
}
