package shared

import (
	"strings"
	"sync"
)

// FieldType says how a field is entered, shown and checked.
type FieldType string

const (
	TypeText          FieldType = "text"
	TypeDate          FieldType = "date"  // YYYY-MM-DD or GG/MM/AAAA
	TypeMoney         FieldType = "money" // euro, up to two decimals: 880,17 · 1.050,00 · 880.17
	TypeBool          FieldType = "bool"  // checkbox; JSON boolean on the wire
	TypeEnum          FieldType = "enum"  // one of Options
	TypeCountry       FieldType = "country"
	TypeProvincia     FieldType = "provincia"
	TypeComune        FieldType = "comune" // Belfiore code, within the provincia named by PlaceOf
	TypeCAP           FieldType = "cap"    // 5 digits, a CAP of the comune named by PlaceOf
	TypeCodiceFiscale FieldType = "codice_fiscale"
	TypeHours         FieldType = "hours"   // whole weekly hours or TP
	TypeInteger       FieldType = "integer" // whole number ≥ 0
	TypeYear          FieldType = "year"
	TypeEmail         FieldType = "email"
	TypePhone         FieldType = "phone"
	TypeDigits        FieldType = "digits" // a fixed number of digits (Len)
)

// Option is one value of an enumeration. Parent, when set, is the value the field named by
// Field.OptionsFrom must hold for this option to be offered (mansione by livello, document type
// by citizenship group).
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
	// Short is the label where room is scarce (a chart's bar, a table's column, a filter);
	// empty: Label.
	Short  string `json:"short,omitempty"`
	Help   string `json:"help,omitempty"`
	Parent string `json:"parent,omitempty"`
}

// Field describes one input: everything the UI needs to render it without knowing it.
type Field struct {
	Key         string    `json:"key"`
	Label       string    `json:"label"`
	Help        string    `json:"help,omitempty"` // context help from the seeds, Italian
	Type        FieldType `json:"type"`
	Options     []Option  `json:"options,omitempty"`
	OptionsFrom string    `json:"optionsFrom,omitempty"` // key whose value filters Options by Parent
	PlaceOf     string    `json:"placeOf,omitempty"`     // comune: its provincia key; cap: its comune key
	Len         int       `json:"len,omitempty"`         // TypeDigits: exact length
	Required    bool      `json:"required"`              // always required when it applies
	RequiredIf  string    `json:"requiredIf,omitempty"`  // Italian: when it becomes required
	Locked      bool      `json:"locked"`                // generation datum: grey, not editable
	Generation  bool      `json:"generation"`            // asked on the website to generate the module
	// LockedIf says, in Italian, when a field that is not a generation datum is locked too
	// (Modulo A sections 5–6 for a numerica request). Schema.Locked decides it for given data.
	LockedIf string `json:"lockedIf,omitempty"`
	// ComputedFrom, on a codice fiscale, is the person whose data in the module the code can be
	// computed from ("datore", "lavoratore": the prefix of their keys); see ComputeCodiceFiscale.
	ComputedFrom string `json:"computedFrom,omitempty"`
	// NonEU, on a country, says that only states outside the EU (in 2009) and not Italy are
	// accepted (C12): the picker lists only those.
	NonEU bool `json:"nonEU,omitempty"`

	// The behaviour below is code, not data: it travels as the Italian texts above, and the
	// client, which runs this same package, calls the Schema methods to evaluate it.
	pos          int                 // position in Schema.Fields
	ref          string              // how messages name the field: «Numero» del documento del lavoratore
	applies      func(reader) bool   // nil: always
	requiredWhen func(reader) bool   // nil: Required decides
	lockedWhen   func(reader) bool   // nil: Locked decides
	groupOf      func(reader) string // Options filter: the Parent value the data selects ("" = all)
	expiry       bool                // a date that may lie in the future (C5)
	maxLen       int                 // text: longest accepted value, in characters
	requiredMsg  string              // replaces the generic "required" message
	requiredCode string              // replaces the generic "required"/"must_confirm" code
}

