package wire

import (
	"slices"
	"testing"
)

func TestPraticaTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     bool
	}{
		{PraticaRicevuta, PraticaInIstruttoria, true},
		{PraticaRicevuta, PraticaConvocato, false},
		{PraticaRicevuta, PraticaRespinta, false},
		{PraticaInIstruttoria, PraticaConvocato, true},
		{PraticaInIstruttoria, PraticaRespinta, true},
		{PraticaInIstruttoria, PraticaAccolta, false},
		{PraticaConvocato, PraticaAccolta, true},
		{PraticaConvocato, PraticaRespinta, true},
		{PraticaAccolta, PraticaRespinta, false},
		{PraticaRespinta, PraticaRicevuta, false},
		{"", PraticaRicevuta, false},
	} {
		if got := PraticaCanMove(tc.from, tc.to); got != tc.want {
			t.Errorf("PraticaCanMove(%q, %q) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
		if got := slices.Contains(PraticaNext(tc.from), tc.to); got != tc.want {
			t.Errorf("PraticaNext(%q) contains %q = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
	// PraticaNext hands out a copy: a caller that changes it must not change the rules.
	n := PraticaNext(PraticaRicevuta)
	n[0] = PraticaAccolta
	if !PraticaCanMove(PraticaRicevuta, PraticaInIstruttoria) || PraticaCanMove(PraticaRicevuta, PraticaAccolta) {
		t.Error("changing PraticaNext's result changed the transitions")
	}
}

func TestLabels(t *testing.T) {
	for _, s := range PraticaStati {
		if PraticaLabel(s) == s {
			t.Errorf("status %q has no label", s)
		}
	}
	for _, e := range EnteTipi {
		if EnteTipoLabel(e) == e {
			t.Errorf("ente kind %q has no label", e)
		}
	}
	for _, s := range []string{RichiestaInAttesa, RichiestaParziale, RichiestaApprovata, RichiestaRespinta} {
		if RichiestaLabel(s) == s {
			t.Errorf("request status %q has no label", s)
		}
	}
	for _, s := range []string{OperatoreInAttesa, OperatoreAbilitato, OperatoreRespinto, OperatoreRevocato} {
		if OperatoreLabel(s) == s {
			t.Errorf("operator status %q has no label", s)
		}
	}
	if RoleLabel(RoleAdmin) == RoleLabel(RolePrivato) || RoleLabel("") != "Privato" {
		t.Error("role labels")
	}
	if PraticaLabel("sconosciuto") != "sconosciuto" || EnteTipoLabel("x") != "x" {
		t.Error("an unknown value must be shown as it is")
	}
}
