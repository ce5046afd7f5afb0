package shared

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func expand(groups ...string) []string {
	var out []string
	for _, g := range groups {
		prefix, rest, ok := strings.Cut(g, ":")
		if !ok {
			out = append(out, g)
			continue
		}
		for _, s := range strings.Split(rest, ",") {
			out = append(out, prefix+s)
		}
	}
	return out
}

// The key sets of MODULI.md, table by table: the wire format is closed, so the schema must hold
// exactly these.
var (
	genCommon = expand("datore.:cognome,nome", "datore.residenza.:provincia,comune,indirizzo,cap", "impiego.provincia", "lavoratore.:cognome,nome,cittadinanza")
	birth     = func(who string) []string {
		return expand(who+".:sesso,data_nascita", who+".nascita.:stato,provincia,comune,localita", who+".codice_fiscale")
	}
	docKeys = func(who string) []string {
		return expand(who + ".documento.:tipo,numero,data_rilascio,rilasciato_da,data_scadenza")
	}
	permit = expand("datore.soggiorno.:tipo,numero,scadenza,motivo,richiesta_rinnovo,data_richiesta")

	emKeys = slices.Concat(genCommon, []string{"datore.telefono", "datore.residenza.numero_civico", "datore.cittadinanza", "datore.iscrizione_anagrafica"},
		birth("datore"), docKeys("datore"), permit,
		birth("lavoratore"), []string{"lavoratore.stato_civile"}, docKeys("lavoratore"),
		expand("rapporto.:tipologia,livello,mansione,convivenza,orario_settimanale,retribuzione_mensile,data_inizio", "assistito.:cognome,nome,data_nascita,luogo_nascita"),
		expand("impiego.:coincide_residenza,comune,indirizzo,numero_civico,cap", "alloggio.:indirizzo,numero_civico,comune,provincia,cap,a_carico,decurtazione"),
		expand("dichiara.:occupato_tre_mesi,reddito,retribuzione_minima,impegno_rimpatrio,certificazione_non_autosufficienza", "reddito.:percettori,importo",
			"rinuncia.:flussi_2007,codice_domanda", "recapiti.:indirizzo,telefono,cellulare,fax,email"),
		expand("versamento.data_f24", "marca_bollo.:identificativo,data"))

	aKeys = slices.Concat(genCommon, []string{"richiesta.tipo", "datore.stato_civile", "datore.residenza.numero_civico", "datore.telefono", "datore.email", "datore.cittadinanza"},
		birth("datore"), docKeys("datore"), permit,
		birth("lavoratore"), []string{"lavoratore.stato_civile"}, docKeys("lavoratore"),
		expand("lavoratore.residenza_estero.:stato,localita,indirizzo"),
		expand("rapporto.:tipologia,livello,mansione,durata,durata_mesi,convivenza,orario_settimanale,retribuzione_mensile", "assistito.:cognome,nome,data_nascita,luogo_nascita"),
		expand("impiego.:coincide_residenza,indirizzo,numero_civico,comune,cap", "alloggio.:indirizzo,numero_civico,comune,provincia,cap,locazione_datore,decurtazione_stipendio,decurtazione"),
		expand("impegno.:rimpatrio,variazioni", "dichiara.:collaboratori_occupati,regolarita_contributiva,non_risolvere", "reddito.:imponibile,anno,altri"))
)

func keysOf(s *Schema) []string {
	var out []string
	for _, f := range s.Fields() {
		out = append(out, f.Key)
	}
	return out
}

func TestSchemaKeys(t *testing.T) {
	for _, tc := range []struct {
		k    Kind
		want []string
	}{{KindEM, emKeys}, {KindA, aKeys}} {
		got := keysOf(SchemaOf(tc.k))
		for _, k := range tc.want {
			if !slices.Contains(got, k) {
				t.Errorf("%s: missing %s", tc.k, k)
			}
		}
		for _, k := range got {
			if !slices.Contains(tc.want, k) {
				t.Errorf("%s: %s is not in the spec", tc.k, k)
			}
		}
	}
}

