package compiler

import (
	"context"
	"strings"
	"testing"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/internal/apptest"
	"nullaosta/app/outbox"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

// TestDraftKnowsItsCampaign: a draft filled under older parameters says, in the compiler, what
// changed and what to check again, until the person says they did; a draft from before
// drafts recorded their campaign records the one in force when opened.
func TestDraftKnowsItsCampaign(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	ctx := context.Background()
	const user = "anna@example.it"
	cur, _ := shared.CampaignByID("em2009")
	old := cur
	old.AssegnoSociale = 40000
	old.StartCutoff = "2009-03-01"

	d := apptest.PutDraft(t, st, user, "EM-OLD", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	d.RecordCampaign(old)
	if err := st.PutDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	c := openCompiler(t, user, "EM-OLD")
	html := apptest.Render(t, c)
	for _, want := range []string{
		`id="campagna-cambiata"`, "I parametri della campagna sono cambiati",
		goappEscape("Assegno sociale: ora € 409,05 al mese (era € 400,00 al mese)"),
		goappEscape("Inizio del rapporto di lavoro entro il: ora 01/04/2009 (era 01/03/2009)"),
		goappEscape("Ricontrolla: la data di inizio del rapporto di lavoro e la retribuzione del lavoratore."),
		"Ho ricontrollato",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the compiler does not say %q", want)
		}
	}
	if strings.Contains(html, "campagna-chiusa") {
		t.Error("the window is open on the fixture's day")
	}
	c.onRechecked(goapp.Context{}, goapp.Event{})
	if err := c.saver.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.GetDraft(ctx, user, "EM-OLD"); got.FilledUnderVersion != cur.ParamsVersion() {
		t.Fatalf("after «Ho ricontrollato» the draft records %q, want %q", got.FilledUnderVersion, cur.ParamsVersion())
	}
	if html := apptest.Render(t, c); strings.Contains(html, "campagna-cambiata") {
		t.Error("the notice stays after «Ho ricontrollato»")
	}

	// A draft of before: recorded when opened, no notice.
	legacy := apptest.PutDraft(t, st, user, "EM-LEGACY", shared.KindEM, apptest.Fixture(t, "em_colf"), false)
	if legacy.FilledUnder != nil {
		t.Fatal("the fixture draft already records a campaign")
	}
	c = openCompiler(t, user, "EM-LEGACY")
	if got, _ := st.GetDraft(ctx, user, "EM-LEGACY"); got.FilledUnder == nil || got.FilledUnderVersion != cur.ParamsVersion() {
		t.Fatalf("the opened draft records %+v", got.FilledUnder)
	}
	if html := apptest.Render(t, c); strings.Contains(html, "campagna-cambiata") {
		t.Error("a notice for a draft that just recorded its campaign")
	}
}

// TestDraftSaysTheWindowClosed: after the last day of the window the compiler says the module
// can no longer be sent, for any draft not sent.
func TestDraftSaysTheWindowClosed(t *testing.T) {
	st := apptest.UseMemory(t, time.Date(2009, 10, 1, 9, 0, 0, 0, time.UTC)) // 11:00 in Rome, 1 October
	d := apptest.PutDraft(t, st, "anna@example.it", "EM-LATE", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	html := apptest.Render(t, openCompiler(t, "anna@example.it", "EM-LATE"))
	if !strings.Contains(html, `id="campagna-chiusa"`) || !strings.Contains(html, "dal 01/09/2009 al 30/09/2009") {
		t.Error("the compiler does not say the window closed")
	}
	d.Status = store.StatusSent
	st.PutDraft(context.Background(), d)
	if html := apptest.Render(t, openCompiler(t, "anna@example.it", "EM-LATE")); strings.Contains(html, "campagna-chiusa") {
		t.Error("a sent module is told the window closed")
	}
}

// TestSendPageCountsDownToTheOpening: a module queued before its window opens is shown «da
// inviare all'apertura» with the opening instant and a countdown by the server's clock; the
// receipts that then arrive are listed on the same page.
func TestSendPageCountsDownToTheOpening(t *testing.T) {
	now := time.Date(2009, 8, 31, 21, 58, 30, 0, time.UTC) // 23:58:30 in Rome, 90 s before the opening
	st := apptest.UseMemory(t, now)
	ctx := context.Background()
	const user = "anna@example.it"
	d := apptest.PutDraft(t, st, user, "EM-EARLY", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	d.Status = store.StatusCompleted
	st.PutDraft(ctx, d)
	s, err := loadSendState(ctx, st, user, now)
	if err != nil || !s.Early || len(s.Ready) != 1 {
		t.Fatalf("before the opening: early %v, ready %d, %v", s.Early, len(s.Ready), err)
	}
	html := apptest.Render(t, &Sender{status: ui.StatusLoaded, user: user, state: s, now: now})
	if !strings.Contains(html, goappEscape("Da inviare all'apertura (1)")) {
		t.Error("the send button does not say the module goes at the opening")
	}

	opens := time.Date(2009, 8, 31, 22, 0, 0, 0, time.UTC)
	d.Status = store.StatusQueued
	st.PutDraft(ctx, d)
	st.PutOutbox(ctx, store.OutboxItem{User: user, SubmissionID: "sub-early-1", ModuleID: "EM-EARLY", NextAttempt: opens, OpensAt: opens, CreatedAt: now})
	s, _ = loadSendState(ctx, st, user, now)
	if !s.OpensAt.Equal(opens) {
		t.Fatalf("OpensAt %v", s.OpensAt)
	}
	html = apptest.Render(t, &Sender{status: ui.StatusLoaded, user: user, state: s, now: now})
	for _, want := range []string{`id="apertura"`, "01/09/2009 alle 00:00:00", "Tra 00:01:30"} {
		if !strings.Contains(html, want) {
			t.Errorf("the send page lacks %q", want)
		}
	}
	// The receipt arrives.
	st.DeleteOutbox(ctx, user, "sub-early-1")
	d.Status = store.StatusSent
	st.PutDraft(ctx, d)
	st.PutReceipt(ctx, store.NewReceipt(user, client.Receipt{Protocol: "EM2009-0000001", ModuleID: "EM-EARLY", ReceivedAtRome: "01/09/2009 00:00:00"}))
	s, _ = loadSendState(ctx, st, user, opens)
	html = apptest.Render(t, &Sender{status: ui.StatusLoaded, user: user, state: s, now: opens})
	if strings.Contains(html, `id="apertura"`) || !strings.Contains(html, "EM2009-0000001") {
		t.Error("after the opening the page does not show the receipt instead of the countdown")
	}
	kind, msg := sendOutcome{Queued: 1, Report: outbox.Report{Waiting: 1}}.message()
	if kind != "info" || !strings.Contains(msg, "Da inviare all'apertura: 1") {
		t.Errorf("message after an early send: %s %q", kind, msg)
	}
}
