package compiler

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"nullaosta/app/internal/apptest"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

func openCompiler(t *testing.T, user, id string) *compiler {
	t.Helper()
	c := &compiler{}
	if err := c.open(context.Background(), user, id); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.saver.Close() })
	return c
}

func TestCompilerRendersEverySectionFromTheSchema(t *testing.T) {
	for _, tc := range []struct {
		kind    shared.Kind
		fixture string
		day     time.Time
	}{
		{shared.KindEM, "em_colf", apptest.EmDay},
		{shared.KindEM, "em_badante", apptest.EmDay},
		{shared.KindA, "a_nominativa", apptest.ADay},
		{shared.KindA, "a_numerica", apptest.ADay},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			st := apptest.UseMemory(t, tc.day)
			data := apptest.Fixture(t, tc.fixture)
			apptest.PutDraft(t, st, "a@example.it", "M-1", tc.kind, data, true)
			c := openCompiler(t, "a@example.it", "M-1")
			schema := shared.SchemaOf(tc.kind)
			if len(c.form.sections) != len(schema.Sections) {
				t.Fatalf("sections: got %d, schema has %d", len(c.form.sections), len(schema.Sections))
			}
			seen := 0
			for i, sec := range schema.Sections {
				c.current = i
				html := apptest.Render(t, c)
				if !strings.Contains(html, ">"+goappEscape(sec.Title)+"<") {
					t.Errorf("section %s: title %q not rendered", sec.ID, sec.Title)
				}
				for _, f := range sec.Fields {
					id := `id="` + ui.InputID(f.Key) + `"`
					shown := strings.Contains(html, id)
					// A field locked by the choices made (a numerica request's worker) is shown
					// grey though it does not apply.
					lockedByChoice := f.LockedIf != "" && schema.Locked(f.Key, c.form.data)
					if applies := schema.Applies(f.Key, c.form.data); shown != (applies || lockedByChoice) {
						t.Errorf("section %s field %s: rendered %v, applies %v", sec.ID, f.Key, shown, applies)
					}
					if shown {
						seen++
						if !strings.Contains(html, `for="`+ui.InputID(f.Key)+`"`) {
							t.Errorf("field %s has no <label for>", f.Key)
						}
					}
				}
				if sec.Confirm && !strings.Contains(html, "Sportello Unico competente") {
					t.Errorf("confirm section without the Sportello Unico")
				}
			}
			if seen == 0 {
				t.Fatal("no field rendered")
			}
		})
	}
}

// goappEscape escapes text as go-app's HTML encoder does.
func goappEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;")
	return r.Replace(s)
}

// inputTag returns the <input …> (or <select …>) tag whose id is that of key.
func inputTag(html, key string) string {
	i := strings.Index(html, `id="`+ui.InputID(key)+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(html[:i], "<")
	end := strings.Index(html[i:], ">")
	return html[start : i+end+1]
}

func TestLockedFieldIsReadonly(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), false)
	c := openCompiler(t, "a@example.it", "EM-1")
	c.current = c.form.sectionOf("datore.cognome")
	html := apptest.Render(t, c)
	tag := inputTag(html, "datore.cognome")
	if !strings.Contains(tag, "readonly") || !strings.Contains(tag, `value="Bianchi"`) {
		t.Errorf("locked field: %s", tag)
	}
	if !strings.Contains(html, "field-locked") {
		t.Error("locked field is not marked grey (field-locked)")
	}
	// A locked place shows its name, not its code.
	c.current = c.form.sectionOf("datore.residenza.comune")
	html = apptest.Render(t, c)
	if tag := inputTag(html, "datore.residenza.comune"); !strings.Contains(tag, "Cuneo") || !strings.Contains(tag, "readonly") {
		t.Errorf("locked comune: %s", tag)
	}
	// And the model refuses to change it.
	if c.change("datore.cognome", "Rossi") {
		t.Error("a locked field changed")
	}
	if got := c.form.str("datore.cognome"); got != "Bianchi" {
		t.Errorf("datore.cognome = %q", got)
	}
}

func TestInvalidValueShowsMessageAndSummary(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	c := openCompiler(t, "a@example.it", "EM-1")
	key := "datore.data_nascita"
	if !c.change(key, "31/02/1958") {
		t.Fatal("change refused")
	}
	errs, _ := c.form.fieldProblems(key)
	if len(errs) == 0 {
		t.Fatalf("no problem for an impossible date; problems: %+v", c.form.problems)
	}
	c.current = c.form.sectionOf(key)
	html := apptest.Render(t, c)
	msg := goappEscape(errs[0].Message)
	if !strings.Contains(html, msg) {
		t.Errorf("message %q not shown", errs[0].Message)
	}
	tag := inputTag(html, key)
	if !strings.Contains(tag, `aria-invalid`) || !strings.Contains(tag, errorID(key)) {
		t.Errorf("invalid input not marked: %s", tag)
	}
	i := strings.Index(html, `id="error-summary"`)
	summary := apptest.Between(html[strings.LastIndex(html[:i], "<"):], "<", "</ul>")
	if !strings.Contains(summary, `role="alert"`) || !strings.Contains(summary, `href="#`+ui.InputID(key)+`"`) {
		t.Errorf("summary does not link to the field")
	}
	// From another section the summary still lists it.
	c.goTo(len(c.form.sections) - 1)
	if html := apptest.Render(t, c); !strings.Contains(html, `href="#`+ui.InputID(key)+`"`) || !strings.Contains(html, msg) {
		t.Error("summary lost the error on another section")
	}
	// The stepper counts it on the field's section.
	if p := c.form.progressOf(c.form.sectionOf(key)); p.Errors == 0 {
		t.Errorf("progress of the section: %+v", p)
	}
	// Correcting it clears everything.
	c.change(key, "12/03/1958")
	if errs, _ := c.form.fieldProblems(key); len(errs) != 0 {
		t.Errorf("still %v", errs)
	}
	if html := apptest.Render(t, c); strings.Contains(html, `href="#`+ui.InputID(key)+`"`) {
		t.Error("summary still links to the corrected field")
	}
}

