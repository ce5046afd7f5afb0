// Command loadgen is the load generator behind make bench-server: against a server on this
// machine (loopback only) it registers users through the real e-mail activation flow,
// generates modules, sends N valid EM applications from C concurrent clients, then checks that
// the database holds exactly the acknowledged submissions. It prints accepted submissions per
// second, latency percentiles, errors and the server's peak RSS. It is bounded: -n, -c and
// -timeout cap what it does.
//
// The server should run with -dev (activation links on /api/v1/dev/mail) and -bench (no rate
// limits, no module limit: a handful of users send thousands of modules, like operators of a
// patronato on click day).
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"

	"nullaosta/shared"
	"nullaosta/shared/codicefiscale"
)

type config struct {
	url      string   // one address, or several separated by commas (instances of one database)
	urls     []string // url split
	n, c     int
	users    int
	timeout  time.Duration
	db       string
	pids     string
	pid      []int
	template string
	password string
	cpuprof  string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.url, "url", "http://127.0.0.1:8080", "server address (loopback only); several instances of one database: comma-separated, the clients take turns")
	flag.IntVar(&cfg.n, "n", 5000, "EM applications to send (at most 100000)")
	flag.IntVar(&cfg.c, "c", 50, "concurrent clients (at most 2000)")
	flag.IntVar(&cfg.users, "users", 20, "users to register; the applications are spread over them")
	flag.DurationVar(&cfg.timeout, "timeout", 2*time.Minute, "stop everything after this long")
	flag.StringVar(&cfg.db, "db", "", "the server's database, to check what was stored: its SQLite file (opened read-only) or a postgres:// address")
	flag.StringVar(&cfg.pids, "pid", "", "the server's process id, for its peak RSS (/proc/PID/status VmHWM); several instances: comma-separated")
	flag.StringVar(&cfg.template, "template", "shared/testdata/em_colf.json", "a valid EM application to vary")
	flag.StringVar(&cfg.cpuprof, "cpuprofile", "", "write the load generator's own CPU profile of the send to this file")
	flag.Parse()
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	if cfg.n < 1 || cfg.n > 100000 || cfg.c < 1 || cfg.c > 2000 || cfg.users < 1 || cfg.users > 1000 {
		return errors.New("-n must be 1…100000, -c 1…2000, -users 1…1000")
	}
	for _, u := range strings.Split(cfg.url, ",") {
		if u = strings.TrimSpace(u); u != "" {
			if err := loopbackOnly(u); err != nil {
				return err
			}
			cfg.urls = append(cfg.urls, strings.TrimRight(u, "/"))
		}
	}
	if len(cfg.urls) == 0 {
		return errors.New("-url: no address")
	}
	for _, p := range strings.Split(cfg.pids, ",") {
		if p = strings.TrimSpace(p); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil {
				return fmt.Errorf("-pid %q: %v", p, err)
			}
			cfg.pid = append(cfg.pid, n)
		}
	}
	tmpl, err := os.ReadFile(cfg.template)
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	base, err := shared.ParseData(tmpl)
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()

	lg := &loadgen{cfg: cfg, base: base, run: randomHex(4)}
	// This run's employers start at a random point of the 14³·14³·7300 combinations.
	var b [8]byte
	rand.Read(b[:])
	lg.offset = binary.BigEndian.Uint64(b[:]) % (2744*2744*7300 - 100000)
	lg.http = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: cfg.c + 16, MaxIdleConnsPerHost: cfg.c + 16, IdleConnTimeout: time.Minute,
	}}
	fmt.Printf("loadgen: N=%d C=%d users=%d against %s (run %s)\n", cfg.n, cfg.c, cfg.users, cfg.url, lg.run)

	t := time.Now()
	if err := lg.setupUsers(ctx); err != nil {
		return err
	}
	fmt.Printf("setup: %d users registered, activated by e-mail link, logged in, import token: %s\n", cfg.users, since(t))

	t = time.Now()
	if err := lg.generate(ctx); err != nil {
		return err
	}
	d := time.Since(t)
	fmt.Printf("modules: %d generated in %s (%.0f/s)\n", cfg.n, round(d), float64(cfg.n)/d.Seconds())

	// Sample the server's RSS while sending: VmHWM also counts the setup, where each
	// password hash (argon2id, 19 MiB) briefly takes its memory.
	var peakSend, peakAnon atomic.Int64
	stopSampling := make(chan struct{})
	if len(cfg.pid) > 0 {
		go func() {
			tk := time.NewTicker(20 * time.Millisecond)
			defer tk.Stop()
			for {
				select {
				case <-stopSampling:
					return
				case <-tk.C:
					if kb := procKBs(cfg.pid, "VmRSS"); kb > peakSend.Load() {
						peakSend.Store(kb)
					}
					if kb := procKBs(cfg.pid, "RssAnon"); kb > peakAnon.Load() {
						peakAnon.Store(kb)
					}
				}
			}
		}()
	}
	rssBefore := procKBs(cfg.pid, "VmRSS")
	cpuBefore := procCPUs(cfg.pid)
	if cfg.cpuprof != "" {
		f, err := os.Create(cfg.cpuprof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	// The load generator holds every module's application (N maps of a hundred fields) for
	// the whole send, and the Go collector scans all of them at every cycle: at the default
	// GOGC that was a tenth of its CPU (20 µs per request), taken from the cores the server
	// shares with it, where the bare reference's client holds one application. A cycle every
	// four times the live heap instead of every one costs 4 µs per request; memory is not short.
	debug.SetGCPercent(400)
	t = time.Now()
	lg.send(ctx)
	d = time.Since(t)
	if cfg.cpuprof != "" {
		pprof.StopCPUProfile()
	}
	close(stopSampling)
	cpu := procCPUs(cfg.pid) - cpuBefore
	lg.report(d)
	if len(cfg.pid) > 0 && cpu > 0 {
		// The server's own CPU per submission barely depends on what else the machine runs,
		// unlike accepted/s: it says whether a change made the server do less.
		fmt.Printf("server: CPU while sending %s (%.2f cores), %.3f ms per accepted submission\n",
			round(cpu), cpu.Seconds()/d.Seconds(), float64(cpu.Microseconds())/1000/float64(max(len(lg.acked), 1)))
	}

	ok := lg.check(ctx)
	if len(cfg.pid) > 0 {
		if len(cfg.pid) > 1 {
			fmt.Printf("server: the %d instances together:\n", len(cfg.pid))
		}
		fmt.Printf("server: RSS before sending %s; peak while sending (sampled every 20 ms) %s, of which anonymous (Go heap, stacks, SQLite caches) %s; peak since start (VmHWM) %s\n",
			mib(rssBefore), mib(peakSend.Load()), mib(peakAnon.Load()), mib(procKBs(cfg.pid, "VmHWM")))
		fmt.Println("        (RSS also counts the pages of the database file SQLite maps into memory: they are page cache, not heap)")
	}
	if !ok {
		return errors.New("the database does not hold exactly the acknowledged submissions")
	}
	return nil
}

type user struct {
	email string
	jar   http.CookieJar
	token string
}

type module struct {
	user *user
	id   string
	data shared.Data
}

type loadgen struct {
	cfg     config
	base    shared.Data
	run     string
	offset  uint64
	http    *http.Client
	users   []*user
	modules []module

	mu        sync.Mutex
	latencies []time.Duration
	statuses  map[string]int
	errs      map[string]int
	acked     map[string]string // submission id → protocol
}

// base is the instance the i-th module is generated and sent through: the clients take turns.
func (lg *loadgen) instance(i int) string { return lg.cfg.urls[i%len(lg.cfg.urls)] }

// call sends a JSON request to the first instance and decodes a JSON answer; it returns the
// status.
func (lg *loadgen) call(ctx context.Context, c *http.Client, method, path, bearer string, in, out any) (int, error) {
	return lg.callAt(ctx, c, lg.cfg.urls[0], method, path, bearer, in, out)
}

// callAt is call to the instance at base.
func (lg *loadgen) callAt(ctx context.Context, c *http.Client, base, method, path, bearer string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+"/api/v1"+path, body)
	if err != nil {
		return 0, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode >= 300 {
		return res.StatusCode, fmt.Errorf("%s %s: %s: %s", method, path, res.Status, bytes.TrimSpace(b))
	}
	if out != nil && len(b) > 0 {
		return res.StatusCode, json.Unmarshal(b, out)
	}
	return res.StatusCode, nil
}

// setupUsers registers, activates (through the development mail page, like a person clicking
// the link), logs in and creates an import token for each user.
func (lg *loadgen) setupUsers(ctx context.Context) error {
	password := "carico " + lg.run + " password"
	lg.users = make([]*user, lg.cfg.users)
	errc := make(chan error, lg.cfg.users)
	sem := make(chan struct{}, 4)
	for i := range lg.users {
		jar, _ := cookiejar.New(nil)
		u := &user{email: fmt.Sprintf("lg-%s-%04d@loadgen.example", lg.run, i), jar: jar}
		lg.users[i] = u
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errc <- lg.setupUser(ctx, u, password)
		}()
	}
	for range lg.users {
		if err := <-errc; err != nil {
			return fmt.Errorf("setup: %w", err)
		}
	}
	return nil
}

