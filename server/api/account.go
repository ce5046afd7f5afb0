package api

import (
	"net/http"
	"strings"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/server/mail"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

type registerRequest struct {
	Cognome     string `json:"cognome"`
	Nome        string `json:"nome"`
	Email       string `json:"email"`
	DataNascita string `json:"dataNascita"`
	Password    string `json:"password"`
}

func problem(field, code, msg string) shared.Problem {
	return shared.Problem{Field: field, Code: code, Severity: shared.SeverityError, Message: msg}
}

func invalid(msg string, ps []shared.Problem) error {
	return &core.Error{Code: core.EINVALID, Message: msg, Problems: ps}
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var req registerRequest
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.overLimit(w, r, s.limits.registerEmail, req.Email) {
		return
	}
	var ps []shared.Problem
	ps = append(ps, wire.ValidName("cognome", "cognome", req.Cognome)...)
	ps = append(ps, wire.ValidName("nome", "nome", req.Nome)...)
	email, err := shared.ParseEmail(req.Email)
	if strings.TrimSpace(req.Email) == "" {
		ps = append(ps, problem("email", "required", "Scrivi il tuo indirizzo e-mail: sarà il tuo nome utente."))
	} else if err != nil {
		ps = append(ps, problem("email", "format", "L'indirizzo e-mail non è valido: controlla di averlo scritto per intero, per esempio nome.cognome@esempio.it."))
	}
	birth, err := shared.ParseDate(req.DataNascita)
	switch {
	case strings.TrimSpace(req.DataNascita) == "":
		ps = append(ps, problem("dataNascita", "required", "Scrivi la tua data di nascita (GG/MM/AAAA)."))
	case err != nil:
		ps = append(ps, problem("dataNascita", "format", "La data di nascita non è valida: scrivila come GG/MM/AAAA, per esempio 07/03/1970."))
	case birth.AddDate(18, 0, 0).After(s.today()):
		ps = append(ps, problem("dataNascita", "min_age", "Per registrarti devi essere maggiorenne: controlla la data di nascita."))
	case birth.Year() < 1900:
		ps = append(ps, problem("dataNascita", "format", "La data di nascita è troppo lontana: controlla l'anno."))
	}
	if msg := auth.ValidPassword(req.Password); msg != "" {
		ps = append(ps, problem("password", "weak_password", msg))
	}
	if len(ps) > 0 {
		s.writeError(w, r, invalid("Controlla i dati della registrazione.", ps))
		return
	}
	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	secret, tokenHash := auth.NewSecret()
	u := &core.User{
		Email:        email,
		Cognome:      strings.TrimSpace(req.Cognome),
		Nome:         strings.TrimSpace(req.Nome),
		DataNascita:  birth.Format(time.DateOnly),
		Role:         core.RolePrivato,
		PasswordHash: hash,
	}
	base := s.baseURL()
	err = s.Store.CreateUser(r.Context(), u,
		core.OneTimeToken{Hash: tokenHash, Purpose: core.PurposeActivate, ExpiresAt: s.now().Add(activationTTL)},
		func(u *core.User) core.Mail { return mail.Activation(base, secret, u) })
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.WakeMail()
	writeJSON(w, http.StatusCreated, message{Message: "Ti abbiamo inviato un'e-mail all'indirizzo " + email +
		": apri il collegamento che contiene per attivare l'account (vale 48 ore). Controlla anche la posta indesiderata."})
}

type tokenRequest struct {
	Token string `json:"token"`
}

func (s *Server) activate(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.Store.UseToken(r.Context(), core.PurposeActivate, auth.HashSecret(strings.TrimSpace(req.Token)), ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, message{Message: "Account attivato: ora puoi accedere con la tua e-mail e la tua password."})
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// checkCredentials returns the active account with that e-mail and password, or an error that
// does not tell whether the e-mail exists (unless the password is right).
func (s *Server) checkCredentials(r *http.Request, email, password string) (*core.User, error) {
	wrong := core.Errorf(core.EUNAUTHORIZED, "E-mail o password errate. Controlla e riprova; se non ricordi la password usa «Password dimenticata».")
	u, err := s.Store.UserByEmail(r.Context(), email)
	if core.ErrorCode(err) == core.ENOTFOUND {
		auth.CheckNoAccount(password)
		return nil, wrong
	}
	if err != nil {
		return nil, err
	}
	ok, err := auth.CheckPassword(u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, wrong
	}
	if !u.Active {
		return nil, core.Errorf(core.EFORBIDDEN, "L'account non è ancora attivo: apri il collegamento che ti abbiamo inviato per e-mail (controlla anche la posta indesiderata). Se è scaduto, registrati di nuovo con la stessa e-mail per riceverne uno nuovo.")
	}
	return u, nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req credentials
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.overLimit(w, r, s.limits.loginEmail, req.Email) {
		return
	}
	u, err := s.checkCredentials(r, req.Email, req.Password)
	if err != nil {
		if core.ErrorCode(err) == core.EUNAUTHORIZED {
			err = warnAttempts(w, err, loginWindow)
		}
		s.writeError(w, r, err)
		return
	}
	secret, hash := auth.NewSecret()
	sess := &core.Session{Hash: hash, UserID: u.ID, ExpiresAt: s.now().Add(sessionTTL)}
	if u.Role == core.RoleAdmin || u.Role == core.RoleSportello {
		a := core.NewAudit(u, core.AuditLogin, u.Email, "accesso da "+clientIP(r))
		sess.Audit = &a
	}
	if err := s.Store.CreateSession(r.Context(), sess); err != nil {
		s.writeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: s.secureCookies(r), SameSite: http.SameSiteLaxMode,
	})
	s.writeUser(w, r, http.StatusOK, u)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if p := principalOf(r); p.Session != nil {
		if err := s.Store.DeleteSession(r.Context(), p.Session); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies(r), SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
}

// userJSON is the User of docs/API.md.
type userJSON struct {
	*core.User
	ModulesGenerated int          `json:"modulesGenerated"`
	ModuleLimit      int          `json:"moduleLimit"` // per campaign; 0 = no limit
	Quota            []core.Quota `json:"quota"`
	// Ente is the comune or patronato that had the operator enabled.
	Ente *core.Ente `json:"ente,omitempty"`
	// PendingOperator: a request names the user and is not decided yet.
	PendingOperator bool `json:"pendingOperator"`
	// OperatorDecision is the Ministry's last decision about the user as an operator, with
	// OperatorNotice, the sentence that tells it (shown after logging in).
	OperatorDecision *core.OperatorDecision `json:"operatorDecision,omitempty"`
	OperatorNotice   string                 `json:"operatorNotice,omitempty"`
}

// moduleLimit is how many modules u may generate in c (0: no limit).
func (s *Server) moduleLimit(u *core.User, c *shared.Campaign) int {
	if u.Role != core.RolePrivato || s.cfg.Bench {
		return 0
	}
	return c.ModuleLimit
}

func (s *Server) userView(r *http.Request, u *core.User) (*userJSON, error) {
	counts, err := s.Store.ModuleCounts(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	v := &userJSON{User: u, Quota: []core.Quota{}}
	if u.Role.Applicant() {
		info, err := s.Store.OperatorInfo(r.Context(), u.ID)
		if err != nil {
			return nil, err
		}
		v.PendingOperator = info.Pending
		if u.Role == core.RoleOperatore {
			v.Ente = info.Ente
		}
		if info.Decision != nil {
			v.OperatorDecision, v.OperatorNotice = info.Decision, info.Decision.Notice()
		}
	}
	for _, c := range s.cfg.Campaigns {
		q := core.Quota{Kind: string(c.Kind), CampaignID: c.ID, Generated: counts[c.ID], Limit: s.moduleLimit(u, &c)}
		v.Quota = append(v.Quota, q)
		v.ModulesGenerated += q.Generated
		v.ModuleLimit = max(v.ModuleLimit, q.Limit)
	}
	return v, nil
}

func (s *Server) writeUser(w http.ResponseWriter, r *http.Request, status int, u *core.User) {
	v, err := s.userView(r, u)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	s.writeUser(w, r, http.StatusOK, userOf(r))
}

type passwordRequest struct {
	OldPassword string `json:"oldPassword"`
	NewPassword string `json:"newPassword"`
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	var req passwordRequest
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	u := userOf(r)
	if s.overLimit(w, r, s.limits.passwordUser, u.Email) {
		return
	}
	ok, err := auth.CheckPassword(u.PasswordHash, req.OldPassword)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !ok {
		s.writeError(w, r, invalid("La password attuale non è corretta.",
			[]shared.Problem{problem("oldPassword", "wrong_password", "La password attuale non è corretta: scrivila di nuovo.")}))
		return
	}
	if msg := auth.ValidPassword(req.NewPassword); msg != "" {
		s.writeError(w, r, invalid(msg, []shared.Problem{problem("newPassword", "weak_password", msg)}))
		return
	}
	hash, err := auth.HashPassword(req.NewPassword)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.Store.SetPassword(r.Context(), u.ID, hash, principalOf(r).Session); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type resetRequest struct {
	Email string `json:"email"`
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	var req resetRequest
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.overLimit(w, r, s.limits.resetEmail, req.Email) {
		return
	}
	if strings.TrimSpace(req.Email) == "" {
		s.writeError(w, r, invalid("Scrivi l'e-mail del tuo account.", []shared.Problem{problem("email", "required", "Scrivi l'e-mail con cui ti sei registrato.")}))
		return
	}
	secret, hash := auth.NewSecret()
	base := s.baseURL()
	ok, err := s.Store.CreateResetToken(r.Context(), req.Email,
		core.OneTimeToken{Hash: hash, Purpose: core.PurposeReset, ExpiresAt: s.now().Add(resetTTL)},
		func(u *core.User) core.Mail { return mail.Reset(base, secret, u) })
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if ok {
		s.WakeMail()
	}
	// The same answer whether or not the account exists.
	writeJSON(w, http.StatusAccepted, message{Message: "Se esiste un account con questa e-mail, ti abbiamo inviato un collegamento per scegliere una nuova password (vale un'ora). Controlla anche la posta indesiderata."})
}

type resetConfirmRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (s *Server) resetConfirm(w http.ResponseWriter, r *http.Request) {
	var req resetConfirmRequest
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if msg := auth.ValidPassword(req.Password); msg != "" {
		s.writeError(w, r, invalid(msg, []shared.Problem{problem("password", "weak_password", msg)}))
		return
	}
	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.Store.UseToken(r.Context(), core.PurposeReset, auth.HashSecret(strings.TrimSpace(req.Token)), hash); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
