package client_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"nullaosta/shared"
)

// fakeAPI fakes the server of docs/API.md closely enough to check what the client sends: it
// rejects unknown JSON fields as the real server does, and knows one account.
type fakeAPI struct {
	t  *testing.T
	mu sync.Mutex
	// batches records the number of submissions in each POST /submissions.
	batches []int
	// answer decides each submission's result; nil accepts all.
	answer func(submissionID, moduleID string) map[string]any
}

const (
	email    = "anna@example.it"
	password = "correct horse"
	session  = "sess-123"
	token    = "tok-456"
)

// fakeServer is where the fake answers: a real local server natively; in the browser, where
// net/http goes through fetch and cannot reach an in-process listener, the handler is called
// directly (see transport_wasm_test.go).
type fakeServer struct {
	URL     string
	handler http.Handler
	down    bool
	srv     *httptest.Server
}

// Close stops the server: afterwards requests get no answer.
func (s *fakeServer) Close() {
	s.down = true
	if s.srv != nil {
		s.srv.Close()
	}
}

func newFake(t *testing.T) (*fakeAPI, *fakeServer) {
	f := &fakeAPI{t: t}
	srv := startFake(f.routes())
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAPI) routes() http.Handler {
	mux := http.NewServeMux()
	user := map[string]any{"id": 7, "email": email, "cognome": "Rossi", "nome": "Anna",
		"dataNascita": "1980-01-02", "role": "operatore", "modulesGenerated": 1, "moduleLimit": 0}
	receipt := func(sub, mod string) map[string]any {
		return map[string]any{"protocol": "EM2009-" + sub, "campaignId": "em2009", "moduleId": mod,
			"submissionId": sub, "receivedAt": "2026-11-23T13:05:09Z", "receivedAtRome": "23/11/2026 14:05:09",
			"sportello": "Sportello Unico di Roma", "provincia": "RM", "sha256": "ab", "signature": "c2ln", "keyId": "k1"}
	}
	module := map[string]any{"id": "EM-7K3Q-9XHD-4", "kind": "EM", "campaignId": "em2009",
		"createdAt": "2026-11-23T13:05:09Z", "createdAtRome": "23/11/2026 14:05:09",
		"data": map[string]any{"datore.cognome": "ROSSI", "datore.convivente": true}, "status": "generato"}

	mux.HandleFunc("POST /api/v1/auth/register", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Cognome, Nome, Email, DataNascita, Password string }
		if !f.decode(w, r, &in) {
			return
		}
		if in.Email == email {
			writeErr(w, 409, "conflict", "Esiste già un account con questa e-mail.", nil)
			return
		}
		writeJSON(w, 201, map[string]string{"message": "Ti abbiamo scritto a " + in.Email})
	})
	mux.HandleFunc("POST /api/v1/auth/activate", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Token, Password string }
		if f.decode(w, r, &in) {
			if in.Password == "" {
				writeJSON(w, 422, map[string]any{"error": map[string]string{"code": "invalid", "message": "Scrivi la password."}})
				return
			}
			writeJSON(w, 200, map[string]string{"message": "Account attivato: " + in.Token})
		}
	})
	mux.HandleFunc("POST /api/v1/auth/login", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Email, Password string }
		if !f.decode(w, r, &in) {
			return
		}
		if in.Email != email || in.Password != password {
			writeErr(w, 401, "unauthorized", "E-mail o password errate.", nil)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "nullaosta_session", Value: session, Path: "/", HttpOnly: true})
		writeJSON(w, 200, user)
	})
	mux.HandleFunc("POST /api/v1/auth/logout", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "nullaosta_session", Value: "", Path: "/", MaxAge: -1})
		w.WriteHeader(204)
	})
	mux.HandleFunc("GET /api/v1/me", f.auth(false, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, user) }))
	mux.HandleFunc("POST /api/v1/auth/password", f.auth(false, func(w http.ResponseWriter, r *http.Request) {
		var in struct{ OldPassword, NewPassword string }
		if !f.decode(w, r, &in) {
			return
		}
		if in.OldPassword != password {
			writeErr(w, 422, "invalid", "La password attuale non è corretta.", nil)
			return
		}
		w.WriteHeader(204)
	}))
	mux.HandleFunc("POST /api/v1/auth/reset", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Email string }
		if f.decode(w, r, &in) {
			writeJSON(w, 202, map[string]string{"message": "Se l'account esiste, ti abbiamo scritto."})
		}
	})
	mux.HandleFunc("POST /api/v1/auth/reset/confirm", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Token, Password string }
		if f.decode(w, r, &in) {
			w.WriteHeader(204)
		}
	})
	mux.HandleFunc("GET /api/v1/campaigns", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []map[string]any{{"id": "em2009", "kind": "EM", "title": "Emersione 2009", "year": 2009,
			"sendFrom": "2009-09-01", "sendTo": "2009-09-30"}})
	})
	mux.HandleFunc("GET /api/v1/refdata", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"version": "istat-2020"})
	})
	mux.HandleFunc("POST /api/v1/modules", f.auth(false, func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Kind string
			Data shared.Data
		}
		if !f.decode(w, r, &in) {
			return
		}
		if in.Data.Str("datore.cognome") == "" {
			writeErr(w, 422, "invalid", "Controlla i campi segnati.", []shared.Problem{
				{Field: "datore.cognome", Code: "required", Severity: shared.SeverityError, Message: "Scrivi il cognome."}})
			return
		}
		writeJSON(w, 201, module)
	}))
	mux.HandleFunc("GET /api/v1/modules", f.auth(false, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []any{module})
	}))
	mux.HandleFunc("GET /api/v1/modules/{id}", f.auth(false, func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "EM-7K3Q-9XHD-4" {
			writeErr(w, 404, "not_found", "Modulo non trovato.", nil)
			return
		}
		writeJSON(w, 200, module)
	}))
	mux.HandleFunc("POST /api/v1/tokens", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Email, Password, Label string }
		if !f.decode(w, r, &in) {
			return
		}
		if in.Password != password {
			writeErr(w, 401, "unauthorized", "E-mail o password errate.", nil)
			return
		}
		writeJSON(w, 201, map[string]any{"id": "t1", "token": token, "label": in.Label,
			"createdAt": "2026-11-23T13:05:09Z", "expiresAt": "2027-11-23T13:05:09Z"})
	})
	mux.HandleFunc("GET /api/v1/tokens", f.auth(true, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []map[string]any{{"id": "t1", "label": "tablet", "createdAt": "2026-11-23T13:05:09Z",
			"expiresAt": "2027-11-23T13:05:09Z", "lastUsedAt": "2026-11-24T08:00:00Z"}})
	}))
	mux.HandleFunc("DELETE /api/v1/tokens/{id}", f.auth(false, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(204)
	}))
	mux.HandleFunc("GET /api/v1/import", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			writeErr(w, 401, "unauthorized", "Token di importazione non valido.", nil)
			return
		}
		writeJSON(w, 200, map[string]any{"user": user, "modules": []any{module},
			"campaigns": []map[string]any{{"id": "em2009", "kind": "EM"}}, "refdataVersion": "istat-2020"})
	})
	mux.HandleFunc("POST /api/v1/submissions", f.auth(true, func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Submissions []struct {
				SubmissionID string      `json:"submissionId"`
				ModuleID     string      `json:"moduleId"`
				Data         shared.Data `json:"data"`
			} `json:"submissions"`
		}
		if !f.decode(w, r, &in) {
			return
		}
		f.mu.Lock()
		f.batches = append(f.batches, len(in.Submissions))
		answer := f.answer
		f.mu.Unlock()
		var results []map[string]any
		for _, s := range in.Submissions {
			var res map[string]any
			if answer != nil {
				res = answer(s.SubmissionID, s.ModuleID)
			}
			if res == nil {
				res = map[string]any{"status": "accepted", "receipt": receipt(s.SubmissionID, s.ModuleID)}
			}
			if res["status"] == "http500" {
				writeErr(w, 500, "internal", "Errore interno del server.", nil)
				return
			}
			res["submissionId"], res["moduleId"] = s.SubmissionID, s.ModuleID
			results = append(results, res)
		}
		writeJSON(w, 200, map[string]any{"results": results})
	}))
	mux.HandleFunc("GET /api/v1/receipts", f.auth(true, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []any{receipt("s1", "EM-7K3Q-9XHD-4")})
	}))
	mux.HandleFunc("GET /api/v1/receipts/{protocol}/pdf", f.auth(true, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprintf(w, "%%PDF-1.4 %s", r.PathValue("protocol"))
	}))
	mux.HandleFunc("GET /api/v1/receipts/public-key", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"keyId": "k1", "publicKey": "cHVi"})
	})
	mux.HandleFunc("GET /api/v1/receipts/keys", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"keys": []map[string]any{
			{"keyId": "k1", "algorithm": "Ed25519", "publicKey": "cHVi", "current": true},
			{"keyId": "k0", "algorithm": "Ed25519", "publicKey": "b2xk", "current": false}}})
	})
	mux.HandleFunc("POST /api/v1/validate", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Module string
			Date   string
			Data   shared.Data
		}
		if !f.decode(w, r, &in) {
			return
		}
		writeJSON(w, 200, shared.NewResult([]shared.Problem{{Field: "x", Code: "c", Severity: shared.SeverityWarning, Message: in.Date}}))
	})
	mux.HandleFunc("GET /api/v1/dev/mail", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []map[string]any{{"id": 1, "to": r.URL.Query().Get("to"), "subject": "Attiva",
			"body": "…", "link": "http://x/attiva?token=abc", "createdAt": "2026-11-23T13:05:09Z"}})
	})
	mux.HandleFunc("GET /api/v1/proxy-error", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		fmt.Fprint(w, "<html>Bad Gateway</html>")
	})
	return mux
}

