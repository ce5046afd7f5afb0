package api

import (
	"net/http"

	"nullaosta/shared"
	"nullaosta/shared/places"
)

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
}

func (s *Server) listCampaigns(w http.ResponseWriter, r *http.Request) {
	cs := s.cfg.Campaigns
	if cs == nil {
		cs = []shared.Campaign{}
	}
	writeJSON(w, http.StatusOK, cs)
}

// refdataVersion is the version of shared/places the server validates with.
func (s *Server) refdataVersion() string {
	if s.cfg.RefdataVersion != "" {
		return s.cfg.RefdataVersion
	}
	return places.DataVersion
}

func (s *Server) refdata(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"version": s.refdataVersion()})
}
