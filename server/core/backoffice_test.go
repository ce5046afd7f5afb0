package core

import "testing"

func TestRichiestaStato(t *testing.T) {
	for _, tc := range []struct {
		rows []string
		want string
	}{
		{[]string{OperatoreInAttesa, OperatoreInAttesa}, RichiestaInAttesa},
		{[]string{OperatoreAbilitato, OperatoreInAttesa}, RichiestaParziale},
		{[]string{OperatoreRespinto, OperatoreInAttesa}, RichiestaParziale},
		{[]string{OperatoreAbilitato, OperatoreRespinto}, RichiestaApprovata},
		{[]string{OperatoreRevocato}, RichiestaApprovata},
		{[]string{OperatoreRespinto, OperatoreRespinto}, RichiestaRespinta},
	} {
		if got := RichiestaStato(tc.rows); got != tc.want {
			t.Errorf("RichiestaStato(%v) = %s, want %s", tc.rows, got, tc.want)
		}
	}
}

func TestPraticaCanMove(t *testing.T) {
	allowed := map[[2]string]bool{
		{PraticaRicevuta, PraticaInIstruttoria}:  true,
		{PraticaInIstruttoria, PraticaConvocato}: true,
		{PraticaInIstruttoria, PraticaRespinta}:  true,
		{PraticaConvocato, PraticaAccolta}:       true,
		{PraticaConvocato, PraticaRespinta}:      true,
	}
	for _, from := range PraticaStati {
		for _, to := range PraticaStati {
			if got := PraticaCanMove(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("PraticaCanMove(%s, %s) = %v", from, to, got)
			}
		}
	}
	if len(PraticaNext(PraticaAccolta)) != 0 || PraticaCanMove("", PraticaRicevuta) {
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