func TestSchemaSections(t *testing.T) {
	em := SchemaOf(KindEM)
	wantEM := []string{"I. Datore di lavoro", "I-bis. Documenti del datore di lavoro", "II. Lavoratore", "III. Proposta di contratto di soggiorno",
		"IV. Località di impiego e alloggio", "V. Dichiarazioni e recapiti", "VI. Versamento e marca da bollo", "VII. Conferma e invio"}
	if len(em.Sections) != len(wantEM) {
		t.Fatalf("EM has %d sections", len(em.Sections))
	}
	for i, s := range em.Sections {
		if s.Title != wantEM[i] {
			t.Errorf("EM section %d = %q, want %q", i, s.Title, wantEM[i])
		}
		if s.Confirm != (i == len(wantEM)-1) || (s.Confirm && len(s.Fields) != 0) {
			t.Errorf("EM section %s: Confirm only on VII, with no fields", s.ID)
		}
	}
	a := SchemaOf(KindA)
	if len(a.Sections) != 14 {
		t.Fatalf("Modulo A has %d sections", len(a.Sections))
	}
	for i, s := range a.Sections {
		if !strings.HasPrefix(s.Title, s.ID+". ") || s.ID != itoa(i+1) {
			t.Errorf("A section %d: %s %q", i, s.ID, s.Title)
		}
		if s.Confirm != (i == 13) {
			t.Errorf("A section %s: Confirm only on 14", s.ID)
		}
	}
	if SchemaOf("X") != nil {
		t.Error("unknown kind has no schema")
	}
	if SchemaOf(KindEM) != em {
		t.Error("the schema is built once")
	}
}

func TestSchemaGenerationFields(t *testing.T) {
	for _, tc := range []struct {
		k    Kind
		want []string
	}{
		{KindEM, append(slices.Clone(genCommon), "datore.telefono")},
		{KindA, append(slices.Clone(genCommon), "richiesta.tipo")},
	} {
		var got []string
		for _, f := range GenerationFields(tc.k) {
			got = append(got, f.Key)
			if !f.Locked || !f.Generation {
				t.Errorf("%s %s: generation fields are locked", tc.k, f.Key)
			}
		}
		slices.Sort(got)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s generation fields = %v, want %v", tc.k, got, tc.want)
		}
	}
	for _, f := range SchemaOf(KindA).Fields() {
		if f.Locked != f.Generation {
			t.Errorf("%s: only generation data are always locked", f.Key)
		}
	}
}

func TestSchemaFieldsWellFormed(t *testing.T) {
	for _, k := range []Kind{KindEM, KindA} {
		s := SchemaOf(k)
		for i, f := range s.Fields() {
			if f.Label == "" || f.Type == "" || f.ref == "" {
				t.Errorf("%s %s: label, type and message name are needed", k, f.Key)
			}
			if got, ok := s.Field(f.Key); !ok || got != f || f.pos != i {
				t.Errorf("%s %s: index", k, f.Key)
			}
			if f.Type == TypeEnum && len(f.Options) == 0 {
				t.Errorf("%s %s: an enum without options", k, f.Key)
			}
			if f.PlaceOf != "" {
				parent, ok := s.Field(f.PlaceOf)
				want := map[FieldType]FieldType{TypeComune: TypeProvincia, TypeCAP: TypeComune}[f.Type]
				if !ok || parent.Type != want || parent.pos >= f.pos {
					t.Errorf("%s %s: PlaceOf %s must be an earlier %s", k, f.Key, f.PlaceOf, want)
				}
			}
			if (f.Type == TypeComune || f.Type == TypeCAP) && f.PlaceOf == "" {
				t.Errorf("%s %s: a comune or CAP needs PlaceOf", k, f.Key)
			}
			if f.OptionsFrom != "" {
				if _, ok := s.Field(f.OptionsFrom); !ok {
					t.Errorf("%s %s: OptionsFrom %s", k, f.Key, f.OptionsFrom)
				}
			}
			if f.Required && f.Type == TypeBool && f.requiredWhen != nil {
				t.Errorf("%s %s: ambiguous requirement", k, f.Key)
			}
		}
		if f, _ := s.Field("marca_bollo.identificativo"); k == KindEM && (f.Type != TypeDigits || f.Len != 14) {
			t.Error("marca da bollo: 14 digits")
		}
		b, err := json.Marshal(s)
		if err != nil || !strings.Contains(string(b), `"key":"datore.codice_fiscale"`) {
			t.Errorf("%s: schema JSON: %v", k, err)
		}
	}
}

// TestSchemaKeysMeanTheSame guards CanonicalJSON, which normalises a key without knowing the
// module: a key present in both modules must have the same type.
func TestSchemaKeysMeanTheSame(t *testing.T) {
	a := SchemaOf(KindA)
	for _, f := range SchemaOf(KindEM).Fields() {
		if g, ok := a.Field(f.Key); ok && g.Type != f.Type {
			t.Errorf("%s: %s in EM, %s in A", f.Key, f.Type, g.Type)
		}
	}
}

