package shared

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// italianForms rewrites em_colf the way people type: Italian dates, money with thousands dots
// and decimal commas, a lower-case codice fiscale with spaces, spaces around everything, list
// codes in another case.
func italianForms(t testing.TB) Data {
	d := loadFixture(t, "em_colf")
	for k, v := range map[string]string{
		"datore.data_nascita":                "12/03/1958",
		"datore.documento.data_rilascio":     "10/6/2005",
		"datore.documento.data_scadenza":     "09.06.2015",
		"lavoratore.data_nascita":            "21/08/1975",
		"rapporto.data_inizio":               "3/11/2008",
		"versamento.data_f24":                "28/08/2009",
		"marca_bollo.data":                   "28/08/2009",
		"rapporto.retribuzione_mensile":      "  1.050,00 ",
		"reddito.importo":                    "€ 32.500",
		"alloggio.decurtazione":              "100.5",
		"datore.codice_fiscale":              " bncgnn 58c52 d205k ",
		"datore.residenza.comune":            "d205",
		"datore.residenza.provincia":         " cn",
		"lavoratore.cittadinanza":            "lk ",
		"rapporto.livello":                   "b",
		"rapporto.orario_settimanale":        " 25 ",
		"recapiti.cellulare":                 " +39 333 123 4567 ",
		"marca_bollo.identificativo":         "0123 4567 8901 23",
		"datore.cognome":                     "  Bianchi ",
		"lavoratore.documento.rilasciato_da": "\tDepartment of Immigration and Emigration, Colombo\n",
	} {
		d[k] = v
	}
	d["dichiara.reddito"] = "on"
	return d
}

func TestInputForms(t *testing.T) {
	d := italianForms(t)
	if ps := Validate(KindEM, nil, d, emDay); len(ps) != 0 {
		for _, p := range ps {
			t.Errorf("%s %s: %s", p.Field, p.Code, p.Message)
		}
	}
	n := Normalize(KindEM, d)
	for k, want := range map[string]any{
		"datore.data_nascita":            "1958-03-12",
		"datore.documento.data_rilascio": "2005-06-10",
		"datore.documento.data_scadenza": "2015-06-09",
		"rapporto.data_inizio":           "2008-11-03",
		"rapporto.retribuzione_mensile":  "1050.00",
		"reddito.importo":                "32500.00",
		"alloggio.decurtazione":          "100.50",
		"datore.codice_fiscale":          "BNCGNN58C52D205K",
		"datore.residenza.comune":        "D205",
		"datore.residenza.provincia":     "CN",
		"lavoratore.cittadinanza":        "LK",
		"rapporto.livello":               "B",
		"rapporto.orario_settimanale":    "25",
		"recapiti.cellulare":             "+393331234567",
		"marca_bollo.identificativo":     "01234567890123",
		"datore.cognome":                 "Bianchi",
		"dichiara.reddito":               true,
		"impiego.coincide_residenza":     true,
	} {
		if n[k] != want {
			t.Errorf("Normalize %s = %#v, want %#v", k, n[k], want)
		}
	}
	if _, ok := n["rinuncia.flussi_2007"]; ok {
		t.Error("false checkboxes are dropped")
	}
	// Normalised data validate the same, and normalising is idempotent.
	if ps := Validate(KindEM, nil, n, emDay); len(ps) != 0 {
		t.Errorf("normalised data: %v", ps)
	}
	if n2 := Normalize(KindEM, n); string(CanonicalJSON(n2)) != string(CanonicalJSON(n)) {
		t.Error("Normalize is not idempotent")
	}
}

func TestNormalizeKeepsWhatItCannotRead(t *testing.T) {
	n := Normalize(KindEM, Data{
		"rapporto.data_inizio":  " 31/02/2009 ",
		"foo":                   " bar ",
		"rapporto.orario":       12.0,
		"datore.sesso":          "",
		"dichiara.reddito":      "forse",
		"rapporto.tipologia":    "Badante",
		"alloggio.decurtazione": nil,
	})
	want := Data{"rapporto.data_inizio": "31/02/2009", "foo": "bar", "rapporto.orario": 12.0, "dichiara.reddito": "forse", "rapporto.tipologia": "badante"}
	if len(n) != len(want) {
		t.Errorf("Normalize = %v", n)
	}
	for k, v := range want {
		if n[k] != v {
			t.Errorf("Normalize %s = %#v, want %#v", k, n[k], v)
		}
	}
	if got := Normalize("X", Data{"a": " b "}); got["a"] != "b" {
		t.Errorf("unknown kind: %v", got)
	}
}

