package apptest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/store"
)

// fakeAPI serves the given API routes ("GET /me", "POST /enti/richieste") from an httptest
// server, records the requests, and makes it the app's server.
type fakeAPI struct {
	mu       sync.Mutex
	Requests []*http.Request
	Bodies   []string
}

func UseFakeAPI(t *testing.T, now time.Time, routes map[string]http.HandlerFunc) (*fakeAPI, store.Store) {
	t.Helper()
	f := &fakeAPI{}
	mux := http.NewServeMux()
	for pattern, h := range routes {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" "+client.APIPrefix+path, func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			f.mu.Lock()
			f.Requests = append(f.Requests, r)
			f.Bodies = append(f.Bodies, string(b))
			f.mu.Unlock()
			h(w, r)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	st := store.NewMemory()
	session.Use(session.Env{Store: st, API: client.New(srv.URL, nil), Now: func() time.Time { return now }})
	t.Cleanup(func() { session.Use(session.Env{}) })
	return f, st
}

func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Count counts the elements of html whose class attribute contains class.
func Count(html, class string) int {
	re := regexp.MustCompile(`class="[^"]*\b` + regexp.QuoteMeta(class) + `\b[^"]*"`)
	return len(re.FindAllString(html, -1))
}

// RowTag returns the opening <tr> tag of the operator row n.
func RowTag(html, n string) string {
	for _, m := range regexp.MustCompile(`<tr[^>]*>`).FindAllString(html, -1) {
		if strings.Contains(m, `data-row="`+n+`"`) {
			return m
		}
	}
	return ""
}

// OptionSelected reports whether the <option> of that value is selected.
func OptionSelected(html, value string) bool {
	for _, m := range regexp.MustCompile(`<option[^>]*>`).FindAllString(html, -1) {
		if strings.Contains(m, `value="`+value+`"`) && strings.Contains(m, "selected") {
			return true
		}
	}
	return false
}

// SvgWithID returns the <svg> element with that id.
func SvgWithID(html, id string) string {
	i := strings.Index(html, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(html[:i], "<svg")
	end := strings.Index(html[i:], "</svg>")
	return html[start : i+end]
}

// TagWithID returns the opening tag of the element with that id.
func TagWithID(html, id string) string {
	i := strings.Index(html, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(html[:i], "<")
	end := strings.Index(html[i:], ">")
	return html[start : i+end+1]
}

func Itoa(n int) string { return strconv.Itoa(n) }
