//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The first paint of a page is go-app's pre-rendered HTML; when the wasm starts, go-app
// replaces all of it with nodes of its own. If the two differ (a class, a text, the spaces
// between tags, a font that arrived in between), the page jumps when the app starts, and
// Chromium counts the app's nodes as a new, larger contentful paint: Lighthouse's LCP of /
// was 13 s on slow 4G, the end of the wasm's download and start, while the page had been
// readable since its first paint. Layout shifts do not show it: new nodes never "shift".

// holdWasmJS runs before the page's scripts: it holds WebAssembly.instantiate (the step
// between compiling app.wasm and running it, app/loader.go) until the test calls
// __e2eRelease(), so the pre-rendered page can be measured in the same document, with the
// same fonts, as the app's render of it. It also records the largest-contentful-paint
// entries as Chromium reports them.
const holdWasmJS = `(() => {
  let release;
  const held = new Promise(r => { release = r; });
  window.__e2eRelease = () => { release(); return true; };
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (...args) {
    await held;
    return instantiate.apply(this, args);
  };
  window.__e2eLCP = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const el = e.element;
      window.__e2eLCP.push({t: e.startTime, size: e.size,
        what: el ? el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : "") + " «" + (el.textContent || "").trim().slice(0, 50) + "»" : "(removed)"});
    }
  }).observe({type: "largest-contentful-paint", buffered: true});
})();`

// layoutJS lists every element of the page in document order (go-app's loader note
// excluded): its tag and classes, its own text with spaces collapsed, and its box.
const layoutJS = `[...document.querySelectorAll("body *")]
  .filter(e => e.tagName !== "SCRIPT" && !e.closest("#app-wasm-loader"))
  .map(e => {
    const r = e.getBoundingClientRect();
    const text = [...e.childNodes].filter(n => n.nodeType === 3)
      .map(n => n.textContent.replace(/\s+/g, " ").trim()).filter(Boolean).join(" | ");
    const cls = typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "";
    return {what: e.tagName.toLowerCase() + cls + (text ? " «" + text.slice(0, 80) + "»" : ""), box: [r.x, r.y, r.width, r.height]};
  })`

// laidOut is one element of layoutJS.
type laidOut struct {
	What string     `json:"what"`
	Box  [4]float64 `json:"box"`
}

// lcpEntry is one largest-contentful-paint entry of holdWasmJS.
type lcpEntry struct {
	T    float64 `json:"t"`
	Size float64 `json:"size"`
	What string  `json:"what"`
}

// layoutDiff names the first differences between two layouts of a page (at most max): an
// element with another tag, classes or text, or a box moved or resized by more than a pixel.
func layoutDiff(pre, app []laidOut, max int) []string {
	var out []string
	for i := 0; i < len(pre) || i < len(app); i++ {
		if len(out) == max {
			break
		}
		switch {
		case i >= len(app):
			out = append(out, fmt.Sprintf("#%d only pre-rendered: %s %v", i, pre[i].What, pre[i].Box))
		case i >= len(pre):
			out = append(out, fmt.Sprintf("#%d only the app's: %s %v", i, app[i].What, app[i].Box))
		case pre[i].What != app[i].What:
			out = append(out, fmt.Sprintf("#%d pre-rendered %s, the app's %s", i, pre[i].What, app[i].What))
		default:
			for k := range 4 {
				if math.Abs(pre[i].Box[k]-app[i].Box[k]) > 1 {
					out = append(out, fmt.Sprintf("#%d %s: pre-rendered at %v, the app's at %v (x, y, width, height)", i, pre[i].What, roundBox(pre[i].Box), roundBox(app[i].Box)))
					break
				}
			}
		}
	}
	return out
}

func roundBox(b [4]float64) [4]float64 {
	for i := range b {
		b[i] = math.Round(b[i])
	}
	return b
}

