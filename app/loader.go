package app

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// WithLoader serves next (go-app's handler) with the app's own WebAssembly loader appended to
// /app.js. A function declared twice in one classic script is bound to its last declaration
// before the script runs, so go-app's call goappInitWebAssembly() runs loaderJS's version and
// go-app's own stays unused; nothing of go-app's script is rewritten.
func WithLoader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == bootPath {
			w.Header().Set("Content-Type", "application/javascript")
			w.Header().Set("Content-Length", strconv.Itoa(len(bootJS)))
			w.Write([]byte(bootJS))
			return
		}
		if r.URL.Path != "/app.js" {
			next.ServeHTTP(w, r)
			return
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		if rec.status == http.StatusOK && bytes.Contains(body, []byte("goappInitWebAssembly();")) {
			body = append(append(body, '\n'), loaderJS...)
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.status)
		w.Write(body)
	})
}

// bootPath is the script that starts compiling app.wasm (bootJS); the page loads it async,
// with a high fetch priority (bootScript).
const bootPath = "/app-boot.js"

// bootScript is the page's tag for bootJS (a raw header: go-app's Scripts cannot set a fetch
// priority). An async script has a low priority in Chromium, which held its answer back behind
// the stylesheets, the fonts and the first layout: the trace of an offline reload showed it
// run 90 ms after the service worker had answered, after app.js, so that both started a
// compilation of the 12.7 MB module.
const bootScript = `<script async fetchpriority="high" src="` + bootPath + `"></script>`

// wasmStartJS starts reading and compiling app.wasm once per page, whichever of bootJS and
// loaderJS runs first; the other takes the same promise (self.nullaostaWasm). The module is
// compiled while it streams, from the service worker's cache read directly by the page when it
// is there (no round trip through the worker, which may still be starting, and a Response with
// a URL, which V8's cache of compiled WebAssembly needs), from the network otherwise. Measured
// in the page (offline, idle): the cached response compiled as it streams takes 50–80 ms, read
// into an ArrayBuffer and then compiled 73–114 ms.
const wasmStartJS = `self.nullaostaWasm = self.nullaostaWasm || (async () => {
  performance.mark("nullaosta:wasm-fetch");
  const url = "/web/app.wasm";
  let response = null;
  if (self.caches && navigator.serviceWorker && navigator.serviceWorker.controller) {
    response = await caches.match(url).catch(() => null);
  }
  if (response) {
    performance.mark("nullaosta:wasm-from-cache");
  } else {
    response = await fetch(url);
  }
  return WebAssembly.compileStreaming(response);
})();
`

// bootJS starts app.wasm as soon as it arrives: an async script does not wait for the
// stylesheets, as go-app's deferred app.js does, so the module compiles (on V8's background
// threads) while the CSS is parsed and the pre-rendered page laid out. loaderJS takes the
// module.
const bootJS = "// Nullaosta (app/loader.go): app.wasm compiles while the page's stylesheets load.\n" + wasmStartJS

// loaderJS starts app.wasm faster than go-app's loader, which reads the download through a
// JavaScript stream into a constructed Response to show a percentage: that copy costs time on
// every start, and a Response without a URL cannot use V8's cache of compiled WebAssembly.
// Here it takes the module bootJS started (wasmStartJS), or starts it when bootJS has not run
// yet; if that failed, it tries once more from the network. No percentage covers the page:
// go-app's pre-rendered page stays visible and styled until the app takes it over, with a
// small note meanwhile (app.css, #app-wasm-loader). The marks let the figures split the
// start-up.
var loaderJS = `// Nullaosta's loader (app/loader.go): replaces go-app's goappInitWebAssembly.
async function goappInitWebAssembly() {
  const loader = document.getElementById("app-wasm-loader");
  if (!goappCanLoadWebAssembly()) {
    loader.remove();
    return;
  }
  const label = document.getElementById("app-wasm-loader-label");
  label.innerText = "Avvio dell'app…";
  const url = "/web/app.wasm";
  try {
    ` + strings.ReplaceAll(strings.TrimSpace(wasmStartJS), "\n", "\n    ") + `
    let module = await self.nullaostaWasm.catch((err) => {
      console.warn("app.wasm: the first compilation failed, trying again", err);
      return null;
    });
    if (!module) {
      performance.mark("nullaosta:wasm-fetch");
      module = await WebAssembly.compileStreaming(fetch(url));
    }
    performance.mark("nullaosta:wasm-compiled");
    const go = new Go();
    const instance = await WebAssembly.instantiate(module, go.importObject);
    performance.mark("nullaosta:wasm-instantiated");
    go.run(instance);
    loader.remove();
  } catch (err) {
    loader.classList.add("app-loader-failed");
    label.innerText = "L'app non si è avviata: ricarica la pagina. (" + err + ")";
    console.error("loading wasm failed: ", err);
  }
}
`

// recorder keeps a handler's answer so that it can be extended before sending.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	return r.body.Write(p)
}
