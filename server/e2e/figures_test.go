//go:build e2e

package e2e

import (
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"nullaosta/shared"
)

// TestFigures measures what issue 4's "Size and speed" asks to report, in headless Chromium on
// this machine: app.wasm's sizes, time to interactive on a cold load and on an offline reload,
// and the time from a keystroke to the re-rendered validation message on a full EM module. It
// only reports (t.Log): timings depend on the machine, so it asserts none of them.
//
// Time to interactive is measured from navigation start (performance.now() = 0) to the moment
// the wasm replaces go-app's pre-rendered page with its own render (wasmWatchJS), and to the
// next animation frame after it; for the compiler also to the app's own mark
// "nullaosta:compiler-ready" (the module read from IndexedDB and rendered).
func TestFigures(t *testing.T) {
	const (
		loads      = 7  // cold loads and offline reloads
		keystrokes = 20 // half turn the field red, half correct it
	)
	art := artifactsDir(t)
	srv := startServer(t, art)

	// ---- sizes ----
	var sizes []string
	for _, f := range []string{"app.wasm", "app.wasm.gz", "app.wasm.br"} {
		if fi, err := os.Stat(filepath.Join(srv.web, f)); err == nil {
			sizes = append(sizes, fmt.Sprintf("%s %s", filepath.Base(f), mb(fi.Size())))
		} else {
			sizes = append(sizes, fmt.Sprintf("%s missing", filepath.Base(f)))
		}
	}
	req, _ := http.NewRequest("GET", srv.url("/web/app.wasm"), nil)
	req.Header.Set("Accept-Encoding", "br, gzip")
	if resp, err := http.DefaultTransport.RoundTrip(req); err == nil {
		resp.Body.Close()
		cl := resp.Header.Get("Content-Length")
		if cl == "" {
			cl = "none"
		}
		sizes = append(sizes, fmt.Sprintf("served with Content-Encoding %q, Content-Length %s", resp.Header.Get("Content-Encoding"), cl))
	}
	t.Logf("app.wasm: %s", strings.Join(sizes, "; "))

	bctx := startBrowser(t)

	// ---- cold loads: each in a new browser context (empty cache, no service worker) ----
	var coldRender, coldFrame, coldWasm, coldStart []float64
	var cold startup
	for i := 0; i < loads; i++ {
		b := newTab(t, bctx, srv, art, true)
		b.navigate("/")
		m := b.loadMetrics()
		cold = append(cold, m)
		coldRender, coldFrame = append(coldRender, m.Rendered), append(coldFrame, m.Painted)
		coldWasm, coldStart = append(coldWasm, m.WasmEnd), append(coldStart, m.GoStart)
		b.close()
	}

	// ---- a full EM module in the compiler ----
	fx := emFixture(t)
	em := shared.SchemaOf(shared.KindEM)
	a := newAccount("misure", "Bianchi", "Giovanna", "12/03/1958")
	id := apiModule(t, srv, a, fx)
	b := newTab(t, bctx, srv, art, false)
	b.navigate("/importa")
	b.typeID("imp-email", a.email)
	b.typeID("imp-password", a.password)
	b.clickButton("Importa")
	b.waitText(".form-status .alert-success", "Importazione completata")
	b.who = &a // a reload asks for the password (the data key is in memory only)
	b.clickLink("/compila/" + id)
	b.waitJS("the compiler is ready", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0`, stepTimeout)
	for i := range em.Sections {
		if em.Sections[i].Confirm {
			break
		}
		b.gotoSection(em, i)
		b.fillSection(em, i, fx, nil)
	}
	b.waitText("#overall-label", "")
	t.Logf("compiler: %s", eval[string](b, "progress", `document.getElementById("overall-label").innerText`))

	// ---- keystroke → validation message on screen ----
	const salary = "rapporto.retribuzione_mensile"
	b.gotoSection(em, sectionIndex(em, salary))
	var toDOMRed, toPaintRed, toDOMOk, toPaintOk, inHandler []float64
	for i := 0; i < keystrokes; i++ {
		red := i%2 == 0
		value := fx.Str(salary)
		if red {
			value = "100,00"
		}
		m := call[keystroke](b, "keystroke", keystrokeJS, inputID(salary), "err-"+salary, value, red)
		if m.Err != "" {
			b.fail("keystroke %d: %s", i, m.Err)
		}
		inHandler = append(inHandler, m.Dispatch)
		if red {
			toDOMRed, toPaintRed = append(toDOMRed, m.DOM), append(toPaintRed, m.Paint)
		} else {
			toDOMOk, toPaintOk = append(toDOMOk, m.DOM), append(toPaintOk, m.Paint)
		}
		time.Sleep(700 * time.Millisecond) // a pause in typing: the draft is written meanwhile
	}

	// ---- offline reloads: server stopped, the service worker serves the app ----
	b.waitJS("the service worker is active with the app cached", swReadyJS, stepTimeout)
	srv.stop()
	var offRender, offFrame, offReady []float64
	var offline startup
	for i := 0; i < loads; i++ {
		b.navigate("/compila/" + id)
		b.waitJS("the compiler is ready offline", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0`, stepTimeout)
		if !eval[bool](b, "controller", `!!navigator.serviceWorker.controller`) {
			b.fail("offline reload %d was not served by the service worker", i)
		}
		m := b.loadMetrics()
		offline = append(offline, m)
		offRender, offFrame, offReady = append(offRender, m.Rendered), append(offFrame, m.Painted), append(offReady, m.Ready)
	}

	t.Logf("FIGURES (headless Chromium %s, %d CPUs, load average %s; times in ms, median [min–max] of n):", browserVersion(b), cpus(), loadAverage())
	t.Logf("  app.wasm sizes: %s", strings.Join(sizes, "; "))
	t.Logf("  cold load of / (new profile, no cache), first render by the wasm: %s", stats(coldRender))
	t.Logf("      … next frame after it:                                      %s", stats(coldFrame))
	t.Logf("      … of which app.wasm downloaded (responseEnd):               %s", stats(coldWasm))
	t.Logf("      … of which Go main started (mark nullaosta:start):          %s", stats(coldStart))
	t.Logf("  offline reload of /compila/{id} (server stopped), first render:  %s", stats(offRender))
	t.Logf("      … next frame after it:                                      %s", stats(offFrame))
	t.Logf("      … module loaded and shown (mark nullaosta:compiler-ready):  %s", stats(offReady))
	t.Logf("      … p90 of the first render: %.1f; of the module shown: %.1f", percentile(offRender, 0.9), percentile(offReady, 0.9))
	cold.log(t, "cold load")
	offline.log(t, "offline reload")
	t.Logf("  keystroke → salary turns red, message in the DOM:                %s", stats(toDOMRed))
	t.Logf("      … painted (next frame):                                     %s", stats(toPaintRed))
	t.Logf("  keystroke → salary corrected, message gone from the DOM:         %s", stats(toDOMOk))
	t.Logf("      … painted (next frame):                                     %s", stats(toPaintOk))
	t.Logf("  keystroke: time inside dispatchEvent (Go handler, synchronous):  %s", stats(inHandler))
	t.Logf("  raw samples: cold=%v offline=%v offlineReady=%v keyRedDOM=%v keyOkDOM=%v", round(coldRender), round(offRender), round(offReady), round(toDOMRed), round(toDOMOk))
}

