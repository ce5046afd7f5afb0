package ui

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/store"
	"nullaosta/shared"
)

func ReceiptRows(rs []client.Receipt) []store.Receipt {
	out := make([]store.Receipt, 0, len(rs))
	for _, r := range rs {
		out = append(out, store.NewReceipt("", r))
	}
	return out
}

// ReceiptTable lists receipts; pdf gives each one's PDF address, or download handles the
// click on "Scarica" (one of the two). With pratiche (by module id) a column shows the
// Sportello's status of each application.
func ReceiptTable(rs []store.Receipt, pdf func(protocol string) string, download goapp.EventHandler, statiByModule map[string]*client.DomandaStato) goapp.UI {
	return goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table align-middle receipts").Body(
		goapp.Caption().Class("visually-hidden").Text("Ricevute delle domande inviate"),
		goapp.THead().Body(goapp.Tr().Body(
			goapp.Th().Scope("col").Text("Protocollo"),
			goapp.Th().Scope("col").Text("Modulo"),
			goapp.Th().Scope("col").Text("Ricevuta il"),
			goapp.Th().Scope("col").Text("Sportello Unico"),
			goapp.If(statiByModule != nil, func() goapp.UI { return goapp.Th().Scope("col").Text("Stato della pratica") }),
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
				goapp.Td().Body(goapp.Span().Class("module-id code").Text(r.ModuleID)),
				goapp.Td().Text(r.ReceivedAtRome),
				goapp.Td().Text(r.Sportello),
				goapp.If(statiByModule != nil, func() goapp.UI {
					pr := statiByModule[r.ModuleID]
					return goapp.Td().Body(goapp.If(pr == nil, func() goapp.UI {
						return goapp.Span().Class("text-muted").Text("Ricevuta")
					}).Else(func() goapp.UI { return DomandaStatoNote(pr) }))
				}),
				goapp.Td().Body(goapp.If(link != "", func() goapp.UI {
					return goapp.A().Href(link).Attr("download", shared.ReceiptFileName(r.Protocol)).
						Aria("label", "Scarica la ricevuta "+r.Protocol+" in PDF").Text("Scarica")
				}).ElseIf(download != nil, func() goapp.UI {
					return goapp.Button().Type("button").Class("btn btn-link p-0").DataSet("protocol", r.Protocol).
						Aria("label", "Scarica la ricevuta "+r.Protocol+" in PDF").Text("Scarica").OnClick(download)
				})),
			)
		})),
	))
}

// SaveFile offers bytes to the browser as a file to save.
func SaveFile(name, mime string, b []byte) {
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
