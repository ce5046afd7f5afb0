package app

import (
	"strings"
	"testing"

	"nullaosta/shared"
)

func TestComboFiltersAndMovesByKeyboard(t *testing.T) {
	c := &combo{ID: inputID("impiego.comune"), Source: "comuni:CN"}
	c.typed("cune")
	if !c.open || len(c.matches) == 0 || c.matches[0].Code != "D205" || c.active != 0 {
		t.Fatalf("after typing: open %v active %d matches %+v", c.open, c.active, c.matches)
	}
	n := len(c.matches)
	c.move(-1)
	if c.active != n-1 {
		t.Errorf("ArrowUp from the first entry: %d", c.active)
	}
	c.move(1)
	if c.active != 0 {
		t.Errorf("ArrowDown wraps to the first: %d", c.active)
	}
	if ch, ok := c.resolve("Cuneo"); !ok || ch.Code != "D205" {
		t.Errorf("exact name not resolved: %+v %v", ch, ok)
	}
	if _, ok := c.resolve("C"); ok {
		t.Error("an ambiguous text was resolved")
	}
	html := render(t, c)
	for _, want := range []string{`role="combobox"`, `aria-controls="field-impiego.comune-list"`, `role="listbox"`, `role="option"`, `aria-activedescendant="field-impiego.comune-opt-0"`} {
		if !strings.Contains(html, want) {
			t.Errorf("combobox lacks %s", want)
		}
	}
}

func TestFieldsKeepTheirPlaceWhenOthersAppear(t *testing.T) {
	st := useMemory(t, emDay)
	putDraft(t, st, "a@example.it", "EM-1", shared.KindEM, fixture(t, "em_colf"), true)
	c := openCompiler(t, "a@example.it", "EM-1")
	c.current = c.form.sectionOf("datore.nascita.stato")
	count := func() int {
		html := render(t, c)
		return strings.Count(html, `class="field-hidden"`) + strings.Count(html, `class="field mb-4`)
	}
	before := count()
	c.change("datore.nascita.stato", "LK") // born abroad: provincia and comune go, località comes
	if after := count(); after != before || before != len(c.form.sections[c.current].Fields) {
		t.Errorf("field slots: %d before, %d after, %d fields", before, after, len(c.form.sections[c.current].Fields))
	}
	if html := render(t, c); !strings.Contains(html, inputID("datore.nascita.localita")) || strings.Contains(html, `id="`+inputID("datore.nascita.comune")+`"`) {
		t.Error("applicability not reflected")
	}
}