// loadMetrics are the timings of the page just loaded, in ms since navigation start: the
// start-up split by the marks of the app's loader (app/loader.go) and of Go's main.
type loadMetrics struct {
	WorkerStart float64 `json:"workerStart"` // the service worker was running (0: no worker)
	DocEnd      float64 `json:"docEnd"`      // the page's HTML received
	AppJSEnd    float64 `json:"appJSEnd"`    // /app.js received (the loader)
	WasmFetch   float64 `json:"wasmFetch"`   // mark nullaosta:wasm-fetch (the loader starts)
	Instantiate float64 `json:"instantiate"` // mark nullaosta:wasm-instantiated (read, compiled, instantiated)
	GoStart     float64 `json:"goStart"`     // mark nullaosta:start (Go's runtime and package initialisers done)
	StoreOpen   float64 `json:"storeOpen"`   // mark nullaosta:store-open (IndexedDB opened)
	Rendered    float64 `json:"rendered"`    // the wasm replaced the pre-rendered page
	Painted     float64 `json:"painted"`     // the next animation frame after that
	Ready       float64 `json:"ready"`       // mark nullaosta:compiler-ready, 0 if none
	WasmEnd     float64 `json:"wasmEnd"`     // app.wasm's responseEnd (0 when read from the cache by the page)
	FromCache   bool    `json:"fromCache"`   // the loader read app.wasm from the worker's cache itself
}

