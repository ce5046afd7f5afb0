package app

import (
	"strings"
	"time"

	"nullaosta/shared"
)

// sportelloText names the competent Sportello Unico for the data (A5), or says what is missing.
func sportelloText(d shared.Data) string {
	if p, ok := shared.SportelloOf(d); ok {
		if p.Sportello != "" {
			return p.Sportello
		}
		return "Sportello Unico per l'Immigrazione di " + p.Name
	}
	return "Non ancora determinabile: indica la provincia di impiego."
}

// statusLabel and statusClass show a draft's status.
func statusLabel(s string) string {
	switch s {
	case "bozza":
		return "In compilazione"
	case "completato":
		return "Completato, da inviare"
	case "in_coda":
		return "In coda di invio"
	case "inviato":
		return "Inviato"
	case "respinto":
		return "Respinto"
	}
	return s
}

func statusClass(s string) string {
	switch s {
	case "completato":
		return "badge bg-primary"
	case "in_coda":
		return "badge bg-warning text-dark"
	case "inviato":
		return "badge bg-success"
	case "respinto":
		return "badge bg-danger"
	}
	return "badge bg-secondary"
}

// formatTime shows an instant in Italy as GG/MM/AAAA HH:MM.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return shared.InRome(t).Format("02/01/2006 15:04")
}

// personName joins the surname and name stored under prefix ("datore", "lavoratore").
func personName(d shared.Data, prefix string) string {
	return strings.TrimSpace(d.Str(prefix+".cognome") + " " + d.Str(prefix+".nome"))
}