func (lg *loadgen) setupUser(ctx context.Context, u *user, password string) error {
	c := &http.Client{Transport: lg.http.Transport, Jar: u.jar, Timeout: lg.http.Timeout}
	reg := map[string]string{"cognome": "Carico", "nome": "Utente", "email": u.email, "dataNascita": "1970-01-01", "password": password}
	if _, err := lg.call(ctx, c, "POST", "/auth/register", "", reg, nil); err != nil {
		return err
	}
	var link string
	for try := 0; link == "" && try < 50; try++ {
		var mails []struct{ Link string }
		if _, err := lg.call(ctx, c, "GET", "/dev/mail?to="+url.QueryEscape(u.email), "", nil, &mails); err != nil {
			return fmt.Errorf("%w (start the server with -dev)", err)
		}
		if len(mails) > 0 {
			link = mails[0].Link
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	lu, err := url.Parse(link)
	if err != nil || lu.Query().Get("token") == "" {
		return fmt.Errorf("no activation link for %s", u.email)
	}
	if _, err := lg.call(ctx, c, "POST", "/auth/activate", "", map[string]string{"token": lu.Query().Get("token"), "password": password}, nil); err != nil {
		return err
	}
	if _, err := lg.call(ctx, c, "POST", "/auth/login", "", map[string]string{"email": u.email, "password": password}, nil); err != nil {
		return err
	}
	var tok struct{ Token string }
	if _, err := lg.call(ctx, c, "POST", "/tokens", "", map[string]string{"email": u.email, "password": password, "label": "loadgen"}, &tok); err != nil {
		return err
	}
	u.token = tok.Token
	return nil
}

// application returns the i-th application: the template with its own employer (surname,
// name, birth date and so codice fiscale) and its own worker passport, so that neither E2 nor
// E3 refuses it. Surname and name have exactly three consonants each, so each index gives a
// different codice fiscale.
func (lg *loadgen) application(i int) shared.Data {
	const cons = "BCDFGLMNPRSTVZ"
	word := func(n uint64) string { // three syllables: a distinct consonant group per n < 14³
		return string(cons[n%14]) + "a" + strings.ToLower(string(cons[(n/14)%14])) + "a" + strings.ToLower(string(cons[(n/196)%14])) + "a"
	}
	d := lg.base.Clone()
	j := lg.offset + uint64(i)
	sur, name := word(j%2744), word((j/2744)%2744)
	birth := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int((j/(2744*2744))%7300))
	cf, err := codicefiscale.Compute(codicefiscale.Person{Surname: sur, Name: name, Female: d.Str("datore.sesso") == "F",
		Birth: birth, Place: d.Str("datore.nascita.comune")})
	if err != nil {
		panic(err)
	}
	d["datore.cognome"], d["datore.nome"], d["datore.data_nascita"], d["datore.codice_fiscale"] = sur, name, birth.Format(time.DateOnly), cf
	d["lavoratore.documento.numero"] = fmt.Sprintf("LG%s%07d", strings.ToUpper(lg.run), i)
	return d
}

// generate creates one module per application, with its generation fields.
func (lg *loadgen) generate(ctx context.Context) error {
	lg.modules = make([]module, lg.cfg.n)
	gen := shared.GenerationFields(shared.KindEM)
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var once sync.Once
	for range min(lg.cfg.c, 64) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= lg.cfg.n || ctx.Err() != nil {
					return
				}
				u := lg.users[i%len(lg.users)]
				c := &http.Client{Transport: lg.http.Transport, Jar: u.jar, Timeout: lg.http.Timeout}
				d := lg.application(i)
				g := shared.Data{}
				for _, f := range gen {
					if v, ok := d[f.Key]; ok {
						g[f.Key] = v
					}
				}
				var m struct{ ID string }
				if _, err := lg.callAt(ctx, c, lg.instance(i), "POST", "/modules", "", map[string]any{"kind": "EM", "data": g}, &m); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				lg.modules[i] = module{user: u, id: m.ID, data: d}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return fmt.Errorf("generating modules: %w", firstErr)
	}
	return ctx.Err()
}