func TestCanonicalJSON(t *testing.T) {
	a := CanonicalJSON(italianForms(t))
	b := CanonicalJSON(Normalize(KindEM, italianForms(t)))
	if string(a) != string(b) {
		t.Errorf("typing does not change the canonical bytes:\n%s\n%s", a, b)
	}
	got := string(CanonicalJSON(Data{"z": "a<b>&", "a": true, "m": " 880,17 ", "rapporto.retribuzione_mensile": "880,17", "x": false, "datore.soggiorno.tipo": "Permesso_Soggiorno"}))
	want := `{"a":true,"datore.soggiorno.tipo":"permesso_soggiorno","m":"880,17","rapporto.retribuzione_mensile":"880.17","z":"a<b>&"}`
	if got != want {
		t.Errorf("CanonicalJSON = %s\nwant %s", got, want)
	}
	var back map[string]any
	if err := json.Unmarshal(a, &back); err != nil {
		t.Errorf("not JSON: %v", err)
	}
}

func TestProblemOrder(t *testing.T) {
	d := loadFixture(t, "em_colf")
	d["zzz"] = "1"
	d["aaa"] = "1"
	d["marca_bollo.identificativo"] = "1"
	d["datore.sesso"] = "X"
	d["rapporto.retribuzione_mensile"] = "1,00"
	d["alloggio.cap"] = "99999"
	d["datore.data_nascita"] = "1958-03-13"
	first := Validate(KindEM, nil, d, emDay)
	var fields []string
	for _, p := range first {
		fields = append(fields, p.Field)
	}
	want := []string{"datore.sesso", "datore.codice_fiscale", "rapporto.retribuzione_mensile", "alloggio.cap", "marca_bollo.identificativo", "aaa", "zzz"}
	if !slices.Equal(fields, want) {
		t.Errorf("order = %v, want %v", fields, want)
	}
	for i := 0; i < 20; i++ {
		again := Validate(KindEM, nil, d.Clone(), emDay)
		if !slices.Equal(again, first) {
			t.Fatal("validation is not deterministic")
		}
	}
}

func TestEmptyApplications(t *testing.T) {
	for _, k := range []Kind{KindEM, KindA} {
		ps := Validate(k, nil, Data{}, emDay)
		s := SchemaOf(k)
		last := -1
		for _, p := range ps {
			f, ok := s.Field(p.Field)
			if !ok {
				t.Fatalf("%s: problem on unknown field %s", k, p.Field)
			}
			if f.pos < last {
				t.Errorf("%s: %s out of order", k, p.Field)
			}
			last = f.pos
			if p.Code != CodeRequired && p.Code != CodeMustConfirm {
				t.Errorf("%s: empty form gives %s on %s", k, p.Code, p.Field)
			}
			if !s.Required(p.Field, Data{}) {
				t.Errorf("%s: %s reported but not Required", k, p.Field)
			}
		}
		if len(ps) < 30 {
			t.Errorf("%s: only %d problems on an empty form", k, len(ps))
		}
	}
	if ps := Validate(Kind("X"), nil, Data{}, emDay); len(ps) != 1 || ps[0].Code != CodeUnknownModule {
		t.Errorf("unknown module: %v", ps)
	}
}

func TestMessages(t *testing.T) {
	// Every problem of a badly filled application says something Italian and names a field.
	for _, name := range fixtureNames {
		d := loadFixture(t, name)
		for k := range d {
			d[k] = "?"
		}
		d["impiego.coincide_residenza"] = true
		for _, p := range Validate(fixtureKind(name), nil, d, fixtureDay(name)) {
			if p.Field == "" || p.Code == "" || p.Severity == "" || len(p.Message) < 20 || strings.Contains(p.Message, "%!") {
				t.Errorf("%s: %+v", name, p)
			}
			if strings.Contains(p.Message, "«»") || strings.HasPrefix(p.Message, " ") {
				t.Errorf("%s: message %q", name, p.Message)
			}
		}
	}
}

func TestValidateGeneration(t *testing.T) {
	gen := func(name string) Data {
		d := loadFixture(t, name)
		out := Data{}
		for _, f := range GenerationFields(fixtureKind(name)) {
			if v, ok := d[f.Key]; ok {
				out[f.Key] = v
			}
		}
		return out
	}
	for _, name := range fixtureNames {
		if ps := ValidateGeneration(fixtureKind(name), nil, gen(name), fixtureDay(name)); len(ps) != 0 {
			t.Errorf("%s generation data: %v", name, ps)
		}
	}
	for _, tc := range []struct {
		name      string
		fixture   string
		change    Data
		wantField string
		wantCode  string
	}{
		{"not_a_generation_key", "em_colf", Data{"datore.sesso": "F"}, "datore.sesso", "unknown_field"},
		{"missing", "em_colf", Data{"datore.telefono": del}, "datore.telefono", "required"},
		{"C4_comune_provincia", "em_colf", Data{"datore.residenza.comune": "L219"}, "datore.residenza.comune", "comune_provincia"},
		{"C4_cap", "em_colf", Data{"datore.residenza.cap": "10121"}, "datore.residenza.cap", "cap_comune"},
		{"C12_worker_eu", "em_colf", Data{"lavoratore.cittadinanza": "PL"}, "lavoratore.cittadinanza", "worker_eu"},
		{"A1_numerica", "a_numerica", Data{"lavoratore.cittadinanza": "UA"}, "lavoratore.cittadinanza", "numerica_not_allowed"},
		{"A1_nominativa_names", "a_nominativa", Data{"lavoratore.nome": del}, "lavoratore.nome", "required"},
		{"A_numerica_no_names", "a_numerica", Data{"lavoratore.nome": "Ion"}, "lavoratore.nome", "locked"},
		{"A_tipo", "a_numerica", Data{"richiesta.tipo": "altro"}, "richiesta.tipo", "not_in_list"},
	} {
		d := gen(tc.fixture)
		for k, v := range tc.change {
			if v == del {
				delete(d, k)
			} else {
				d[k] = v
			}
		}
		ps := ValidateGeneration(fixtureKind(tc.fixture), nil, d, fixtureDay(tc.fixture))
		if len(ps) != 1 || ps[0].Field != tc.wantField || ps[0].Code != tc.wantCode {
			t.Errorf("%s: want %s %s, got %v", tc.name, tc.wantField, tc.wantCode, ps)
		}
	}
}

