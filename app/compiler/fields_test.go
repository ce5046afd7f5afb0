package compiler

import (
	"strings"
	"testing"

	"nullaosta/app/internal/apptest"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

func TestFieldsKeepTheirPlaceWhenOthersAppear(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	c := openCompiler(t, "a@example.it", "EM-1")
	c.current = c.form.sectionOf("datore.nascita.stato")
	count := func() int {
		html := apptest.Render(t, c)
		return strings.Count(html, `class="field-hidden"`) + strings.Count(html, `class="field mb-4`)
	}
	before := count()
	c.change("datore.nascita.stato", "LK") // born abroad: provincia and comune go, località comes
	if after := count(); after != before || before != len(c.form.sections[c.current].Fields) {
		t.Errorf("field slots: %d before, %d after, %d fields", before, after, len(c.form.sections[c.current].Fields))
	}
	if html := apptest.Render(t, c); !strings.Contains(html, ui.InputID("datore.nascita.localita")) || strings.Contains(html, `id="`+ui.InputID("datore.nascita.comune")+`"`) {
		t.Error("applicability not reflected")
	}
}
