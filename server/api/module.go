package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"nullaosta/server/core"
	"nullaosta/shared"
)

type createModuleRequest struct {
	Kind string      `json:"kind"`
	Data shared.Data `json:"data"`
}

func (s *Server) createModule(w http.ResponseWriter, r *http.Request) {
	var req createModuleRequest
	if err := decode(w, r, &req, dataBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	k, err := shared.ParseKind(req.Kind)
	if err != nil {
		s.writeError(w, r, invalid(err.Error(), []shared.Problem{problem("kind", "unknown_module", "Scegli il modulo: EM (emersione) oppure A (nulla osta).")}))
		return
	}
	c, ok := s.byKind[k]
	if !ok {
		s.writeError(w, r, core.Errorf(core.ECLOSED, "Questo server non riceve moduli %s in questo periodo.", k))
		return
	}
	if req.Data == nil {
		req.Data = shared.Data{}
	}
	if ps := shared.ValidateGeneration(k, c, req.Data, s.now()); shared.HasErrors(ps) {
		s.writeError(w, r, invalid("Controlla i dati per generare il modulo: "+firstError(ps), ps))
		return
	}
	u := userOf(r)
	m := &core.Module{Kind: k, CampaignID: c.ID, UserID: u.ID, Data: shared.Normalize(k, req.Data)}
	if err := s.Store.CreateModule(r.Context(), m, s.moduleLimit(u, c)); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

// maxModulesPage bounds one page of GET /modules.
const maxModulesPage = 500

func (s *Server) listModules(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := core.ModuleFilter{Q: clipQuery(q.Get("q")), CF: clipQuery(q.Get("cf")), Status: q.Get("stato")}
	if f.Status != "" && f.Status != core.ModuleGenerated && f.Status != core.ModuleSent {
		s.writeError(w, r, core.Errorf(core.EINVALID, "Lo stato «%s» non esiste: usa generato oppure inviato.", clip(f.Status)))
		return
	}
	var err error
	if f.Limit, err = intParam(q, "limit", 0, maxModulesPage); err == nil {
		f.Offset, err = intParam(q, "offset", 0, 1<<30)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ms, total, err := s.Store.SearchModules(r.Context(), userOf(r).ID, f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	writeJSON(w, http.StatusOK, ms)
}

func (s *Server) getModule(w http.ResponseWriter, r *http.Request) {
	id, err := core.ParseModuleID(chi.URLParam(r, "id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.ownModule(r, id, s.Store.Module)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// ownModule returns the module, read by read (Store.Module or Store.ModuleToSend), if the
// caller owns it; someone else's is "not found", so that identifiers cannot be probed.
func (s *Server) ownModule(r *http.Request, id string, read func(context.Context, string) (*core.Module, error)) (*core.Module, error) {
	m, err := read(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if m.UserID != userOf(r).ID {
		return nil, core.Errorf(core.ENOTFOUND, "Il modulo %s non esiste o non è tuo.", id)
	}
	return m, nil
}

// firstError is the message of the first blocking problem.
func firstError(ps []shared.Problem) string {
	for _, p := range ps {
		if p.Severity == shared.SeverityError {
			return p.Message
		}
	}
	return ""
}

// lockedProblems compares the generation fields of the submitted data with those stored when
// the module was generated: they are locked, so any difference is a problem on that field.
func lockedProblems(m *core.Module, norm shared.Data) []shared.Problem {
	var ps []shared.Problem
	for _, f := range shared.GenerationFields(m.Kind) {
		want, got := valueText(m.Data[f.Key]), valueText(norm[f.Key])
		if want == got {
			continue
		}
		shown := want
		if shown == "" {
			shown = "vuoto"
		} else {
			shown = "«" + shown + "»"
		}
		ps = append(ps, shared.Problem{Field: f.Key, Code: shared.CodeLocked, Severity: shared.SeverityError,
			Message: fmt.Sprintf("%s è un dato della generazione del modulo e non si può cambiare: deve restare %s. Importa di nuovo il modulo %s.", f.Label, shown, m.ID)})
	}
	return ps
}

func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return ""
	}
	return fmt.Sprint(v)
}
