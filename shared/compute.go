package shared

import (
	"errors"
	"strings"

	"nullaosta/shared/codicefiscale"
	"nullaosta/shared/places"
)

// ComputeCodiceFiscale computes the codice fiscale of the field key of module k from the data
// of the person it belongs to (Field.ComputedFrom): surname, name, sex, birth date and
// birthplace, in Italy or abroad. The error is Italian and says what to fill or correct first.
func ComputeCodiceFiscale(k Kind, d Data, key string) (string, error) {
	s := SchemaOf(k)
	if s == nil {
		return "", errors.New("Modulo sconosciuto: non si può calcolare il codice fiscale.")
	}
	f, ok := s.Field(key)
	if !ok || f.ComputedFrom == "" {
		return "", errors.New("Questo codice fiscale non si può calcolare dai dati del modulo: scrivilo.")
	}
	prefix := f.ComputedFrom
	p := codicefiscale.Person{
		Surname: d.Str(prefix + ".cognome"),
		Name:    d.Str(prefix + ".nome"),
	}
	switch strings.ToUpper(d.Str(prefix + ".sesso")) {
	case "F":
		p.Female = true
	case "M":
	default:
		p.SexUnknown = true
	}
	if v := d.Str(prefix + ".data_nascita"); v != "" {
		t, err := ParseDate(v)
		if err != nil {
			return "", errors.New("Per calcolare il codice fiscale correggi prima la data di nascita.")
		}
		p.Birth = t
	}
	stato := strings.ToUpper(d.Str(prefix + ".nascita.stato"))
	switch {
	case stato == "IT" || (stato == "" && d.Str(prefix+".nascita.comune") != ""):
		p.Place = d.Str(prefix + ".nascita.comune")
	case stato != "":
		if ct, ok := places.CountryByISO(stato); ok {
			p.Place = ct.Belfiore
		}
	}
	return codicefiscale.Compute(p)
}