// Section is a chapter (EM I–VII) or a section (Modulo A 1–14), in order.
type Section struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Help   string  `json:"help,omitempty"`
	Fields []Field `json:"fields"`
	// Confirm marks the last step (EM VII, Modulo A 14): review and confirm, no fields.
	Confirm bool `json:"confirm,omitempty"`
}

// Schema is one module's form, in order.
type Schema struct {
	Kind     Kind      `json:"kind"`
	Title    string    `json:"title"`
	Sections []Section `json:"sections"`
	// ReceiptNote is what the receipt of this module says it proves and what to bring to the
	// Sportello Unico: each module's own (Modulo A asks for no payment).
	ReceiptNote string `json:"receiptNote"`

	index  map[string]*Field
	table  fieldTable // index without a map, for validation's look-ups
	fields []*Field
	// generation is GenerationFields' answer, made once: the server asks it on every
	// submission (the locked fields).
	generation []*Field
}

var (
	schemaOnce [2]sync.Once
	schemas    [2]*Schema
)

// SchemaOf returns the form of module k (nil for an unknown kind). The schema is built once
// and shared: treat it as read-only.
func SchemaOf(k Kind) *Schema {
	switch k {
	case KindEM:
		schemaOnce[0].Do(func() {
			schemas[0] = buildSchema(KindEM, "Dichiarazione di emersione (modulo EM)", emSections())
			schemas[0].ReceiptNote = "La ricevuta dimostra l'avvenuto invio della dichiarazione di emersione. La ricevuta del versamento F24 del contributo forfetario e la marca da bollo originale andranno esibite al momento della convocazione presso lo Sportello Unico."
		})
		return schemas[0]
	case KindA:
		schemaOnce[1].Do(func() {
			schemas[1] = buildSchema(KindA, "Modulo A – richiesta di nulla osta al lavoro domestico", aSections())
			schemas[1].ReceiptNote = "La ricevuta dimostra l'avvenuto invio della richiesta di nulla osta al lavoro domestico. Alla convocazione presso lo Sportello Unico il datore di lavoro esibirà il documento di identità (e, se straniero, il titolo di soggiorno) indicato nel modulo."
		})
		return schemas[1]
	}
	return nil
}

func buildSchema(k Kind, title string, sections []Section) *Schema {
	s := &Schema{Kind: k, Title: title, Sections: sections, index: map[string]*Field{}}
	for i := range s.Sections {
		for j := range s.Sections[i].Fields {
			f := &s.Sections[i].Fields[j]
			if _, dup := s.index[f.Key]; dup {
				panic("shared: duplicate field " + f.Key + " in module " + string(k))
			}
			f.pos = len(s.fields)
			if f.ref == "" {
				f.ref = refOf(f.Key, f.Label)
			}
			s.index[f.Key] = f
			s.fields = append(s.fields, f)
			if f.Generation {
				s.generation = append(s.generation, f)
			}
		}
	}
	s.table = newFieldTable(s.fields)
	return s
}

// Field returns the field with that key.
func (s *Schema) Field(key string) (*Field, bool) {
	f, ok := s.field(key)
	return f, ok
}

// Fields returns every field in form order. The slice is shared: do not modify it.
func (s *Schema) Fields() []*Field { return s.fields }

// SectionOf returns the section that holds the field.
func (s *Schema) SectionOf(key string) (*Section, bool) {
	for i := range s.Sections {
		for j := range s.Sections[i].Fields {
			if s.Sections[i].Fields[j].Key == key {
				return &s.Sections[i], true
			}
		}
	}
	return nil, false
}

// Applies reports whether the field is relevant for this data (e.g. the employer's permit only
// for a non-EU employer; the assisted person only for a badante). The UI shows only fields that
// apply; the validator ignores values of fields that do not. An unknown key never applies.
func (s *Schema) Applies(key string, d Data) bool {
	f, ok := s.field(key)
	return ok && f.appliesTo(d)
}

func (f *Field) appliesTo(d reader) bool { return f.applies == nil || f.applies(d) }

// Required reports whether the field must be filled in (for a checkbox: ticked) for this data:
// it applies, and it is always required or its condition (RequiredIf) holds.
func (s *Schema) Required(key string, d Data) bool {
	f, ok := s.field(key)
	return ok && f.requiredFor(d)
}

