package app

import (
	"strconv"
	"strings"
	"time"

	"nullaosta/shared"
	"nullaosta/shared/places"
)

// displayValue returns what a person reads for the value of fl: names for codes (comuni,
// provinces, countries, enumerations), "Sì"/"No" for checkboxes, dates as GG/MM/AAAA.
func displayValue(fl shared.Field, d shared.Data) string {
	if fl.Type == shared.TypeBool {
		if d.Bool(fl.Key) {
			return "Sì"
		}
		return "No"
	}
	v := d.Str(fl.Key)
	if v == "" {
		return ""
	}
	switch fl.Type {
	case shared.TypeProvincia:
		return provinceName(v)
	case shared.TypeComune:
		return comuneName(v)
	case shared.TypeCountry:
		return countryName(v)
	case shared.TypeEnum:
		for _, o := range fl.Options {
			if strings.EqualFold(o.Value, v) {
				return o.Label
			}
		}
	case shared.TypeDate:
		if t, err := shared.ParseDate(v); err == nil {
			return t.Format("02/01/2006")
		}
	case shared.TypeMoney:
		if c, err := shared.ParseMoney(v); err == nil {
			return "€ " + shared.FormatMoney(c)
		}
	case shared.TypeHours:
		if strings.EqualFold(v, "TP") {
			return "Tempo pieno"
		}
		return v + " ore"
	case shared.TypeCodiceFiscale:
		return strings.ToUpper(v)
	}
	return v
}

func provinceName(sigla string) string {
	if p, ok := places.ProvinceBySigla(sigla); ok {
		return p.Name + " (" + p.Sigla + ")"
	}
	return sigla
}

func comuneName(code string) string {
	if c, ok := places.ComuneByBelfiore(code); ok {
		return c.Name + " (" + c.Provincia + ")"
	}
	return code
}

func countryName(iso string) string {
	if c, ok := places.CountryByISO(iso); ok {
		return c.Name
	}
	return iso
}

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

// kindName is the module's name for people.
func kindName(k shared.Kind) string {
	switch k {
	case shared.KindEM:
		return "Modulo EM (emersione 2009)"
	case shared.KindA:
		return "Modulo A (nulla osta al lavoro domestico)"
	}
	return "Modulo " + string(k)
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

// plural writes a count with the right Italian noun form: "1 modulo nuovo", "3 moduli nuovi".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
