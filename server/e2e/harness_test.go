//go:build e2e

// Package e2e drives the real server (bin/nullaosta) and the real app (web/app.wasm) in
// Debian's headless Chromium: the whole journey of issue 4, and the figures of its "Size and
// speed" section. It builds nothing: `make build` must have run (`make test-e2e` does it). The
// server runs from a copy of bin/nullaosta and web/ taken at the start of each test, so that a
// `make build` running meanwhile in the same tree cannot hand the browser a half-written wasm.
//
//	make build && go test -tags e2e -count=1 -v -timeout 15m ./server/e2e/...
//
// On a failure the test writes a screenshot, the page's text, the browser console and the
// server's log into an artifacts directory (kept, and named in the failure message). Set
// NULLAOSTA_E2E_ARTIFACTS to choose where it goes, and NULLAOSTA_E2E_KEEP=1 to keep it when
// the test passes too.
package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium, which `make test` installs (.ci/deps.sh).
const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds every step of a test: the wasm is 16 MB and the machine is slow, but no
// single step may hang the suite.
const stepTimeout = 60 * time.Second

// repoRoot finds the module root by walking up from the test's directory to go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// artifactsDir is where a failing test leaves its evidence. It is removed when the test passes.
func artifactsDir(t *testing.T) string {
	t.Helper()
	base := os.Getenv("NULLAOSTA_E2E_ARTIFACTS")
	if base != "" {
		if err := os.MkdirAll(base, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	dir, err := os.MkdirTemp(base, "nullaosta-e2e-"+t.Name()+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("NULLAOSTA_E2E_KEEP") != "" {
			t.Logf("artifacts (screenshots, page text, console, server log): %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	return dir
}

// ---------------------------------------------------------------------------------------------
// The server

// server is bin/nullaosta running on a fixed loopback port and data directory, so that it can
// be stopped ("the connection is gone") and started again as the same server.
type server struct {
	t    *testing.T
	root string
	bin  string // a copy of bin/nullaosta
	web  string // a copy of web/
	addr string // 127.0.0.1:port
	data string
	logf *os.File
	// extra are more flags for the next start (e.g. -opens-in).
	extra []string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// startServer checks the build, picks a free port, and starts the server on a fresh data
// directory with the demo campaign (the default: sending is open around today) and dev mail.
func startServer(t *testing.T, artifacts string) *server {
	t.Helper()
	root := repoRoot(t)
	for _, f := range []string{"bin/nullaosta", "web/app.wasm", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Fatalf("%s is missing: run `make build` first (make test-e2e does): %v", f, err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.Create(filepath.Join(artifacts, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	bin, web := snapshotBuild(t, root)
	s := &server{t: t, root: root, bin: bin, web: web, addr: addr, data: t.TempDir(), logf: logf}
	t.Cleanup(func() {
		s.stop()
		logf.Close()
		if t.Failed() {
			t.Logf("server log (last lines):\n%s", s.logTail(40))
		}
	})
	s.start()
	return s
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

// start launches the server and waits until /healthz answers.
func (s *server) start() {
	s.t.Helper()
	s.mu.Lock()
	if s.cmd != nil {
		s.mu.Unlock()
		s.t.Fatal("server already running")
	}
	fmt.Fprintf(s.logf, "---- start %s\n", time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(s.bin, append([]string{"-addr", s.addr, "-data", s.data, "-web", s.web, "-dev", "-campaign", "demo"}, s.extra...)...)
	cmd.Dir = s.root
	cmd.Stdout, cmd.Stderr = s.logf, s.logf
	if err := cmd.Start(); err != nil {
		s.mu.Unlock()
		s.t.Fatalf("starting bin/nullaosta: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()

	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-done:
			s.mu.Lock()
			s.cmd = nil
			s.mu.Unlock()
			s.t.Fatalf("bin/nullaosta exited at start: %v\n%s", cmd.ProcessState, s.logTail(20))
		default:
		}
		resp, err := http.Get(s.url("/healthz"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("bin/nullaosta did not answer /healthz within 30 s (last error %v)\n%s", err, s.logTail(20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends the server gracefully (SIGTERM), and kills it if it does not end in 40 s. After stop
// nothing listens on the port: for the browser the server is unreachable.
func (s *server) stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	fmt.Fprintf(s.logf, "---- stop %s\n", time.Now().Format(time.RFC3339Nano))
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(40 * time.Second):
		cmd.Process.Kill()
		<-done
	}
	// The port must be free: a restart reuses it.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", s.addr, 200*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *server) logTail(n int) string {
	b, err := os.ReadFile(s.logf.Name())
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// snapshotBuild copies bin/nullaosta and web/ (app.wasm and its .gz/.br twins, CSS, fonts,
// icons) to a directory of the test, and the test serves the copy. Colleagues run `make build`
// in the same tree while tests run: a half-written app.wasm.br once made the wasm fail to load
// ("expected 4 bytes, fell off end"). The copy is taken when the build's files have not
// changed for a few seconds, and stays the same for the whole test, restarts included.
func snapshotBuild(t *testing.T, root string) (bin, web string) {
	t.Helper()
	watched := []string{"bin/nullaosta", "web/app.wasm", "web/app.wasm.gz", "web/app.wasm.br"}
	fingerprint := func() (string, time.Time) {
		var sb strings.Builder
		var newest time.Time
		for _, f := range watched {
			fi, err := os.Stat(filepath.Join(root, f))
			if err != nil {
				fmt.Fprintf(&sb, "%s:-;", f)
				continue
			}
			fmt.Fprintf(&sb, "%s:%d:%d;", f, fi.Size(), fi.ModTime().UnixNano())
			if fi.ModTime().After(newest) {
				newest = fi.ModTime()
			}
		}
		return sb.String(), newest
	}
	dst := t.TempDir()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		before, newest := fingerprint()
		if quiet := time.Since(newest); quiet < 3*time.Second && time.Now().Before(deadline) {
			time.Sleep(3*time.Second - quiet)
			continue
		}
		os.RemoveAll(filepath.Join(dst, "web"))
		err := copyFile(filepath.Join(root, "bin/nullaosta"), filepath.Join(dst, "nullaosta"))
		if err == nil {
			err = copyTree(filepath.Join(root, "web"), filepath.Join(dst, "web"))
		}
		after, _ := fingerprint()
		if err == nil && before == after {
			err = checkTwins(filepath.Join(dst, "web"))
			if err == nil {
				return filepath.Join(dst, "nullaosta"), filepath.Join(dst, "web")
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("bin/nullaosta and web/ kept changing for 3 minutes (is a build running?); last error: %v", err)
		}
		t.Logf("the build is changing (someone runs make build?), trying again: %v", err)
		time.Sleep(2 * time.Second)
	}
}

// checkTwins checks that app.wasm.gz and app.wasm.br, when present, decompress whole to
// app.wasm's size: the server sends them in place of app.wasm.
func checkTwins(web string) error {
	fi, err := os.Stat(filepath.Join(web, "app.wasm"))
	if err != nil {
		return err
	}
	if f, err := os.Open(filepath.Join(web, "app.wasm.gz")); err == nil {
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("app.wasm.gz: %v", err)
		}
		n, err := io.Copy(io.Discard, zr)
		if err != nil || n != fi.Size() {
			return fmt.Errorf("app.wasm.gz gives %d bytes (%v), app.wasm has %d", n, err, fi.Size())
		}
	}
	br := filepath.Join(web, "app.wasm.br")
	if _, err := os.Stat(br); err == nil {
		if _, err := exec.LookPath("brotli"); err != nil {
			return nil // nothing to check it with; make build did not make it either
		}
		cmd := exec.Command("brotli", "-d", "-c", br)
		out, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		n, _ := io.Copy(io.Discard, out)
		if err := cmd.Wait(); err != nil || n != fi.Size() {
			return fmt.Errorf("app.wasm.br gives %d bytes (%v), app.wasm has %d", n, err, fi.Size())
		}
	}
	return nil
}

// copyTree copies the regular files under src to dst, keeping modes and modification times
// (the server derives the app's version from app.wasm's time and size).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(dst, fi.ModTime(), fi.ModTime())
}

// apiClient talks to the server's API as a program would (cookie jar, JSON).
type apiClient struct {
	s  *server
	hc *http.Client
}

func (s *server) client() *apiClient {
	jar, _ := cookiejar.New(nil)
	return &apiClient{s: s, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// call sends a JSON request and decodes a JSON answer into out (when not nil). It returns the
// status, and an error for a transport failure or a status ≥ 300 (with the answer's body).
func (c *apiClient) call(method, path string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.s.url("/api/v1"+path), body)
	if err != nil {
		return 0, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, b)
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decoding %q: %v", method, path, b, err)
		}
	}
	return resp.StatusCode, nil
}

// devMail is one e-mail of GET /api/v1/dev/mail.
type devMail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Link    string `json:"link"`
}

// waitMail waits until an e-mail to email has a subject containing subject, and returns it.
func (s *server) waitMail(t *testing.T, email, subject string) devMail {
	t.Helper()
	c := s.client()
	deadline := time.Now().Add(stepTimeout)
	for {
		var mails []devMail
		_, err := c.call("GET", "/dev/mail?to="+url.QueryEscape(email), nil, &mails)
		for _, m := range mails {
			if strings.Contains(m.Subject, subject) {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no e-mail «%s» to %s within %v (last error: %v, mails: %+v)", subject, email, stepTimeout, err, mails)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// mailsTo returns the e-mails to email so far.
func (s *server) mailsTo(t *testing.T, email string) []devMail {
	t.Helper()
	var mails []devMail
	if _, err := s.client().call("GET", "/dev/mail?to="+url.QueryEscape(email), nil, &mails); err != nil {
		t.Fatal(err)
	}
	return mails
}

// activationLink waits for the activation e-mail to email and returns its link.
func (s *server) activationLink(t *testing.T, email string) string {
	t.Helper()
	c := s.client()
	deadline := time.Now().Add(stepTimeout)
	for {
		var mails []devMail
		_, err := c.call("GET", "/dev/mail?to="+url.QueryEscape(email), nil, &mails)
		if err == nil {
			for _, m := range mails {
				if strings.Contains(m.Link, "/attiva?token=") {
					return m.Link
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no activation e-mail to %s within %v (last error: %v, mails: %+v)", email, stepTimeout, err, mails)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// ---------------------------------------------------------------------------------------------
// The browser

// wasmWatchJS runs in every document before the page's own scripts. go-app pre-renders each
// page on the server; when the wasm starts it replaces the body's first element with its own
// render. The observer records that moment (performance.now(), i.e. since navigation start),
// so tests know when the page is the app's and not the pre-rendered HTML, and the figures get
// their time to interactive.
const wasmWatchJS = `(() => {
  const w = window.__e2e = {rendered: 0, painted: 0};
  const arm = () => {
    const body = document.body, first = body.firstElementChild;
    const check = () => {
      if (w.rendered || body.firstElementChild === first) return false;
      w.rendered = performance.now();
      requestAnimationFrame(() => { w.painted = performance.now(); });
      return true;
    };
    const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
    obs.observe(body, {childList: true});
    if (check()) obs.disconnect();
  };
  if (document.body) arm(); else document.addEventListener("DOMContentLoaded", arm);
})();`

// tab is one browser tab with the helpers the tests use. Every helper fails the test with the
// page's evidence (screenshot, text, console) when its condition is not met in time.
type tab struct {
	t         *testing.T
	ctx       context.Context
	srv       *server
	artifacts string
	shots     int
	cancel    context.CancelFunc

	consoleMu sync.Mutex
	console   []string

	// who is logged in through the tab (login, import): navigate types their password when a
	// reloaded app asks for it, since the data key lives only in the page's memory.
	who *account
}

// chromiumOptions are the flags of every browser the tests start: headless, as root (no
// sandbox), no GPU, nothing in the background, a fresh profile.
func chromiumOptions(profile string) []chromedp.ExecAllocatorOption {
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	return append(opts,
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		// Wide enough for the desktop layout: the navigation is not folded into "Menu".
		chromedp.WindowSize(1280, 1000),
	)
}

// startBrowser launches Chromium with a fresh profile and returns the browser's context.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("Debian's chromium is needed at %s (make test installs it with apt-get: `apt-get install chromium`): %v", chromiumPath, err)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), chromiumOptions(t.TempDir())...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel() })
	// The first Do binds the browser's life to its context: give it the browser's own, and
	// bound the wait apart.
	if err := within(stepTimeout, func() error { return chromedp.Do(bctx) }); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return bctx
}

// newTab opens a tab in ctx's browser (a new browser context, i.e. a separate profile with
// its own cache and storage, when isolated is true), with the console collected and the
// render watcher installed.
func newTab(t *testing.T, bctx context.Context, srv *server, artifacts string, isolated bool) *tab {
	t.Helper()
	var opts []chromedp.ContextOption
	if isolated {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(bctx, opts...)
	b := &tab{t: t, ctx: ctx, srv: srv, artifacts: artifacts, cancel: cancel}
	t.Cleanup(cancel)
	if err := within(stepTimeout, func() error { return chromedp.Do(ctx) }); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	sctx, scancel := context.WithTimeout(ctx, stepTimeout)
	defer scancel()
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.consoleMu.Lock()
			b.console = append(b.console, fmt.Sprintf("%s %s", m.Type, m.String()))
			if len(b.console) > 300 {
				b.console = b.console[len(b.console)-300:]
			}
			b.consoleMu.Unlock()
		}
	}()
	// What the console does not say but a hung or blank page needs explained: the renderer
	// crashing, a JavaScript dialog blocking the page, the page navigating or reloading.
	note := func(line string) {
		b.consoleMu.Lock()
		b.console = append(b.console, line)
		b.consoleMu.Unlock()
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *inspector.EventTargetCrashed:
			note(time.Now().Format("15:04:05.000") + " TAB: the page's renderer crashed")
		case *page.EventJavascriptDialogOpening:
			note(fmt.Sprintf("%s TAB: a %s dialog blocks the page: %q", time.Now().Format("15:04:05.000"), e.Type, e.Message))
		case *page.EventFrameNavigated:
			if e.Frame != nil && e.Frame.ParentID == "" {
				note(fmt.Sprintf("%s TAB: navigated to %s", time.Now().Format("15:04:05.000"), e.Frame.URL))
			}
		}
	}); err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	if _, err := chromedp.Call(sctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: wasmWatchJS}); err != nil {
		t.Fatalf("installing the render watcher: %v", err)
	}
	return b
}

// within runs f and gives up waiting for it after d.
func within(d time.Duration, f func() error) error {
	errc := make(chan error, 1)
	go func() { errc <- f() }()
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		return fmt.Errorf("no answer within %v", d)
	}
}

// fail records the page's state and ends the test.
func (b *tab) fail(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	b.t.Fatalf("%s\n%s", msg, b.evidence())
}

// evidence saves a screenshot and returns the page's address and text and the recent console.
func (b *tab) evidence() string {
	// Each probe has its own time: a page that paints no frame (hidden, or its main thread
	// busy) hangs the screenshot, and the others must still say which of the two it is.
	probe := func() (context.Context, context.CancelFunc) { return context.WithTimeout(b.ctx, 8*time.Second) }
	var sb strings.Builder
	b.shots++
	name := filepath.Join(b.artifacts, fmt.Sprintf("failure-%02d.png", b.shots))
	ctx, cancel := probe()
	defer func() { cancel() }()
	if st, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.visibilityState + ", focus " + document.hasFocus() + ", " + document.readyState`)); err == nil {
		fmt.Fprintf(&sb, "page state: %s\n", st)
	} else {
		fmt.Fprintf(&sb, "page state unavailable (main thread busy or renderer gone?): %v\n", err)
	}
	cancel()
	ctx, cancel = probe()
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		if err := os.WriteFile(name, png, 0o644); err == nil {
			fmt.Fprintf(&sb, "screenshot: %s\n", name)
		}
	} else {
		fmt.Fprintf(&sb, "screenshot failed: %v\n", err)
	}
	cancel()
	ctx, cancel = probe()
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		fmt.Fprintf(&sb, "page: %s\n", loc)
	}
	cancel()
	ctx, cancel = probe()
	if text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : "(no body)"`)); err == nil {
		os.WriteFile(strings.TrimSuffix(name, ".png")+".txt", []byte(text), 0o644)
		if len(text) > 4000 {
			text = text[:4000] + "\n…"
		}
		fmt.Fprintf(&sb, "---- page text ----\n%s\n", text)
	} else {
		fmt.Fprintf(&sb, "page text unavailable: %v\n", err)
	}
	b.consoleMu.Lock()
	lines := append([]string(nil), b.console...)
	b.consoleMu.Unlock()
	for _, l := range lines {
		if strings.Contains(l, "loading wasm failed") {
			fmt.Fprintf(&sb, "HINT: app.wasm did not load. Was web/app.wasm (or its .br/.gz) rebuilt while the test ran? Run `make build` and try again.\n")
			break
		}
	}
	os.WriteFile(strings.TrimSuffix(name, ".png")+"-console.txt", []byte(strings.Join(lines, "\n")), 0o644)
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	fmt.Fprintf(&sb, "---- console (last %d) ----\n%s", len(lines), strings.Join(lines, "\n"))
	return sb.String()
}

// do runs browser steps within the step timeout.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression (awaiting a promise) and decodes its value.
func eval[T any](b *tab, what, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("%s: evaluating %s: %v", what, shorten(expr), err)
	}
	return v
}

// call calls a JavaScript function expression with JSON-encoded arguments.
func call[T any](b *tab, what, fn string, args ...any) T {
	b.t.Helper()
	enc := make([]string, len(args))
	for i, a := range args {
		j, err := json.Marshal(a)
		if err != nil {
			b.t.Fatal(err)
		}
		enc[i] = string(j)
	}
	return eval[T](b, what, "("+fn+")("+strings.Join(enc, ", ")+")")
}

// waitJS polls a JavaScript expression until it gives true (the boolean: anything else, such
// as a string saying what is missing, counts as not yet and is reported on failure). It
// tolerates the errors of a page being replaced (navigation, reload) while it waits.
func (b *tab) waitJS(what, expr string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	var last any
	var lastErr error
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil {
			if v == true {
				return
			}
			last = v
		} else {
			lastErr = err
			if errors.Is(err, context.Canceled) && b.ctx.Err() != nil {
				b.t.Fatalf("%s: browser gone: %v", what, err)
			}
		}
		if time.Now().After(deadline) {
			b.fail("%s: not true within %v: %s (last value %v, last error %v)", what, timeout, shorten(expr), last, lastErr)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// navigate loads a URL of the app as a new document and waits until the wasm has rendered it.
// A new document has no data key in memory: when the app locks and asks for the password of
// the person logged in through this tab, navigate types it and waits to be back at path.
func (b *tab) navigate(path string) {
	b.t.Helper()
	b.navigateLocked(path)
	if b.who == nil {
		return
	}
	// data-lock (app/ui/lock.go): "unlocking" when a locked app leaves the page for /sblocca.
	b.waitJS("the app knows whether the session is locked", `!!document.documentElement.dataset.lock`, stepTimeout)
	if eval[bool](b, "lock state", `document.documentElement.dataset.lock === "unlocking" || location.pathname === "/sblocca"`) {
		b.unlock(*b.who, path)
	}
}

// navigateLocked loads a URL as a new document and leaves a lock as it finds it.
func (b *tab) navigateLocked(path string) {
	b.t.Helper()
	b.do("navigate to "+path, chromedp.Navigate(b.srv.url(path)))
	b.waitApp("after navigating to " + path)
}

// unlock types a's password on /sblocca and waits to be back at path, unlocked. The password
// is set at once rather than typed key by key: the load figures measure the app, not a typist.
func (b *tab) unlock(a account, path string) {
	b.t.Helper()
	b.waitJS("the unlock page", `location.pathname === "/sblocca" && !!document.getElementById("unlock-password")`, stepTimeout)
	call[chromedp.Void](b, "type the password", `(pw) => {
  const el = document.getElementById("unlock-password");
  el.value = pw;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  el.dispatchEvent(new Event("change", {bubbles: true}));
}`, a.password)
	b.clickButton("Sblocca")
	b.waitJS("unlocked, back at "+path, fmt.Sprintf(`location.pathname + location.search === %s && document.documentElement.dataset.lock === "open"`, jsString(path)), stepTimeout)
}

// waitApp waits until the app (the wasm) has replaced the pre-rendered page.
func (b *tab) waitApp(what string) {
	b.t.Helper()
	b.waitJS("the app (wasm) renders the page "+what, `window.__e2e && window.__e2e.rendered > 0`, stepTimeout)
}

// bodyText is the page's visible text.
func (b *tab) bodyText() string {
	b.t.Helper()
	return eval[string](b, "reading the page", `document.body.innerText`)
}

// waitText waits until the element matched by css contains text (case-sensitive).
func (b *tab) waitText(css, text string) {
	b.t.Helper()
	b.waitJS(fmt.Sprintf("%q shows %q", css, text), fmt.Sprintf(`(() => {
  const els = document.querySelectorAll(%s);
  for (const el of els) if (el.innerText.includes(%s)) return true;
  return els.length ? "found " + els.length + ": " + [...els].map(e => e.innerText).join(" | ").slice(0, 300) : "no element";
})()`, jsString(css), jsString(text)), stepTimeout)
}

// clickLink clicks the link to href (in the page's content first, then anywhere, such as the
// navigation bar) with the mouse, as a person would: go-app navigates in the app.
func (b *tab) clickLink(href string) {
	b.t.Helper()
	b.click("the link to "+href, fmt.Sprintf(`document.querySelector("main a[href='" + %[1]s + "']") || document.querySelector("a[href='" + %[1]s + "']")`, jsString(href)))
	b.waitJS("the app shows "+href, fmt.Sprintf(`location.pathname + location.search === %s`, jsString(href)), stepTimeout)
}

// clickButton clicks the visible button whose text starts with label.
func (b *tab) clickButton(label string) {
	b.t.Helper()
	b.click("the button "+label, fmt.Sprintf(`[...document.querySelectorAll("button")].find(x => x.innerText.trim().startsWith(%s) && x.offsetParent !== null)`, jsString(label)))
}

// click clicks, with the mouse, the element that the JavaScript expression elem gives. It
// scrolls the element to the middle of the window first and checks that nothing covers it.
func (b *tab) click(what, elem string) {
	b.t.Helper()
	var xy []float64
	deadline := time.Now().Add(stepTimeout)
	for {
		// Measure twice, two frames apart: go-app renders in frames, and a block appearing
		// above the element (a message, a summary) would move it under the mouse.
		xy = eval[[]float64](b, "locating "+what, `(async () => {
  // A frame, or 250 ms if the page paints none (a page Chromium does not draw would hang
  // the step; a busy main thread still shows, as the next evaluation does not answer).
  const frame = () => new Promise(r => { requestAnimationFrame(() => r()); setTimeout(r, 250); });
  const find = () => { const el = `+elem+`; return el && el.offsetParent !== null ? el : null; };
  let el = find();
  if (!el) return [];
  el.scrollIntoView({block: "center", inline: "center", behavior: "instant"});
  await frame(); await frame();
  el = find();
  if (!el) return [];
  const r1 = el.getBoundingClientRect();
  await frame(); await frame();
  if (find() !== el) return [];
  const r = el.getBoundingClientRect();
  if (r.left !== r1.left || r.top !== r1.top || r.width === 0 || r.height === 0) return [];
  const x = r.left + Math.min(r.width / 2, 40), y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  if (!hit || !(hit === el || el.contains(hit))) return [];
  return [x, y];
})()`)
		if len(xy) == 2 {
			break
		}
		if time.Now().After(deadline) {
			b.fail("%s: not found, hidden or covered: %s", what, shorten(elem))
		}
		time.Sleep(150 * time.Millisecond)
	}
	b.do("click "+what, chromedp.MouseClickXY(xy[0], xy[1]))
}

// jsString quotes s as a JavaScript (JSON) string literal; inside a CSS selector it is a valid
// quoted attribute value too.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
