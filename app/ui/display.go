package ui

import (
	"strings"
	"time"

	"nullaosta/shared"
)

// SportelloText names the competent Sportello Unico for the data (A5), or says what is missing.
func SportelloText(d shared.Data) string {
	if p, ok := shared.SportelloOf(d); ok {
		if p.Sportello != "" {
			return p.Sportello
		}
		return "Sportello Unico per l'Immigrazione di " + p.Name
	}
	return "Non ancora determinabile: indica la provincia di impiego."
}

// StatusLabel and statusClass show a draft's status.
func StatusLabel(s string) string {
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

func StatusClass(s string) string {
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

// FormatTime shows an instant in Italy as GG/MM/AAAA HH:MM.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return shared.InRome(t).Format("02/01/2006 15:04")
}

// PersonName joins the surname and name stored under prefix ("datore", "lavoratore").
func PersonName(d shared.Data, prefix string) string {
	return strings.TrimSpace(d.Str(prefix+".cognome") + " " + d.Str(prefix+".nome"))
}

// WorkerLine is the worker as lists show them: the name, or for a numerica request, whose
// worker has no name yet, the request type and the list country («Da individuare dalle liste
// di Sri Lanka»).
func WorkerLine(d shared.Data) string {
	if line, ok := shared.NumericaWorker(d); ok {
		return line
	}
	return PersonName(d, "lavoratore")
}
