package core

import "testing"

func TestEnablementStato(t *testing.T) {
	for _, tc := range []struct {
		rows []string
		want string
	}{
		{[]string{OperatoreInAttesa, OperatoreInAttesa}, EnablementInAttesa},
		{[]string{OperatoreAbilitato, OperatoreInAttesa}, EnablementParziale},
		{[]string{OperatoreRespinto, OperatoreInAttesa}, EnablementParziale},
		{[]string{OperatoreAbilitato, OperatoreRespinto}, EnablementApprovata},
		{[]string{OperatoreRevocato}, EnablementApprovata},
		{[]string{OperatoreRespinto, OperatoreRespinto}, EnablementRespinta},
	} {
		if got := EnablementStato(tc.rows); got != tc.want {
			t.Errorf("RichiestaStato(%v) = %s, want %s", tc.rows, got, tc.want)
		}
	}
}

func TestDomandaCanMove(t *testing.T) {
	allowed := map[[2]string]bool{
		{DomandaRicevuta, DomandaInIstruttoria}:  true,
		{DomandaInIstruttoria, DomandaConvocato}: true,
		{DomandaInIstruttoria, DomandaRespinta}:  true,
		{DomandaConvocato, DomandaAccolta}:       true,
		{DomandaConvocato, DomandaRespinta}:      true,
	}
	for _, from := range DomandaStati {
		for _, to := range DomandaStati {
			if got := DomandaCanMove(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("PraticaCanMove(%s, %s) = %v", from, to, got)
			}
		}
	}
	if len(DomandaNext(DomandaAccolta)) != 0 || DomandaCanMove("", DomandaRicevuta) {
		t.Error("a decided application moves")
	}
}

func TestSearchKey(t *testing.T) {
	for in, want := range map[string]string{
		"Nicolò Anna": "NICOLO ANNA", " d'Amico ": "D'AMICO", "ÈRBA": "ERBA", "Müller": "MüLLER", "": "",
	} {
		if got := SearchKey(in); got != want {
			t.Errorf("SearchKey(%q) = %q, want %q", in, got, want)
		}
	}
}