func TestSchemaOptions(t *testing.T) {
	em := SchemaOf(KindEM)
	livello, _ := em.Field("rapporto.livello")
	mansione, _ := em.Field("rapporto.mansione")
	for _, o := range livello.Options {
		if o.Help == "" {
			t.Errorf("level %s: the seed's description is the help", o.Value)
		}
		if len(OptionsFor(mansione, Data{"rapporto.livello": o.Value})) == 0 {
			t.Errorf("level %s has no mansione", o.Value)
		}
	}
	for _, o := range mansione.Options {
		if o.Help == "" || o.Parent == "" {
			t.Errorf("mansione %s: help and level", o.Value)
		}
	}
	values := func(os []Option) []string {
		var v []string
		for _, o := range os {
			v = append(v, o.Value)
		}
		return v
	}
	if got := values(OptionsFor(mansione, Data{"rapporto.livello": "cs"})); !slices.Equal(got, []string{"assistente_non_autosufficienti"}) {
		t.Errorf("CS mansioni = %v", got)
	}
	if got := values(OptionsFor(mansione, Data{"rapporto.livello": "DS"})); !slices.Equal(got, []string{"assistente_non_autosufficienti_formato", "direttore_casa"}) {
		t.Errorf("DS mansioni = %v", got)
	}
	if got := OptionsFor(mansione, Data{}); len(got) != len(mansione.Options) {
		t.Errorf("no level: every mansione, got %d", len(got))
	}
	if got := len(OptionsFor(mansione, Data{"rapporto.livello": "Z"})); got != len(mansione.Options) {
		t.Errorf("unknown level: every mansione, got %d", got)
	}

	doc, _ := em.Field("datore.documento.tipo")
	it := values(OptionsFor(doc, Data{"datore.cittadinanza": "IT"}))
	eu := values(OptionsFor(doc, Data{"datore.cittadinanza": "FR"}))
	extra := values(OptionsFor(doc, Data{"datore.cittadinanza": "AL"}))
	all := values(OptionsFor(doc, Data{}))
	if !slices.Contains(it, "carta_identita") || !slices.Contains(it, "patente_nautica") || !slices.Contains(it, docCartaUE) || slices.Contains(it, "documento_viaggio_apolidi") {
		t.Errorf("Italian employer documents = %v", it)
	}
	if !slices.Equal(it, eu) {
		t.Errorf("EU employer documents = %v", eu)
	}
	if !slices.Contains(extra, "passaporto") || !slices.Contains(extra, "lasciapassare_onu") || slices.Contains(extra, "carta_identita") || slices.Contains(extra, docCartaUE) {
		t.Errorf("non-EU employer documents = %v", extra)
	}
	seen := map[string]bool{}
	for _, v := range all {
		if seen[v] {
			t.Errorf("no citizenship: %s twice", v)
		}
		seen[v] = true
	}
	if len(all) != len(docIDOptions)+len(docPassOptions)-1 {
		t.Errorf("no citizenship: %d options", len(all))
	}

	for _, tc := range []struct {
		k    Kind
		want []string
	}{
		{KindEM, []string{soggCE, soggFamUE}},
		{KindA, []string{soggCE, soggFamUE, soggOrdin}},
	} {
		f, _ := SchemaOf(tc.k).Field("datore.soggiorno.tipo")
		if got := values(OptionsFor(f, Data{})); !slices.Equal(got, tc.want) {
			t.Errorf("%s SOGGIORNO = %v", tc.k, got)
		}
	}
	wd, _ := em.Field("lavoratore.documento.tipo")
	// The worker is never an EU citizen: every DOC_PASS document but the EU identity card.
	if got := values(OptionsFor(wd, Data{})); len(got) != len(docPassOptions)-1 || got[0] != "passaporto" || slices.Contains(got, docCartaUE) {
		t.Errorf("worker documents = %v", got)
	}
	if OptionsFor(nil, Data{}) != nil {
		t.Error("nil field")
	}
}

