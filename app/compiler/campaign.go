package compiler

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/shared"
)

// A draft records the campaign it is filled under (store.Draft.FilledUnder): when the
// campaign's parameters change, or its window closes, the compiler says so on the draft, with
// what to check again, rather than the send failing later.

// campaignChanges are the parameters of the campaign in force that differ from those the
// draft was filled under; nil when none did, or once the person has checked again.
func (c *compiler) campaignChanges() []shared.CampaignChange {
	if c.form == nil || c.draft.FilledUnder == nil || c.draft.FilledUnderVersion == c.form.paramsVersion() {
		return nil
	}
	return shared.CampaignChanges(*c.draft.FilledUnder, c.form.campaign)
}

// windowClosed reports whether the campaign's send window has closed for a module not sent.
func (c *compiler) windowClosed() bool {
	if c.form == nil || c.draft.Status == store.StatusSent {
		return false
	}
	return c.form.campaign.SendStateAt(session.Environment().Now()) == shared.SendClosed
}

// onRechecked records that the person has checked the module against the campaign in force.
func (c *compiler) onRechecked(ctx goapp.Context, e goapp.Event) {
	c.draft.RecordCampaign(c.form.campaign)
	c.flash, c.flashOK = "Parametri della campagna aggiornati per questo modulo.", true
	c.saveLater()
}

func (c *compiler) renderCampaignNotice() goapp.UI {
	changes := c.campaignChanges()
	closed := c.windowClosed()
	if !closed && len(changes) == 0 {
		return nil
	}
	camp := c.form.campaign
	return goapp.Div().Body(
		goapp.If(closed, func() goapp.UI {
			return goapp.Div().ID("campagna-chiusa").Class("alert alert-danger").Attr("role", "status").Body(
				goapp.H2().Class("h5").Text("La finestra di invio è chiusa"),
				goapp.P().Class("mb-0").Text("Per «"+camp.Title+"» le domande si potevano inviare "+camp.SendWindowText()+
					": questo modulo non può più essere inviato. I dati restano su questo dispositivo."),
			)
		}),
		goapp.If(len(changes) > 0, func() goapp.UI {
			var rechecks []string
			seen := map[string]bool{}
			for _, ch := range changes {
				if !seen[ch.Recheck] {
					seen[ch.Recheck] = true
					rechecks = append(rechecks, ch.Recheck)
				}
			}
			return goapp.Div().ID("campagna-cambiata").Class("alert alert-warning").Attr("role", "status").Body(
				goapp.H2().Class("h5").Text("I parametri della campagna sono cambiati"),
				goapp.P().Text("Da quando hai cominciato questa bozza sono cambiati i parametri di «"+camp.Title+"» con cui il modulo è controllato:"),
				goapp.Ul().Body(goapp.Range(changes).Slice(func(i int) goapp.UI { return goapp.Li().Text(changes[i].What) })),
				goapp.P().Text("Ricontrolla: "+joinItalian(rechecks)+". Gli eventuali errori sono segnalati nei capitoli."),
				goapp.If(c.editable(), func() goapp.UI {
					return goapp.Button().Type("button").Class("btn btn-outline-primary btn-sm").Text("Ho ricontrollato").OnClick(c.onRechecked)
				}),
			)
		}),
	)
}

// joinItalian joins «a», «a e b», «a, b e c».
func joinItalian(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := xs[0]
	for _, x := range xs[1 : len(xs)-1] {
		out += ", " + x
	}
	return out + " e " + xs[len(xs)-1]
}
