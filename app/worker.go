package app

import (
	"encoding/json"
	"strings"
)

// serviceWorkerJS is the app-worker.js template (go-app fills {{.Version}} and
// {{.ResourcesToCache}}). It differs from go-app's default worker in what makes the app work
// offline for real:
//
//   - A navigation to any page of the app (/compila/EM-…, /attiva?token=…) is answered with the
//     cached "/": every page is the same go-app shell, and the wasm renders the route from
//     location. go-app's default worker looks the URL itself up in the cache, so a deep link
//     opened cold with no connection failed.
//   - Except a page with its own fixed address and no query (/accedi, /registrati…): once
//     visited, it is answered with its own pre-rendered HTML, so its first paint is that page
//     and not the home page until the wasm starts; the copy is fetched again (without
//     credentials: the pre-rendered page is the same for everyone) after each visit. Deep links
//     with ids and links with tokens are never stored.
//   - The API (/api/…) and server pages outside the app (/dev/mail) always go to the network.
//   - Installation waits for the cache (event.waitUntil) and caches resources one by one, so a
//     single missing file does not leave the cache empty; it fails only without the shell or
//     the wasm, and then the previous version keeps serving.
//   - A new version activates at once (skipWaiting) but the page is reloaded only when the
//     person presses "Aggiorna": go-app reports the activation to OnAppUpdate.
func serviceWorkerJS() string {
	var prefixes []string
	exact := []string{}
	for _, r := range routes {
		if r.new == nil {
			continue
		}
		if r.prefix {
			prefixes = append(prefixes, r.path)
		} else {
			exact = append(exact, r.path)
		}
	}
	e, _ := json.Marshal(exact)
	p, _ := json.Marshal(prefixes)
	s := strings.ReplaceAll(workerTemplate, "{{.AppPages}}", string(e))
	return strings.ReplaceAll(s, "{{.AppPrefixes}}", string(p))
}

const workerTemplate = `// Nullaosta service worker, version {{.Version}}.
const cacheName = "app-" + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};
const appPages = {{.AppPages}};
const appPrefixes = {{.AppPrefixes}};
const essential = ["/", "/web/app.wasm", "/app.js", "/wasm_exec.js"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(cacheName);
    const results = await Promise.allSettled(
      resourcesToCache.map((url) => cache.add(new Request(url, { cache: "reload" })))
    );
    results.forEach((r, i) => {
      if (r.status === "rejected") {
        console.warn("not cached:", resourcesToCache[i], r.reason);
        if (essential.includes(resourcesToCache[i])) {
          throw new Error("essential resource not cached: " + resourcesToCache[i]);
        }
      }
    });
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => k !== cacheName).map((k) => caches.delete(k)));
    // No clients.claim(): a page loaded before the first installation stays uncontrolled
    // (nothing to take over), and go-app then does not mistake the first installation for
    // an update. Pages of an older version switch to this worker by themselves.
  })());
});

function isAppPage(path) {
  return appPages.includes(path) || appPrefixes.some((p) => path.startsWith(p) && path.length > p.length);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/dev/")) {
    return;
  }
  if (request.mode === "navigate" && isAppPage(url.pathname)) {
    event.respondWith(appPage(event, request, url));
    return;
  }
  event.respondWith(fromCache(request));
});

// appCache opens the worker's cache once: opening it for every request cost 1.5–3.4 ms of
// the worker's thread each in the trace of an offline reload, about twenty times, while the
// page waited for its stylesheets and scripts one after the other.
let opened = null;
function appCache() {
  if (!opened) {
    opened = caches.open(cacheName).catch((err) => {
      opened = null;
      throw err;
    });
  }
  return opened;
}

// ownCopy says whether a navigation's page is kept as its own copy: a fixed address of the
// app, not "/" (cached at installation), with no query (a token is never stored).
function ownCopy(url) {
  return url.pathname !== "/" && url.search === "" && appPages.includes(url.pathname);
}

async function appPage(event, request, url) {
  const cache = await appCache();
  if (ownCopy(url)) {
    event.waitUntil(refreshCopy(cache, url.pathname));
    const copy = await cache.match(url.pathname);
    if (copy) {
      return copy;
    }
  }
  const shell = await cache.match("/");
  if (shell) {
    return shell;
  }
  return fetch(request);
}

// refreshCopy stores the page's pre-rendered HTML for its next visit; offline, the copy it
// has (or the shell) stays.
async function refreshCopy(cache, path) {
  try {
    const res = await fetch(path, { credentials: "omit", cache: "no-store", redirect: "error" });
    if (res.ok && res.type === "basic" && (res.headers.get("Content-Type") || "").startsWith("text/html")) {
      await cache.put(path, res);
    }
  } catch (err) {
    // No connection: nothing to refresh.
  }
}

async function fromCache(request) {
  const cache = await appCache();
  const cached = await cache.match(request, { ignoreSearch: request.url.includes("/web/") });
  if (cached) {
    return cached;
  }
  return fetch(request);
}
`
