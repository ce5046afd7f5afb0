package api

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"nullaosta/server/core"
	"nullaosta/server/mail"
	"nullaosta/shared"
	"nullaosta/shared/places"
)

// maxOperatoriRows bounds the operators table of one request (a patronato may list many).
const maxOperatoriRows = 200

type enteJSON struct {
	Nome      string `json:"nome"`
	Tipo      string `json:"tipo"`
	Provincia string `json:"provincia"`
}

type referenteJSON struct {
	Nome     string `json:"nome"`
	Cognome  string `json:"cognome"`
	Ruolo    string `json:"ruolo"`
	Telefono string `json:"telefono"`
	Fax      string `json:"fax"`
	Email    string `json:"email"`
}

type operatoreJSON struct {
	Nome        string `json:"nome"`
	Cognome     string `json:"cognome"`
	DataNascita string `json:"dataNascita"`
	Email       string `json:"email"`
}

type richiestaRequest struct {
	Ente      enteJSON        `json:"ente"`
	Referente referenteJSON   `json:"referente"`
	Operatori []operatoreJSON `json:"operatori"`
}

// validText checks a required free text of at most n characters.
func validText(field, what, v string, n int) []shared.Problem {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return []shared.Problem{problem(field, "required", "Scrivi "+what+".")}
	case utf8.RuneCountInString(v) > n:
		return []shared.Problem{problem(field, "format", fmt.Sprintf("Il testo è troppo lungo: al massimo %d caratteri.", n))}
	case strings.ContainsAny(v, "<>{}\\\r\n\t"):
		return []shared.Problem{problem(field, "format", "Il testo contiene caratteri non ammessi (< > { } \\ o a capo).")}
	}
	return nil
}

// validate checks every field of the request form and returns the cleaned request, the rows
// well-formed enough to look up, and the problems, the rows' keyed by row.
func (req *richiestaRequest) validate(today time.Time) (*core.Richiesta, []core.OperatoreInput, []shared.Problem, map[int][]shared.Problem) {
	var ps []shared.Problem
	r := &core.Richiesta{}

	ps = append(ps, validText("ente.nome", "il nome dell'ente (per esempio Comune di Cuneo)", req.Ente.Nome, 200)...)
	r.Ente.Nome = strings.TrimSpace(req.Ente.Nome)
	switch t := strings.ToLower(strings.TrimSpace(req.Ente.Tipo)); t {
	case core.EnteComune, core.EnteUnioneComuni, core.EntePatronato:
		r.Ente.Tipo = t
	case "":
		ps = append(ps, problem("ente.tipo", "required", "Scegli il tipo di ente: Comune, Unione di comuni o patronato."))
	default:
		ps = append(ps, problem("ente.tipo", "format", "Tipo di ente sconosciuto: scegli Comune, Unione di comuni o patronato."))
	}
	if p, ok := places.ProvinceBySigla(strings.TrimSpace(req.Ente.Provincia)); ok {
		r.Ente.Provincia = p.Sigla
	} else if strings.TrimSpace(req.Ente.Provincia) == "" {
		ps = append(ps, problem("ente.provincia", "required", "Scegli la provincia dell'ente."))
	} else {
		ps = append(ps, problem("ente.provincia", "unknown_provincia", "Provincia sconosciuta: scegli la sigla dall'elenco, per esempio CN."))
	}

	ref := req.Referente
	ps = append(ps, validName("referente.nome", "nome del referente", ref.Nome)...)
	ps = append(ps, validName("referente.cognome", "cognome del referente", ref.Cognome)...)
	ps = append(ps, validText("referente.ruolo", "il ruolo del referente (per esempio Responsabile dei servizi demografici)", ref.Ruolo, 100)...)
	r.Referente = core.Referente{Nome: strings.TrimSpace(ref.Nome), Cognome: strings.TrimSpace(ref.Cognome), Ruolo: strings.TrimSpace(ref.Ruolo)}
	if strings.TrimSpace(ref.Telefono) == "" {
		ps = append(ps, problem("referente.telefono", "required", "Scrivi il numero di telefono del referente."))
	} else if tel, err := shared.ParsePhone(ref.Telefono); err != nil {
		ps = append(ps, problem("referente.telefono", "format", err.Error()))
	} else {
		r.Referente.Telefono = tel
	}
	if strings.TrimSpace(ref.Fax) != "" {
		if fax, err := shared.ParsePhone(ref.Fax); err != nil {
			ps = append(ps, problem("referente.fax", "format", err.Error()))
		} else {
			r.Referente.Fax = fax
		}
	}
	if strings.TrimSpace(ref.Email) == "" {
		ps = append(ps, problem("referente.email", "required", "Scrivi l'e-mail del referente: riceverà l'elenco degli operatori abilitati."))
	} else if e, err := shared.ParseEmail(ref.Email); err != nil {
		ps = append(ps, problem("referente.email", "format", err.Error()))
	} else {
		r.Referente.Email = strings.ToLower(e)
	}

	switch n := len(req.Operatori); {
	case n == 0:
		ps = append(ps, problem("operatori", "required", "Aggiungi almeno un operatore alla tabella: nome, cognome, data di nascita ed e-mail con cui si è registrato."))
	case n > maxOperatoriRows:
		ps = append(ps, problem("operatori", "too_many", fmt.Sprintf("La tabella ha %d righe: al massimo %d per richiesta. Dividila in più richieste.", n, maxOperatoriRows)))
		return r, nil, ps, nil
	}
	var rows []core.OperatoreInput
	byRow := map[int][]shared.Problem{}
	for i, o := range req.Operatori {
		pos := i + 1
		f := fmt.Sprintf("operatori.%d.", pos)
		var rp []shared.Problem
		rp = append(rp, validName(f+"nome", fmt.Sprintf("nome dell'operatore della riga %d", pos), o.Nome)...)
		rp = append(rp, validName(f+"cognome", fmt.Sprintf("cognome dell'operatore della riga %d", pos), o.Cognome)...)
		row := core.OperatoreInput{Pos: pos, Nome: strings.TrimSpace(o.Nome), Cognome: strings.TrimSpace(o.Cognome)}
		birth, err := shared.ParseDate(o.DataNascita)
		switch {
		case strings.TrimSpace(o.DataNascita) == "":
			rp = append(rp, problem(f+"dataNascita", "required", fmt.Sprintf("Riga %d: scrivi la data di nascita dell'operatore (GG/MM/AAAA).", pos)))
		case err != nil || birth.Year() < 1900 || birth.After(today):
			rp = append(rp, problem(f+"dataNascita", "format", fmt.Sprintf("Riga %d: la data di nascita non è valida: scrivila come GG/MM/AAAA, per esempio 07/03/1970.", pos)))
		default:
			row.DataNascita = birth.Format(time.DateOnly)
		}
		if strings.TrimSpace(o.Email) == "" {
			rp = append(rp, problem(f+"email", "required", fmt.Sprintf("Riga %d: scrivi l'e-mail con cui l'operatore si è registrato.", pos)))
		} else if e, err := shared.ParseEmail(o.Email); err != nil {
			rp = append(rp, problem(f+"email", "format", fmt.Sprintf("Riga %d: %s", pos, err.Error())))
		} else {
			row.Email = strings.ToLower(e)
		}
		if len(rp) > 0 {
			byRow[pos] = rp
			continue
		}
		rows = append(rows, row)
	}
	return r, rows, ps, byRow
}

