package shared

import "testing"

// The UI reads which codici fiscali it can compute and which country pickers list only non-EU
// states from the schema, so every module must state them.
func TestSchemaAttributes(t *testing.T) {
	for _, k := range []Kind{KindEM, KindA} {
		s := SchemaOf(k)
		computed, nonEU := map[string]string{}, map[string]bool{}
		for _, f := range s.Fields() {
			if f.ComputedFrom != "" {
				computed[f.Key] = f.ComputedFrom
			}
			if f.NonEU {
				nonEU[f.Key] = true
			}
		}
		if len(computed) != 2 || computed["datore.codice_fiscale"] != "datore" || computed["lavoratore.codice_fiscale"] != "lavoratore" {
			t.Errorf("%s: computed codici fiscali %v", k, computed)
		}
		if len(nonEU) != 1 || !nonEU["lavoratore.cittadinanza"] {
			t.Errorf("%s: non-EU countries %v", k, nonEU)
		}
	}
}

func TestComputeCodiceFiscale(t *testing.T) {
	d := loadFixture(t, "em_colf")
	want := d.Str("datore.codice_fiscale")
	if got, err := ComputeCodiceFiscale(KindEM, d, "datore.codice_fiscale"); err != nil || got != want {
		t.Errorf("employer: %q %v, want %q", got, err, want)
	}
	if _, err := ComputeCodiceFiscale(KindEM, d, "lavoratore.codice_fiscale"); err != nil {
		t.Errorf("worker born abroad: %v", err)
	}
	if _, err := ComputeCodiceFiscale(KindEM, d, "datore.cognome"); err == nil {
		t.Error("a field that is not a computable codice fiscale was computed")
	}
	d["datore.data_nascita"] = "31/02/1958"
	if _, err := ComputeCodiceFiscale(KindEM, d, "datore.codice_fiscale"); err == nil || err.Error() != "Per calcolare il codice fiscale correggi prima la data di nascita." {
		t.Errorf("bad birth date: %v", err)
	}
}
