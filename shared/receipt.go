package shared

import "nullaosta/shared/places"

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
