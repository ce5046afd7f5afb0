//go:build e2e && bench

package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"

	"nullaosta/shared"
)

// TestOfflineStart measures issue 12's offline start of someone logged in, as a patronato
// operator reopens the app many times a day: a filled EM module imported, the server stopped,
// then reloads of its deep link /compila/{id}, each served by the service worker. A reload
// forgets the data key (issue 14: it lives only in memory), so the app shows the unlock page
// /sblocca: "interactive" is that page rendered by the wasm with its password box in the
// document; then, apart, the time from pressing «Sblocca» to the compiler ready (PBKDF2 in
// WebCrypto, decrypting and showing the draft). One more reload runs under Chromium's tracing
// (the DevTools protocol's Tracing domain): the trace is written to a file that DevTools'
// Performance panel opens, and split into the start-up's phases. It reports; it asserts only
// that each reload reached the unlock page and the compiler offline.
func TestOfflineStart(t *testing.T) {
	const runs = 5
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)

	fx := emFixture(t)
	em := shared.SchemaOf(shared.KindEM)
	a := newAccount("avvio", "Bianchi", "Giovanna", "12/03/1958")
	id := apiModule(t, srv, a, fx)
	b := newTab(t, bctx, srv, art, false)
	b.navigate("/importa")
	b.typeID("imp-email", a.email)
	b.typeID("imp-password", a.password)
	b.clickButton("Importa")
	b.waitText(".form-status .alert-success", "Importazione completata")
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
	b.waitJS("the service worker is active with the app cached", swReadyJS, stepTimeout)
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: interactiveWatchJS}); err != nil {
		t.Fatalf("installing the unlock page's watcher: %v", err)
	}
	srv.stop()

	path := "/compila/" + id
	// The first offline reload after the import is the first one without a server: it is
	// reported apart, then runs of reloads as a person repeats them.
	first := b.offlineStart(path, a)
	var starts []offlineStart
	for i := 0; i < runs; i++ {
		starts = append(starts, b.offlineStart(path, a))
	}

	// One more, traced.
	tr := b.startTracing()
	traced := b.offlineStart(path, a)
	events := tr.stop()
	traceFile := filepath.Join(os.TempDir(), "nullaosta-offline-start-trace.json")
	if raw, err := json.Marshal(map[string]any{"traceEvents": events}); err == nil {
		if err := os.WriteFile(traceFile, raw, 0o644); err != nil {
			t.Logf("writing the trace: %v", err)
		}
	}

	pick := func(f func(offlineStart) float64) []float64 {
		xs := make([]float64, len(starts))
		for i, s := range starts {
			xs[i] = f(s)
		}
		return xs
	}
	interactive := pick(func(s offlineStart) float64 { return s.Interactive })
	unlock := pick(func(s offlineStart) float64 { return s.Ready - s.Pressed })
	t.Logf("OFFLINE START (headless Chromium %s, %d CPUs, load average %s; ms, median [min–max] of n):", browserVersion(b), cpus(), loadAverage())
	t.Logf("  reload of %s → the unlock page rendered by the wasm, password box in the document (interactive):", "/compila/{id}")
	t.Logf("      %s; p90 %.1f; first offline reload %.1f", stats(interactive), percentile(interactive, 0.9), first.Interactive)
	t.Logf("      … first render by the wasm (the page it was asked for, before going to /sblocca): %s", stats(pick(func(s offlineStart) float64 { return s.Rendered })))
	t.Logf("      … the next frame after the unlock page:                                       %s", stats(pick(func(s offlineStart) float64 { return s.Painted })))
	t.Logf("  «Sblocca» pressed → compiler ready (mark nullaosta:compiler-ready): %s; p90 %.1f; first %.1f", stats(unlock), percentile(unlock, 0.9), first.Ready-first.Pressed)
	t.Logf("      … of which unwrapping the data key (PBKDF2-SHA256 600,000 in WebCrypto, marks unlock-start → unlock-done): %s",
		stats(pick(func(s offlineStart) float64 { return s.UnlockDone - s.UnlockStart })))
	t.Logf("      … pressed → unlock-start: %s; unlock-done → compiler ready: %s",
		stats(pick(func(s offlineStart) float64 { return s.UnlockStart - s.Pressed })),
		stats(pick(func(s offlineStart) float64 { return s.Ready - s.UnlockDone })))
	t.Logf("  raw: interactive=%v unlock=%v", round(interactive), round(unlock))
	t.Logf("  TRACE of one more reload (%d events, written to %s; open it in DevTools' Performance panel): interactive %.1f, unlock → ready %.1f",
		len(events), traceFile, traced.Interactive, traced.Ready-traced.Pressed)
	t.Logf("      %s", traced.navTiming())
	for _, l := range breakdown(events, path) {
		t.Logf("      %s", l)
	}
	if os.Getenv("NULLAOSTA_TRACE_PROFILE") != "" {
		for _, l := range profileBreakdown(events, path) {
			t.Logf("      %s", l)
		}
	}

	// And one with the service worker stopped first, as when the app is opened again after a
	// while: the worker starts for the navigation.
	sctx, scancel := context.WithTimeout(b.ctx, stepTimeout)
	_, err := chromedp.Call(sctx, serviceworker.Enable, cdp.Empty{})
	if err == nil {
		_, err = chromedp.Call(sctx, serviceworker.StopAllWorkers, cdp.Empty{})
	}
	scancel()
	if err != nil {
		t.Fatalf("stopping the service worker: %v", err)
	}
	tr = b.startTracing()
	stopped := b.offlineStart(path, a)
	events = tr.stop()
	stoppedFile := filepath.Join(os.TempDir(), "nullaosta-offline-start-stopped-worker-trace.json")
	if raw, err := json.Marshal(map[string]any{"traceEvents": events}); err == nil {
		if err := os.WriteFile(stoppedFile, raw, 0o644); err != nil {
			t.Logf("writing the trace: %v", err)
		}
	}
	t.Logf("  TRACE of a reload with the service worker stopped first (%d events, written to %s): interactive %.1f, unlock → ready %.1f",
		len(events), stoppedFile, stopped.Interactive, stopped.Ready-stopped.Pressed)
	t.Logf("      %s", stopped.navTiming())
	for _, l := range breakdown(events, path) {
		t.Logf("      %s", l)
	}
}