func (b *tab) loadMetrics() loadMetrics {
	b.t.Helper()
	b.waitJS("the frame after the first render", `window.__e2e && window.__e2e.painted > 0`, stepTimeout)
	return eval[loadMetrics](b, "load metrics", `(() => {
  const mark = n => { const e = performance.getEntriesByName(n); return e.length ? e[0].startTime : 0; };
  const res = suffix => performance.getEntriesByType("resource").find(e => e.name.endsWith(suffix));
  const nav = performance.getEntriesByType("navigation")[0];
  const wasm = res("/app.wasm"), appjs = res("/app.js");
  return {workerStart: nav ? nav.workerStart : 0, docEnd: nav ? nav.responseEnd : 0,
          appJSEnd: appjs ? appjs.responseEnd : 0, wasmFetch: mark("nullaosta:wasm-fetch"),
          instantiate: mark("nullaosta:wasm-instantiated"), goStart: mark("nullaosta:start"),
          storeOpen: mark("nullaosta:store-open"), rendered: window.__e2e.rendered,
          painted: window.__e2e.painted, ready: mark("nullaosta:compiler-ready"),
          wasmEnd: wasm ? wasm.responseEnd : 0, fromCache: mark("nullaosta:wasm-from-cache") > 0};
})()`)
}

// startup is the split of several loads: each phase's duration, median [min–max].
type startup []loadMetrics

func (s startup) phase(f func(loadMetrics) float64) string {
	xs := make([]float64, len(s))
	for i, m := range s {
		xs[i] = f(m)
	}
	return stats(xs)
}

func (s startup) log(t *testing.T, what string) {
	t.Logf("  %s, split (ms, median [min–max]):", what)
	t.Logf("      service worker running (navigation workerStart):            %s", s.phase(func(m loadMetrics) float64 { return m.WorkerStart }))
	t.Logf("      HTML received (responseEnd):                                %s", s.phase(func(m loadMetrics) float64 { return m.DocEnd }))
	t.Logf("      HTML → loader starts (scripts, CSS):                        %s", s.phase(func(m loadMetrics) float64 { return m.WasmFetch - m.DocEnd }))
	t.Logf("      app.wasm read, compiled and instantiated:                   %s", s.phase(func(m loadMetrics) float64 { return m.Instantiate - m.WasmFetch }))
	t.Logf("      Go runtime and package initialisers (→ main):               %s", s.phase(func(m loadMetrics) float64 { return m.GoStart - m.Instantiate }))
	t.Logf("      main → IndexedDB open:                                      %s", s.phase(func(m loadMetrics) float64 { return m.StoreOpen - m.GoStart }))
	t.Logf("      IndexedDB open → first render by the wasm:                  %s", s.phase(func(m loadMetrics) float64 { return m.Rendered - m.StoreOpen }))
	t.Logf("      first render → next frame:                                  %s", s.phase(func(m loadMetrics) float64 { return m.Painted - m.Rendered }))
	n := 0
	for _, m := range s {
		if m.FromCache {
			n++
		}
	}
	t.Logf("      app.wasm read by the page from the worker's cache: %d of %d", n, len(s))
}

// keystroke is one measured keystroke, in ms from the input event.
type keystroke struct {
	Dispatch float64 `json:"dispatch"` // dispatchEvent returned (the Go handler ran)
	DOM      float64 `json:"dom"`      // the message appeared or went
	Paint    float64 `json:"paint"`    // the frame after that was painted
	Err      string  `json:"err"`
}