func TestSchemaHelp(t *testing.T) {
	for _, tc := range []struct {
		k         Kind
		key, want string
	}{
		{KindEM, "datore.residenza.indirizzo", "numero civico"},
		{KindEM, "lavoratore.documento.numero", "foglio consolare"},
		{KindEM, "lavoratore.documento.tipo", "Passaporto"},
		{KindEM, "datore.soggiorno.tipo", "permesso CE per soggiornanti di lungo periodo"},
		{KindEM, "datore.cittadinanza", "extracomunitari"},
		{KindEM, "alloggio.decurtazione", "conviventi"},
		{KindEM, "rapporto.retribuzione_mensile", "880,17"},
		{KindEM, "rapporto.orario_settimanale", "20 ore"},
		{KindEM, "rinuncia.flussi_2007", "diverso datore di lavoro"},
		{KindEM, "datore.documento.tipo", "patente nautica"},
		{KindEM, "datore.documento.tipo", "apolidi"},
		{KindEM, "lavoratore.documento.data_scadenza", "scaduto"},
		{KindA, "rapporto.retribuzione_mensile", "4,87"},
		{KindA, "impegno.variazioni", "5 giorni"},
		{KindA, "richiesta.tipo", "liste"},
		{KindA, "reddito.imponibile", "ultima dichiarazione"},
	} {
		f, ok := SchemaOf(tc.k).Field(tc.key)
		if !ok || !strings.Contains(f.Help, tc.want) {
			t.Errorf("%s %s: help should mention %q", tc.k, tc.key, tc.want)
		}
	}
	if s, _ := SchemaOf(KindEM).SectionOf("assistito.cognome"); s == nil || s.ID != "III" {
		t.Error("assistito is in chapter III")
	}
	if s, _ := SchemaOf(KindA).SectionOf("richiesta.tipo"); s == nil || s.ID != "5" {
		t.Error("richiesta.tipo is in section 5")
	}
}

func TestSchemaApplies(t *testing.T) {
	em, a := SchemaOf(KindEM), SchemaOf(KindA)
	for _, tc := range []struct {
		s    *Schema
		key  string
		d    Data
		want bool
	}{
		{em, "datore.nascita.comune", Data{"datore.nascita.stato": "IT"}, true},
		{em, "datore.nascita.comune", Data{"datore.nascita.stato": "it"}, true},
		{em, "datore.nascita.comune", Data{"datore.nascita.stato": "MA"}, false},
		{em, "datore.nascita.comune", Data{}, false},
		{em, "datore.nascita.localita", Data{"datore.nascita.stato": "MA"}, true},
		{em, "datore.nascita.localita", Data{"datore.nascita.stato": "IT"}, false},
		{em, "datore.nascita.localita", Data{}, false},
		{em, "datore.soggiorno.tipo", Data{"datore.cittadinanza": "AL"}, true},
		{em, "datore.soggiorno.tipo", Data{"datore.cittadinanza": "IT"}, false},
		{em, "datore.soggiorno.tipo", Data{"datore.cittadinanza": "RO"}, false},
		{em, "datore.soggiorno.tipo", Data{"datore.cittadinanza": "??"}, false},
		{em, "datore.soggiorno.data_richiesta", Data{"datore.cittadinanza": "AL"}, false},
		{em, "datore.soggiorno.data_richiesta", Data{"datore.cittadinanza": "AL", "datore.soggiorno.richiesta_rinnovo": true}, true},
		{em, "datore.soggiorno.data_richiesta", Data{"datore.cittadinanza": "IT", "datore.soggiorno.richiesta_rinnovo": true}, false},
		{em, "datore.iscrizione_anagrafica", Data{"datore.cittadinanza": "RO"}, true},
		{em, "datore.iscrizione_anagrafica", Data{"datore.cittadinanza": "IT"}, false},
		{em, "datore.iscrizione_anagrafica", Data{"datore.cittadinanza": "AL"}, false},
		{em, "assistito.nome", Data{"rapporto.tipologia": "badante"}, true},
		{em, "assistito.nome", Data{"rapporto.tipologia": "colf"}, false},
		{em, "dichiara.certificazione_non_autosufficienza", Data{"rapporto.tipologia": "badante"}, true},
		{em, "reddito.importo", Data{"rapporto.tipologia": "colf"}, true},
		{em, "reddito.importo", Data{"rapporto.tipologia": "badante"}, false},
		{em, "dichiara.reddito", Data{"rapporto.tipologia": "badante"}, false},
		{em, "impiego.comune", Data{}, true},
		{em, "impiego.cap", Data{"impiego.coincide_residenza": true}, false},
		{em, "impiego.provincia", Data{"impiego.coincide_residenza": true}, true},
		{em, "alloggio.decurtazione", Data{}, false},
		{em, "alloggio.decurtazione", Data{"alloggio.a_carico": "datore"}, true},
		{em, "alloggio.decurtazione", Data{"alloggio.a_carico": "lavoratore"}, true},
		{em, "rinuncia.codice_domanda", Data{"rinuncia.flussi_2007": true}, true},
		{em, "rinuncia.codice_domanda", Data{}, false},
		{em, "richiesta.tipo", Data{}, false},
		{a, "lavoratore.sesso", Data{"richiesta.tipo": "numerica"}, false},
		{a, "lavoratore.cognome", Data{"richiesta.tipo": "numerica"}, false},
		{a, "lavoratore.residenza_estero.stato", Data{"richiesta.tipo": "numerica"}, false},
		{a, "lavoratore.sesso", Data{"richiesta.tipo": "nominativa"}, true},
		{a, "lavoratore.cittadinanza", Data{"richiesta.tipo": "numerica"}, true},
		{a, "rapporto.durata_mesi", Data{"rapporto.durata": "determinato"}, true},
		{a, "rapporto.durata_mesi", Data{"rapporto.durata": "indeterminato"}, false},
		{a, "alloggio.decurtazione", Data{"alloggio.decurtazione_stipendio": true}, true},
		{a, "alloggio.decurtazione", Data{"alloggio.a_carico": "datore"}, false},
		{a, "datore.soggiorno.numero", Data{"datore.cittadinanza": "MA"}, true},
		{a, "datore.iscrizione_anagrafica", Data{"datore.cittadinanza": "RO"}, false},
	} {
		if got := tc.s.Applies(tc.key, tc.d); got != tc.want {
			t.Errorf("%s Applies(%s, %v) = %v", tc.s.Kind, tc.key, tc.d, got)
		}
	}
}