func TestValidateJSON(t *testing.T) {
	b, _ := json.Marshal(loadFixture(t, "em_colf"))
	r, err := ValidateJSON(KindEM, nil, b, emDay)
	if err != nil || !r.Valid || r.Problems == nil || len(r.Problems) != 0 {
		t.Errorf("ValidateJSON = %+v, %v", r, err)
	}
	out, _ := json.Marshal(r)
	if string(out) != `{"valid":true,"problems":[]}` {
		t.Errorf("result JSON = %s", out)
	}
	r, err = ValidateJSON(KindEM, nil, []byte(`{"datore.sesso": "F", "datore.cognome": 3}`), emDay)
	if err != nil || r.Valid {
		t.Errorf("invalid data: %+v, %v", r, err)
	}
	// A warning does not block.
	d := loadFixture(t, "em_colf")
	d["datore.data_nascita"] = "1958-03-13"
	b, _ = json.Marshal(d)
	if r, _ := ValidateJSON(KindEM, nil, b, emDay); !r.Valid || len(r.Problems) != 1 {
		t.Errorf("warning only: %+v", r)
	}
	for _, bad := range []string{``, `[]`, `"x"`, `{`, `null`, `{"a":1} x`} {
		if _, err := ValidateJSON(KindEM, nil, []byte(bad), emDay); err == nil {
			t.Errorf("ValidateJSON(%q): want an error", bad)
		} else if !strings.Contains(err.Error(), "JSON") && !strings.Contains(err.Error(), "oggetto") {
			t.Errorf("ValidateJSON(%q): %v", bad, err)
		}
	}
	if _, err := ValidateJSON("B", nil, []byte(`{}`), emDay); err == nil {
		t.Error("unknown module")
	}
}

func TestTodayIsARomeDay(t *testing.T) {
	d := loadFixture(t, "em_colf")
	d["versamento.data_f24"] = "2009-09-16"
	// 15 September 22:30 UTC is already the 16th in Rome: the payment is not in the future.
	if ps := Validate(KindEM, nil, d, time.Date(2009, 9, 15, 22, 30, 0, 0, time.UTC)); len(ps) != 0 {
		t.Errorf("%v", ps)
	}
	if ps := Validate(KindEM, nil, d, time.Date(2009, 9, 15, 21, 30, 0, 0, time.UTC)); len(ps) != 1 || ps[0].Code != CodeFutureDate {
		t.Errorf("%v", ps)
	}
}

func TestValidateDoesNotChangeData(t *testing.T) {
	d := italianForms(t)
	before := string(CanonicalJSON(d))
	raw, _ := json.Marshal(d)
	Validate(KindEM, nil, d, emDay)
	Normalize(KindEM, d)
	after, _ := json.Marshal(d)
	if string(raw) != string(after) || string(CanonicalJSON(d)) != before {
		t.Error("validation changed its input")
	}
}

// TestValidateConcurrent: the server validates many submissions at once with shared schemas and
// pooled checkers (run with -race).
func TestValidateConcurrent(t *testing.T) {
	want := map[string]int{}
	data := map[string]Data{}
	for _, name := range fixtureNames {
		d := loadFixture(t, name)
		d["alloggio.cap"] = "00000"
		data[name] = d
		want[name] = len(Validate(fixtureKind(name), nil, d, fixtureDay(name)))
	}
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func(i int) {
			name := fixtureNames[i%len(fixtureNames)]
			for j := 0; j < 50; j++ {
				if got := len(Validate(fixtureKind(name), nil, data[name], fixtureDay(name))); got != want[name] {
					done <- name
					return
				}
			}
			done <- ""
		}(i)
	}
	for i := 0; i < 8; i++ {
		if name := <-done; name != "" {
			t.Errorf("%s: concurrent validation differs", name)
		}
	}
}
