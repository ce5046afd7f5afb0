package site

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/ui"
)

// Home is the page /: what the two procedures are and the steps to follow.
type Home struct{ goapp.Compo }

func (h *Home) Render() goapp.UI {
	steps := []struct{ title, text, href, link string }{
		{"Registrati", "Crea un account con cognome, nome, e-mail e data di nascita. Riceverai un messaggio per attivarlo: l'e-mail sarà il tuo nome utente.", "/registrati", "Registrati"},
		{"Genera il modulo", "Sul sito scegli il modulo (EM oppure A) e indica i dati essenziali del datore di lavoro e del lavoratore. Questi dati restano bloccati nel modulo.", "/genera", "Genera modulo"},
		{"Importa", "Scarica su questo dispositivo i moduli generati, indicando di nuovo e-mail e password. Puoi ripetere l'importazione: i moduli già in compilazione non vengono toccati.", "/importa", "Importa"},
		{"Compila", "Compila i capitoli del modulo anche senza connessione: ogni modifica è salvata sul dispositivo e controllata subito. Alla fine rivedi il riepilogo e conferma.", "/compila", "Compila"},
		{"Invia", "Invia tutti i moduli completati. Senza connessione restano in coda e partono da soli quando la connessione torna.", "/invia", "Invia"},
		{"Ricevuta", "Per ogni domanda accettata ricevi una ricevuta con numero di protocollo, data e ora e lo Sportello Unico competente, scaricabile in PDF.", "/ricevute", "Ricevute"},
	}
	return ui.Page("/",
		// A logged-in applicant sees where they are in the steps first.
		&ui.FirstSteps{},
		goapp.Div().Class("hero").Body(
			goapp.H1().Text("Domande di lavoro domestico per cittadini extracomunitari"),
			goapp.P().Class("lead").Text("Compila e invia allo Sportello Unico per l'Immigrazione la dichiarazione di emersione (modulo EM) e la richiesta di nulla osta al lavoro domestico (Modulo A). Funziona in qualunque browser, anche su tablet, e anche senza connessione."),
		),
		goapp.Div().Class("row g-4 my-2").Body(
			goapp.Div().Class("col-12 col-md-6").Body(
				goapp.Div().Class("card h-100 proc-card").Body(goapp.Div().Class("card-body").Body(
					goapp.H2().Class("h4 card-title").Text("Modulo EM — emersione 2009"),
					goapp.P().Text("Dichiarazione di emersione dal lavoro irregolare di un lavoratore extracomunitario addetto al lavoro domestico (colf) o all'assistenza di persone non autosufficienti (badante), secondo la legge 102/2009. Un modulo per ogni lavoratore."),
					goapp.P().Class("small text-muted mb-0").Text("Servono: i dati e il documento del datore di lavoro, il passaporto del lavoratore, la proposta di contratto, l'alloggio, il versamento F24 del contributo e la marca da bollo."),
				)),
			),
			goapp.Div().Class("col-12 col-md-6").Body(
				goapp.Div().Class("card h-100 proc-card").Body(goapp.Div().Class("card-body").Body(
					goapp.H2().Class("h4 card-title").Text("Modulo A — nulla osta al lavoro domestico"),
					goapp.P().Text("Richiesta nominativa o numerica di nulla osta al lavoro domestico di un cittadino extracomunitario residente all'estero (art. 22 D.Lgs. 286/1998), in 14 sezioni."),
					goapp.P().Class("small text-muted mb-0").Text("La richiesta numerica è possibile soltanto per i Paesi che hanno liste pubblicate; quella nominativa richiede i dati del lavoratore che conosci già."),
				)),
			),
		),
		goapp.H2().Class("h3 mt-4").Text("Come si fa"),
		goapp.Ol().Class("steps-list").Body(
			goapp.Range(steps).Slice(func(i int) goapp.UI {
				s := steps[i]
				return goapp.Li().Class("step").Body(
					goapp.H3().Class("h5").Text(s.title),
					goapp.P().Text(s.text),
					goapp.A().Href(s.href).Class("btn btn-outline-primary btn-sm").Text(s.link),
				)
			}),
		),
		goapp.H2().Class("h4 mt-4").Text("Un dispositivo, più persone"),
		goapp.P().Text("Su un tablet condiviso (comune, patronato) ogni operatore vede soltanto i propri moduli, la propria coda di invio e le proprie ricevute, e solo mentre è collegato. Ricorda di uscire quando hai finito."),
	)
}