func TestSchemaRequiredAndLocked(t *testing.T) {
	em, a := SchemaOf(KindEM), SchemaOf(KindA)
	for _, tc := range []struct {
		s    *Schema
		key  string
		d    Data
		want bool
	}{
		{em, "datore.codice_fiscale", Data{}, true},
		{em, "lavoratore.codice_fiscale", Data{}, false},
		{em, "recapiti.telefono", Data{}, true},
		{em, "recapiti.telefono", Data{"recapiti.cellulare": "333 1234567"}, false},
		{em, "recapiti.cellulare", Data{}, false},
		{em, "datore.soggiorno.scadenza", Data{"datore.cittadinanza": "AL", "datore.soggiorno.tipo": soggFamUE}, true},
		{em, "datore.soggiorno.scadenza", Data{"datore.cittadinanza": "AL", "datore.soggiorno.tipo": soggCE}, false},
		{em, "datore.soggiorno.scadenza", Data{"datore.cittadinanza": "AL", "datore.soggiorno.tipo": soggOrdin}, false},
		{a, "datore.soggiorno.scadenza", Data{"datore.cittadinanza": "AL", "datore.soggiorno.tipo": soggOrdin}, true},
		{em, "alloggio.decurtazione", Data{"alloggio.a_carico": "datore"}, false},
		{a, "alloggio.decurtazione", Data{"alloggio.decurtazione_stipendio": true}, true},
		{a, "assistito.nome", Data{"rapporto.tipologia": "badante"}, false},
		{a, "assistito.nome", Data{"rapporto.tipologia": "badante", "assistito.cognome": "Rossi"}, true},
		{em, "assistito.nome", Data{"rapporto.tipologia": "badante"}, true},
		{a, "lavoratore.nome", Data{"richiesta.tipo": "nominativa"}, true},
		{a, "lavoratore.nome", Data{"richiesta.tipo": "numerica"}, false},
		{em, "nessuno", Data{}, false},
	} {
		if got := tc.s.Required(tc.key, tc.d); got != tc.want {
			t.Errorf("%s Required(%s, %v) = %v", tc.s.Kind, tc.key, tc.d, got)
		}
	}
	num := Data{"richiesta.tipo": "numerica"}
	if !a.Locked("lavoratore.sesso", num) || a.Locked("lavoratore.sesso", Data{"richiesta.tipo": "nominativa"}) || !a.Locked("datore.cognome", Data{}) || a.Locked("rapporto.livello", num) {
		t.Error("Locked")
	}
	f, _ := a.Field("lavoratore.sesso")
	if f.LockedIf == "" {
		t.Error("LockedIf says when")
	}
}
