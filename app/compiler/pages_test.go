package compiler

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/internal/apptest"
	"nullaosta/app/outbox"
	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
	"nullaosta/shared/places"
)

func TestGenerationForm(t *testing.T) {
	apptest.UseMemory(t, apptest.EmDay)
	for _, k := range []shared.Kind{shared.KindEM, shared.KindA} {
		t.Run(string(k), func(t *testing.T) {
			p := &Generate{status: ui.StatusLoaded}
			p.choose(k)
			html := apptest.Render(t, p)
			for _, f := range shared.GenerationFields(k) {
				if !p.form.applies(f.Key) {
					continue
				}
				tag := inputTag(html, f.Key)
				if tag == "" {
					t.Errorf("generation field %s not rendered", f.Key)
					continue
				}
				if strings.Contains(tag, "readonly") {
					t.Errorf("generation field %s is readonly on the website: %s", f.Key, tag)
				}
			}
			// Provincia: a select of the 2009 provinces.
			if n := strings.Count(html, "<option"); n < len(places.Provinces()) {
				t.Errorf("only %d options for the provinces", n)
			}
			// Comune: asked only after the provincia; then a searchable list of its comuni.
			if !strings.Contains(html, "Scegli prima la provincia") {
				t.Error("comune offered before the provincia")
			}
			p.change("datore.residenza.provincia", "CN")
			html = apptest.Render(t, p)
			if tag := inputTag(html, "datore.residenza.comune"); !strings.Contains(tag, `role="combobox"`) {
				t.Errorf("comune is not a combobox: %s", tag)
			}
			p.change("datore.residenza.comune", "D205")
			html = apptest.Render(t, p)
			if tag := inputTag(html, "datore.residenza.cap"); !strings.HasPrefix(tag, "<select") {
				t.Errorf("CAP of a known comune is not a select: %s", tag)
			}
			if !strings.Contains(html, `value="12100"`) {
				t.Error("the CAPs of Cuneo are not offered")
			}
		})
	}
	// Citizenship lists only non-EU countries.
	for _, c := range ui.SearchChoices("countries:noneu", "", 0) {
		if ct, _ := places.CountryByISO(c.Code); ct.EU || c.Code == "IT" {
			t.Errorf("EU country %s offered as the worker's citizenship", c.Code)
		}
	}
	if got := ui.SearchChoices("countries:noneu", "sri", 5); len(got) == 0 || got[0].Code != "LK" {
		t.Errorf("searching «sri»: %+v", got)
	}
	if got := ui.SearchChoices("countries:noneu", "Francia", 5); len(got) != 0 {
		t.Errorf("France offered: %+v", got)
	}
	if got := ui.SearchChoices("comuni:CN", "cune", 5); len(got) == 0 || got[0].Code != "D205" {
		t.Errorf("searching «cune» in CN: %+v", got)
	}
}

func TestGenerationFormValidates(t *testing.T) {
	apptest.UseMemory(t, apptest.EmDay)
	p := &Generate{status: ui.StatusLoaded}
	p.choose(shared.KindEM)
	p.form.review = true
	if p.form.canConfirm() {
		t.Fatal("an empty generation form passes")
	}
	data := apptest.Fixture(t, "em_colf")
	for _, f := range shared.GenerationFields(shared.KindEM) {
		if v, ok := data[f.Key]; ok {
			p.change(f.Key, v)
		}
	}
	if !p.form.canConfirm() {
		t.Errorf("complete generation data refused: %+v", p.form.problems)
	}
	p.change("lavoratore.cittadinanza", "FR")
	if p.form.canConfirm() {
		t.Error("an EU worker accepted")
	}
}