// TestFirstPaintIsTheApps loads the public pages a person meets first, each in a fresh
// profile (a first visit: no service worker, nothing cached) at the sizes of a phone and a
// tablet, and checks that the pre-rendered page is the app's page: the same elements with
// the same classes and text, each in the same place and size once the wasm has replaced
// them, and no contentful paint after the pre-rendered one.
func TestFirstPaintIsTheApps(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	pages := []struct{ path, h1 string }{
		{"/", "Domande di lavoro domestico"},
		{"/accedi", "Accedi"},
		{"/registrati", "Registrati"},
		{"/password-dimenticata", "Password dimenticata"},
	}
	for _, size := range []screenSize{phoneSize, tabletSize} {
		for _, p := range pages {
			what := fmt.Sprintf("%s at the %s size", p.path, size.name)
			b := newTab(t, bctx, srv, art, true)
			b.do("hold the wasm", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: holdWasmJS})
				return err
			}))
			b.do("emulate "+size.name, chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile, chromedp.EmulateTouch))
			b.do("navigate to "+p.path, chromedp.Navigate(srv.url(p.path)))
			// The pre-rendered page, painted, its fonts settled.
			b.waitJS(what+": the pre-rendered page", fmt.Sprintf(`document.readyState === "complete" && ((document.querySelector("main h1") || {}).textContent || "").startsWith(%s)`, jsString(p.h1)), stepTimeout)
			b.waitJS(what+": fonts and two frames", `document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`, stepTimeout)
			if eval[float64](b, "the app's render", `window.__e2e.rendered`) != 0 {
				b.fail("%s: the app rendered while its wasm was held", what)
			}
			pre := eval[[]laidOut](b, what+": the pre-rendered layout", layoutJS)

			eval[bool](b, "release the wasm", `window.__e2eRelease()`)
			b.waitApp(what)
			b.waitText("main h1", p.h1)
			b.waitJS(what+": the app's page settles", `document.fonts.ready.then(() => new Promise(r => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => r(true))), 300)))`, stepTimeout)
			app := eval[[]laidOut](b, what+": the app's layout", layoutJS)
			if len(pre) < 20 {
				b.fail("%s: only %d elements pre-rendered", what, len(pre))
			}
			if d := layoutDiff(pre, app, 8); len(d) > 0 {
				b.fail("%s: the app's page is not the pre-rendered one (%d and %d elements), so the page jumps when the wasm starts:\n  %s",
					what, len(pre), len(app), strings.Join(d, "\n  "))
			}

			rendered := eval[float64](b, "the app's render", `window.__e2e.rendered`)
			lcp := eval[[]lcpEntry](b, "the contentful paints", `window.__e2eLCP`)
			if len(lcp) == 0 {
				b.fail("%s: Chromium reported no largest contentful paint", what)
			}
			for _, e := range lcp {
				if e.T >= rendered {
					var all []string
					for _, e := range lcp {
						all = append(all, fmt.Sprintf("%.0f ms %s (%.0f px²)", e.T, e.What, e.Size))
					}
					b.fail("%s: a largest contentful paint after the app's render (at %.0f ms): the app drew something larger than the pre-rendered page:\n  %s",
						what, rendered, strings.Join(all, "\n  "))
				}
			}
			b.cancel()
		}
	}
}

// TestRepeatVisitPaintsItsOwnPage: once the service worker is installed it answers
// navigations from its cache. A page with its own address, visited once, must then paint
// itself before the wasm starts, not the home page the worker keeps as the app's shell.
func TestRepeatVisitPaintsItsOwnPage(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, true)
	b.navigate("/")
	b.waitApp("/")
	b.waitJS("the service worker is active with the app cached", swReadyJS, stepTimeout)
	b.navigate("/accedi")
	b.waitApp("/accedi")
	if !eval[bool](b, "controller", `!!navigator.serviceWorker.controller`) {
		b.fail("the visit of /accedi was not served by the service worker")
	}
	b.waitJS("the worker keeps its own copy of /accedi", `(async () => {
  for (const k of await caches.keys()) {
    const r = await (await caches.open(k)).match("/accedi");
    if (r && (await r.text()).includes("<h1")) return true;
  }
  return false;
})()`, stepTimeout)

	b.do("hold the wasm", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: holdWasmJS})
		return err
	}))
	for _, p := range []struct{ path, h1 string }{{"/accedi", "Accedi"}, {"/", "Domande di lavoro domestico"}} {
		b.do("navigate to "+p.path, chromedp.Navigate(srv.url(p.path)))
		b.waitJS(p.path+": the pre-rendered page", `document.readyState === "complete"`, stepTimeout)
		if !eval[bool](b, "controller", `!!navigator.serviceWorker.controller`) {
			b.fail("the repeat visit of %s was not served by the service worker", p.path)
		}
		if eval[float64](b, "the app's render", `window.__e2e.rendered`) != 0 {
			b.fail("%s: the app rendered while its wasm was held", p.path)
		}
		if h1 := eval[string](b, "the first paint's heading", `((document.querySelector("main h1") || {}).textContent || "").trim()`); !strings.HasPrefix(h1, p.h1) {
			b.fail("the repeat visit of %s first paints «%s», not its own page «%s»", p.path, h1, p.h1)
		}
		eval[bool](b, "release the wasm", `window.__e2eRelease()`)
		b.waitApp(p.path)
		b.waitText("main h1", p.h1)
	}
}