func (s *Server) createRichiesta(w http.ResponseWriter, r *http.Request) {
	var req richiestaRequest
	if err := decode(w, r, &req, backOfficeBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	u := userOf(r)
	if s.overLimit(w, r, "richieste:"+emailKey(u.Email), core.RichiesteLimit) {
		return
	}
	ric, rows, ps, byRow := req.validate(s.today())
	if len(ps) > 0 || len(byRow) > 0 {
		// Report every problem at once: the accounts of the well-formed rows too.
		found, err := s.Store.CheckOperatori(r.Context(), rows)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		for _, p := range found {
			pos, _ := strconv.Atoi(strings.Split(p.Field, ".")[1])
			byRow[pos] = append(byRow[pos], p)
		}
		pos := make([]int, 0, len(byRow))
		for p := range byRow {
			pos = append(pos, p)
		}
		sort.Ints(pos)
		for _, p := range pos {
			ps = append(ps, byRow[p]...)
		}
		msg := "Controlla la richiesta: " + firstError(ps) + " La richiesta non è stata inviata: correggi i campi segnati e inviala di nuovo."
		s.writeError(w, r, invalid(msg, ps))
		return
	}
	ric.CreatedByID = u.ID
	if err := s.Store.CreateRichiesta(r.Context(), ric, rows); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ric)
}

func (s *Server) myRichieste(w http.ResponseWriter, r *http.Request) {
	rs, err := s.Store.Richieste(r.Context(), userOf(r).ID, "")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rs)
}

func (s *Server) adminRichieste(w http.ResponseWriter, r *http.Request) {
	stato := r.URL.Query().Get("stato")
	switch stato {
	case "", core.RichiestaInAttesa, core.RichiestaParziale, core.RichiestaApprovata, core.RichiestaRespinta:
	default:
		s.writeError(w, r, core.Errorf(core.EINVALID, "Lo stato «%s» non esiste: usa in_attesa, parziale, approvata o respinta.", clip(stato)))
		return
	}
	rs, err := s.Store.Richieste(r.Context(), 0, stato)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rs)
}

// idParam reads a numeric identifier from the path.
func idParam(r *http.Request, name, what string) (int64, error) {
	v := chi.URLParam(r, name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, core.Errorf(core.ENOTFOUND, "%s «%s» non esiste.", what, clip(v))
	}
	return id, nil
}

func (s *Server) adminRichiesta(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id", "La richiesta")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ric, err := s.Store.Richiesta(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ric)
}

type decisionRequest struct {
	Motivo    string  `json:"motivo"`
	Operatori []int64 `json:"operatori"`
}

// maxMotivo bounds a reason or a note.
const maxMotivo = 1000