func TestMissingFieldsShownOnlyAfterLeavingTheSection(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), false)
	c := openCompiler(t, "a@example.it", "EM-1")
	if ps := c.form.shownProblems(shared.SeverityError); len(ps) != 0 {
		t.Fatalf("a fresh module shows %d errors: %+v", len(ps), ps)
	}
	p := c.form.progressOf(0)
	if p.Required == 0 || p.Filled >= p.Required {
		t.Errorf("progress of a fresh section: %+v", p)
	}
	// Jumping ahead without typing turns nothing red.
	c.goTo(3)
	if p := c.form.progressOf(0); p.Errors != 0 {
		t.Errorf("a section left untouched shows %d errors: %+v", p.Errors, c.form.shownProblems(shared.SeverityError))
	}
	// Working in a section and leaving it points out what it still misses.
	c.goTo(0)
	var typed string
	for _, fl := range c.form.sections[0].Fields {
		if !c.form.isLocked(fl.Key) && fl.Type == shared.TypeText && c.change(fl.Key, "1") {
			typed = fl.Key
			break
		}
	}
	if typed == "" {
		t.Fatal("no free text field in the first section")
	}
	c.goTo(1)
	if p := c.form.progressOf(0); p.Errors == 0 {
		t.Errorf("after working in the section and leaving it, the missing fields are not errors: %+v", p)
	}
	// Reaching «Conferma e invio» is trying to confirm: everything is shown.
	c.goTo(len(c.form.sections) - 1)
	if p := c.form.progressOf(3); p.Errors == 0 {
		t.Errorf("at the summary the missing fields of a section never opened are not errors: %+v", p)
	}
}

func TestValidModuleCanBeConfirmed(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind shared.Kind
		day  time.Time
	}{{"em_colf", shared.KindEM, apptest.EmDay}, {"a_nominativa", shared.KindA, apptest.ADay}} {
		t.Run(tc.name, func(t *testing.T) {
			st := apptest.UseMemory(t, tc.day)
			apptest.PutDraft(t, st, "a@example.it", "M-1", tc.kind, apptest.Fixture(t, tc.name), true)
			c := openCompiler(t, "a@example.it", "M-1")
			if !c.form.canConfirm() {
				t.Fatalf("fixture not confirmable: %+v", c.form.problems)
			}
			c.goTo(len(c.form.sections) - 1)
			html := apptest.Render(t, c)
			if !strings.Contains(html, ">Conferma<") {
				t.Fatal("no Conferma button on the summary")
			}
			if err := c.confirm(); err != nil {
				t.Fatal(err)
			}
			d, err := st.GetDraft(context.Background(), "a@example.it", "M-1")
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != store.StatusCompleted || d.ConfirmedAt.IsZero() {
				t.Errorf("stored draft: status %q confirmed %v", d.Status, d.ConfirmedAt)
			}
			// Editing a completed module sends it back to "bozza".
			c.change("recapiti.email", "altro@example.it")
			c.change("datore.email", "altro@example.it")
			if c.draft.Status != store.StatusDraft {
				t.Errorf("after an edit the status is %q", c.draft.Status)
			}
			if err := c.saver.Flush(); err != nil {
				t.Fatal(err)
			}
			d, _ = st.GetDraft(context.Background(), "a@example.it", "M-1")
			if d.Status != store.StatusDraft {
				t.Errorf("stored status after an edit: %q", d.Status)
			}
		})
	}
}

func TestConfirmRefusedWithErrors(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), false)
	c := openCompiler(t, "a@example.it", "EM-1")
	c.goTo(len(c.form.sections) - 1)
	html := apptest.Render(t, c)
	i := strings.Index(html, ">Conferma<")
	if i < 0 {
		t.Fatal("no Conferma button")
	}
	btn := html[strings.LastIndex(html[:i], "<button"):i]
	if !strings.Contains(btn, "disabled") {
		t.Errorf("Conferma enabled on an incomplete module: %s", btn)
	}
	if err := c.confirm(); err == nil {
		t.Error("an incomplete module was confirmed")
	}
	if c.draft.Status != store.StatusDraft {
		t.Errorf("status %q", c.draft.Status)
	}
}

