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
		if js, ok := scripts[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "application/javascript")
			w.Header().Set("Content-Length", strconv.Itoa(len(js)))
			w.Write([]byte(js))
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
// compiled while it streams. When the service worker has it, the page reads its cache directly
// (no round trip through the worker, which may still be starting, and a Response with a URL,
// which V8's cache of compiled WebAssembly needs): measured in the page (offline, idle), the
// cached response compiled as it streams takes 50–80 ms, read into an ArrayBuffer and then
// compiled 73–114 ms. On a first visit it comes from the network, and a page that compiled it
// itself spent its main thread on it for the whole download: V8 decodes each chunk as it
// arrives on the thread that started the compilation, and finishes the module there (a trace
// of a cold load of /accedi: 10–28 ms tasks all along the download, then one of 95 ms before
// the Go start). There a dedicated worker compiles it (compileJS) and posts the module, which
// the page instantiates without compiling anything again; where the worker cannot be started
// or fails, the page compiles it itself as before.
const wasmStartJS = `self.nullaostaWasm = self.nullaostaWasm || (async () => {
  performance.mark("nullaosta:wasm-fetch");
  const url = "/web/app.wasm";
  const controlled = self.caches && navigator.serviceWorker && navigator.serviceWorker.controller;
  self.nullaostaFirstVisit = !controlled;
  if (controlled) {
    const cached = await caches.match(url).catch(() => null);
    if (cached) {
      performance.mark("nullaosta:wasm-from-cache");
      return WebAssembly.compileStreaming(cached);
    }
  }
  if (!controlled && self.Worker) {
    const module = await new Promise((resolve, reject) => {
      const worker = new Worker("` + compilePath + `");
      let warm;
      self.nullaostaWarm = new Promise((r) => { warm = r; });
      const end = (ok) => { worker.terminate(); warm(ok); };
      worker.onmessage = (e) => {
        if (e.data.module) {
          resolve(e.data.module);
        } else {
          if (e.data.error) reject(new Error(e.data.error));
          end(e.data.warm === true);
        }
      };
      worker.onerror = (e) => { e.preventDefault(); reject(new Error("` + compilePath + ` did not run: " + (e.message || "error"))); end(false); };
      worker.postMessage({url, goRuntime: "/wasm_exec.js"});
    }).catch((err) => {
      console.warn("app.wasm: compiling in a worker failed, compiling in the page", err);
      return null;
    });
    if (module) {
      performance.mark("nullaosta:wasm-from-worker");
      return module;
    }
  }
  return WebAssembly.compileStreaming(fetch(url));
})();
`

// compilePath is the dedicated worker that compiles app.wasm on a first visit (compileJS). The
// page's Content-Security-Policy allows workers from the app's own origin only, so it is a
// script of its own, not a blob.
const compilePath = "/app-compile.js"

// compileJS compiles the module it is asked for as it streams from the network and posts it
// to the page (a WebAssembly.Module is shared with the page, not copied nor compiled again).
// Then it warms the module up: V8 compiles each function of a module on its first call, on
// the thread that calls it, and what it compiled serves every thread that shares the module.
// The worker runs the Go runtime's start and every package's initialiser (main returns at once
// there, WarmingUp), the part of the Go start that was most of go.run's task on the page
// (compiling ~800 functions), while the page instantiates its own; the page waits for it
// (loaderJS, at most warmUpWait ms) and then runs Go with those functions compiled. It says
// whether the Go program ran to its end (exit code 0: main returned), or that something went
// wrong: the page starts Go either way.
const compileJS = `// Nullaosta (app/loader.go): compiles app.wasm off the page's main thread.
self.onmessage = async (event) => {
  let module;
  try {
    module = await WebAssembly.compileStreaming(fetch(event.data.url));
  } catch (err) {
    self.postMessage({error: String(err)});
    return;
  }
  self.postMessage({module});
  let warm = false;
  try {
    importScripts(event.data.goRuntime);
    self.nullaostaWarmUp = true;
    const go = new Go();
    let code = -1;
    go.exit = (c) => { code = c; };
    await go.run(await WebAssembly.instantiate(module, go.importObject));
    warm = go.exited && code === 0;
  } catch (err) {
    console.warn("app.wasm: warming up in the worker failed", err);
  }
  self.postMessage({warm});
};
`

// warmUpWait bounds the page's wait for the worker's warm-up (compileJS): past it the page
// starts Go anyway.
const warmUpWait = 1500

// bootJS starts app.wasm as soon as it arrives: an async script does not wait for the
// stylesheets, as go-app's deferred app.js does, so the module compiles (on V8's background
// threads) while the CSS is parsed and the pre-rendered page laid out. loaderJS takes the
// module.
//
// It also reads localStorage once, when the page is idle: the first access in a browsing
// session loads the origin's storage synchronously (3–262 ms in a fresh profile in traces), and
// go-app's engine.Start makes it in the task of the first render otherwise.
const bootJS = "// Nullaosta (app/loader.go): app.wasm compiles while the page's stylesheets load.\n" + wasmStartJS + `
if (self.requestIdleCallback) {
  requestIdleCallback(() => { try { localStorage.length; } catch (err) {} }, {timeout: 2000});
}
`

// scripts are the app's own scripts, served by WithLoader.
var scripts = map[string]string{bootPath: bootJS, compilePath: compileJS}

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
  // Ends the task on a first visit, so that the end of the compilation, the instantiation and
  // the Go start are three tasks of the main thread and not one (input and frames can come
  // between them). From the service worker's cache they are short (V8's cache of compiled
  // code), and a turn would only let other work come first.
  const giveTurn = () => !self.nullaostaFirstVisit ? Promise.resolve()
    : self.scheduler && scheduler.yield ? scheduler.yield() : new Promise((r) => setTimeout(r, 0));
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
    await giveTurn();
    const go = new Go();
    const instance = await WebAssembly.instantiate(module, go.importObject);
    performance.mark("nullaosta:wasm-instantiated");
    if (self.nullaostaWarm) {
      const warm = await Promise.race([self.nullaostaWarm, new Promise((r) => setTimeout(r, ` + strconv.Itoa(warmUpWait) + `, false))]);
      if (warm) performance.mark("nullaosta:wasm-warm");
    }
    await giveTurn();
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
