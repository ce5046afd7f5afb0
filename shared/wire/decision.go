package wire

// OperatorDecision is the Ministry's last decision about a person named as an operator in an
// enablement request: the account's profile carries it, so that the person learns it on logging
// in as well as by e-mail (seed 000, step 4), with the reason of a rejection.
type OperatorDecision struct {
	Stato         string `json:"stato"` // OperatoreAbilitato, OperatoreRespinto or OperatoreRevocato
	Motivo        string `json:"motivo,omitempty"`
	Ente          Ente   `json:"ente"`
	EnablementID  int64  `json:"richiestaId"`
	DecidedAtRome string `json:"decidedAtRome"` // "23/11/2026 14:05:09"
}

// Notice is the decision in a sentence for the person it is about.
func (d OperatorDecision) Notice() string {
	ente := EnteTipoLabel(d.Ente.Tipo) + " " + d.Ente.Nome
	if d.Ente.Tipo == EnteComune {
		ente = "Comune di " + d.Ente.Nome
	}
	day := ""
	if len(d.DecidedAtRome) >= 10 {
		day = " il " + d.DecidedAtRome[:10]
	}
	switch d.Stato {
	case OperatoreAbilitato:
		return "Il Ministero dell'Interno ti ha abilitato" + day + " come operatore per " + ente +
			": puoi generare e inviare domande senza il limite degli utenti privati."
	case OperatoreRespinto:
		return "Il Ministero dell'Interno non ha accolto" + day + " la richiesta di abilitarti come operatore per " + ente +
			". Motivo: " + d.Motivo + " Fino all'abilitazione resti un utente privato; se il motivo si può risolvere, chiedi al referente dell'ente di inviare una nuova richiesta con i dati corretti."
	case OperatoreRevocato:
		return "Il Ministero dell'Interno ha revocato" + day + " la tua abilitazione come operatore per " + ente +
			". Motivo: " + d.Motivo + " Ora sei un utente privato; le domande già inviate restano valide."
	}
	return ""
}
