package api

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"nullaosta/server/core"
	"nullaosta/server/mail"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// validate checks the request form (wire.EnablementInput.Validate, the browser's check too) and
// returns the request to store, the rows well-formed enough to look up, and the problems, the
// rows' keyed by row.
func validateEnablement(req wire.EnablementInput, today time.Time) (*core.Enablement, []core.OperatoreInput, []shared.Problem, map[int][]shared.Problem) {
	clean, pos, ps, byRow := req.Validate(today)
	r := &core.Enablement{Ente: clean.Ente, Referente: clean.Referente}
	rows := make([]core.OperatoreInput, len(clean.Operatori))
	for i, o := range clean.Operatori {
		rows[i] = core.OperatoreInput{Pos: pos[i], Nome: o.Nome, Cognome: o.Cognome, DataNascita: o.DataNascita, Email: o.Email}
	}
	if byRow == nil {
		byRow = map[int][]shared.Problem{}
	}
	return r, rows, ps, byRow
}

func (s *Server) createEnablement(w http.ResponseWriter, r *http.Request) {
	var req wire.EnablementInput
	if err := decode(w, r, &req, backOfficeBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	u := userOf(r)
	if s.overLimit(w, r, "richieste:"+emailKey(u.Email), core.EnablementsLimit) {
		return
	}
	ric, rows, ps, byRow := validateEnablement(req, s.today())
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
	if err := s.Store.CreateEnablement(r.Context(), ric, rows); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ric)
}

func (s *Server) myEnablements(w http.ResponseWriter, r *http.Request) {
	rs, err := s.Store.Enablements(r.Context(), userOf(r).ID, "")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rs)
}

func (s *Server) adminEnablements(w http.ResponseWriter, r *http.Request) {
	stato := r.URL.Query().Get("stato")
	switch stato {
	case "", core.EnablementInAttesa, core.EnablementParziale, core.EnablementApprovata, core.EnablementRespinta:
	default:
		s.writeError(w, r, core.Errorf(core.EINVALID, "Lo stato «%s» non esiste: usa in_attesa, parziale, approvata o respinta.", clip(stato)))
		return
	}
	rs, err := s.Store.Enablements(r.Context(), 0, stato)
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

func (s *Server) adminEnablement(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id", "La richiesta")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ric, err := s.Store.Enablement(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ric)
}

func (s *Server) approva(w http.ResponseWriter, r *http.Request) {
	var req wire.Decision
	if err := decodeOptional(w, r, &req, backOfficeBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.decide(w, r, wire.Decision{Operatori: req.Operatori}, true)
}

func (s *Server) respingi(w http.ResponseWriter, r *http.Request) {
	var req wire.Decision
	if err := decode(w, r, &req, backOfficeBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	if ps := wire.ValidMotivo("motivo", "il motivo del rifiuto, che sarà inviato al referente dell'ente", req.Motivo); len(ps) > 0 {
		s.writeError(w, r, invalid(ps[0].Message, ps))
		return
	}
	s.decide(w, r, req, false)
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, req wire.Decision, approve bool) {
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
	d := core.Decision{EnablementID: id, Approve: approve, UserIDs: req.Operatori, Motivo: motivo, By: u,
		Mail: func(ric *core.Enablement, decided []core.EnablementOperator) []core.Mail {
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
	ric, err := s.Store.Enablement(r.Context(), id)
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
	if ps := wire.ValidMotivo("motivo", "il motivo della revoca, che sarà inviato all'operatore", req.Motivo); len(ps) > 0 {
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
	EnablementID     int64      `json:"richiestaId,omitempty"`
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
		out[i] = operatorJSON{User: &o.User, Ente: o.Ente, EnablementID: o.EnablementID, EnabledAt: o.EnabledAt, ModulesGenerated: o.ModulesGenerated}
		if !o.EnabledAt.IsZero() {
			out[i].EnabledAtRome = core.RomeTime(o.EnabledAt)
		}
	}
	writeJSON(w, http.StatusOK, out)
}
