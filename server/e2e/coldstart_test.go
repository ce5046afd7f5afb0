//go:build e2e

package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// coldStartProbeJS runs before the page's scripts. It counts the page's own calls of
// WebAssembly.compileStreaming, and records in order: the start-up marks of the page
// (app/loader.go, app/start_wasm.go), after two of them a task queued with setTimeout(0) at
// the mark (it runs only once the task that made the mark has ended), and the app's first
// render (go-app replacing the body's first element).
const coldStartProbeJS = `(() => {
  const p = window.__e2eCold = {pageCompiles: 0, order: []};
  const compile = WebAssembly.compileStreaming;
  WebAssembly.compileStreaming = function (...args) { p.pageCompiles++; return compile.apply(this, args); };
  const probed = ["nullaosta:wasm-instantiated", "nullaosta:started"];
  const mark = performance.mark;
  performance.mark = function (name, ...rest) {
    if (String(name).startsWith("nullaosta:")) p.order.push(name);
    if (probed.includes(name)) setTimeout(() => p.order.push("task after " + name), 0);
    return mark.call(this, name, ...rest);
  };
  document.addEventListener("DOMContentLoaded", () => {
    const first = document.body.firstElementChild;
    new MutationObserver((_, obs) => {
      if (document.body.firstElementChild !== first) { p.order.push("render"); obs.disconnect(); }
    }).observe(document.body, {childList: true});
  });
})();`

// TestColdStartLeavesTheMainThread loads /accedi in a fresh profile, as a first visit: the
// page must not compile app.wasm itself (a dedicated worker does, app/loader.go: the page's
// main thread was busy in 10–28 ms tasks for the whole download, then 95 ms to finish) and
// run the Go runtime's start and the package initialisers first (V8 then compiles their
// functions there, not on the page's main thread), and the Go start must give the browser a turn after the package initialisers and before the
// first render (app.GiveTurn), instead of running instantiation, initialisers, the store and
// the render as one long task: Lighthouse's Total Blocking Time on a phone counted 1.3–2.3 s.
func TestColdStartLeavesTheMainThread(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, true)
	b.do("install the probe", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: coldStartProbeJS})
		return err
	}))
	b.navigate("/accedi")
	b.waitApp("/accedi")
	b.waitText("main h1", "Accedi")
	b.waitJS("the start-up's tasks have run", `new Promise(r => setTimeout(() => r(true), 200))`, stepTimeout)

	if n := eval[int](b, "the page's compilations", `window.__e2eCold.pageCompiles`); n != 0 {
		b.fail("the page compiled app.wasm itself %d times on a first visit: the worker (%s) should have", n, "/app-compile.js")
	}
	if !eval[bool](b, "the worker's mark", `performance.getEntriesByName("nullaosta:wasm-from-worker").length === 1`) {
		b.fail("no mark nullaosta:wasm-from-worker: app.wasm was not compiled by the worker")
	}
	if !eval[bool](b, "the warm-up's mark", `performance.getEntriesByName("nullaosta:wasm-warm").length === 1`) {
		b.fail("no mark nullaosta:wasm-warm: the worker did not run the Go runtime's start and initialisers before the page did")
	}
	order := eval[[]string](b, "the start-up's order", `window.__e2eCold.order`)
	before := func(a, c string) bool {
		i, j := slices.Index(order, a), slices.Index(order, c)
		return i >= 0 && j >= 0 && i < j
	}
	for _, step := range []struct{ first, then, why string }{
		{"task after nullaosta:wasm-instantiated", "nullaosta:start", "the package initialisers and app.Start ran in one task"},
		{"nullaosta:started", "task after nullaosta:started", "app.Start did not end"},
		{"task after nullaosta:started", "render", "app.Start and the first render ran in one task"},
	} {
		if !before(step.first, step.then) {
			b.fail("%s (%q should come before %q): %s", step.why, step.first, step.then, strings.Join(order, " → "))
		}
	}
}
