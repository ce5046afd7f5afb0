package ui

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/session"
)

// storageNoticeKey is where the device remembers that the person read the storage notice:
// dismissed, it stays dismissed, across reloads and logins.
const storageNoticeKey = "nullaosta-avviso-archiviazione-letto"

// StorageNotice tells, once and calmly, what a browser that refused persistent storage means
// for the drafts, and what to do. The compiler shows it, where drafts are saved; «Ho capito»
// hides it for good on this device.
type StorageNotice struct {
	goapp.Compo

	refused   bool
	dismissed bool
	cancel    func()
}

func (n *StorageNotice) OnMount(ctx goapp.Context) {
	var read bool
	ctx.LocalStorage().Get(storageNoticeKey, &read)
	n.dismissed = read
	n.refused = session.Device.PersistenceRefused()
	n.cancel = session.Changes.Subscribe(func() {
		ctx.Dispatch(func(ctx goapp.Context) { n.refused = session.Device.PersistenceRefused() })
	}, session.TopicDevice)
}

func (n *StorageNotice) OnDismount() {
	if n.cancel != nil {
		n.cancel()
	}
}

func (n *StorageNotice) onRead(ctx goapp.Context, e goapp.Event) {
	n.dismissed = true
	ctx.LocalStorage().Set(storageNoticeKey, true)
}

func (n *StorageNotice) Render() goapp.UI {
	return goapp.Div().Class("slot-storage").Body(goapp.If(n.refused && !n.dismissed, func() goapp.UI {
		return goapp.Div().Class("alert alert-info storage-notice d-flex flex-wrap align-items-center gap-3").Body(
			goapp.P().Class("mb-0 flex-grow-1").Text("Le modifiche sono salvate su questo dispositivo. Questo browser può però cancellare i dati dei siti quando gli manca spazio: per non perdere nulla, invia i moduli appena li hai confermati. Aggiungere Nullaosta alla schermata Home aiuta il browser a conservarli."),
			goapp.Button().Type("button").Class("btn btn-sm btn-outline-primary").Text("Ho capito").OnClick(n.onRead),
		)
	}))
}
