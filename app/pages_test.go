package app

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/outbox"
	"nullaosta/app/store"
	"nullaosta/shared"
	"nullaosta/shared/places"
)

func TestGenerationForm(t *testing.T) {
	useMemory(t, emDay)
	for _, k := range []shared.Kind{shared.KindEM, shared.KindA} {
		t.Run(string(k), func(t *testing.T) {
			p := &generate{status: statusLoaded}
			p.choose(k)
			html := render(t, p)
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
			html = render(t, p)
			if tag := inputTag(html, "datore.residenza.comune"); !strings.Contains(tag, `role="combobox"`) {
				t.Errorf("comune is not a combobox: %s", tag)
			}
			p.change("datore.residenza.comune", "D205")
			html = render(t, p)
			if tag := inputTag(html, "datore.residenza.cap"); !strings.HasPrefix(tag, "<select") {
				t.Errorf("CAP of a known comune is not a select: %s", tag)
			}
			if !strings.Contains(html, `value="12100"`) {
				t.Error("the CAPs of Cuneo are not offered")
			}
		})
	}
	// Citizenship lists only non-EU countries.
	for _, c := range searchChoices("countries:noneu", "", 0) {
		if ct, _ := places.CountryByISO(c.Code); ct.EU || c.Code == "IT" {
			t.Errorf("EU country %s offered as the worker's citizenship", c.Code)
		}
	}
	if got := searchChoices("countries:noneu", "sri", 5); len(got) == 0 || got[0].Code != "LK" {
		t.Errorf("searching «sri»: %+v", got)
	}
	if got := searchChoices("countries:noneu", "Francia", 5); len(got) != 0 {
		t.Errorf("France offered: %+v", got)
	}
	if got := searchChoices("comuni:CN", "cune", 5); len(got) == 0 || got[0].Code != "D205" {
		t.Errorf("searching «cune» in CN: %+v", got)
	}
}

func TestGenerationFormValidates(t *testing.T) {
	useMemory(t, emDay)
	p := &generate{status: statusLoaded}
	p.choose(shared.KindEM)
	p.form.review = true
	if p.form.canConfirm() {
		t.Fatal("an empty generation form passes")
	}
	data := fixture(t, "em_colf")
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
	st := useMemory(t, emDay)
	ctx := context.Background()
	putDraft(t, st, "anna@example.it", "EM-ANNA", shared.KindEM, fixture(t, "em_colf"), false)
	putDraft(t, st, "bruno@example.it", "EM-BRUNO", shared.KindEM, fixture(t, "em_badante"), false)

	if err := setCurrentUser(ctx, "Anna@Example.it"); err != nil {
		t.Fatal(err)
	}
	if u := currentUser(ctx); u != "anna@example.it" {
		t.Fatalf("current user %q", u)
	}
	p := &drafts{}
	rows, err := listDraftRows(ctx, st, currentUser(ctx), emDay)
	p.set(currentUser(ctx), rows, err)
	html := render(t, p)
	if !strings.Contains(html, "EM-ANNA") || strings.Contains(html, "EM-BRUNO") {
		t.Errorf("Anna's list: %s", between(html, "<table", "</table>"))
	}

	// Bruno logs in on the same device: Anna's module disappears, his appears.
	if err := setCurrentUser(ctx, "bruno@example.it"); err != nil {
		t.Fatal(err)
	}
	rows, err = listDraftRows(ctx, st, currentUser(ctx), emDay)
	p = &drafts{}
	p.set(currentUser(ctx), rows, err)
	html = render(t, p)
	if strings.Contains(html, "EM-ANNA") || !strings.Contains(html, "EM-BRUNO") {
		t.Error("Bruno sees Anna's module, or not his own")
	}
	// Even by its address.
	c := &compiler{}
	if err := c.open(ctx, currentUser(ctx), "EM-ANNA"); !errors.Is(err, errNoDraft) {
		t.Errorf("Bruno opening Anna's module: %v", err)
	}
	// Nobody logged in: nothing.
	if err := setCurrentUser(ctx, ""); err != nil {
		t.Fatal(err)
	}
	c = &compiler{}
	if err := c.open(ctx, currentUser(ctx), "EM-BRUNO"); !errors.Is(err, errNoUser) {
		t.Errorf("logged out: %v", err)
	}
	p = &drafts{}
	p.set("", nil, nil)
	if html := render(t, p); !strings.Contains(html, "Accedi") || strings.Contains(html, "EM-") {
		t.Error("logged-out list")
	}
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], b)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}

