package shared

import (
	"strings"

	"nullaosta/shared/places"
)

// RequestType names a Modulo A request as a receipt or a list shows it: «Nominativa», or
// «Numerica, dalle liste di Sri Lanka»; "" when the data has no request type (EM).
func RequestType(d Data) string {
	switch {
	case d.is("richiesta.tipo", "nominativa"):
		return "Nominativa"
	case isNumerica(d):
		if c, ok := places.CountryByISO(d.Str("lavoratore.cittadinanza")); ok {
			return "Numerica, dalle liste di " + c.Name
		}
		return "Numerica"
	}
	return ""
}

// NumericaWorker is the worker's line of a numerica request, whose worker has no name yet:
// «da individuare dalle liste di Sri Lanka». ok is false for any other application.
func NumericaWorker(d Data) (line string, ok bool) {
	if !isNumerica(d) {
		return "", false
	}
	if c, found := places.CountryByISO(d.Str("lavoratore.cittadinanza")); found {
		return "Da individuare dalle liste di " + c.Name, true
	}
	return "Da individuare dalle liste del suo Paese", true
}

// ReceiptFileName is the name a receipt's PDF is saved under: ricevuta-<protocollo>.pdf.
func ReceiptFileName(protocol string) string {
	return "ricevuta-" + protocol + ".pdf"
}

// listName is a person of the data as lists show them: «BIANCHI Giovanna» (the surname in
// capitals); "" when neither name is given. who is "datore" or "lavoratore".
func listName(d Data, who string) string {
	return strings.TrimSpace(strings.ToUpper(strings.TrimSpace(d.Str(who+".cognome"))) + " " + strings.TrimSpace(d.Str(who+".nome")))
}

// Parties says at a glance whose application it is, for a title or a list: «BIANCHI Giovanna
// per PERERA Kumari», or for a numerica request «ROSSI Mario, richiesta numerica dalle liste di
// Sri Lanka»; "" when the data names nobody yet.
func Parties(d Data) string {
	emp := listName(d, "datore")
	var worker string
	if isNumerica(d) {
		worker = "richiesta numerica"
		if c, ok := places.CountryByISO(d.Str("lavoratore.cittadinanza")); ok {
			worker += " dalle liste di " + c.Name
		}
		if emp == "" {
			return capitalise(worker)
		}
		return emp + ", " + worker
	}
	worker = listName(d, "lavoratore")
	switch {
	case emp == "":
		return worker
	case worker == "":
		return emp
	}
	return emp + " per " + worker
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