// offlineStart is one offline reload, in ms since its navigation started.
type offlineStart struct {
	Rendered    float64 `json:"rendered"`    // the wasm replaced the pre-rendered page
	Interactive float64 `json:"interactive"` // the unlock page's password box is in the document
	Painted     float64 `json:"painted"`     // the frame after that
	Pressed     float64 `json:"pressed"`     // «Sblocca» clicked
	UnlockStart float64 `json:"unlockStart"` // mark nullaosta:unlock-start
	UnlockDone  float64 `json:"unlockDone"`  // mark nullaosta:unlock-done
	Ready       float64 `json:"ready"`       // mark nullaosta:compiler-ready after the unlock
	// The navigation's timing: the service worker running or started (workerStart), the
	// request handed to it (fetchStart), the HTML received from its cache (responseEnd).
	WorkerStart float64 `json:"workerStart"`
	FetchStart  float64 `json:"fetchStart"`
	ResponseEnd float64 `json:"responseEnd"`
}

// navTiming is the navigation timing of a traced reload, for its log.
func (s offlineStart) navTiming() string {
	return fmt.Sprintf("navigation timing: worker ready (workerStart) %.1f, request to it (fetchStart) %.1f, HTML from its cache (responseEnd) %.1f",
		s.WorkerStart, s.FetchStart, s.ResponseEnd)
}

// interactiveWatchJS records, in every new document, when the unlock page's password box
// (rendered by the wasm: go-app's pre-rendered HTML of /compila/… has none) enters the
// document, and marks it in the performance timeline so that a trace shows it too.
const interactiveWatchJS = `(() => {
  const w = window.__start = {interactive: 0, painted: 0};
  const check = () => {
    if (w.interactive || !document.getElementById("unlock-password")) return false;
    w.interactive = performance.now();
    performance.mark("e2e:interactive");
    requestAnimationFrame(() => { w.painted = performance.now(); });
    return true;
  };
  const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
  obs.observe(document, {childList: true, subtree: true});
})();`

