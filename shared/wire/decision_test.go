package wire

import (
	"strings"
	"testing"
)

func TestOperatorDecisionNotice(t *testing.T) {
	ente := Ente{Nome: "Cuneo", Tipo: EnteComune, Provincia: "CN"}
	rej := OperatorDecision{Stato: OperatoreRespinto, Motivo: "La data di nascita non corrisponde all'account.", Ente: ente, DecidedAtRome: "23/11/2026 14:05:09"}
	want := "Il Ministero dell'Interno non ha accolto il 23/11/2026 la richiesta di abilitarti come operatore per Comune di Cuneo. Motivo: La data di nascita non corrisponde all'account."
	if got := rej.Notice(); !strings.HasPrefix(got, want) {
		t.Errorf("rejection notice = %q, want it to start with %q", got, want)
	}
	ok := OperatorDecision{Stato: OperatoreAbilitato, Ente: Ente{Nome: "INCA", Tipo: EntePatronato}, DecidedAtRome: "23/11/2026 14:05:09"}
	if got := ok.Notice(); !strings.Contains(got, "ti ha abilitato il 23/11/2026 come operatore per Patronato INCA") {
		t.Errorf("enablement notice = %q", got)
	}
	if got := (OperatorDecision{Stato: OperatoreInAttesa}).Notice(); got != "" {
		t.Errorf("no decision yet: %q", got)
	}
}