// send posts each application once, from C clients, with its import token.
func (lg *loadgen) send(ctx context.Context) {
	lg.statuses, lg.errs, lg.acked = map[string]int{}, map[string]int{}, map[string]string{}
	lg.latencies = make([]time.Duration, 0, lg.cfg.n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range lg.cfg.c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= lg.cfg.n || ctx.Err() != nil {
					return
				}
				lg.sendOne(ctx, i)
			}
		}()
	}
	wg.Wait()
}

type result struct {
	SubmissionID string
	Status       string
	Receipt      *struct{ Protocol string }
	Error        *struct{ Code, Message string }
}

func (lg *loadgen) sendOne(ctx context.Context, i int) {
	m := lg.modules[i]
	sub := fmt.Sprintf("lg-%s-%07d-%s", lg.run, i, randomHex(4))
	body := map[string]any{"submissions": []any{map[string]any{"submissionId": sub, "moduleId": m.id, "data": m.data}}}
	var out struct{ Results []result }
	start := time.Now()
	_, err := lg.callAt(ctx, lg.http, lg.instance(i), "POST", "/submissions", m.user.token, body, &out)
	lat := time.Since(start)
	lg.mu.Lock()
	defer lg.mu.Unlock()
	lg.latencies = append(lg.latencies, lat)
	if err != nil {
		lg.errs[errKey(err)]++
		return
	}
	if len(out.Results) != 1 {
		lg.errs["malformed answer"]++
		return
	}
	r := out.Results[0]
	lg.statuses[r.Status]++
	if r.Status == "accepted" && r.Receipt != nil {
		lg.acked[sub] = r.Receipt.Protocol
	} else if r.Error != nil {
		lg.errs[r.Status+": "+r.Error.Code+": "+clip(r.Error.Message)]++
	}
}

