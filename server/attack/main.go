// Command attack reproduces issue 8's two memory attacks against a server it starts on
// loopback, and reports the server's peak memory and whether normal requests were answered
// while they ran:
//
//  1. 30 concurrent anonymous POST /api/v1/validate with ~1 MiB bodies (29,000 unknown keys),
//     which took the server from 18 to 671 MiB;
//  2. 10 concurrent 7 MiB POST /api/v1/submissions from one applicant, which took it to 1.27 GB.
//
// Each runs in three forms: the body's length declared, the same body without a length
// (chunked, so the server must read to find out), and bodies as large as the limits accept (so
// they are decoded and validated). The server trusts X-Forwarded-For from loopback and every
// anonymous attack request comes from a new address, as from a botnet: the per-address rate
// limits do not stop them, the memory bounds must. Meanwhile a person's requests (a page of
// campaigns, their profile and modules, a validation) go on once every 250 ms.
//
// The peak is the server's VmHWM (/proc/PID/status) over the whole run; VmRSS is sampled too,
// per phase. Everything is bounded: fixed concurrency, fixed duration per phase, loopback.
// Exit status 1 if the peak is over -max-mb or a person's request failed.
//
//	go run ./server/attack -server bin/nullaosta        (make attack-memory)
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"nullaosta/shared"
)

func main() {
	server := flag.String("server", "bin/nullaosta", "the server binary")
	phase := flag.Duration("phase", 8*time.Second, "how long each attack runs")
	maxMB := flag.Int("max-mb", 150, "the server's peak memory (VmHWM) allowed, in MB")
	flag.Parse()
	if err := run(*server, *phase, *maxMB); err != nil {
		fmt.Fprintln(os.Stderr, "attack:", err)
		os.Exit(1)
	}
}

type target struct {
	base string
	pid  int
	http *http.Client
}

