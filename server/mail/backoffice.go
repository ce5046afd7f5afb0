package mail

import (
	"fmt"
	"strings"

	"nullaosta/server/core"
	"nullaosta/shared"
)

const signature = `
-- 
Nullaosta — domande di lavoro domestico
Ministero dell'Interno — Dipartimento per le Libertà Civili e l'Immigrazione
Questo messaggio è generato automaticamente: non rispondere.
`

func enteText(e core.Ente) string {
	return fmt.Sprintf("%s (%s, provincia di %s)", e.Nome, strings.ToLower(core.EnteTipoLabel(e.Tipo)), e.Provincia)
}

// Enabled is the confirmation to an operator that the Ministry enabled them (seed 000, step 4:
// "Ciascun operatore riceverà una e-mail di conferma dell'avvenuta abilitazione").
func Enabled(baseURL string, r *core.Enablement, o core.EnablementOperator) core.Mail {
	body := fmt.Sprintf(`Gentile %s %s,

il Ministero dell'Interno ha abilitato il tuo account %s come operatore di
%s (richiesta n. %d).

Da ora puoi generare e inviare le domande senza il limite previsto per gli utenti privati.
Accedi a %s con la tua e-mail e la tua password: le domande che prepari restano legate al
tuo account personale, anche se usi un computer o un tablet condiviso con i colleghi.
%s`, o.Nome, o.Cognome, o.Email, enteText(r.Ente), r.ID, strings.TrimRight(baseURL, "/"), signature)
	return core.Mail{To: o.Email, Subject: "Nullaosta: sei abilitato come operatore", Body: body}
}

// EnabledList is the list of enabled users for the referente (seed 000, step 4: "comunicherà
// al Referente … la lista degli utenti abilitati", by e-mail instead of fax).
func EnabledList(r *core.Enablement, decided []core.EnablementOperator) core.Mail {
	var b strings.Builder
	fmt.Fprintf(&b, "Gentile %s %s,\n\n", r.Referente.Nome, r.Referente.Cognome)
	fmt.Fprintf(&b, "il Ministero dell'Interno ha esaminato la richiesta di abilitazione n. %d di\n%s.\n\n", r.ID, enteText(r.Ente))
	b.WriteString("Sono stati abilitati come operatori, con la possibilità di compilare e inviare un numero\nillimitato di domande:\n\n")
	for _, o := range decided {
		fmt.Fprintf(&b, "  - %s %s, nato/a il %s, %s\n", o.Nome, o.Cognome, shared.ItalianDate(o.DataNascita), o.Email)
	}
	var other []string
	for _, o := range r.Operatori {
		switch o.Stato {
		case core.OperatoreInAttesa:
			other = append(other, fmt.Sprintf("  - %s %s (%s): ancora in attesa di decisione", o.Nome, o.Cognome, o.Email))
		case core.OperatoreRespinto:
			other = append(other, fmt.Sprintf("  - %s %s (%s): non abilitato — %s", o.Nome, o.Cognome, o.Email, o.Motivo))
		}
	}
	if len(other) > 0 {
		b.WriteString("\nGli altri operatori della richiesta:\n\n" + strings.Join(other, "\n") + "\n")
	}
	b.WriteString("\nCiascun operatore abilitato riceve anche una e-mail di conferma.\n" + signature)
	return core.Mail{To: r.Referente.Email, Subject: fmt.Sprintf("Nullaosta: operatori abilitati per %s", r.Ente.Nome), Body: b.String()}
}

// Rejected tells the referente that some operators of the request were not enabled, and why.
func Rejected(r *core.Enablement, decided []core.EnablementOperator, motivo string) core.Mail {
	var b strings.Builder
	fmt.Fprintf(&b, "Gentile %s %s,\n\n", r.Referente.Nome, r.Referente.Cognome)
	fmt.Fprintf(&b, "il Ministero dell'Interno non ha abilitato i seguenti operatori della richiesta n. %d di\n%s:\n\n", r.ID, enteText(r.Ente))
	for _, o := range decided {
		fmt.Fprintf(&b, "  - %s %s (%s)\n", o.Nome, o.Cognome, o.Email)
	}
	fmt.Fprintf(&b, "\nMotivo: %s\n\nFino all'abilitazione queste persone restano utenti privati, con i limiti previsti:\n"+
		"non devono compilare né inviare domande per conto di altri. Se il motivo si può risolvere,\n"+
		"invia una nuova richiesta dal sito con i dati corretti.\n%s", motivo, signature)
	return core.Mail{To: r.Referente.Email, Subject: fmt.Sprintf("Nullaosta: richiesta di abilitazione n. %d non accolta", r.ID), Body: b.String()}
}

// RejectedOperator tells a person named as an operator that the Ministry did not enable them,
// and why (the referente gets the list, Rejected; each person hears of the decision about them).
func RejectedOperator(baseURL string, r *core.Enablement, o core.EnablementOperator, motivo string) core.Mail {
	body := fmt.Sprintf(`Gentile %s %s,

il Ministero dell'Interno non ha accolto la richiesta di abilitare il tuo account %s come
operatore di %s (richiesta n. %d).

Motivo: %s

Fino all'abilitazione resti un utente privato, con i limiti previsti: non compilare né inviare
domande per conto di altri. Se il motivo si può risolvere, chiedi al referente dell'ente di
inviare una nuova richiesta dal sito con i dati corretti. Trovi questo avviso anche accedendo
a %s.
%s`, o.Nome, o.Cognome, o.Email, enteText(r.Ente), r.ID, motivo, strings.TrimRight(baseURL, "/"), signature)
	return core.Mail{To: o.Email, Subject: "Nullaosta: richiesta di abilitazione come operatore non accolta", Body: body}
}

// Revoked tells an operator that their enablement was revoked.
func Revoked(u *core.User, motivo string) core.Mail {
	body := fmt.Sprintf(`Gentile %s %s,

il Ministero dell'Interno ha revocato l'abilitazione del tuo account %s come operatore.

Motivo: %s

Da ora il tuo account è di nuovo quello di un utente privato, con i limiti previsti. Le
domande già inviate e le loro ricevute restano valide e consultabili.
%s`, u.Nome, u.Cognome, u.Email, motivo, signature)
	return core.Mail{To: u.Email, Subject: "Nullaosta: abilitazione come operatore revocata", Body: body}
}

// StatoDomanda tells an applicant that the Sportello Unico moved their application to another
// status.
func StatoDomanda(baseURL string, u *core.User, d *core.Domanda) core.Mail {
	nota := ""
	if last := d.History[len(d.History)-1]; last.Nota != "" {
		nota = "\nNota dello Sportello: " + last.Nota + "\n"
	}
	body := fmt.Sprintf(`Gentile %s %s,

lo %s ha aggiornato la domanda con protocollo %s
(datore di lavoro %s, lavoratore %s).

Stato: %s
%s
Trovi lo stato di ogni tua domanda accedendo a %s, nella pagina dei tuoi moduli.
%s`, u.Nome, u.Cognome, d.Receipt.Sportello, d.Receipt.Protocol, d.Employer, d.Worker,
		core.DomandaLabel(d.Stato), nota, strings.TrimRight(baseURL, "/"), signature)
	return core.Mail{To: u.Email, Subject: fmt.Sprintf("Nullaosta: domanda %s — %s", d.Receipt.Protocol, strings.ToLower(core.DomandaLabel(d.Stato))), Body: body}
}
