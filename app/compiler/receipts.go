package compiler

import (
	"context"
	"encoding/json"
	"errors"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

// refreshReceipts copies the server's receipts of user to the device (when online) and returns
// what the device holds. A failed refresh still returns the device's list, with the error.
func refreshReceipts(ctx context.Context, user string) ([]store.Receipt, error) {
	st := session.Environment().Store
	var ferr error
	if api := session.UserAPI(ctx, user); api != nil {
		rs, err := api.Receipts(ctx)
		session.NoteReachability(err)
		if err == nil {
			for _, r := range rs {
				if err := st.PutReceipt(ctx, store.NewReceipt(user, r)); err != nil {
					ferr = err
				}
			}
		} else {
			ferr = err
		}
	}
	list, err := st.ListReceipts(ctx, user)
	if err != nil {
		return nil, err
	}
	return list, ferr
}

// settingDomandaStati keeps the Sportello's status of the user's sent modules (JSON map of module
// id to client.Pratica), so the receipts show it offline too.
const settingDomandaStati = "pratiche"

// refreshDomandaStati fetches the Sportello's status of the user's sent modules (when online) and
// keeps it on the device; offline, it returns what the device kept.
func refreshDomandaStati(ctx context.Context, user string) map[string]*client.DomandaStato {
	st := session.Environment().Store
	out := map[string]*client.DomandaStato{}
	if api := session.UserAPI(ctx, user); api != nil {
		ms, _, err := api.SearchModules(ctx, client.ModuleFilter{Stato: client.ModuleSent})
		if err == nil {
			for _, m := range ms {
				if m.DomandaStato != nil {
					out[m.ID] = m.DomandaStato
				}
			}
			if b, err := json.Marshal(out); err == nil {
				_ = st.PutSetting(ctx, user, settingDomandaStati, string(b))
			}
			return out
		}
	}
	if s, err := st.GetSetting(ctx, user, settingDomandaStati); err == nil {
		_ = json.Unmarshal([]byte(s), &out)
	}
	return out
}

// downloadPDF fetches a receipt's PDF with the user's credentials (import token or cookie) and
// hands it to the browser as a download.
func (p *Receipts) onDownload(ctx goapp.Context, e goapp.Event) {
	protocol := ctx.JSSrc().Get("dataset").Get("protocol").String()
	user := p.User
	p.note = "Scaricamento della ricevuta " + protocol + "…"
	ctx.Async(func() {
		bg := context.Background()
		var b []byte
		err := session.ErrNoServer
		if api := session.UserAPI(bg, user); api != nil {
			b, err = api.ReceiptPDF(bg, protocol)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			switch {
			case client.IsOffline(err):
				p.note = session.ErrorText(err, "Per scaricare il PDF serve la connessione: i dati della ricevuta restano qui sotto.")
			case err != nil:
				p.note = "Ricevuta non scaricata: " + session.ErrorText(err)
			default:
				p.note = ""
				ui.SaveFile(shared.ReceiptFileName(protocol), "application/pdf", b)
			}
		})
	})
}

// Receipts is the page /ricevute: the receipts kept on the device for the logged-in user,
// refreshed from the server when online.
type Receipts struct {
	goapp.Compo

	Status        ui.LoadStatus
	User          string
	List          []store.Receipt
	StatiByModule map[string]*client.DomandaStato
	note          string
	cancel        func()
}

func (p *Receipts) OnNav(ctx goapp.Context) {
	p.Status = ui.StatusLoading
	p.load(ctx)
}

func (p *Receipts) OnMount(ctx goapp.Context) {
	// A notice closed or the connection coming and going changes no receipt: only the queue
	// settling and another person logging in do.
	p.cancel = session.Changes.Subscribe(func() { ctx.Dispatch(func(ctx goapp.Context) { p.load(ctx) }) },
		session.TopicQueue, session.TopicUser)
}

func (p *Receipts) OnDismount() {
	if p.cancel != nil {
		p.cancel()
	}
}

func (p *Receipts) load(ctx goapp.Context) {
	ctx.Async(func() {
		bg := context.Background()
		user := session.CurrentUser(bg)
		var list []store.Receipt
		var err error
		var statiByModule map[string]*client.DomandaStato
		if user != "" {
			list, err = refreshReceipts(bg, user)
			statiByModule = refreshDomandaStati(bg, user)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			p.set(user, list, err)
			p.StatiByModule = statiByModule
		})
	})
}

func (p *Receipts) set(user string, list []store.Receipt, err error) {
	p.User, p.List, p.Status, p.note = user, list, ui.StatusLoaded, ""
	switch {
	case err == nil:
	case client.IsOffline(err):
		p.note = session.ErrorText(err, "Senza connessione: sono mostrate le ricevute salvate su questo dispositivo.")
	case errors.Is(err, store.ErrNotFound), session.NeedLogin(err):
		p.note = "Non è stato possibile aggiornare l'elenco dal server: importa di nuovo i moduli o accedi."
	default:
		p.note = "Aggiornamento dal server non riuscito: " + session.ErrorText(err)
	}
}

func (p *Receipts) Render() goapp.UI {
	return ui.Page("/ricevute",
		goapp.H1().Text("Ricevute"),
		p.body(),
	)
}

func (p *Receipts) body() goapp.UI {
	switch {
	case p.Status == ui.StatusLoading:
		return goapp.P().Attr("role", "status").Text("Caricamento…")
	case p.User == "":
		return goapp.Div().Body(
			ui.Notice("info", "Accedi per vedere le tue ricevute."),
			goapp.A().Href(session.LoginLink("/ricevute")).Class("btn btn-primary").Text("Accedi"),
		)
	}
	return goapp.Div().Body(
		goapp.Div().Attr("role", "status").Body(goapp.If(p.note != "", func() goapp.UI { return ui.Notice("warning", p.note) })),
		goapp.If(len(p.List) == 0, func() goapp.UI {
			return goapp.P().Text("Nessuna ricevuta: le domande accettate dal server compariranno qui, con il numero di protocollo.")
		}).Else(func() goapp.UI {
			return goapp.Div().Body(
				goapp.P().Text("Ogni ricevuta riporta il numero di protocollo, la data e l'ora di ricezione e lo Sportello Unico competente. Restano su questo dispositivo anche senza connessione."),
				ui.ReceiptTable(p.List, nil, p.onDownload, p.statiByModuleOrEmpty()),
				goapp.P().Class("small text-muted").Text("Il PDF si scarica dal server: serve la connessione."),
			)
		}),
	)
}

func (p *Receipts) statiByModuleOrEmpty() map[string]*client.DomandaStato {
	if p.StatiByModule == nil {
		return map[string]*client.DomandaStato{}
	}
	return p.StatiByModule
}
