package ui

import (
	"strings"
	"testing"

	"nullaosta/app/internal/apptest"
)

func TestComboFiltersAndMovesByKeyboard(t *testing.T) {
	c := &Combo{ID: InputID("impiego.comune"), Source: "comuni:CN"}
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
	html := apptest.Render(t, c)
	for _, want := range []string{`role="combobox"`, `aria-controls="field-impiego.comune-list"`, `role="listbox"`, `role="option"`, `aria-activedescendant="field-impiego.comune-opt-0"`} {
		if !strings.Contains(html, want) {
			t.Errorf("combobox lacks %s", want)
		}
	}
}

// TestListCountriesOnly: the worker's country of a numerica request offers only the countries
// with a list, filtered by what is typed.
func TestListCountriesOnly(t *testing.T) {
	all := SearchChoices("countries:liste:LK,PH,MA", "", 0)
	if len(all) != 3 || all[0].Code != "LK" || all[1].Code != "PH" {
		t.Fatalf("the list countries: %+v", all)
	}
	if got := SearchChoices("countries:liste:LK,PH,MA", "filipp", 8); len(got) != 1 || got[0].Code != "PH" {
		t.Errorf("«filipp»: %+v", got)
	}
	if got := SearchChoices("countries:liste:LK,PH,MA", "India", 8); len(got) != 0 {
		t.Errorf("a country without a list is offered: %+v", got)
	}
}
