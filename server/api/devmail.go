package api

import (
	"html/template"
	"net/http"

	"nullaosta/server/core"
)

func (s *Server) devMail(w http.ResponseWriter, r *http.Request) ([]core.Mail, bool) {
	if !s.cfg.DevMail {
		s.writeError(w, r, core.Errorf(core.ENOTFOUND, "La posta di sviluppo è disponibile solo se il server è avviato con -dev e senza server SMTP."))
		return nil, false
	}
	var ms []core.Mail
	var err error
	if to := r.URL.Query().Get("to"); to != "" {
		ms, err = s.Store.MailTo(r.Context(), to, 50)
	} else {
		ms, err = s.Store.RecentMail(r.Context(), 50)
	}
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	return ms, true
}

// devMailJSON is GET /api/v1/dev/mail?to=: what end-to-end tests read activation links from.
func (s *Server) devMailJSON(w http.ResponseWriter, r *http.Request) {
	if ms, ok := s.devMail(w, r); ok {
		writeJSON(w, http.StatusOK, ms)
	}
}

var devMailTemplate = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Posta di sviluppo — Nullaosta</title></head>
<body>
<h1>Posta di sviluppo</h1>
<p>Il server non ha un server SMTP: le e-mail non partono e compaiono qui, le più recenti per prime.
<form method="get"><label>Destinatario <input name="to" value="{{.To}}" type="email"></label> <button>Filtra</button></form>
{{range .Mails}}
<article>
<h2>{{.Subject}}</h2>
<p>A: <strong>{{.To}}</strong> — {{.CreatedAt.Format "02/01/2006 15:04:05"}} UTC</p>
{{if .Link}}<p><a href="{{.Link}}">{{.Link}}</a></p>{{end}}
<pre>{{.Body}}</pre>
</article>
<hr>
{{else}}
<p>Nessuna e-mail.</p>
{{end}}
</body></html>
`))

func (s *Server) devMailPage(w http.ResponseWriter, r *http.Request) {
	ms, ok := s.devMail(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	devMailTemplate.Execute(w, map[string]any{"To": r.URL.Query().Get("to"), "Mails": ms})
}
