// Command exportbench measures the Sportello's CSV export on a large database (make
// bench-export). It fills a fresh data directory with -rows valid EM applications, written
// straight through the store (sqlite.DB: CreateModule and Submit, many at once, so that the
// group commit makes big transactions; no HTTP), starts the real server binary on it, and
// downloads the export as the Ministry (every province, kind=EM) and as one Sportello (one
// province), reading the answer as it streams. It reports the time, the rows per second and
// the server's memory: peak RSS (VmHWM of the server process, reset before each export) and
// the Go heap in use sampled during the export, at each tenth of the rows — flat, because the
// server never holds the result set.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/server/demo"
	"nullaosta/server/receipt"
	"nullaosta/server/sqlite"
	"nullaosta/shared"
)

const password = "exportbench-password"

func main() {
	rows := flag.Int("rows", 300000, "applications to store (at most 2000000)")
	dir := flag.String("dir", "", "data directory to fill (default: a temporary one, removed at the end)")
	server := flag.String("server", "bin/nullaosta", "the server binary")
	reuse := flag.Bool("reuse", false, "use -dir as it is if it already holds the applications")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the filling here")
	exports := flag.Bool("export", true, "time the exports")
	console := flag.Bool("console", false, "also time the console's queries (lists, filters, pages, statistics) before the exports")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*rows, *dir, *server, *reuse, *console, *exports); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "exportbench:", err)
		os.Exit(1)
	}
}

func run(rows int, dir, server string, reuse, console, exports bool) error {
	if rows < 1 || rows > 2000000 {
		return errors.New("-rows must be 1…2000000")
	}
	if _, err := os.Stat(server); err != nil {
		return fmt.Errorf("server binary: %w (build it with make bin/nullaosta)", err)
	}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "exportbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "nullaosta.db")); err != nil || !reuse {
		if err == nil {
			return fmt.Errorf("%s already holds a database: use -reuse or another -dir", dir)
		}
		if err := fill(dir, rows); err != nil {
			return err
		}
	}
	fi, _ := os.Stat(filepath.Join(dir, "nullaosta.db"))
	fmt.Printf("database: %s (%.0f MiB)\n", filepath.Join(dir, "nullaosta.db"), float64(fi.Size())/(1<<20))
	return measure(dir, server, console, exports)
}