func TestSavedWithinHalfASecond(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), false)
	c := openCompiler(t, "a@example.it", "EM-1")
	c.change("datore.residenza.numero_civico", "15")
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) {
		d, _ := st.GetDraft(context.Background(), "a@example.it", "EM-1")
		if d.Data.Str("datore.residenza.numero_civico") == "15" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the change was not saved")
}

func TestComputeCodiceFiscale(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	data := apptest.Fixture(t, "em_colf")
	want := data.Str("datore.codice_fiscale")
	delete(data, "datore.codice_fiscale")
	apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, data, true)
	c := openCompiler(t, "a@example.it", "EM-1")
	c.calculate("datore.codice_fiscale")
	if got := c.form.str("datore.codice_fiscale"); got != want {
		t.Errorf("computed %q, want %q (%s)", got, want, c.calcMsg["datore.codice_fiscale"])
	}
	// Born abroad: the country's Z code.
	if _, err := shared.ComputeCodiceFiscale(shared.KindEM, data, "lavoratore.codice_fiscale"); err != nil {
		t.Errorf("worker born in Sri Lanka: %v", err)
	}
}

func TestQueuedModuleIsReadOnly(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	d := apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	d.Status = store.StatusQueued
	st.PutDraft(context.Background(), d)
	c := openCompiler(t, "a@example.it", "EM-1")
	if c.change("datore.residenza.numero_civico", "99") {
		t.Error("a queued module changed")
	}
	c.current = c.form.sectionOf("datore.residenza.numero_civico")
	if tag := inputTag(apptest.Render(t, c), "datore.residenza.numero_civico"); !strings.Contains(tag, "readonly") {
		t.Errorf("queued module field: %s", tag)
	}
}

func TestRejectedModuleShowsServerProblems(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	d := apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	d.Status = store.StatusRejected
	d.Problems = []shared.Problem{{Field: "lavoratore.documento.numero", Code: "duplicate_worker", Severity: shared.SeverityError, Message: "Questo lavoratore è già stato dichiarato."}}
	st.PutDraft(context.Background(), d)
	c := openCompiler(t, "a@example.it", "EM-1")
	html := apptest.Render(t, c)
	if !strings.Contains(html, "respinto dal server") || !strings.Contains(html, "già stato dichiarato") ||
		!strings.Contains(html, `href="#field-lavoratore.documento.numero"`) {
		t.Error("the server's problems are not listed with a link")
	}
	c.current = c.form.sectionOf("lavoratore.documento.numero")
	if html := apptest.Render(t, c); !strings.Contains(html, "Segnalato dal server") {
		t.Error("the server's problem is not beside its field")
	}
}

// TestNumericaWorkerShownLocked: for a numerica request sections 5–6 (the worker) show their
// fields grey, empty and locked with the reason, as the paper form does, instead of «Nessun
// dato da inserire»; the summary has no empty heading for them.
func TestNumericaWorkerShownLocked(t *testing.T) {
	st := apptest.UseMemory(t, apptest.ADay)
	apptest.PutDraft(t, st, "a@example.it", "A-1", shared.KindA, apptest.Fixture(t, "a_numerica"), true)
	c := openCompiler(t, "a@example.it", "A-1")
	i := c.form.sectionOf("lavoratore.cognome")
	if i < 0 {
		t.Fatal("no section for lavoratore.cognome")
	}
	c.goTo(i)
	html := apptest.Render(t, c)
	if strings.Contains(html, "Nessun dato da inserire") {
		t.Error("the worker's section says there is nothing to fill instead of showing it locked")
	}
	if !strings.Contains(html, "Bloccato per una richiesta numerica") || !strings.Contains(html, "I campi in grigio sono bloccati") {
		t.Error("the reason of the lock is not shown")
	}
	box := apptest.Between(html, `for="`+ui.InputID("lavoratore.cognome")+`"`, "</div>")
	if !strings.Contains(html, "field-locked") || !strings.Contains(box, "bloccato") {
		t.Errorf("the worker's surname is not shown locked: %s", box)
	}
	in := regexp.MustCompile(`<input[^>]*id="` + regexp.QuoteMeta(ui.InputID("lavoratore.cognome")) + `"[^>]*>`).FindString(html)
	if !strings.Contains(in, "readonly") || strings.Contains(in, `value="`) && !strings.Contains(in, `value=""`) {
		t.Errorf("the worker's surname is not read-only and empty: %s", in)
	}
	c.goTo(len(c.form.sections) - 1)
	review := apptest.Between(apptest.Render(t, c), "<article", "</article>")
	empty := 0
	for _, ls := range shared.Layout(shared.KindA, c.form.data) {
		if len(ls.Fields) > 0 {
			continue
		}
		empty++
		if strings.Contains(review, ">"+goappEscape(ls.Title)+"<") {
			t.Errorf("the summary has an empty heading %q", ls.Title)
		}
	}
	if empty == 0 {
		t.Error("no section of a numerica request is empty: the check above checked nothing")
	}
}