// auth accepts the session cookie, or the bearer token when bearerOK.
func (f *fakeAPI) auth(bearerOK bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("nullaosta_session"); err == nil && c.Value == session {
			h(w, r)
			return
		}
		if bearerOK && r.Header.Get("Authorization") == "Bearer "+token {
			h(w, r)
			return
		}
		writeErr(w, 401, "unauthorized", "Accedi per continuare.", nil)
	}
}

// decode reads the JSON body strictly, answering 400 invalid on unknown fields as the server
// does. Field names are matched case-insensitively by encoding/json, so the expected names are
// checked exactly against the raw keys too.
func (f *fakeAPI) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		f.t.Errorf("%s %s: Content-Type %q", r.Method, r.URL.Path, ct)
	}
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
		writeErr(w, 400, "invalid", "JSON non valido.", nil)
		return false
	}
	allowed := map[string]bool{"cognome": true, "nome": true, "email": true, "dataNascita": true,
		"password": true, "token": true, "oldPassword": true, "newPassword": true, "kind": true,
		"data": true, "label": true, "submissions": true, "module": true, "date": true}
	for k := range raw {
		if !allowed[k] {
			f.t.Errorf("%s %s: unknown field %q", r.Method, r.URL.Path, k)
			writeErr(w, 400, "invalid", "Campo sconosciuto: "+k, nil)
			return false
		}
	}
	b, _ := json.Marshal(raw)
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeErr(w, 400, "invalid", "Richiesta non valida: "+err.Error(), nil)
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, code, msg string, problems []shared.Problem) {
	body := map[string]any{"error": map[string]string{"code": code, "message": msg}}
	if problems != nil {
		body["problems"] = problems
	}
	writeJSON(w, status, body)
}
