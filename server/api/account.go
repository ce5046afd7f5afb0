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
	// The same answer, in the same time, whether or not the address has an account: the
	// e-mail tells its owner.
	defer s.uniformTime(time.Now())
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
	if msg := auth.ValidPassword(req.Password, req.Email, req.Nome, req.Cognome); msg != "" {
		ps = append(ps, problem("password", "weak_password", msg))
	}
	if len(ps) > 0 {
		s.writeError(w, r, invalid("Controlla i dati della registrazione.", ps))
		return
	}
	// Counted once the registration is well formed: what it bounds is the e-mails sent to
	// one address.
	if s.overLimit(w, r, "register:"+email, core.RegisterLimit) {
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
		func(u *core.User) core.Mail {
			if u.Active {
				return mail.AlreadyRegistered(base, u)
			}
			return mail.Activation(base, secret, u)
		})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.WakeMail()
	writeJSON(w, http.StatusCreated, message{Message: "Ti abbiamo inviato un'e-mail all'indirizzo " + email +
		": apri il collegamento che contiene per attivare l'account (vale 48 ore). Controlla anche la posta indesiderata."})
}

type activateRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// activate uses an activation link. It asks for the password chosen at registration: whoever
// registered an address first cannot capture it, since the mailbox's owner activates only
// with the password they chose (a registration of theirs replaces any earlier one).
func (s *Server) activate(w http.ResponseWriter, r *http.Request) {
	var req activateRequest
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	hash := auth.HashSecret(strings.TrimSpace(req.Token))
	u, err := s.Store.OneTimeTokenUser(r.Context(), core.PurposeActivate, hash)
	if err == nil {
		if req.Password == "" {
			s.writeError(w, r, invalid("Scrivi la password che hai scelto nella registrazione.",
				[]shared.Problem{problem("password", "required", "Scrivi la password che hai scelto nella registrazione: serve ad attivare l'account.")}))
			return
		}
		if err := s.checkPassword(w, r, u, req.Password); err != nil {
			if core.ErrorCode(err) == core.EUNAUTHORIZED {
				msg := "La password non è quella scelta nella registrazione. Se non ti sei registrato tu con questo indirizzo, o non ricordi la password, registrati di nuovo: la registrazione precedente sarà annullata e riceverai un nuovo collegamento."
				err = invalid(msg, []shared.Problem{problem("password", "wrong_password", msg)})
			}
			s.writeError(w, r, err)
			return
		}
	}
	// UseToken decides: it activates, says an active account's link was opened twice, or
	// refuses a link that is not (or no longer) valid.
	if _, err := s.Store.UseToken(r.Context(), core.PurposeActivate, hash, ""); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, message{Message: "Account attivato: ora puoi accedere con la tua e-mail e la tua password."})
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// wrongCredentials does not tell whether the e-mail exists.
func wrongCredentials() error {
	return core.Errorf(core.EUNAUTHORIZED, "E-mail o password errate. Controlla e riprova; se non ricordi la password usa «Password dimenticata».")
}

// emailKey is the form of an address the limits count by (the store's: trimmed, lower-case).
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// passwordLocked refuses (429, with Retry-After) while the failed password checks of an
// account (by e-mail) are over core.PasswordLimit. Every route that checks a password asks it
// first and counts its failures (passwordFailed), so a lock holds for all of them, on every
// instance: it is in the database.
func (s *Server) passwordLocked(w http.ResponseWriter, r *http.Request, email string) error {
	if s.limits.off {
		return nil
	}
	left, err := s.Store.Left(r.Context(), core.PasswordKey(emailKey(email)), core.PasswordLimit)
	if err != nil {
		return err
	}
	if left <= 0 {
		s.setRetryAfter(w, core.PasswordLimit)
		return tooMany(w)
	}
	return nil
}