// offlineStart reloads path with the server stopped, waits for the unlock page, types a's
// password, presses «Sblocca» and waits for the compiler.
func (b *tab) offlineStart(path string, a account) offlineStart {
	b.t.Helper()
	b.navigateLocked(path)
	b.waitJS("the unlock page offline", `window.__start && window.__start.painted > 0 && location.pathname === "/sblocca"`, stepTimeout)
	if !eval[bool](b, "controller", `!!navigator.serviceWorker.controller`) {
		b.fail("the offline reload was not served by the service worker")
	}
	pressed := call[float64](b, "press «Sblocca»", `(pw) => {
  const el = document.getElementById("unlock-password");
  el.value = pw;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  el.dispatchEvent(new Event("change", {bubbles: true}));
  const button = [...document.querySelectorAll("button")].find(x => x.innerText.trim().startsWith("Sblocca"));
  const t = performance.now();
  button.click();
  return t;
}`, a.password)
	b.waitJS("the compiler is ready after the unlock", fmt.Sprintf(`location.pathname === %s && performance.getEntriesByName("nullaosta:compiler-ready").some(e => e.startTime > %f)`, jsString(path), pressed), stepTimeout)
	return call[offlineStart](b, "start metrics", `(pressed) => {
  const mark = n => { const e = performance.getEntriesByName(n).filter(e => e.startTime >= pressed); return e.length ? e[0].startTime : 0; };
  return {rendered: window.__e2e.rendered, interactive: window.__start.interactive, painted: window.__start.painted,
          pressed, unlockStart: mark("nullaosta:unlock-start"), unlockDone: mark("nullaosta:unlock-done"),
          ready: mark("nullaosta:compiler-ready"), ...(() => {
            const n = performance.getEntriesByType("navigation")[0];
            return n ? {workerStart: n.workerStart, fetchStart: n.fetchStart, responseEnd: n.responseEnd} : {};
          })()};
}`, pressed)
}

// tracer collects a Chromium trace of the tab through the DevTools protocol.
type tracer struct {
	b      *tab
	data   <-chan json.RawMessage
	done   <-chan struct{}
	events *[]traceEvent
}

// traceCategories are those of DevTools' Performance panel, with V8's WebAssembly, the
// service worker, the Cache API and the page's own marks.
var traceCategories = []string{
	"devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.wasm", "v8.execute",
	"blink", "blink.user_timing", "loading", "navigation", "ServiceWorker", "CacheStorage",
	"disabled-by-default-v8.compile", "disabled-by-default-devtools.timeline.stack",
}

func (b *tab) startTracing() *tracer {
	b.t.Helper()
	categories := traceCategories
	if os.Getenv("NULLAOSTA_TRACE_PROFILE") != "" {
		categories = append(slices.Clone(categories), "disabled-by-default-v8.cpu_profiler")
	}
	c := chromedp.FromContext(b.ctx)
	var events []traceEvent
	collected := cdp.Events(b.ctx, c.Target, tracing.DataCollected)
	ctx, cancel := context.WithCancel(b.ctx)
	completed := cdp.Events(ctx, c.Target, tracing.TracingComplete)
	done := make(chan struct{})
	go func() {
		for ev, err := range collected {
			if err != nil {
				return
			}
			for _, raw := range ev.Value {
				var e traceEvent
				if json.Unmarshal(raw, &e) == nil {
					events = append(events, e)
				}
			}
		}
	}()
	go func() {
		defer cancel()
		for _, err := range completed {
			if err == nil {
				close(done)
			}
			return
		}
	}()
	sctx, scancel := context.WithTimeout(b.ctx, stepTimeout)
	defer scancel()
	if _, err := chromedp.Call(sctx, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig:  &tracing.TraceConfig{IncludedCategories: categories},
	}); err != nil {
		b.fail("starting the trace: %v", err)
	}
	return &tracer{b: b, done: done, events: &events}
}

