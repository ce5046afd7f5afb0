package api

import (
	"nullaosta/server/core"
	"nullaosta/shared"
	"nullaosta/shared/places"
)

// sectionJSON is one chapter (EM) or section (Modulo A) of an application laid out for people,
// in the order of the printed module: only the fields filled in, each with its label and its
// value as the module prints it (the names of lists, comuni and states rather than codes).
type sectionJSON struct {
	ID     string      `json:"id"`
	Title  string      `json:"title"`
	Fields []fieldJSON `json:"fields"`
}

type fieldJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"`
}

// domandaJSON is the detail of an application: core.Domanda and its layout.
type domandaJSON struct {
	*core.Domanda
	Sections []sectionJSON `json:"sections"`
}

// layout lays out data along the schema of kind.
func layout(kind shared.Kind, data shared.Data) []sectionJSON {
	s := shared.SchemaOf(kind)
	out := []sectionJSON{}
	if s == nil {
		return out
	}
	for _, sec := range s.Sections {
		js := sectionJSON{ID: sec.ID, Title: sec.Title, Fields: []fieldJSON{}}
		for i := range sec.Fields {
			f := &sec.Fields[i]
			if !data.Filled(f.Key) {
				continue
			}
			js.Fields = append(js.Fields, fieldJSON{Key: f.Key, Label: f.Label, Value: displayValue(f, data)})
		}
		if len(js.Fields) > 0 {
			out = append(out, js)
		}
	}
	return out
}

// displayValue is a value as the printed module shows it.
func displayValue(f *shared.Field, data shared.Data) string {
	if f.Type == shared.TypeBool {
		if data.Bool(f.Key) {
			return "Sì"
		}
		return "No"
	}
	v := data.Str(f.Key)
	switch f.Type {
	case shared.TypeEnum:
		for _, o := range f.Options {
			if o.Value == v {
				return o.Label
			}
		}
	case shared.TypeCountry:
		if c, ok := places.CountryByISO(v); ok {
			return c.Name
		}
	case shared.TypeProvincia:
		if p, ok := places.ProvinceBySigla(v); ok {
			return p.Name + " (" + p.Sigla + ")"
		}
	case shared.TypeComune:
		if c, ok := places.ComuneByBelfiore(v); ok {
			return c.Name
		}
	case shared.TypeDate:
		return italianDate(v)
	}
	return v
}
