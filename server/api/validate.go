package api

import (
	"net/http"
	"strings"

	"nullaosta/server/core"
	"nullaosta/shared"
)

type validateRequest struct {
	Module string      `json:"module"`
	Date   string      `json:"date"`
	Data   shared.Data `json:"data"`
}

// validate answers like the validate command, for anyone: the same rules the server applies
// when receiving, with the campaign this server runs for that module.
func (s *Server) validate(w http.ResponseWriter, r *http.Request) {
	var req validateRequest
	if err := decode(w, r, &req, dataBody); err != nil {
		s.writeError(w, r, err)
		return
	}
	k, err := shared.ParseKind(req.Module)
	if err != nil {
		s.writeError(w, r, invalid(err.Error(), []shared.Problem{problem("module", "unknown_module", "Indica il modulo: «EM» oppure «A».")}))
		return
	}
	day := s.now()
	if strings.TrimSpace(req.Date) != "" {
		if day, err = shared.ParseDate(req.Date); err != nil {
			s.writeError(w, r, invalid("La data non è valida.", []shared.Problem{problem("date", "format", "Scrivi la data come AAAA-MM-GG, per esempio 2009-09-15.")}))
			return
		}
	}
	if req.Data == nil {
		s.writeError(w, r, core.Errorf(core.EINVALID, "Manca «data»: l'oggetto con i campi del modulo."))
		return
	}
	c := s.byKind[k]
	writeJSON(w, http.StatusOK, shared.NewResult(shared.Validate(k, c, req.Data, day)))
}