// passwordFailed counts a failed password check of the account with that e-mail and returns
// wrong, saying how many attempts are left when few are.
func (s *Server) passwordFailed(r *http.Request, email string, wrong error) error {
	if s.limits.off {
		return wrong
	}
	left, err := s.Store.Hit(r.Context(), core.PasswordKey(emailKey(email)), core.PasswordLimit, 1)
	if err != nil {
		return err
	}
	now := s.now()
	end := time.Unix(core.PasswordLimit.WindowStart(now), 0).Add(core.PasswordLimit.Window)
	return warnAttempts(wrong, left, end.Sub(now))
}

// checkPassword checks u's password under the shared lock: ERATELIMITED while locked,
// EUNAUTHORIZED (counted) if wrong.
func (s *Server) checkPassword(w http.ResponseWriter, r *http.Request, u *core.User, password string) error {
	if err := s.passwordLocked(w, r, u.Email); err != nil {
		return err
	}
	ok, err := auth.CheckPassword(u.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok {
		return s.passwordFailed(r, u.Email, wrongCredentials())
	}
	return nil
}

// checkCredentials returns the active account with that e-mail and password, or an error that
// does not tell whether the e-mail exists (unless the password is right). Failures count
// against the account's lock whether or not it exists.
func (s *Server) checkCredentials(w http.ResponseWriter, r *http.Request, email, password string) (*core.User, error) {
	if err := s.passwordLocked(w, r, email); err != nil {
		return nil, err
	}
	u, err := s.Store.UserByEmail(r.Context(), email)
	if core.ErrorCode(err) == core.ENOTFOUND {
		auth.CheckNoAccount(password)
		return nil, s.passwordFailed(r, email, wrongCredentials())
	}
	if err != nil {
		return nil, err
	}
	ok, err := auth.CheckPassword(u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, s.passwordFailed(r, email, wrongCredentials())
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
	u, err := s.checkCredentials(w, r, req.Email, req.Password)
	if err != nil {
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
	if err := s.checkPassword(w, r, u, req.OldPassword); err != nil {
		if core.ErrorCode(err) == core.EUNAUTHORIZED {
			err = invalid("La password attuale non è corretta.",
				[]shared.Problem{problem("oldPassword", "wrong_password", "La password attuale non è corretta: scrivila di nuovo.")})
		}
		s.writeError(w, r, err)
		return
	}
	if msg := auth.ValidPassword(req.NewPassword, u.Email, u.Nome, u.Cognome); msg != "" {
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
	if strings.TrimSpace(req.Email) == "" {
		s.writeError(w, r, invalid("Scrivi l'e-mail del tuo account.", []shared.Problem{problem("email", "required", "Scrivi l'e-mail con cui ti sei registrato.")}))
		return
	}
	// The same answer in the same time whether or not the account exists (the e-mail tells
	// its owner); the limit counts the address either way.
	defer s.uniformTime(time.Now())
	if s.overLimit(w, r, "reset:"+emailKey(req.Email), core.ResetLimit) {
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

// resetCheck tells the «Nuova password» page, when it opens, whether its link can still be
// used, so that nobody types a new password twice for a link already used or expired.
func (s *Server) resetCheck(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Token string `json:"token"`
	}
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.Store.OneTimeTokenUser(r.Context(), core.PurposeReset, auth.HashSecret(strings.TrimSpace(req.Token))); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) resetConfirm(w http.ResponseWriter, r *http.Request) {
	var req resetConfirmRequest
	if err := decode(w, r, &req, accountBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	token := auth.HashSecret(strings.TrimSpace(req.Token))
	u, err := s.Store.OneTimeTokenUser(r.Context(), core.PurposeReset, token)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if msg := auth.ValidPassword(req.Password, u.Email, u.Nome, u.Cognome); msg != "" {
		s.writeError(w, r, invalid(msg, []shared.Problem{problem("password", "weak_password", msg)}))
		return
	}
	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.Store.UseToken(r.Context(), core.PurposeReset, token, hash); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