// keystrokeJS sets the field's value and fires the input event a keystroke fires, then waits
// with a MutationObserver until the field's message is there (or gone), then for the next
// animation frame and the task after it (the frame is painted by then).
const keystrokeJS = `async (id, errId, value, wantError) => {
  const el = document.getElementById(id);
  if (!el) return {err: "no field " + id};
  const has = () => { const e = document.getElementById(errId); return !!e && e.innerText.trim() !== ""; };
  if (has() === wantError) return {err: "the message is already " + (wantError ? "there" : "gone")};
  el.focus();
  const t0 = performance.now();
  el.value = value;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  const dispatch = performance.now() - t0;
  try {
    await new Promise((resolve, reject) => {
      if (has() === wantError) return resolve();
      const obs = new MutationObserver(() => { if (has() === wantError) { obs.disconnect(); resolve(); } });
      obs.observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true});
      setTimeout(() => { obs.disconnect(); reject(new Error("no change within 5 s")); }, 5000);
    });
  } catch (e) {
    return {err: String(e)};
  }
  const dom = performance.now() - t0;
  await new Promise(r => requestAnimationFrame(() => r()));
  await new Promise(r => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
  const paint = performance.now() - t0;
  return {dispatch, dom, paint};
}`

// swReadyJS is true once the service worker is active and its cache holds the app.
const swReadyJS = `(async () => {
  if (!("serviceWorker" in navigator)) return "no service worker support";
  const reg = await navigator.serviceWorker.getRegistration();
  if (!reg || !reg.active) return "no active worker";
  for (const k of await caches.keys()) {
    const c = await caches.open(k);
    const all = await Promise.all(["/", "/web/app.wasm", "/app.js", "/wasm_exec.js", "/web/css/bootstrap-italia.app.css"].map(u => c.match(u)));
    if (all.every(Boolean)) return true;
  }
  return "cache incomplete";
})()`

// apiModule registers and activates a through the API and generates an EM module with the
// fixture's generation data; it returns the module's id.
func apiModule(t *testing.T, srv *server, a account, fx shared.Data) string {
	t.Helper()
	c := srv.client()
	reg := map[string]string{"cognome": a.cognome, "nome": a.nome, "email": a.email, "dataNascita": a.nascita, "password": a.password}
	if _, err := c.call("POST", "/auth/register", reg, nil); err != nil {
		t.Fatal(err)
	}
	link := srv.activationLink(t, a.email)
	token := link[strings.Index(link, "token=")+len("token="):]
	if _, err := c.call("POST", "/auth/activate", map[string]string{"token": token, "password": a.password}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.call("POST", "/auth/login", map[string]string{"email": a.email, "password": a.password}, nil); err != nil {
		t.Fatal(err)
	}
	gen := shared.Data{}
	for _, f := range shared.GenerationFields(shared.KindEM) {
		gen[f.Key] = fx[f.Key]
	}
	var m struct {
		ID string `json:"id"`
	}
	if _, err := c.call("POST", "/modules", map[string]any{"kind": "EM", "data": gen}, &m); err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// close closes the tab (and its browser context, when it has its own).
func (b *tab) close() {
	if b.cancel != nil {
		b.cancel()
	}
}

func browserVersion(b *tab) string {
	ua := eval[string](b, "user agent", `navigator.userAgent`)
	if i := strings.Index(ua, "Chrome/"); i >= 0 {
		return strings.Fields(ua[i:])[0]
	}
	return ua
}

// stats is "median [min–max] of n".
func stats(xs []float64) string {
	if len(xs) == 0 {
		return "no samples"
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	var med float64
	if n := len(s); n%2 == 1 {
		med = s[n/2]
	} else {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return fmt.Sprintf("%7.1f [%.1f–%.1f] n=%d", med, s[0], s[len(s)-1], len(s))
}

// percentile is the nearest-rank p-th percentile (0 < p ≤ 1).
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(i, 0)]
}

func round(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(int(x*10+0.5)) / 10
	}
	return out
}

func cpus() int { return runtime.NumCPU() }

func mb(n int64) string { return fmt.Sprintf("%d bytes (%.2f MB)", n, float64(n)/1e6) }