func TestImportAddsOnlyNewModules(t *testing.T) {
	st := useMemory(t, emDay)
	ctx := context.Background()
	data := fixture(t, "em_colf")
	gen := shared.Data{}
	for _, f := range shared.GenerationFields(shared.KindEM) {
		if v, ok := data[f.Key]; ok {
			gen[f.Key] = v
		}
	}
	res := client.ImportResult{
		User:      client.User{Email: "anna@example.it"},
		Modules:   []client.Module{{ID: "EM-1", Kind: shared.KindEM, CampaignID: "em2009", Data: gen}},
		Campaigns: []shared.Campaign{shared.DemoCampaign(shared.KindEM, emDay)},
	}
	sum, err := saveImport(ctx, st, "anna@example.it", "tok1", res, emDay)
	if err != nil || len(sum.Added) != 1 {
		t.Fatalf("first import: %+v %v", sum, err)
	}
	// Anna fills something in.
	d, _ := st.GetDraft(ctx, "anna@example.it", "EM-1")
	d.Data["datore.residenza.numero_civico"] = "15"
	st.PutDraft(ctx, d)

	res.Modules = append(res.Modules, client.Module{ID: "EM-2", Kind: shared.KindEM, CampaignID: "em2009", Data: gen})
	sum, err = saveImport(ctx, st, "anna@example.it", "tok2", res, emDay)
	if err != nil || len(sum.Added) != 1 || sum.Added[0] != "EM-2" || sum.Kept != 1 {
		t.Fatalf("second import: %+v %v", sum, err)
	}
	d, _ = st.GetDraft(ctx, "anna@example.it", "EM-1")
	if d.Data.Str("datore.residenza.numero_civico") != "15" {
		t.Error("the import overwrote a draft being filled in")
	}
	if tok, _ := st.GetSetting(ctx, "anna@example.it", settingToken); tok != "tok2" {
		t.Errorf("token %q", tok)
	}
	c := campaignFor(ctx, "anna@example.it", shared.KindEM, "demo-em")
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
	st := useMemory(t, emDay)
	ctx := context.Background()
	d := putDraft(t, st, "anna@example.it", "EM-1", shared.KindEM, fixture(t, "em_colf"), true)
	d.Status = store.StatusCompleted
	st.PutDraft(ctx, d)
	putDraft(t, st, "anna@example.it", "EM-2", shared.KindEM, fixture(t, "em_colf"), false) // still a draft

	fs := &fakeSender{offline: true}
	q := &outbox.Queue{Store: st, Sender: fs, Now: func() time.Time { return emDay }, Rand: func() float64 { return 0 }}
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
	s, _ := loadSendState(ctx, st, "anna@example.it", emDay)
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
	st := useMemory(t, emDay)
	ctx := context.Background()
	d := putDraft(t, st, "anna@example.it", "EM-1", shared.KindEM, fixture(t, "em_colf"), true)
	d.Status = store.StatusCompleted
	st.PutDraft(ctx, d)
	fs := &fakeSender{status: client.StatusRejected}
	q := &outbox.Queue{Store: st, Sender: fs, Now: func() time.Time { return emDay }}
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
	if html := render(t, c); !strings.Contains(html, "Lavoratore già dichiarato.") {
		t.Error("the rejection is not shown on the module")
	}
}

func TestHandlerServesOfflineShell(t *testing.T) {
	h := NewHandler("test-1")
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(path string) string {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	worker := get("/app-worker.js")
	for _, want := range []string{`request.mode === "navigate"`, `"/compila/"`, `cache.match("/")`, `"/web/css/app.css"`, `"/web/icons/icon-maskable-512.png"`, `"/web/fonts/titillium-web-v10-latin-ext_latin-regular.woff2"`} {
		if !strings.Contains(worker, want) {
			t.Errorf("app-worker.js lacks %s", want)
		}
	}
	if strings.Contains(worker, "githubusercontent") {
		t.Error("app-worker.js caches a remote resource")
	}
	manifest := get("/manifest.webmanifest")
	for _, want := range []string{`"start_url":"/"`, `"theme_color":"#0066CC"`, `"purpose":"maskable"`, `"short_name":"Nullaosta"`} {
		if !strings.Contains(manifest, want) {
			t.Errorf("manifest lacks %s: %s", want, manifest)
		}
	}
	if strings.Contains(manifest, "http") {
		t.Errorf("manifest refers to a remote resource: %s", manifest)
	}
}

// A completed module that the server's check (shared.PrepareSubmission) refuses is not queued:
// it goes back to the compiler with the problems, and the send page says so.
func TestSendKeepsBackAModuleTheServerWouldRefuse(t *testing.T) {
	st := useMemory(t, emDay)
	ctx := context.Background()
	bad := fixture(t, "em_colf")
	delete(bad, "lavoratore.cognome")
	d := putDraft(t, st, "anna@example.it", "EM-1", shared.KindEM, bad, true)
	d.Status = store.StatusCompleted
	st.PutDraft(ctx, d)

	fs := &fakeSender{status: client.StatusAccepted}
	q := &outbox.Queue{Store: st, Sender: fs, Now: func() time.Time { return emDay }, Rand: func() float64 { return 0 }}
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
