package app

import (
	"context"
	"encoding/json"
	"errors"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/store"
)

// refreshReceipts copies the server's receipts of user to the device (when online) and returns
// what the device holds. A failed refresh still returns the device's list, with the error.
func refreshReceipts(ctx context.Context, user string) ([]store.Receipt, error) {
	st := env().Store
	var ferr error
	if api := userAPI(ctx, user); api != nil {
		rs, err := api.Receipts(ctx)
		noteReachability(err)
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

// settingPratiche keeps the Sportello's status of the user's sent modules (JSON map of module
// id to client.Pratica), so the receipts show it offline too.
const settingPratiche = "pratiche"

// refreshPratiche fetches the Sportello's status of the user's sent modules (when online) and
// keeps it on the device; offline, it returns what the device kept.
func refreshPratiche(ctx context.Context, user string) map[string]*client.Pratica {
	st := env().Store
	out := map[string]*client.Pratica{}
	if api := userAPI(ctx, user); api != nil {
		ms, _, err := api.SearchModules(ctx, client.ModuleFilter{Stato: client.ModuleSent})
		if err == nil {
			for _, m := range ms {
				if m.Pratica != nil {
					out[m.ID] = m.Pratica
				}
			}
			if b, err := json.Marshal(out); err == nil {
				_ = st.PutSetting(ctx, user, settingPratiche, string(b))
			}
			return out
		}
	}
	if s, err := st.GetSetting(ctx, user, settingPratiche); err == nil {
		_ = json.Unmarshal([]byte(s), &out)
	}
	return out
}

func receiptRows(rs []client.Receipt) []store.Receipt {
	out := make([]store.Receipt, 0, len(rs))
	for _, r := range rs {
		out = append(out, store.NewReceipt("", r))
	}
	return out
}

// receiptTable lists receipts; pdf gives each one's PDF address, or download handles the
// click on "Scarica" (one of the two). With pratiche (by module id) a column shows the
// Sportello's status of each application.
func receiptTable(rs []store.Receipt, pdf func(protocol string) string, download goapp.EventHandler, pratiche map[string]*client.Pratica) goapp.UI {
	return goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table align-middle receipts").Body(
		goapp.Caption().Class("visually-hidden").Text("Ricevute delle domande inviate"),
		goapp.THead().Body(goapp.Tr().Body(
			goapp.Th().Scope("col").Text("Protocollo"),
			goapp.Th().Scope("col").Text("Modulo"),
			goapp.Th().Scope("col").Text("Ricevuta il"),
			goapp.Th().Scope("col").Text("Sportello Unico"),
			goapp.If(pratiche != nil, func() goapp.UI { return goapp.Th().Scope("col").Text("Stato della pratica") }),
			goapp.Th().Scope("col").Text("PDF"),
		)),
		goapp.TBody().Body(goapp.Range(rs).Slice(func(i int) goapp.UI {
			r := rs[i]
			link := ""
			if pdf != nil {
				link = pdf(r.Protocol)
			}
			return goapp.Tr().Body(
				goapp.Td().Body(goapp.Strong().Class("protocol").Text(r.Protocol)),
				goapp.Td().Text(r.ModuleID),
				goapp.Td().Text(r.ReceivedAtRome),
				goapp.Td().Text(r.Sportello),
				goapp.If(pratiche != nil, func() goapp.UI {
					pr := pratiche[r.ModuleID]
					return goapp.Td().Body(goapp.If(pr == nil, func() goapp.UI {
						return goapp.Span().Class("text-muted").Text("Ricevuta")
					}).Else(func() goapp.UI { return praticaNote(pr) }))
				}),
				goapp.Td().Body(goapp.If(link != "", func() goapp.UI {
					return goapp.A().Href(link).Attr("download", r.Protocol+".pdf").
						Aria("label", "Scarica la ricevuta "+r.Protocol+" in PDF").Text("Scarica")
				}).ElseIf(download != nil, func() goapp.UI {
					return goapp.Button().Type("button").Class("btn btn-link p-0").DataSet("protocol", r.Protocol).
						Aria("label", "Scarica la ricevuta "+r.Protocol+" in PDF").Text("Scarica").OnClick(download)
				})),
			)
		})),
	))
}