func errKey(err error) string {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	return clip(err.Error())
}

func clip(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}

func (lg *loadgen) report(d time.Duration) {
	lat := slices.Clone(lg.latencies)
	slices.Sort(lat)
	pct := func(p float64) string {
		if len(lat) == 0 {
			return "-"
		}
		i := int(math.Ceil(p/100*float64(len(lat)))) - 1
		return ms(lat[max(i, 0)])
	}
	nerr := 0
	for _, n := range lg.errs {
		nerr += n
	}
	fmt.Printf("send: %d requests in %s: accepted %d, rejected %d, conflict %d, retry %d, transport/HTTP errors %d\n",
		len(lat), round(d), lg.statuses["accepted"], lg.statuses["rejected"], lg.statuses["conflict"], lg.statuses["retry"],
		nerr-lg.statuses["rejected"]-lg.statuses["conflict"]-lg.statuses["retry"])
	fmt.Printf("      accepted/s %.0f   latency p50 %s  p90 %s  p99 %s  max %s\n",
		float64(lg.statuses["accepted"])/d.Seconds(), pct(50), pct(90), pct(99), pct(100))
	keys := make([]string, 0, len(lg.errs))
	for k := range lg.errs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Printf("      %5d × %s\n", lg.errs[k], k)
	}
}

