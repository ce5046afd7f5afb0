package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app"
)

// Web is the app half of the server: go-app's handler with the static files of /web/.
type Web struct {
	Handler http.Handler
	// Version is the app's version: buildVersion when set, otherwise derived from app.wasm.
	Version string
}

// NewWeb serves the app's pages and the static files of dir under /web/. An empty buildVersion
// is derived from app.wasm, so that a rebuilt app gets a new version and browsers update.
// baseURL is the public address (-base-url, or with -dev the one of -addr), which the pages'
// absolute addresses carry; never the request's Host.
func NewWeb(dir, buildVersion, baseURL string, logger *slog.Logger) *Web {
	app.RegisterRoutes()
	v := buildVersion
	var wasmSize int64
	if fi, err := os.Stat(filepath.Join(dir, "app.wasm")); err == nil {
		wasmSize = fi.Size()
		if v == "" {
			// A rebuilt app.wasm gets a new version, and the service worker updates.
			h := sha256.Sum256([]byte(fmt.Sprintf("%d|%d", fi.ModTime().UnixNano(), fi.Size())))
			v = hex.EncodeToString(h[:6])
		}
	} else {
		logger.Warn("app.wasm non trovato: le pagine si aprono ma il compilatore non parte (esegui make build)", "dir", dir)
	}
	if v == "" {
		v = "dev-" + strconv.FormatInt(time.Now().Unix(), 36)
	}
	h := app.NewHandler(v)
	h.Resources = webFiles{dir: dir}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(app.PurgedCSS, "/web/")))); err != nil {
		logger.Warn("il foglio di stile ridotto non c'è: servo Bootstrap Italia intero, più lento da caricare (esegui make build)", "file", app.PurgedCSS)
		h.Styles = slices.Clone(h.Styles)
		for i, s := range h.Styles {
			if s == app.PurgedCSS {
				h.Styles[i] = app.FullCSS
			}
		}
	}
	if wasmSize > 0 {
		h.WasmContentLength = strconv.FormatInt(wasmSize, 10)
	}
	// go-app writes og:url and og:image as "https://" + Domain + path, with one Domain for
	// every request: it gets a placeholder that absoluteOG replaces by the public address.
	h.Domain = ogPlaceholder
	h.Image = "/web/icons/icon-512.png"
	return &Web{Handler: absoluteOG{next: app.WithLoader(h), base: strings.TrimRight(baseURL, "/")}, Version: v}
}

// ogPlaceholder is the host go-app puts in the pages' absolute addresses (og:url, og:image,
// twitter:image); .invalid is reserved, so it is never a real host.
const ogPlaceholder = "nullaosta-public-address.invalid"

// absoluteOG serves go-app's pages with the placeholder host replaced by the public address
// (with none, the addresses stay relative to the site). Files under /web/ (app.wasm among
// them) pass through untouched; other answers are small and buffered to be rewritten when HTML.
type absoluteOG struct {
	next http.Handler
	base string
}

func (a absoluteOG) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/web/") {
		a.next.ServeHTTP(w, r)
		return
	}
	rec := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
	a.next.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	if strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") {
		body = bytes.ReplaceAll(body, []byte("https://"+ogPlaceholder), []byte(a.base))
		// go-app's loading screen names its image in English; the label beside it says the
		// rest.
		body = bytes.ReplaceAll(body, []byte(`alt="wasm loader icon"`), []byte(`alt="Logo di Nullaosta"`))
		rec.header.Del("Content-Length")
		// Any address that is no page of the app gets the app's «Pagina non trovata», and
		// the status that says so to programs (link checkers, search engines).
		if rec.status == http.StatusOK && !app.IsPage(r.URL.Path) {
			rec.status = http.StatusNotFound
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(body)
}

// bufferedResponse keeps a handler's answer so that it can be rewritten before sending.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if !b.wrote {
		b.status, b.wrote = status, true
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}

// webFiles serves /web/… from a directory (any directory, unlike go-app's LocalDir, which
// serves the working directory's web/), preferring a precompressed twin (.br, then .gz) when
// the browser accepts it: app.wasm is compressed once at build time, not on every download.
type webFiles struct{ dir string }

// Resolve implements goapp.ResourceResolver: /web/ paths stay as they are.
func (w webFiles) Resolve(location string) string {
	if location == "" || location == "/" {
		return "/"
	}
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		return location
	}
	if !strings.HasPrefix(location, "/web/") && location != "/web" {
		return location
	}
	return "/" + strings.Trim(location, "/")
}

var _ goapp.ResourceResolver = webFiles{}

func (w webFiles) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	name := path.Clean("/" + strings.TrimPrefix(r.URL.Path, "/web/"))
	if strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
		http.NotFound(rw, r)
		return
	}
	file := filepath.Join(w.dir, filepath.FromSlash(name))
	rw.Header().Add("Vary", "Accept-Encoding")
	plain, plainErr := os.Stat(file)
	for _, enc := range []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !accepts(r.Header.Get("Accept-Encoding"), enc.name) {
			continue
		}
		f, err := os.Open(file + enc.ext)
		if err != nil {
			continue
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || fi.IsDir() {
			continue
		}
		// A twin older than its file is stale (app.wasm rebuilt or deployed without
		// recompressing): serving it would run yesterday's app.
		if plainErr == nil && fi.ModTime().Before(plain.ModTime()) {
			continue
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		rw.Header().Set("Content-Type", ct)
		rw.Header().Set("Content-Encoding", enc.name)
		// ServeContent omits Content-Length once Content-Encoding is set, but browsers show
		// download progress of the 16 MB wasm only with it. A byte range of a compressed
		// twin means nothing to a client that asked for the plain file, so ranges are
		// dropped and the whole twin is sent with its length.
		rw.Header().Set("Content-Length", strconv.FormatInt(fi.Size(), 10))
		r2 := r.Clone(r.Context())
		r2.Header.Del("Range")
		http.ServeContent(rw, r2, name, fi.ModTime(), f)
		return
	}
	if plainErr != nil || plain.IsDir() {
		http.NotFound(rw, r) // no directory listings
		return
	}
	r2 := *r
	u := *r.URL
	u.Path = name
	r2.URL = &u
	http.FileServer(http.Dir(w.dir)).ServeHTTP(rw, &r2)
}

// accepts reports whether an Accept-Encoding header allows enc (q=0 refuses).
func accepts(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			var err error
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				q = 0
			}
		}
		return q > 0
	}
	return false
}