// downloadPDF fetches a receipt's PDF with the user's credentials (import token or cookie) and
// hands it to the browser as a download.
func (p *receipts) onDownload(ctx goapp.Context, e goapp.Event) {
	protocol := ctx.JSSrc().Get("dataset").Get("protocol").String()
	user := p.user
	p.note = "Scaricamento della ricevuta " + protocol + "…"
	ctx.Async(func() {
		bg := context.Background()
		var b []byte
		err := errNoServer
		if api := userAPI(bg, user); api != nil {
			b, err = api.ReceiptPDF(bg, protocol)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			switch {
			case client.IsOffline(err):
				p.note = "Per scaricare il PDF serve la connessione: i dati della ricevuta restano qui sotto."
			case err != nil:
				p.note = "Ricevuta non scaricata: " + err.Error()
			default:
				p.note = ""
				saveFile(protocol+".pdf", "application/pdf", b)
			}
		})
	})
}

// saveFile offers bytes to the browser as a file to save.
func saveFile(name, mime string, b []byte) {
	w := goapp.Window()
	arr := w.Get("Uint8Array").New(len(b))
	goapp.CopyBytesToJS(arr, b)
	parts := w.Get("Array").New()
	parts.Call("push", arr)
	blob := w.Get("Blob").New(parts, map[string]any{"type": mime})
	url := w.Get("URL").Call("createObjectURL", blob)
	a := w.Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	w.Get("document").Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	w.Call("setTimeout", goapp.FuncOf(func(goapp.Value, []goapp.Value) any {
		w.Get("URL").Call("revokeObjectURL", url)
		return nil
	}), 60000)
}

// receipts is the page /ricevute: the receipts kept on the device for the logged-in user,
// refreshed from the server when online.
type receipts struct {
	goapp.Compo

	status   loadStatus
	user     string
	list     []store.Receipt
	pratiche map[string]*client.Pratica
	note     string
	cancel   func()
}

func (p *receipts) OnNav(ctx goapp.Context) {
	p.status = statusLoading
	p.load(ctx)
}

func (p *receipts) OnMount(ctx goapp.Context) {
	p.cancel = changes.subscribe(func() { ctx.Dispatch(func(ctx goapp.Context) { p.load(ctx) }) })
}

func (p *receipts) OnDismount() {
	if p.cancel != nil {
		p.cancel()
	}
}

func (p *receipts) load(ctx goapp.Context) {
	ctx.Async(func() {
		bg := context.Background()
		user := currentUser(bg)
		var list []store.Receipt
		var err error
		var pratiche map[string]*client.Pratica
		if user != "" {
			list, err = refreshReceipts(bg, user)
			pratiche = refreshPratiche(bg, user)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			p.set(user, list, err)
			p.pratiche = pratiche
		})
	})
}

func (p *receipts) set(user string, list []store.Receipt, err error) {
	p.user, p.list, p.status, p.note = user, list, statusLoaded, ""
	switch {
	case err == nil:
	case client.IsOffline(err):
		p.note = "Senza connessione: sono mostrate le ricevute salvate su questo dispositivo."
	case errors.Is(err, store.ErrNotFound), needLogin(err):
		p.note = "Non è stato possibile aggiornare l'elenco dal server: importa di nuovo i moduli o accedi."
	default:
		p.note = "Aggiornamento dal server non riuscito: " + err.Error()
	}
}

func (p *receipts) Render() goapp.UI {
	return page("/ricevute",
		goapp.H1().Text("Ricevute"),
		p.body(),
	)
}

func (p *receipts) body() goapp.UI {
	switch {
	case p.status == statusLoading:
		return goapp.P().Attr("role", "status").Text("Caricamento…")
	case p.user == "":
		return goapp.Div().Body(
			notice("info", "Accedi per vedere le tue ricevute."),
			goapp.A().Href(loginLink("/ricevute")).Class("btn btn-primary").Text("Accedi"),
		)
	}
	return goapp.Div().Body(
		goapp.Div().Attr("role", "status").Body(goapp.If(p.note != "", func() goapp.UI { return notice("warning", p.note) })),
		goapp.If(len(p.list) == 0, func() goapp.UI {
			return goapp.P().Text("Nessuna ricevuta: le domande accettate dal server compariranno qui, con il numero di protocollo.")
		}).Else(func() goapp.UI {
			return goapp.Div().Body(
				goapp.P().Text("Ogni ricevuta riporta il numero di protocollo, la data e l'ora di ricezione e lo Sportello Unico competente. Restano su questo dispositivo anche senza connessione."),
				receiptTable(p.list, nil, p.onDownload, p.praticheOrEmpty()),
				goapp.P().Class("small text-muted").Text("Il PDF si scarica dal server: serve la connessione."),
			)
		}),
	)
}

func (p *receipts) praticheOrEmpty() map[string]*client.Pratica {
	if p.pratiche == nil {
		return map[string]*client.Pratica{}
	}
	return p.pratiche
}
