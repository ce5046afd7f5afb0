package wire

import (
	"slices"
	"testing"
)

func TestDomandaTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     bool
	}{
		{DomandaRicevuta, DomandaInIstruttoria, true},
		{DomandaRicevuta, DomandaConvocato, false},
		{DomandaRicevuta, DomandaRespinta, false},
		{DomandaInIstruttoria, DomandaConvocato, true},
		{DomandaInIstruttoria, DomandaRespinta, true},
		{DomandaInIstruttoria, DomandaAccolta, false},
		{DomandaConvocato, DomandaAccolta, true},
		{DomandaConvocato, DomandaRespinta, true},
		{DomandaAccolta, DomandaRespinta, false},
		{DomandaRespinta, DomandaRicevuta, false},
		{"", DomandaRicevuta, false},
	} {
		if got := DomandaCanMove(tc.from, tc.to); got != tc.want {
			t.Errorf("PraticaCanMove(%q, %q) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
		if got := slices.Contains(DomandaNext(tc.from), tc.to); got != tc.want {
			t.Errorf("PraticaNext(%q) contains %q = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
	// DomandaNext hands out a copy: a caller that changes it must not change the rules.
	n := DomandaNext(DomandaRicevuta)
	n[0] = DomandaAccolta
	if !DomandaCanMove(DomandaRicevuta, DomandaInIstruttoria) || DomandaCanMove(DomandaRicevuta, DomandaAccolta) {
		t.Error("changing PraticaNext's result changed the transitions")
	}
}

func TestLabels(t *testing.T) {
	for _, s := range DomandaStati {
		if DomandaLabel(s) == s {
			t.Errorf("status %q has no label", s)
		}
	}
	for _, e := range EnteTipi {
		if EnteTipoLabel(e) == e {
			t.Errorf("ente kind %q has no label", e)
		}
	}
	for _, s := range []string{EnablementInAttesa, EnablementParziale, EnablementApprovata, EnablementRespinta} {
		if EnablementLabel(s) == s {
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
	if DomandaLabel("sconosciuto") != "sconosciuto" || EnteTipoLabel("x") != "x" {
		t.Error("an unknown value must be shown as it is")
	}
}