// stop ends the trace and returns its events once Chromium has sent them all.
func (tr *tracer) stop() []traceEvent {
	b := tr.b
	b.t.Helper()
	sctx, scancel := context.WithTimeout(b.ctx, stepTimeout)
	defer scancel()
	if _, err := chromedp.Call(sctx, tracing.End, cdp.Empty{}); err != nil {
		b.fail("ending the trace: %v", err)
	}
	select {
	case <-tr.done:
	case <-time.After(2 * stepTimeout):
		b.fail("the trace did not complete")
	}
	// dataCollected events all precede tracingComplete, but arrive on their own channel.
	time.Sleep(500 * time.Millisecond)
	return *tr.events
}

// traceEvent is one event of Chromium's JSON trace format.
type traceEvent struct {
	Name string          `json:"name"`
	Cat  string          `json:"cat"`
	Ph   string          `json:"ph"`
	Ts   float64         `json:"ts"` // µs
	Dur  float64         `json:"dur,omitempty"`
	Pid  int             `json:"pid"`
	Tid  int             `json:"tid"`
	ID   any             `json:"id,omitempty"`
	Args json.RawMessage `json:"args,omitempty"`
}

// breakdown splits the traced reload of path into the phases of issue 12, from the page's
// marks as the trace recorded them (app/loader.go, app/start_wasm.go, interactiveWatchJS) and
// the trace's own events, in ms from the navigation's start; then it lists the trace's
// longest events in that window. Main-thread time is the sum of the events on the page's
// renderer main thread (the thread of its navigationStart).
func breakdown(events []traceEvent, path string) []string {
	var nav float64
	var main [2]int
	for _, e := range events {
		if e.Name == "navigationStart" && strings.Contains(string(e.Args), path) {
			nav, main = e.Ts, [2]int{e.Pid, e.Tid}
		}
	}
	if nav == 0 {
		return []string{"no navigationStart of " + path + " in the trace"}
	}
	marks := map[string]float64{}
	for _, e := range events {
		if strings.Contains(e.Cat, "user_timing") && e.Ts >= nav {
			if _, ok := marks[e.Name]; !ok {
				marks[e.Name] = e.Ts
			}
		}
	}
	end := marks["e2e:interactive"]
	if end == 0 {
		return []string{"the traced reload never showed the unlock page"}
	}
	ms := func(ts float64) float64 { return (ts - nav) / 1000 }
	span := func(from, to string) string {
		a, b := marks[from], marks[to]
		if a == 0 || b == 0 {
			return "(no mark)"
		}
		return fmt.Sprintf("%6.1f ms (%.1f → %.1f)", (b-a)/1000, ms(a), ms(b))
	}
	// total is the time of the complete events named name (on the main thread when onMain)
	// between from and to, and how many there were.
	total := func(name string, onMain bool, from, to float64) (float64, int) {
		var d float64
		n := 0
		for _, e := range events {
			if e.Ph == "X" && e.Name == name && e.Ts >= from && e.Ts < to && (!onMain || [2]int{e.Pid, e.Tid} == main) {
				d += e.Dur
				n++
			}
		}
		return d / 1000, n
	}
	var out []string
	out = append(out, "HTML → the loader starts app.wasm (stylesheets, scripts, first layout): "+span("navigationStart", "nullaosta:wasm-fetch"))
	busy := func(from, to float64) float64 {
		var d float64
		for _, e := range events {
			if e.Ph == "X" && e.Name == "RunTask" && [2]int{e.Pid, e.Tid} == main && e.Ts >= from && e.Ts < to {
				d += e.Dur
			}
		}
		return d / 1000
	}
	if a, b := marks["navigationStart"], marks["nullaosta:wasm-fetch"]; a > 0 && b > 0 {
		layout, _ := total("UpdateLayoutTree", true, a, b)
		lay, _ := total("Layout", true, a, b)
		paint, _ := total("Paint", true, a, b)
		out = append(out, fmt.Sprintf("      … main thread busy %.1f ms, of which style %.1f, layout %.1f, paint %.1f", busy(a, b), layout, lay, paint))
	}
	out = append(out, "reading app.wasm from the cache (caches.match):            "+span("nullaosta:wasm-fetch", "nullaosta:wasm-from-cache"))
	out = append(out, "compiling it as it streams:                                 "+span("nullaosta:wasm-from-cache", "nullaosta:wasm-compiled"))
	if a, b := marks["nullaosta:wasm-fetch"], marks["nullaosta:wasm-compiled"]; a > 0 && b > 0 {
		recv, n := total("wasm.OnBytesReceived", true, a, b)
		fin, _ := total("wasm.FinishStreaming", true, a, b)
		body, _ := total("ResponseBodyLoader::DidFinishLoadingBody", true, a, b)
		units, _ := total("wasm.ExecuteCompilationUnits", false, a, b)
		out = append(out, fmt.Sprintf("      … main thread: bytes into V8 %.1f ms (%d chunks), end of the stream %.1f ms, end of the body %.1f ms; compilation units on V8's threads %.1f ms", recv, n, fin, body, units))
	}
	out = append(out, "instantiating it:                                           "+span("nullaosta:wasm-compiled", "nullaosta:wasm-instantiated"))
	out = append(out, "Go runtime, package initialisers, routes (→ app.Start):     "+span("nullaosta:wasm-instantiated", "nullaosta:start"))
	out = append(out, "IndexedDB opened:                                           "+span("nullaosta:start", "nullaosta:store-open"))
	out = append(out, "first render (the unlock page's password box):             "+span("nullaosta:store-open", "e2e:interactive"))
	if a := marks["nullaosta:store-open"]; a > 0 {
		goTime, n := total("FunctionCall", true, a, end)
		out = append(out, fmt.Sprintf("      … main thread busy %.1f ms, of which calls into Go (wasm_exec.js) %.1f ms in %d calls", busy(a, end), goTime, n))
	}
	out = append(out, fmt.Sprintf("interactive at %.1f ms; main thread busy %.1f ms of it", ms(end), busy(nav, end)))
	var names []string
	for n := range marks {
		names = append(names, n)
	}
	slices.SortFunc(names, func(x, y string) int { return cmp.Compare(marks[x], marks[y]) })
	var ml []string
	for _, n := range names {
		if strings.HasPrefix(n, "nullaosta:") || strings.HasPrefix(n, "e2e:") {
			ml = append(ml, fmt.Sprintf("%s %.1f", n, ms(marks[n])))
		}
	}
	out = append(out, "marks (ms from navigation start): "+strings.Join(ml, ", "))

	type agg struct {
		name       string
		n          int
		total      float64
		first, end float64
	}
	byName := map[string]*agg{}
	for _, e := range events {
		if e.Ph != "X" || e.Ts < nav || e.Ts > end || e.Name == "RunTask" {
			continue
		}
		k := e.Cat + " " + e.Name
		g := byName[k]
		if g == nil {
			g = &agg{name: k, first: e.Ts}
			byName[k] = g
		}
		g.n++
		g.total += e.Dur
		g.end = max(g.end, e.Ts+e.Dur)
	}
	var all []*agg
	for _, g := range byName {
		all = append(all, g)
	}
	slices.SortFunc(all, func(x, y *agg) int { return cmp.Compare(y.total, x.total) })
	out = append(out, "longest events up to interactive, every thread (category name: total ms, count, first start → last end):")
	for i, g := range all {
		if i == 20 {
			break
		}
		out = append(out, fmt.Sprintf("  %-75.75s %7.1f ×%-4d %7.1f → %7.1f", g.name, g.total/1000, g.n, ms(g.first), ms(g.end)))
	}
	return out
}

