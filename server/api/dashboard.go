package api

import (
	"net/http"
	"strings"

	"nullaosta/server/core"
	"nullaosta/shared"
	"nullaosta/shared/places"
)

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	from, to, err := dayRange(r.URL.Query())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	st, err := s.Store.Dashboard(r.Context(), core.StatsFilter{From: from, To: to})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	label(st.PerTipologia, shared.TipologiaShort)
	label(st.PerProvincia, func(k string) string {
		if p, ok := places.ProvinceBySigla(k); ok {
			return p.Name
		}
		return ""
	})
	label(st.PerNazionalita, func(k string) string {
		if c, ok := places.CountryByISO(k); ok {
			return c.Name
		}
		return ""
	})
	label(st.PerStato, core.DomandaLabel)
	writeJSON(w, http.StatusOK, st)
}

// label names each bar; an empty or unknown key is "Non indicato".
func label(cs []core.Count, name func(string) string) {
	for i := range cs {
		if cs[i].Label = name(cs[i].Key); cs[i].Label == "" || cs[i].Key == "" {
			cs[i].Label = "Non indicato"
		}
	}
}

// Pages of the audit log.
const (
	defaultAuditPage = 100
	maxAuditPage     = 500
)

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := core.AuditFilter{Action: strings.TrimSpace(q.Get("action")), Actor: clipQuery(q.Get("actor"))}
	var err error
	if f.Limit, err = intParam(q, "limit", defaultAuditPage, maxAuditPage); err == nil {
		var before int
		before, err = intParam(q, "before", 0, 1<<62)
		f.Before = int64(before)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if f.Limit == 0 {
		f.Limit = defaultAuditPage
	}
	es, err := s.Store.AuditLog(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, es)
}