// check compares what was acknowledged with what the server lists and, with -db, with the
// database itself.
func (lg *loadgen) check(ctx context.Context) bool {
	ok := true
	listed := 0
	for _, u := range lg.users {
		var rs []struct{ Protocol, SubmissionID string }
		if _, err := lg.call(ctx, lg.http, "GET", "/receipts", u.token, nil, &rs); err != nil {
			fmt.Println("check: GET /receipts:", err)
			return false
		}
		for _, r := range rs {
			listed++
			if lg.acked[r.SubmissionID] != r.Protocol {
				ok = false
			}
		}
	}
	mark := func(b bool) string {
		if b {
			return "ok"
		}
		return "MISMATCH"
	}
	good := listed == len(lg.acked) && ok
	fmt.Printf("check: receipts listed by the API %d, acknowledged %d: %s\n", listed, len(lg.acked), mark(good))
	if lg.cfg.db == "" {
		return good
	}
	driver, dsn, param := "sqlite3", "file:"+lg.cfg.db+"?mode=ro&_busy_timeout=5000", "?"
	if strings.HasPrefix(lg.cfg.db, "postgres://") || strings.HasPrefix(lg.cfg.db, "postgresql://") {
		driver, dsn, param = "pgx", lg.cfg.db, "$1"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		fmt.Println("check:", err)
		return false
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT s.submission_id, s.protocol FROM submissions s JOIN users u ON u.id = s.user_id
		WHERE u.email LIKE `+param, "lg-"+lg.run+"-%")
	if err != nil {
		fmt.Println("check:", err)
		return false
	}
	defer rows.Close()
	// lost: acknowledged and not stored; duplicated: a second row with an id or a protocol
	// already seen; unacknowledged: stored with no acknowledgement (an answer lost on the way
	// back: the client's queue would send it again and get the same receipt).
	stored, same, duplicated, unacked := 0, true, 0, 0
	seen, seenID := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var sub, protocol string
		if err := rows.Scan(&sub, &protocol); err != nil {
			fmt.Println("check:", err)
			return false
		}
		stored++
		want, acked := lg.acked[sub]
		switch {
		case seenID[sub] || seen[protocol]:
			duplicated++
		case !acked:
			unacked++
		}
		if want != protocol || seen[protocol] || seenID[sub] {
			same = false
		}
		seen[protocol], seenID[sub] = true, true
	}
	lost := 0
	for sub := range lg.acked {
		if !seenID[sub] {
			lost++
		}
	}
	dbOK := stored == len(lg.acked) && same
	fmt.Printf("check: rows in the database for this run %d, acknowledged %d, same ids and protocols: %s\n", stored, len(lg.acked), mark(dbOK))
	fmt.Printf("check: lost %d (acknowledged, not in the database), duplicated %d, stored unacknowledged %d\n", lost, duplicated, unacked)
	return good && dbOK
}

func loopbackOnly(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("-url %q is not an http(s) address", raw)
	}
	host := u.Hostname()
	ips, err := net.LookupIP(host)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("-url %s: %s is not a loopback address; loadgen only loads this machine", raw, ip)
		}
	}
	return nil
}

// procKBs is the sum of procKB over the processes.
func procKBs(pids []int, field string) int64 {
	var sum int64
	for _, p := range pids {
		sum += procKB(p, field)
	}
	return sum
}

// procCPUs is the CPU time the processes used so far (user and system, /proc/PID/stat);
// 0 if it cannot read it.
func procCPUs(pids []int) time.Duration {
	var sum time.Duration
	for _, p := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/stat")
		if err != nil {
			return 0
		}
		// The fields after the command name, which is in parentheses and may hold spaces:
		// utime and stime are the 14th and 15th of the line, in ticks of 1/100 s.
		i := bytes.LastIndexByte(b, ')')
		f := strings.Fields(string(b[i+1:]))
		if i < 0 || len(f) < 13 {
			return 0
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		sum += time.Duration(ut+st) * 10 * time.Millisecond
	}
	return sum
}

// procKB reads a "kB" field of /proc/PID/status; 0 if it cannot.
func procKB(pid int, field string) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}

func mib(kb int64) string {
	if kb == 0 {
		return "?"
	}
	return fmt.Sprintf("%.1f MiB", float64(kb)/1024)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

func since(t time.Time) time.Duration { return round(time.Since(t)) }