func (s *Server) approva(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Operatori []int64 `json:"operatori"`
	}
	if err := decodeOptional(w, r, &req, backOfficeBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.decide(w, r, decisionRequest{Operatori: req.Operatori}, true)
}

func (s *Server) respingi(w http.ResponseWriter, r *http.Request) {
	var req decisionRequest
	if err := decode(w, r, &req, backOfficeBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if ps := validMotivo("motivo", "il motivo del rifiuto, che sarà inviato al referente dell'ente", req.Motivo); len(ps) > 0 {
		s.writeError(w, r, invalid(ps[0].Message, ps))
		return
	}
	s.decide(w, r, req, false)
}

func validMotivo(field, what, v string) []shared.Problem {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return []shared.Problem{problem(field, "required", "Scrivi "+what+".")}
	case utf8.RuneCountInString(v) > maxMotivo:
		return []shared.Problem{problem(field, "format", fmt.Sprintf("Il testo è troppo lungo: al massimo %d caratteri.", maxMotivo))}
	}
	return nil
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, req decisionRequest, approve bool) {
	id, err := idParam(r, "id", "La richiesta")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u := userOf(r)
	motivo := strings.TrimSpace(req.Motivo)
	base := s.baseURL()
	action, detail := core.AuditApprova, "operatori abilitati: "
	if !approve {
		action, detail = core.AuditRespingi, "motivo: "+motivo+"; operatori respinti: "
	}
	d := core.Decision{RichiestaID: id, Approve: approve, UserIDs: req.Operatori, Motivo: motivo, By: u,
		Mail: func(ric *core.Richiesta, decided []core.OperatoreRichiesta) []core.Mail {
			if !approve {
				ms := []core.Mail{mail.Rejected(ric, decided, motivo)}
				for _, o := range decided {
					ms = append(ms, mail.RejectedOperator(base, ric, o, motivo))
				}
				return ms
			}
			ms := []core.Mail{mail.EnabledList(ric, decided)}
			for _, o := range decided {
				ms = append(ms, mail.Enabled(base, ric, o))
			}
			return ms
		},
	}
	// The audit line names the rows decided; the store knows them only inside its
	// transaction, so the detail is completed from the request as it stands now and the
	// rows asked for (all waiting rows when none are named).
	ric, err := s.Store.Richiesta(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var names []string
	for _, o := range ric.Operatori {
		if (req.Operatori == nil && o.Stato == core.OperatoreInAttesa) || containsID(req.Operatori, o.UserID) {
			names = append(names, fmt.Sprintf("%s %s <%s>", o.Nome, o.Cognome, o.Email))
		}
	}
	d.Audit = core.NewAudit(u, action, fmt.Sprintf("richiesta %d (%s)", id, ric.Ente.Nome), detail+strings.Join(names, ", "))
	out, err := s.Store.Decide(r.Context(), d)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.WakeMail()
	writeJSON(w, http.StatusOK, out)
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (s *Server) revoca(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "userId", "L'operatore")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req struct {
		Motivo string `json:"motivo"`
	}
	if err := decode(w, r, &req, backOfficeBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if ps := validMotivo("motivo", "il motivo della revoca, che sarà inviato all'operatore", req.Motivo); len(ps) > 0 {
		s.writeError(w, r, invalid(ps[0].Message, ps))
		return
	}
	motivo := strings.TrimSpace(req.Motivo)
	admin := userOf(r)
	target := strconv.FormatInt(id, 10)
	if op, err := s.Store.UserByID(r.Context(), id); err == nil {
		target = op.Email
	}
	u, err := s.Store.Revoke(r.Context(), id, motivo, admin,
		func(u *core.User) core.Mail { return mail.Revoked(u, motivo) },
		core.NewAudit(admin, core.AuditRevoca, "operatore "+target, "motivo: "+motivo))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.WakeMail()
	s.writeUser(w, r, http.StatusOK, u)
}

// operatorJSON is an enabled operator in the Ministry's list: a User with the ente and when it
// was enabled.
type operatorJSON struct {
	*core.User
	Ente             *core.Ente `json:"ente,omitempty"`
	PendingOperator  bool       `json:"pendingOperator"`
	RichiestaID      int64      `json:"richiestaId,omitempty"`
	EnabledAt        time.Time  `json:"enabledAt,omitzero"`
	EnabledAtRome    string     `json:"enabledAtRome,omitempty"`
	ModulesGenerated int        `json:"modulesGenerated"`
	ModuleLimit      int        `json:"moduleLimit"`
}

func (s *Server) adminOperatori(w http.ResponseWriter, r *http.Request) {
	ops, err := s.Store.Operators(r.Context(), clipQuery(r.URL.Query().Get("q")))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]operatorJSON, len(ops))
	for i := range ops {
		o := &ops[i]
		out[i] = operatorJSON{User: &o.User, Ente: o.Ente, RichiestaID: o.RichiestaID, EnabledAt: o.EnabledAt, ModulesGenerated: o.ModulesGenerated}
		if !o.EnabledAt.IsZero() {
			out[i].EnabledAtRome = core.RomeTime(o.EnabledAt)
		}
	}
	writeJSON(w, http.StatusOK, out)
}
