package shared

import (
	"strings"

	"nullaosta/shared/places"
)

// What a person reads: values, dates, names and an application laid out like the printed
// module. The compiler's summary, the Sportello's detail, the PDF receipt and the CSV all show
// data through these functions, so the same value reads the same everywhere.

// DisplayValue is what a person reads for the value of f in d: names for codes (comuni,
// provinces, countries, enumerations), "Sì"/"No" for checkboxes, dates as GG/MM/AAAA, money
// as "€ 1.234,56", hours as "25 ore" or "Tempo pieno", a codice fiscale in capitals; "" when
// the field is empty.
func DisplayValue(f *Field, d Data) string {
	if f.Type == TypeBool {
		if d.Bool(f.Key) {
			return "Sì"
		}
		return "No"
	}
	return DisplayString(f, d.Str(f.Key))
}

// DisplayString is DisplayValue for one stored value of f, as the CSV export reads it from the
// stored content without building the data's map: "" stays "" (not filled), a checkbox is
// "Sì" for true and "No" otherwise.
func DisplayString(f *Field, v string) string {
	if v == "" {
		return ""
	}
	switch f.Type {
	case TypeBool:
		if s := strings.ToLower(strings.TrimSpace(v)); s == "true" || s == "on" {
			return "Sì"
		}
		return "No"
	case TypeProvincia:
		return ProvinceName(v)
	case TypeComune:
		return ComuneName(v)
	case TypeCountry:
		return CountryName(v)
	case TypeEnum:
		for _, o := range f.Options {
			if strings.EqualFold(o.Value, v) {
				return o.Label
			}
		}
	case TypeDate:
		if t, err := ParseDate(v); err == nil {
			return t.Format("02/01/2006")
		}
	case TypeMoney:
		if c, err := ParseMoney(v); err == nil {
			return "€ " + FormatMoney(c)
		}
	case TypeHours:
		if strings.EqualFold(v, "TP") {
			return "Tempo pieno"
		}
		return v + " ore"
	case TypeCodiceFiscale:
		return strings.ToUpper(v)
	}
	return v
}

// ProvinceName is "Cuneo (CN)" for "CN"; an unknown sigla is shown as it is.
func ProvinceName(sigla string) string {
	if p, ok := places.ProvinceBySigla(sigla); ok {
		return p.Name + " (" + p.Sigla + ")"
	}
	return sigla
}

// ComuneName is a comune of a Belfiore code with its provincia, "Cuneo (CN)" for "D205": many
// names belong to more than one comune. An unknown code is shown as it is.
func ComuneName(code string) string {
	if c, ok := places.ComuneByBelfiore(code); ok {
		return c.Name + " (" + c.Provincia + ")"
	}
	return code
}

// CountryName is the Italian name of a state by ISO code ("Sri Lanka" for "LK").
func CountryName(iso string) string {
	if c, ok := places.CountryByISO(iso); ok {
		return c.Name
	}
	return iso
}

// ItalianDate turns YYYY-MM-DD into GG/MM/AAAA; anything else is returned as it is.
func ItalianDate(iso string) string {
	if len(iso) != 10 || iso[4] != '-' || iso[7] != '-' {
		return iso
	}
	return iso[8:10] + "/" + iso[5:7] + "/" + iso[0:4]
}

// KindName is a module's name for people.
func KindName(k Kind) string {
	switch k {
	case KindEM:
		return "Modulo EM (emersione 2009)"
	case KindA:
		return "Modulo A (nulla osta al lavoro domestico)"
	}
	return "Modulo " + string(k)
}

// TipologiaLabel is the kind of domestic work in full, as the module and the receipt write it;
// an unknown value is shown as it is.
func TipologiaLabel(t string) string {
	for _, o := range tipologiaOptions {
		if strings.EqualFold(o.Value, t) {
			return o.Label
		}
	}
	return t
}

// TipologiaShort is the kind of domestic work where room is scarce: "Colf (lavoro domestico)".
func TipologiaShort(t string) string {
	for _, o := range tipologiaOptions {
		if strings.EqualFold(o.Value, t) {
			return o.Short
		}
	}
	return t
}

// PersonName is how lists show a person: "BIANCHI Giovanna".
func PersonName(cognome, nome string) string {
	cognome, nome = strings.TrimSpace(cognome), strings.TrimSpace(nome)
	switch {
	case cognome == "":
		return nome
	case nome == "":
		return strings.ToUpper(cognome)
	}
	return strings.ToUpper(cognome) + " " + nome
}

// LaidSection is one chapter (EM) or section (Modulo A) of an application laid out for people.
type LaidSection struct {
	Index  int         `json:"-"` // the section's position in the schema
	ID     string      `json:"id"`
	Title  string      `json:"title"`
	Fields []LaidField `json:"fields"`
}

// LaidField is one field as a person reads it: "Comune" → "Cuneo (CN)", not "D205".
type LaidField struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"` // DisplayValue; "" when the field applies but is empty
}

// Layout lays out data along the schema of kind, in the order of the printed module: every
// section but the confirmation, each with the fields that apply to this data (a field that
// depends on another appears only when it applies). Sections with no field applying are
// kept, with no fields, so that a caller can point to a section by its Index.
func Layout(k Kind, d Data) []LaidSection {
	s := SchemaOf(k)
	out := []LaidSection{}
	if s == nil {
		return out
	}
	for i, sec := range s.Sections {
		if sec.Confirm {
			continue
		}
		ls := LaidSection{Index: i, ID: sec.ID, Title: sec.Title, Fields: []LaidField{}}
		for j := range sec.Fields {
			f := &sec.Fields[j]
			if !s.Applies(f.Key, d) {
				continue
			}
			ls.Fields = append(ls.Fields, LaidField{Key: f.Key, Label: f.Label, Value: DisplayValue(f, d)})
		}
		out = append(out, ls)
	}
	return out
}
