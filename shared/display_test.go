package shared

import "testing"

func TestPersonName(t *testing.T) {
	for _, tc := range [][3]string{{"Bianchi", "Giovanna", "BIANCHI Giovanna"}, {"nicolò", "Anna", "NICOLÒ Anna"}, {"", "Anna", "Anna"}, {"Rossi", "", "ROSSI"}} {
		if got := PersonName(tc[0], tc[1]); got != tc[2] {
			t.Errorf("PersonName(%q, %q) = %q", tc[0], tc[1], got)
		}
	}
}

func TestDisplayValue(t *testing.T) {
	s := SchemaOf(KindEM)
	d := Data{"datore.residenza.comune": "D205", "impiego.provincia": "cn", "lavoratore.cittadinanza": "LK",
		"datore.data_nascita": "1958-03-12", "impiego.coincide_residenza": true, "datore.codice_fiscale": "bncgnn58c52d205k"}
	for key, want := range map[string]string{
		"datore.residenza.comune": "Cuneo (CN)", "impiego.provincia": "Cuneo (CN)", "lavoratore.cittadinanza": "Sri Lanka",
		"datore.data_nascita": "12/03/1958", "impiego.coincide_residenza": "Sì", "datore.codice_fiscale": "BNCGNN58C52D205K",
	} {
		f, ok := s.Field(key)
		if !ok {
			t.Fatalf("no field %s", key)
		}
		if got := DisplayValue(f, d); got != want {
			t.Errorf("DisplayValue(%s) = %q, want %q", key, got, want)
		}
		// The CSV export reads each stored value as text: it must read the same.
		raw := d.Str(key)
		if f.Type == TypeBool {
			raw = "true"
		}
		if got := DisplayString(f, raw); got != want {
			t.Errorf("DisplayString(%s, %q) = %q, want %q", key, raw, got, want)
		}
	}
	if f, _ := s.Field("impiego.coincide_residenza"); DisplayString(f, "false") != "No" || DisplayString(f, "") != "" {
		t.Error("DisplayString of a checkbox: false is «No», not filled is empty")
	}
	if ItalianDate("2009-09-15") != "15/09/2009" || ItalianDate("15/09/2009") != "15/09/2009" {
		t.Error("ItalianDate")
	}
}

func TestLayoutFollowsThePrintedModule(t *testing.T) {
	d := Data{"datore.cognome": "Bianchi", "lavoratore.cittadinanza": "LK"}
	laid := Layout(KindEM, d)
	s := SchemaOf(KindEM)
	if len(laid) != len(s.Sections)-1 {
		t.Fatalf("%d sections, want every one but the confirmation (%d)", len(laid), len(s.Sections)-1)
	}
	if f := laid[0].Fields[0]; f.Key != "datore.cognome" || f.Value != "Bianchi" {
		t.Errorf("first field %+v", f)
	}
	for _, sec := range laid {
		if s.Sections[sec.Index].ID != sec.ID {
			t.Errorf("section %s has index %d", sec.ID, sec.Index)
		}
		for _, f := range sec.Fields {
			if !s.Applies(f.Key, d) {
				t.Errorf("%s laid out but does not apply", f.Key)
			}
		}
	}
}