func (f *Field) requiredFor(d reader) bool {
	if !f.appliesTo(d) {
		return false
	}
	if f.requiredWhen != nil {
		return f.requiredWhen(d)
	}
	return f.Required
}

// Locked reports whether the field is grey for this data: a generation datum, or a field locked
// by a condition (LockedIf).
func (s *Schema) Locked(key string, d Data) bool {
	f, ok := s.field(key)
	return ok && (f.Locked || (f.lockedWhen != nil && f.lockedWhen(d)))
}

// GenerationFields returns the fields asked on the website to generate a module of kind k, in
// form order. The slice is shared: do not modify it.
func GenerationFields(k Kind) []*Field {
	s := SchemaOf(k)
	if s == nil {
		return nil
	}
	return s.generation[:len(s.generation):len(s.generation)]
}

// OptionsFor returns the options of f that are valid for the current data: the mansioni of the
// chosen level, the document types for the employer's citizenship. When the field its options
// depend on (OptionsFrom) is empty or not understood, every option is returned, each value once,
// so that the UI always has something to show. The result may share memory with f.Options.
func OptionsFor(f *Field, d Data) []Option {
	if f == nil {
		return nil
	}
	if f.groupOf == nil {
		return f.Options
	}
	if g := f.groupOf(d); g != "" {
		var out []Option
		for _, o := range f.Options {
			if o.Parent == g {
				out = append(out, o)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return uniqueOptions(f.Options)
}

func uniqueOptions(opts []Option) []Option {
	out := make([]Option, 0, len(opts))
	for _, o := range opts {
		dup := false
		for _, p := range out {
			if p.Value == o.Value {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, o)
		}
	}
	return out
}

// option finds the option whose value matches v, ignoring case (people and hand-written files
// type "cs" for CS).
func (f *Field) option(v string) (Option, bool) {
	for _, o := range f.Options {
		if strings.EqualFold(o.Value, v) {
			return o, true
		}
	}
	return Option{}, false
}

// refOf builds how messages name a field: its label in guillemets, followed by whose it is
// unless the label already says it («Numero» del documento del datore di lavoro).
func refOf(key, label string) string {
	owners := []struct{ prefix, noun, q string }{
		{"datore.documento.", "document", "del documento del datore di lavoro"},
		{"datore.soggiorno.", "soggiorno", "del titolo di soggiorno del datore di lavoro"},
		{"datore.residenza.", "residenza", "della residenza del datore di lavoro"},
		{"datore.", "datore", "del datore di lavoro"},
		{"lavoratore.documento.", "document", "del documento del lavoratore"},
		{"lavoratore.residenza_estero.", "residenza", "della residenza all'estero del lavoratore"},
		{"lavoratore.", "lavorator", "del lavoratore"},
		{"assistito.", "assistit", "della persona assistita"},
		{"impiego.", "impiego", "della località di impiego"},
		{"alloggio.", "allogg", "della sistemazione alloggiativa"},
		{"recapiti.", "recapit", "dei recapiti"},
		{"marca_bollo.", "marca", "della marca da bollo"},
	}
	l := strings.ToLower(label)
	for _, o := range owners {
		if !strings.HasPrefix(key, o.prefix) {
			continue
		}
		q := o.q
		if strings.Contains(l, o.noun) {
			// "Provincia di residenza" still needs the owner, "Cognome del datore di lavoro" not.
			switch {
			case strings.Contains(l, "datore") || strings.Contains(l, "lavorator"):
				q = ""
			case strings.HasPrefix(key, "datore."):
				q = "del datore di lavoro"
			case strings.HasPrefix(key, "lavoratore."):
				q = "del lavoratore"
			default:
				q = ""
			}
		}
		if q == "" {
			return "«" + label + "»"
		}
		return "«" + label + "» " + q
	}
	return "«" + label + "»"
}

// Numeric reports whether the field holds a quantity (an amount, a count, hours, a year): a
// spreadsheet may read its values as numbers. Codes made of digits (CAP, codes) are not.
func (f *Field) Numeric() bool {
	switch f.Type {
	case TypeMoney, TypeInteger, TypeHours, TypeYear:
		return true
	}
	return false
}
