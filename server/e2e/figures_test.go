//go:build e2e

package e2e

import (
	"fmt"
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
	for i := 0; i < loads; i++ {
		b := newTab(t, bctx, srv, art, true)
		b.navigate("/")
		m := b.loadMetrics()
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
	for i := 0; i < loads; i++ {
		b.navigate("/compila/" + id)
		b.waitJS("the compiler is ready offline", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0`, stepTimeout)
		if !eval[bool](b, "controller", `!!navigator.serviceWorker.controller`) {
			b.fail("offline reload %d was not served by the service worker", i)
		}
		m := b.loadMetrics()
		offRender, offFrame, offReady = append(offRender, m.Rendered), append(offFrame, m.Painted), append(offReady, m.Ready)
	}

	t.Logf("FIGURES (headless Chromium %s, %d CPUs; times in ms, median [min–max] of n):", browserVersion(b), cpus())
	t.Logf("  app.wasm sizes: %s", strings.Join(sizes, "; "))
	t.Logf("  cold load of / (new profile, no cache), first render by the wasm: %s", stats(coldRender))
	t.Logf("      … next frame after it:                                      %s", stats(coldFrame))
	t.Logf("      … of which app.wasm downloaded (responseEnd):               %s", stats(coldWasm))
	t.Logf("      … of which Go main started (mark nullaosta:start):          %s", stats(coldStart))
	t.Logf("  offline reload of /compila/{id} (server stopped), first render:  %s", stats(offRender))
	t.Logf("      … next frame after it:                                      %s", stats(offFrame))
	t.Logf("      … module loaded and shown (mark nullaosta:compiler-ready):  %s", stats(offReady))
	t.Logf("  keystroke → salary turns red, message in the DOM:                %s", stats(toDOMRed))
	t.Logf("      … painted (next frame):                                     %s", stats(toPaintRed))
	t.Logf("  keystroke → salary corrected, message gone from the DOM:         %s", stats(toDOMOk))
	t.Logf("      … painted (next frame):                                     %s", stats(toPaintOk))
	t.Logf("  keystroke: time inside dispatchEvent (Go handler, synchronous):  %s", stats(inHandler))
	t.Logf("  raw samples: cold=%v offline=%v offlineReady=%v keyRedDOM=%v keyOkDOM=%v", round(coldRender), round(offRender), round(offReady), round(toDOMRed), round(toDOMOk))
}

// loadMetrics are the timings of the page just loaded, in ms since navigation start.
type loadMetrics struct {
	Rendered float64 `json:"rendered"` // the wasm replaced the pre-rendered page
	Painted  float64 `json:"painted"`  // the next animation frame after that
	WasmEnd  float64 `json:"wasmEnd"`  // app.wasm's responseEnd
	GoStart  float64 `json:"goStart"`  // mark nullaosta:start (Go's main runs)
	Ready    float64 `json:"ready"`    // mark nullaosta:compiler-ready, 0 if none
}

func (b *tab) loadMetrics() loadMetrics {
	b.t.Helper()
	b.waitJS("the frame after the first render", `window.__e2e && window.__e2e.painted > 0`, stepTimeout)
	return eval[loadMetrics](b, "load metrics", `(() => {
  const mark = n => { const e = performance.getEntriesByName(n); return e.length ? e[0].startTime : 0; };
  const wasm = performance.getEntriesByType("resource").find(e => e.name.endsWith("/app.wasm"));
  return {rendered: window.__e2e.rendered, painted: window.__e2e.painted,
          wasmEnd: wasm ? wasm.responseEnd : 0, goStart: mark("nullaosta:start"),
          ready: mark("nullaosta:compiler-ready")};
})()`)
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
    const all = await Promise.all(["/", "/web/app.wasm", "/app.js", "/wasm_exec.js", "/web/css/bootstrap-italia.min.css"].map(u => c.match(u)));
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

func round(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(int(x*10+0.5)) / 10
	}
	return out
}

func cpus() int { return runtime.NumCPU() }

func mb(n int64) string { return fmt.Sprintf("%d bytes (%.2f MB)", n, float64(n)/1e6) }
