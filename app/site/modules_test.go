package site

import (
	"context"
	htmlpkg "html"
	"strings"
	"testing"

	"nullaosta/app/client"
	"nullaosta/app/compiler"
	"nullaosta/app/internal/apptest"
	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

func TestOperatorSeesEmployerDomandaAndNotice(t *testing.T) {
	apptest.UseFakeAPI(t, apptest.EmDay, nil)
	ctx := context.Background()
	session.SetCurrentUser(ctx, "op@comune.it")
	session.SetProfile("op@comune.it", client.User{Email: "op@comune.it", Role: wire.RoleOperatore,
		Ente: &client.Ente{Nome: "Comune di Cuneo", Tipo: "comune", Provincia: "CN"}})
	p := &Modules{role: wire.RoleOperatore}
	p.set([]client.Module{{ID: "EM-1", Kind: shared.KindEM, Employer: "BIANCHI Giovanna", Status: client.ModuleSent,
		Receipt:      &client.Receipt{Protocol: "EM2009-0000001"},
		DomandaStato: &client.DomandaStato{Stato: wire.DomandaConvocato, Nota: "Presentarsi il 20/10 alle 9", UpdatedAtRome: "01/10/2009 10:00:00"}}}, 240, nil)
	html := apptest.Render(t, p)
	for _, want := range []string{"BIANCHI Giovanna", "Convocato", "Presentarsi il 20/10 alle 9", `id="mf-q"`, `id="mf-cf"`, `id="mf-stato"`, "Pagina 1 di 10",
		"Operatore abilitato — moduli illimitati", "Comune di Cuneo (CN)"} {
		if !strings.Contains(html, want) {
			t.Errorf("/moduli lacks %q", want)
		}
	}

	// A person named in a pending request is told to wait, on the home page too.
	session.SetProfile("op@comune.it", client.User{Email: "op@comune.it", Role: wire.RolePrivato, PendingOperator: true})
	html = apptest.Render(t, &Home{})
	if !strings.Contains(html, htmlpkg.EscapeString(session.PendingNoticeText)) {
		t.Error("the home page does not warn a pending operator")
	}
	html = apptest.Render(t, &compiler.Receipts{Status: ui.StatusLoaded, User: "op@comune.it", List: []store.Receipt{store.NewReceipt("op@comune.it", client.Receipt{Protocol: "EM2009-0000001", ModuleID: "EM-1"})},
		StatiByModule: map[string]*client.DomandaStato{"EM-1": {Stato: wire.DomandaRespinta, Nota: "Manca il contratto"}}})
	if !strings.Contains(html, "Respinta") || !strings.Contains(html, "Manca il contratto") {
		t.Error("/ricevute does not show the Sportello's status")
	}
}