// profileBreakdown reads V8's sampling profiler in the trace (NULLAOSTA_TRACE_PROFILE=1 adds
// its category) and lists, for the phases of the start-up that run Go, the functions with the
// most self time on the page's main thread. The names are those of the wasm's name section:
// app.wasm is built with -s -w, without one, so profile a build with symbols
// (GOOS=js GOARCH=wasm go build -trimpath -o web/app.wasm ./app/wasm, then its .gz; see
// README "Figures").
func profileBreakdown(events []traceEvent, path string) []string {
	var nav float64
	var main [2]int
	for _, e := range events {
		if e.Name == "navigationStart" && strings.Contains(string(e.Args), path) {
			nav, main = e.Ts, [2]int{e.Pid, e.Tid}
		}
	}
	marks := map[string]float64{}
	for _, e := range events {
		if strings.Contains(e.Cat, "user_timing") && e.Ts >= nav {
			if _, ok := marks[e.Name]; !ok {
				marks[e.Name] = e.Ts
			}
		}
	}
	type node struct {
		parent int
		name   string
	}
	type sample struct {
		ts   float64
		node int
	}
	// A profile is identified by the event's id; its chunks carry new nodes and samples with
	// time deltas from the previous sample (the first from the Profile event's startTime).
	nodes := map[string]map[int]node{}
	last := map[string]float64{}
	var samples []struct {
		profile string
		sample
	}
	for _, e := range events {
		id := fmt.Sprint(e.ID)
		switch e.Name {
		case "Profile":
			if e.Pid != main[0] || e.Tid != main[1] {
				continue
			}
			var a struct {
				Data struct {
					StartTime float64 `json:"startTime"`
				} `json:"data"`
			}
			json.Unmarshal(e.Args, &a)
			last[id] = a.Data.StartTime
			nodes[id] = map[int]node{}
		case "ProfileChunk":
			ns, ok := nodes[id]
			if !ok {
				continue
			}
			var a struct {
				Data struct {
					CPUProfile struct {
						Nodes []struct {
							ID        int `json:"id"`
							Parent    int `json:"parent"`
							CallFrame struct {
								FunctionName string `json:"functionName"`
								URL          string `json:"url"`
							} `json:"callFrame"`
						} `json:"nodes"`
						Samples []int `json:"samples"`
					} `json:"cpuProfile"`
					TimeDeltas []float64 `json:"timeDeltas"`
				} `json:"data"`
			}
			if json.Unmarshal(e.Args, &a) != nil {
				continue
			}
			for _, n := range a.Data.CPUProfile.Nodes {
				name := n.CallFrame.FunctionName
				if name == "" {
					name = "(anonymous " + filepath.Base(n.CallFrame.URL) + ")"
				}
				ns[n.ID] = node{parent: n.Parent, name: name}
			}
			for i, s := range a.Data.CPUProfile.Samples {
				if i < len(a.Data.TimeDeltas) {
					last[id] += a.Data.TimeDeltas[i]
				}
				samples = append(samples, struct {
					profile string
					sample
				}{id, sample{last[id], s}})
			}
		}
	}
	if len(samples) == 0 {
		return []string{"no samples of V8's profiler on the page's main thread in the trace"}
	}
	slices.SortFunc(samples, func(x, y struct {
		profile string
		sample
	}) int {
		return cmp.Compare(x.ts, y.ts)
	})
	window := func(title, from, to string) []string {
		a, b := marks[from], marks[to]
		if a == 0 || b == 0 {
			return []string{title + ": (no mark)"}
		}
		self := map[string]float64{}
		var all float64
		for i, s := range samples {
			if s.ts < a || s.ts >= b || i+1 == len(samples) {
				continue
			}
			d := min(samples[i+1].ts, b) - s.ts
			name := nodes[s.profile][s.node].name
			self[name] += d
			all += d
		}
		var names []string
		for n := range self {
			names = append(names, n)
		}
		slices.SortFunc(names, func(x, y string) int { return cmp.Compare(self[y], self[x]) })
		out := []string{fmt.Sprintf("%s (%.1f ms, %.1f ms sampled): self time by function", title, (b-a)/1000, all/1000)}
		for i, n := range names {
			if i == 15 {
				break
			}
			out = append(out, fmt.Sprintf("  %7.1f ms  %s", self[n]/1000, n))
		}
		return out
	}
	var out []string
	out = append(out, window("Go runtime and package initialisers", "nullaosta:wasm-instantiated", "nullaosta:start")...)
	out = append(out, window("app.Start and the first render", "nullaosta:start", "e2e:interactive")...)
	out = append(out, window("«Sblocca» → compiler ready", "nullaosta:unlock-start", "nullaosta:compiler-ready")...)
	return out
}