// fill stores rows applications through the store.
func fill(dir string, rows int) error {
	start := time.Now()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	signer := receipt.NewSigner(priv)
	db, err := sqlite.Open(filepath.Join(dir, "nullaosta.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	db.Signer = signer
	ctx := context.Background()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	admin := &core.User{Email: "admin@bench.example.it", Nome: "A", Cognome: "B", Role: core.RoleAdmin, PasswordHash: hash}
	owner := &core.User{Email: "patronato@bench.example.it", Nome: "P", Cognome: "Q", Role: core.RoleOperatore, PasswordHash: hash}
	sportello := &core.User{Email: "sportello.cn@bench.example.it", Nome: "S", Cognome: "Cuneo", Role: core.RoleSportello, Provincia: "CN", PasswordHash: hash}
	for _, u := range []*core.User{admin, owner, sportello} {
		if err := db.CreateActiveUser(ctx, u, nil); err != nil {
			return err
		}
	}
	campaign := shared.DemoCampaign(shared.KindEM, time.Now())
	provinces := []string{"CN", "TO", "MI", "RM", "NA", "BO", "FI", "BA", "PA", "VE"}

	// Workers: each makes a batch of applications with its own generator, generates their
	// modules at once (concurrent CreateModule calls: the group commit gathers them into one
	// transaction) and sends the batch with one Submit (one transaction).
	const workers = 4
	const batch = 500
	var done atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := demo.New(uint64(w + 1))
			for first := w * batch; first < rows; first += workers * batch {
				n := min(batch, rows-first)
				data := make([]shared.Data, n)
				mods := make([]*core.Module, n)
				for i := range n {
					tip := "colf"
					if (first+i)%3 == 0 {
						tip = "badante"
					}
					data[i] = g.Application(shared.KindEM, tip, provinces[(first+i)%len(provinces)])
					gen := shared.Data{}
					for _, f := range shared.GenerationFields(shared.KindEM) {
						gen[f.Key] = data[i][f.Key]
					}
					mods[i] = &core.Module{Kind: shared.KindEM, CampaignID: campaign.ID, UserID: owner.ID, Data: shared.Normalize(shared.KindEM, gen)}
				}
				var mwg sync.WaitGroup
				merr := make(chan error, n)
				for _, m := range mods {
					mwg.Add(1)
					go func() {
						defer mwg.Done()
						if err := db.CreateModule(ctx, m, 0); err != nil {
							merr <- err
						}
					}()
				}
				mwg.Wait()
				close(merr)
				if err := <-merr; err != nil {
					errs <- err
					return
				}
				ins := make([]core.SubmissionInput, n)
				for i, m := range mods {
					in := core.NewSubmissionInput(fmt.Sprintf("bench-%08d", first+i), m, &campaign, data[i], shared.IdentifySubmission(shared.KindEM, data[i]))
					in.CheckSent = nil // every employer is new: rules E2 and E3 have nothing to look at
					ins[i] = in
				}
				for _, o := range db.Submit(ctx, ins) {
					if o.Status != core.StatusAccepted {
						errs <- fmt.Errorf("submit: %s %v", o.Status, o.Err)
						return
					}
				}
				if t := done.Add(int64(n)); t/50000 != (t-int64(n))/50000 {
					fmt.Printf("  %d applications stored (%s)\n", t, time.Since(start).Round(time.Second))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	st := db.Stats()
	fmt.Printf("filled: %d applications in %s (%.0f/s), %d commits, largest %d writes\n",
		done.Load(), time.Since(start).Round(time.Millisecond), float64(done.Load())/time.Since(start).Seconds(), st.Batches, st.MaxBatch)
	return moveSome(ctx, db, sportello, rows)
}

// moveSome gives 1% of the applications another status through the store (so that the
// counts follow), a tenth of those as far as accolta: the rare values the console's filters
// must find without reading every row.
func moveSome(ctx context.Context, db *sqlite.DB, by *core.User, rows int) error {
	start := time.Now()
	n := rows / 100
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	var next atomic.Int64
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				// Protocols are numbered from 1 in the order of storage: spread over all.
				protocol := fmt.Sprintf("%s-%07d", sqlite.ProtocolPrefix(shared.DemoCampaign(shared.KindEM, time.Now()).ID), 1+i*(rows/n))
				stati := []string{core.DomandaInIstruttoria}
				if i%10 == 0 {
					stati = append(stati, core.DomandaConvocato, core.DomandaAccolta)
				}
				for _, st := range stati {
					if _, err := db.SetStato(ctx, core.StatoChange{Protocol: protocol, Stato: st, Nota: "bench", By: by,
						Audit: core.NewAudit(by, core.AuditStato, protocol, st)}); err != nil {
						errs <- fmt.Errorf("%s → %s: %w", protocol, st, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Printf("statuses: %d applications moved on (%d to accolta) in %s\n", n, (n+9)/10, time.Since(start).Round(time.Millisecond))
	return nil
}

// measure starts the server on dir and times the exports.
func measure(dir, server string, console, exports bool) error {
	addrFile := filepath.Join(dir, "addr")
	os.Remove(addrFile)
	debug, err := freeAddr()
	if err != nil {
		return err
	}
	cmd := exec.Command(server, "serve", "-addr", "127.0.0.1:0", "-addr-file", addrFile, "-data", dir, "-base-url", "http://127.0.0.1",
		"-web", filepath.Join(dir, "web-none"), "-debug-addr", debug, "-log-level", "info")
	// The server's log: each request's line carries its time in the server (ms=), which the
	// console figures report.
	logs := &serverLog{timings: make(chan float64, 1024)}
	pr, pw := io.Pipe()
	cmd.Stderr, cmd.Stdout = pw, pw
	go logs.read(pr)
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	var addr string
	for range 1200 { // up to 2 minutes: a new migration may build indexes over every row
		if b, err := os.ReadFile(addrFile); err == nil && len(b) > 0 {
			addr = string(b)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if addr == "" {
		return fmt.Errorf("the server did not start: %s", logs.String())
	}
	pid := cmd.Process.Pid
	fmt.Printf("server: %s, pid %d; idle RSS %s\n", addr, pid, mib(procKB(pid, "VmRSS")))
	if console {
		if err := consoleQueries(addr, dir, logs); err != nil {
			return fmt.Errorf("console: %w\n%s", err, logs.String())
		}
	}
	if !exports {
		return nil
	}
	for _, who := range []struct{ email, query, what string }{
		{"admin@bench.example.it", "kind=EM", "Ministry, every province"},
		{"sportello.cn@bench.example.it", "kind=EM", "Sportello of Cuneo, one province"},
		{"admin@bench.example.it", "kind=EM", "Ministry, every province, gzip"},
		{"admin@bench.example.it", "kind=EM&formato=leggibile", "Ministry, every province, as a person reads it"},
	} {
		if err := export(addr, debug, pid, who.email, who.query, who.what, strings.HasSuffix(who.what, "gzip")); err != nil {
			return fmt.Errorf("%s: %w\n%s", who.what, err, logs.String())
		}
	}
	return nil
}

func export(addr, debug string, pid int, email, query, what string, gz bool) error {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{DisableCompression: true}}
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	res, err := c.Post("http://"+addr+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("login: %s", res.Status)
	}
	// Start from a clean slate: the login's argon2id (64 MiB) collected (the heap profile
	// with gc=1 runs a collection), then the peak RSS reset (Linux: clear_refs 5).
	if res, err := http.Get("http://" + debug + "/debug/pprof/heap?gc=1"); err == nil {
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
	before := procKB(pid, "VmHWM")

	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/sportello/export.csv?"+query, nil)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	var samples []string
	var rows, bytesRead atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	var peakHeap, peakAnon int64
	go func() { // RSS and the Go heap in use, every 200 ms
		defer close(sampled)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				h, anon := heapInUse(debug), procKB(pid, "RssAnon")
				peakHeap, peakAnon = max(peakHeap, h), max(peakAnon, anon)
				samples = append(samples, fmt.Sprintf("%dk:%.0f/%.0f/%.1f", rows.Load()/1000,
					float64(procKB(pid, "VmRSS"))/1024, float64(anon)/1024, float64(h)/(1<<20)))
			}
		}
	}()
	start := time.Now()
	res, err = c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("%s: %s", res.Status, b)
	}
	first := time.Since(start)
	br := bufio.NewReaderSize(res.Body, 1<<20)
	buf := make([]byte, 1<<20)
	for {
		n, err := br.Read(buf)
		bytesRead.Add(int64(n))
		if !gz {
			rows.Add(int64(bytes.Count(buf[:n], []byte("\n")))) // no value holds a line break here
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	elapsed := time.Since(start)
	close(stop)
	<-sampled
	n := rows.Load() - 1 // the header
	fmt.Printf("\nexport (%s): %s in %s\n", what, mib(bytesRead.Load()/1024), elapsed.Round(time.Millisecond))
	if !gz {
		fmt.Printf("  rows: %d, %.0f rows/s; first byte after %s\n", n, float64(n)/elapsed.Seconds(), first.Round(time.Millisecond))
	} else {
		fmt.Printf("  compressed; first byte after %s\n", first.Round(time.Millisecond))
	}
	fmt.Printf("  server peak RSS (VmHWM): %s (%s before); of which anonymous memory (RssAnon, peak sampled): %s; peak Go heap in use: %s\n",
		mib(procKB(pid, "VmHWM")), mib(before), mib(peakAnon), mib(peakHeap/1024))
	fmt.Printf("  samples, rows read: RSS/RssAnon MiB/heap in use MiB: %s\n", tenths(samples))
	return nil
}

// tenths keeps about ten of the samples, evenly spaced.
func tenths(s []string) string {
	if len(s) <= 10 {
		return strings.Join(s, " ")
	}
	var out []string
	for i := 0; i < 10; i++ {
		out = append(out, s[i*len(s)/10])
	}
	return strings.Join(append(out, s[len(s)-1]), " ")
}

// heapInUse reads HeapInuse, in bytes, from the server's profiler (the runtime.MemStats at the
// end of the heap profile with debug=1).
func heapInUse(debug string) int64 {
	res, err := http.Get("http://" + debug + "/debug/pprof/heap?debug=1")
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "# HeapInuse = "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// freeAddr returns a loopback address with a free port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// procKB reads a field (VmRSS, VmHWM) of /proc/PID/status, in KiB.
func procKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n
			}
		}
	}
	return 0
}

func mib(kb int64) string { return fmt.Sprintf("%.1f MiB", float64(kb)/1024) }