func run(server string, phase time.Duration, maxMB int) error {
	dir, err := os.MkdirTemp("", "nullaosta-attack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	addrFile := filepath.Join(dir, "addr")
	cmd := exec.Command(server, "-addr", "127.0.0.1:0", "-addr-file", addrFile, "-data", filepath.Join(dir, "data"),
		"-web", filepath.Join(dir, "web-none"), "-dev", "-campaign", "demo", "-log-level", "error",
		"-trusted-proxy", "127.0.0.0/8")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	var addr []byte
	for range 200 {
		if addr, _ = os.ReadFile(addrFile); len(addr) > 0 {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if len(addr) == 0 {
		return fmt.Errorf("the server did not start: %s", logs.String())
	}
	t := &target{base: "http://" + string(addr), pid: cmd.Process.Pid,
		http: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	ctx := context.Background()

	attacker, err := t.account(ctx, "attaccante@attack.example", "10.200.0.1")
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	person, err := t.account(ctx, "persona@attack.example", "10.201.0.1")
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	rest, _ := t.memory()
	fmt.Printf("server %s (pid %d) at rest after setup: VmRSS %.1f MB\n\n", t.base, t.pid, mb(rest.rss))

	lim := shared.Limits()
	// Attack 1's body: 29,000 unknown keys, ~1 MiB.
	unknown := map[string]string{}
	for i := range 29000 {
		unknown[fmt.Sprintf("campo.sconosciuto.%05d", i)] = "xxxx"
	}
	validateMiB, _ := json.Marshal(map[string]any{"module": "EM", "data": unknown})
	// As much as an application may be: MaxKeys keys, values as long as fit in MaxBytes.
	full := map[string]string{}
	keyLen := 24
	value := strings.Repeat("è", (lim.MaxBytes/lim.MaxKeys-keyLen-8)/2)
	for i := range lim.MaxKeys - 1 {
		full[fmt.Sprintf("campo.al.limite.%07d", i)] = value
	}
	validateFull, _ := json.Marshal(map[string]any{"module": "EM", "data": full})
	// Attack 2's body: 7 MiB of submissions of the attacker's own module, each with hundreds
	// of unknown keys (so that a server without bounds decodes and validates them all).
	moduleID := t.module(ctx, attacker)
	var submit7Buf bytes.Buffer
	submit7Buf.WriteString(`{"submissions": [`)
	keys := map[string]string{}
	for i := range 450 {
		keys[fmt.Sprintf("campo.sconosciuto.%05d", i)] = "xxxx"
	}
	for i := 0; submit7Buf.Len() < 7<<20-20<<10; i++ {
		it, _ := json.Marshal(map[string]any{"submissionId": fmt.Sprintf("attacco-%08d", i), "moduleId": moduleID, "data": keys})
		if i > 0 {
			submit7Buf.WriteByte(',')
		}
		submit7Buf.Write(it)
	}
	submit7Buf.WriteString(`]}`)
	submit7 := submit7Buf.Bytes()
	// As much as a batch may be: applications at the limit until MaxBatchBytes.
	item, _ := json.Marshal(map[string]any{"submissionId": "attacco-00000002", "moduleId": moduleID, "data": full})
	var batch bytes.Buffer
	batch.WriteString(`{"submissions": [`)
	for i := 0; batch.Len()+len(item)+2 < shared.MaxBatchBytes()-1024; i++ {
		if i > 0 {
			batch.WriteByte(',')
		}
		batch.Write(item)
	}
	batch.WriteString(`]}`)

	phases := []struct {
		name    string
		n       int
		path    string
		body    []byte
		chunked bool
		as      *account // nil: anonymous, a new address each request
	}{
		{"1a validate anonimo, 1 MiB (29.000 chiavi), lunghezza dichiarata", 30, "/api/v1/validate", validateMiB, false, nil},
		{"1b validate anonimo, 1 MiB (29.000 chiavi), senza lunghezza", 30, "/api/v1/validate", validateMiB, true, nil},
		{fmt.Sprintf("1c validate anonimo, al limite (%d chiavi, %d KB)", len(full), len(validateFull)>>10), 30, "/api/v1/validate", validateFull, false, nil},
		{"2a submissions di un richiedente, 7 MiB, lunghezza dichiarata", 10, "/api/v1/submissions", submit7, false, attacker},
		{"2b submissions di un richiedente, 7 MiB, senza lunghezza", 10, "/api/v1/submissions", submit7, true, attacker},
		{fmt.Sprintf("2c submissions di un richiedente, al limite (%d KB)", batch.Len()>>10), 10, "/api/v1/submissions", batch.Bytes(), false, attacker},
	}
	failed := false
	for _, ph := range phases {
		r := t.attack(ctx, ph.n, ph.path, ph.body, ph.chunked, ph.as, person, phase)
		fmt.Printf("%s — %d concorrenti per %v\n", ph.name, ph.n, phase)
		fmt.Printf("  attacco: %d richieste, %s\n", r.sent, r.statuses())
		fmt.Printf("  persona: %d/%d richieste riuscite, latenza mediana %v, massima %v\n", r.normalOK, r.normal, r.p50(), r.maxLatency())
		fmt.Printf("  server: VmRSS massimo nella fase %.1f MB\n\n", mb(r.peakRSS))
		if r.normalOK != r.normal {
			failed = true
			for _, e := range r.normalErrs {
				fmt.Printf("  richiesta della persona non riuscita: %s\n", e)
			}
		}
	}
	m, err := t.memory()
	if err != nil {
		return err
	}
	fmt.Printf("picco di memoria del server (VmHWM) su tutta la prova: %.1f MB (limite %d MB)\n", mb(m.hwm), maxMB)
	if mb(m.hwm) > float64(maxMB) {
		return fmt.Errorf("peak memory %.1f MB over %d MB", mb(m.hwm), maxMB)
	}
	if failed {
		return errors.New("some of a person's requests were not answered")
	}
	return nil
}

func mb(b int64) float64 { return float64(b) / 1e6 }

type account struct {
	jar http.CookieJar
	ip  string
}

// account registers, activates (through the development mail) and logs in an applicant.
func (t *target) account(ctx context.Context, email, ip string) (*account, error) {
	jar, _ := cookiejar.New(nil)
	a := &account{jar: jar, ip: ip}
	const pw = "una frase lunga per la prova"
	if _, err := t.call(ctx, a, "POST", "/api/v1/auth/register", map[string]string{"cognome": "Prova", "nome": "Carico",
		"email": email, "dataNascita": "01/02/1970", "password": pw}, nil); err != nil {
		return nil, err
	}
	var link string
	for range 100 {
		var ms []struct{ Link string }
		if _, err := t.call(ctx, a, "GET", "/api/v1/dev/mail?to="+url.QueryEscape(email), nil, &ms); err != nil {
			return nil, err
		}
		if len(ms) > 0 && ms[0].Link != "" {
			link = ms[0].Link
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		return nil, fmt.Errorf("no activation link for %s", email)
	}
	if _, err := t.call(ctx, a, "POST", "/api/v1/auth/activate", map[string]string{"token": u.Query().Get("token"), "password": pw}, nil); err != nil {
		// A server from before issue 8 (to measure the attacks' effect there) activates with
		// the token alone and refuses the field.
		if _, err2 := t.call(ctx, a, "POST", "/api/v1/auth/activate", map[string]string{"token": u.Query().Get("token")}, nil); err2 != nil {
			return nil, err
		}
	}
	if _, err := t.call(ctx, a, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": pw}, nil); err != nil {
		return nil, err
	}
	return a, nil
}

func (t *target) call(ctx context.Context, a *account, method, path string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", a.ip)
	c := &http.Client{Transport: t.http.Transport, Jar: a.jar, Timeout: t.http.Timeout}
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return res.StatusCode, fmt.Errorf("%s %s: %s: %.300s", method, path, res.Status, b)
	}
	if out != nil {
		return res.StatusCode, json.Unmarshal(b, out)
	}
	return res.StatusCode, nil
}

// module generates an EM module for a (the generation data of shared/testdata/em_colf.json)
// and returns its id; a made-up id if the server refuses.
func (t *target) module(ctx context.Context, a *account) string {
	b, _ := os.ReadFile("shared/testdata/em_colf.json")
	d, err := shared.ParseData(b)
	if err != nil {
		return "EM-0000-0000-0"
	}
	gen := map[string]any{}
	for _, f := range shared.GenerationFields(shared.KindEM) {
		if v, ok := d[f.Key]; ok {
			gen[f.Key] = v
		}
	}
	var m struct{ ID string }
	if _, err := t.call(ctx, a, "POST", "/api/v1/modules", map[string]any{"kind": "EM", "data": gen}, &m); err != nil || m.ID == "" {
		fmt.Println("modulo dell'attaccante non generato:", err)
		return "EM-0000-0000-0"
	}
	return m.ID
}

type result struct {
	mu         sync.Mutex
	sent       int
	status     map[string]int
	normal     int
	normalOK   int
	normalErrs []string
	latencies  []time.Duration
	peakRSS    int64
}

func (r *result) statuses() string {
	var ks []string
	for k := range r.status {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s×%d", k, r.status[k]))
	}
	return strings.Join(parts, ", ")
}

func (r *result) p50() time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	l := append([]time.Duration(nil), r.latencies...)
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	return l[len(l)/2].Round(time.Millisecond)
}

func (r *result) maxLatency() time.Duration {
	var m time.Duration
	for _, l := range r.latencies {
		m = max(m, l)
	}
	return m.Round(time.Millisecond)
}

// hidden hides a reader's length, so that the request goes chunked.
type hidden struct{ io.Reader }

// attack runs n senders of body to path for d, a person's requests beside them, and samples
// the server's memory.
func (t *target) attack(ctx context.Context, n int, path string, body []byte, chunked bool, as, person *account, d time.Duration) *result {
	r := &result{status: map[string]int{}}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	var seq atomic.Int64
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				var rd io.Reader = bytes.NewReader(body)
				if chunked {
					rd = hidden{rd}
				}
				req, _ := http.NewRequestWithContext(ctx, "POST", t.base+path, rd)
				req.Header.Set("Content-Type", "application/json")
				ip := fmt.Sprintf("10.%d.%d.%d", 1+seq.Add(1)%150, rand.IntN(256), 1+rand.IntN(254))
				client := t.http
				if as != nil {
					ip = as.ip
					client = &http.Client{Transport: t.http.Transport, Jar: as.jar, Timeout: t.http.Timeout}
				}
				req.Header.Set("X-Forwarded-For", ip)
				res, err := client.Do(req)
				key := "errore di rete"
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					key = strconv.Itoa(res.StatusCode)
				} else if ctx.Err() != nil {
					return
				}
				r.mu.Lock()
				r.sent++
				r.status[key]++
				r.mu.Unlock()
			}
		}()
	}
	// A person: every 250 ms one of their requests, in turn.
	wg.Add(1)
	go func() {
		defer wg.Done()
		valid, _ := os.ReadFile("shared/testdata/em_colf.json")
		var fixture map[string]any
		json.Unmarshal(valid, &fixture)
		calls := []struct {
			method, path string
			body         any
		}{
			{"GET", "/api/v1/campaigns", nil},
			{"GET", "/api/v1/me", nil},
			{"POST", "/api/v1/validate", map[string]any{"module": "EM", "date": "2009-09-15", "data": fixture}},
			{"GET", "/api/v1/modules", nil},
		}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			c := calls[i%len(calls)]
			start := time.Now()
			_, err := t.call(context.Background(), person, c.method, c.path, c.body, nil)
			r.mu.Lock()
			r.normal++
			r.latencies = append(r.latencies, time.Since(start))
			if err == nil {
				r.normalOK++
			} else {
				r.normalErrs = append(r.normalErrs, err.Error())
			}
			r.mu.Unlock()
		}
	}()
	// Memory every 50 ms.
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			if m, err := t.memory(); err == nil {
				r.mu.Lock()
				r.peakRSS = max(r.peakRSS, m.rss)
				r.mu.Unlock()
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	wg.Wait()
	return r
}

type memory struct{ rss, hwm int64 }

// memory reads the server's VmRSS and VmHWM (its peak) from /proc.
func (t *target) memory() (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", t.pid))
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	var m memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			m.rss = kb << 10
		case "VmHWM":
			m.hwm = kb << 10
		}
	}
	return m, sc.Err()
}
