package shared

import (
	"strings"
	"testing"
)

func TestReceiptTexts(t *testing.T) {
	em, a := SchemaOf(KindEM), SchemaOf(KindA)
	if !strings.Contains(em.ReceiptNote, "marca da bollo") || !strings.Contains(em.ReceiptNote, "F24") {
		t.Errorf("EM receipt note = %q", em.ReceiptNote)
	}
	// Modulo A asks for no payment and has no marca da bollo field.
	for _, w := range []string{"bollettino", "versamento", "marca da bollo", "F24"} {
		if strings.Contains(a.ReceiptNote, w) {
			t.Errorf("Modulo A receipt note mentions %q: %q", w, a.ReceiptNote)
		}
	}
	if a.ReceiptNote == "" {
		t.Error("Modulo A has no receipt note")
	}

	num := loadFixture(t, "a_numerica")
	if got := RequestType(num); !strings.HasPrefix(got, "Numerica, dalle liste di ") {
		t.Errorf("RequestType(numerica) = %q", got)
	}
	if got, ok := NumericaWorker(num); !ok || !strings.HasPrefix(got, "Da individuare dalle liste di ") {
		t.Errorf("NumericaWorker(numerica) = %q, %v", got, ok)
	}
	nom := loadFixture(t, "a_nominativa")
	if got := RequestType(nom); got != "Nominativa" {
		t.Errorf("RequestType(nominativa) = %q", got)
	}
	if _, ok := NumericaWorker(nom); ok {
		t.Error("NumericaWorker(nominativa) ok")
	}
	if got := RequestType(loadFixture(t, "em_colf")); got != "" {
		t.Errorf("RequestType(EM) = %q", got)
	}
	if got := ReceiptFileName("DEMOEM-0000001"); got != "ricevuta-DEMOEM-0000001.pdf" {
		t.Errorf("ReceiptFileName = %q", got)
	}
}

func TestParties(t *testing.T) {
	for _, tc := range []struct {
		d    Data
		want string
	}{
		{Data{"datore.cognome": "Bianchi", "datore.nome": "Giovanna", "lavoratore.cognome": "Perera", "lavoratore.nome": "Kumari"}, "BIANCHI Giovanna per PERERA Kumari"},
		{Data{"datore.cognome": " rossi ", "datore.nome": "Mario", "richiesta.tipo": "numerica", "lavoratore.cittadinanza": "LK"}, "ROSSI Mario, richiesta numerica dalle liste di Sri Lanka"},
		{Data{"richiesta.tipo": "numerica"}, "Richiesta numerica"},
		{Data{"datore.cognome": "Bianchi"}, "BIANCHI"},
		{Data{}, ""},
	} {
		if got := Parties(tc.d); got != tc.want {
			t.Errorf("Parties(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