func TestMultiUserVisibility(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	ctx := context.Background()
	apptest.PutDraft(t, st, "anna@example.it", "EM-ANNA", shared.KindEM, apptest.Fixture(t, "em_colf"), false)
	apptest.PutDraft(t, st, "bruno@example.it", "EM-BRUNO", shared.KindEM, apptest.Fixture(t, "em_badante"), false)

	if err := session.SetCurrentUser(ctx, "Anna@Example.it"); err != nil {
		t.Fatal(err)
	}
	if u := session.CurrentUser(ctx); u != "anna@example.it" {
		t.Fatalf("current user %q", u)
	}
	p := &Drafts{}
	rows, err := listDraftRows(ctx, st, session.CurrentUser(ctx), apptest.EmDay)
	p.set(session.CurrentUser(ctx), rows, err)
	html := apptest.Render(t, p)
	if !strings.Contains(html, "EM-ANNA") || strings.Contains(html, "EM-BRUNO") {
		t.Errorf("Anna's list: %s", apptest.Between(html, "<table", "</table>"))
	}

	// Bruno logs in on the same device: Anna's module disappears, his appears.
	if err := session.SetCurrentUser(ctx, "bruno@example.it"); err != nil {
		t.Fatal(err)
	}
	rows, err = listDraftRows(ctx, st, session.CurrentUser(ctx), apptest.EmDay)
	p = &Drafts{}
	p.set(session.CurrentUser(ctx), rows, err)
	html = apptest.Render(t, p)
	if strings.Contains(html, "EM-ANNA") || !strings.Contains(html, "EM-BRUNO") {
		t.Error("Bruno sees Anna's module, or not his own")
	}
	// Even by its address.
	c := &compiler{}
	if err := c.open(ctx, session.CurrentUser(ctx), "EM-ANNA"); !errors.Is(err, errNoDraft) {
		t.Errorf("Bruno opening Anna's module: %v", err)
	}
	// Nobody logged in: nothing.
	if err := session.SetCurrentUser(ctx, ""); err != nil {
		t.Fatal(err)
	}
	c = &compiler{}
	if err := c.open(ctx, session.CurrentUser(ctx), "EM-BRUNO"); !errors.Is(err, errNoUser) {
		t.Errorf("logged out: %v", err)
	}
	p = &Drafts{}
	p.set("", nil, nil)
	if html := apptest.Render(t, p); !strings.Contains(html, "Accedi") || strings.Contains(html, "EM-") {
		t.Error("logged-out list")
	}
}

func TestImportAddsOnlyNewModules(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	ctx := context.Background()
	data := apptest.Fixture(t, "em_colf")
	gen := shared.Data{}
	for _, f := range shared.GenerationFields(shared.KindEM) {
		if v, ok := data[f.Key]; ok {
			gen[f.Key] = v
		}
	}
	res := client.ImportResult{
		User:      client.User{Email: "anna@example.it"},
		Modules:   []client.Module{{ID: "EM-1", Kind: shared.KindEM, CampaignID: "em2009", Data: gen}},
		Campaigns: []shared.Campaign{shared.DemoCampaign(shared.KindEM, apptest.EmDay)},
	}
	sum, err := saveImport(ctx, st, "anna@example.it", "tok1", res, apptest.EmDay)
	if err != nil || len(sum.Added) != 1 {
		t.Fatalf("first import: %+v %v", sum, err)
	}
	// Anna fills something in.
	d, _ := st.GetDraft(ctx, "anna@example.it", "EM-1")
	if d.FilledUnder == nil || d.FilledUnder.ID != "demo-em" || d.FilledUnderVersion != d.FilledUnder.ParamsVersion() {
		t.Fatalf("the draft does not record its campaign: %+v %q", d.FilledUnder, d.FilledUnderVersion)
	}
	d.Data["datore.residenza.numero_civico"] = "15"
	st.PutDraft(ctx, d)

	res.Modules = append(res.Modules, client.Module{ID: "EM-2", Kind: shared.KindEM, CampaignID: "em2009", Data: gen})
	sum, err = saveImport(ctx, st, "anna@example.it", "tok2", res, apptest.EmDay)
	if err != nil || len(sum.Added) != 1 || sum.Added[0] != "EM-2" || sum.Kept != 1 {
		t.Fatalf("second import: %+v %v", sum, err)
	}
	d, _ = st.GetDraft(ctx, "anna@example.it", "EM-1")
	if d.Data.Str("datore.residenza.numero_civico") != "15" {
		t.Error("the import overwrote a draft being filled in")
	}
	if tok, _ := st.GetSetting(ctx, "anna@example.it", session.SettingToken); tok != "tok2" {
		t.Errorf("token %q", tok)
	}
	c := session.CampaignFor(ctx, "anna@example.it", shared.KindEM, "demo-em")
	if c.ID != "demo-em" {
		t.Errorf("campaign saved at import not used: %q", c.ID)
	}
	// Another user imports on the same device: Anna's drafts are not theirs.
	if ds, _ := st.ListDrafts(ctx, "bruno@example.it"); len(ds) != 0 {
		t.Errorf("Bruno sees %d drafts", len(ds))
	}
}

// fakeSender answers every submission with one verdict, or fails as offline.
type fakeSender struct {
	status  string
	offline bool
	calls   int
}

func (f *fakeSender) Send(ctx context.Context, items []store.OutboxItem) ([]client.SubmissionResult, error) {
	f.calls++
	if f.offline {
		return nil, &client.OfflineError{Err: errors.New("fetch failed")}
	}
	var out []client.SubmissionResult
	for _, it := range items {
		r := client.SubmissionResult{SubmissionID: it.SubmissionID, ModuleID: it.ModuleID, Status: f.status}
		switch f.status {
		case client.StatusAccepted:
			r.Receipt = &client.Receipt{Protocol: "EM2009-0000001", ModuleID: it.ModuleID, SubmissionID: it.SubmissionID}
		case client.StatusRejected:
			r.Problems = []shared.Problem{{Field: "lavoratore.documento.numero", Code: "duplicate_worker", Severity: shared.SeverityError, Message: "Lavoratore già dichiarato."}}
		}
		out = append(out, r)
	}
	return out, nil
}

