package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/shared"
)

type createTokenRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Label    string `json:"label"`
}

type createTokenResponse struct {
	ID        int64     `json:"id"`
	Token     string    `json:"token"`
	Label     string    `json:"label"`
	CreatedAt time.Time `json:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// createToken asks for e-mail and password again, as the desktop program did, and returns a
// bearer token for importing and sending. It is shown once; only its SHA-256 is stored.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var req createTokenRequest
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.overLimit(w, r, "tokens:"+emailKey(req.Email), core.TokensLimit) {
		return
	}
	label := strings.TrimSpace(req.Label)
	if utf8.RuneCountInString(label) > 100 || strings.ContainsAny(label, "\r\n") {
		s.writeError(w, r, invalid("Il nome del token è troppo lungo.", []shared.Problem{problem("label", "too_long", "Il nome del token può avere al massimo 100 caratteri, su una riga.")}))
		return
	}
	u, err := s.checkCredentials(w, r, req.Email, req.Password)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if label == "" {
		label = "Token del " + core.RomeTime(s.now())[:10]
	}
	secret, _ := auth.NewSecret()
	secret = tokenPrefix + secret
	t := &core.Token{UserID: u.ID, Hash: auth.HashSecret(secret), Label: label, ExpiresAt: s.now().Add(tokenTTL)}
	if err := s.Store.CreateToken(r.Context(), t); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, createTokenResponse{ID: t.ID, Token: secret, Label: t.Label, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt})
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.Store.Tokens(r.Context(), userOf(r).ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(ts) > maxTokensShown {
		ts = ts[:maxTokensShown]
	}
	writeJSON(w, http.StatusOK, ts)
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.writeError(w, r, core.Errorf(core.ENOTFOUND, "Token %q non trovato fra i tuoi token di importazione.", chi.URLParam(r, "id")))
		return
	}
	if err := s.Store.DeleteToken(r.Context(), userOf(r).ID, id); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type importResponse struct {
	User           *userJSON         `json:"user"`
	Modules        []core.Module     `json:"modules"`
	Campaigns      []shared.Campaign `json:"campaigns"`
	RefdataVersion string            `json:"refdataVersion"`
}

// importAll is what the compiler downloads with a token: the user, their modules, the
// campaign parameters and the reference data version.
func (s *Server) importAll(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	v, err := s.userView(r, u)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ms, err := s.Store.Modules(r.Context(), u.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cs := s.cfg.Campaigns
	if cs == nil {
		cs = []shared.Campaign{}
	}
	writeJSON(w, http.StatusOK, importResponse{User: v, Modules: ms, Campaigns: cs, RefdataVersion: s.refdataVersion()})
}