func TestSendOfflineStaysQueuedThenGoes(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	ctx := context.Background()
	d := apptest.PutDraft(t, st, "anna@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	d.Status = store.StatusCompleted
	st.PutDraft(ctx, d)
	apptest.PutDraft(t, st, "anna@example.it", "EM-2", shared.KindEM, apptest.Fixture(t, "em_colf"), false) // still a draft

	fs := &fakeSender{offline: true}
	q := &outbox.Queue{Store: st, Sender: fs, Now: func() time.Time { return apptest.EmDay }, Rand: func() float64 { return 0 }}
	out, err := sendAll(ctx, q, "anna@example.it")
	if err != nil {
		t.Fatal(err)
	}
	if out.Queued != 1 || !out.Offline {
		t.Fatalf("offline send: %+v", out)
	}
	if kind, msg := out.message(); kind != "warning" || !strings.Contains(msg, "in coda") {
		t.Errorf("offline message: %s %q", kind, msg)
	}
	s, _ := loadSendState(ctx, st, "anna@example.it", apptest.EmDay)
	if len(s.Queued) != 1 || len(s.Ready) != 0 || s.Drafting != 1 {
		t.Errorf("after an offline send: %+v", s)
	}
	// The connection is back.
	fs.offline, fs.status = false, client.StatusAccepted
	out, err = sendAll(ctx, q, "anna@example.it")
	if err != nil || out.Report.Sent != 1 {
		t.Fatalf("online send: %+v %v", out, err)
	}
	if rs, _ := st.ListReceipts(ctx, "anna@example.it"); len(rs) != 1 {
		t.Errorf("receipts: %d", len(rs))
	}
	d, _ = st.GetDraft(ctx, "anna@example.it", "EM-1")
	if d.Status != store.StatusSent {
		t.Errorf("status after sending: %q", d.Status)
	}
}

func TestRejectionIsShownAndNotRetried(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	ctx := context.Background()
	d := apptest.PutDraft(t, st, "anna@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	d.Status = store.StatusCompleted
	st.PutDraft(ctx, d)
	fs := &fakeSender{status: client.StatusRejected}
	q := &outbox.Queue{Store: st, Sender: fs, Now: func() time.Time { return apptest.EmDay }}
	out, err := sendAll(ctx, q, "anna@example.it")
	if err != nil || out.Report.Rejected != 1 {
		t.Fatalf("%+v %v", out, err)
	}
	if items, _ := st.ListOutbox(ctx, "anna@example.it"); len(items) != 0 {
		t.Errorf("a rejected module stays queued: %+v", items)
	}
	sendAll(ctx, q, "anna@example.it")
	if fs.calls != 1 {
		t.Errorf("rejected module sent %d times", fs.calls)
	}
	c := openCompiler(t, "anna@example.it", "EM-1")
	if html := apptest.Render(t, c); !strings.Contains(html, "Lavoratore già dichiarato.") {
		t.Error("the rejection is not shown on the module")
	}
}

// A completed module that the server's check (shared.PrepareSubmission) refuses is not queued:
// it goes back to the compiler with the problems, and the send page says so.
func TestSendKeepsBackAModuleTheServerWouldRefuse(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	ctx := context.Background()
	bad := apptest.Fixture(t, "em_colf")
	delete(bad, "lavoratore.cognome")
	d := apptest.PutDraft(t, st, "anna@example.it", "EM-1", shared.KindEM, bad, true)
	d.Status = store.StatusCompleted
	st.PutDraft(ctx, d)

	fs := &fakeSender{status: client.StatusAccepted}
	q := &outbox.Queue{Store: st, Sender: fs, Now: func() time.Time { return apptest.EmDay }, Rand: func() float64 { return 0 }}
	out, err := sendAll(ctx, q, "anna@example.it")
	if err != nil {
		t.Fatal(err)
	}
	if out.Queued != 0 || out.Invalid != 1 {
		t.Fatalf("outcome: %+v", out)
	}
	if kind, msg := out.message(); kind != "danger" || !strings.Contains(msg, "contengono errori: 1") {
		t.Errorf("message: %s %q", kind, msg)
	}
	back, err := st.GetDraft(ctx, "anna@example.it", "EM-1")
	if err != nil || back.Status != store.StatusDraft || len(back.Problems) == 0 {
		t.Errorf("draft after the check: %+v %v", back, err)
	}
	found := false
	for _, p := range back.Problems {
		found = found || p.Field == "lavoratore.cognome"
	}
	if !found {
		t.Errorf("the problem of the missing surname is not kept: %+v", back.Problems)
	}
}
