package compiler

import (
	"reflect"
	"testing"

	"nullaosta/app/internal/apptest"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

// While a person types in a text box the box holds the letters: a keystroke that changes
// nothing else the page draws leaves the page's view as the last render drew it, and the
// compiler skips go-app's render of the whole page (OnFieldInput). A keystroke that changes a
// message, a count or a value put in from elsewhere changes the view, and is drawn.
func TestKeystrokeChangesThePageViewOnlyWhenSomethingElseChanges(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_colf"), true)
	c := openCompiler(t, "a@example.it", "EM-1")
	focus := ""
	typeIn := func(key, v string) (before, after pageView) {
		t.Helper()
		c.current = c.form.sectionOf(key)
		focus = ui.InputID(key)
		before = c.pageView(focus)
		if !c.change(key, v) {
			t.Fatalf("%s: %q refused", key, v)
		}
		return before, c.pageView(focus)
	}

	civico := "alloggio.numero_civico"
	typeIn(civico, "1")
	if before, after := typeIn(civico, "12"); !reflect.DeepEqual(before, after) {
		t.Errorf("a keystroke in %s that changes nothing else changed the page's view:\n%+v\n%+v", civico, before, after)
	}
	// The box being typed in leaves its value to the input; every other box draws its own.
	for _, v := range c.pageView(focus).Fields {
		if v.Key == civico && (!v.Typing || v.Value != "") {
			t.Errorf("the box being typed in draws %q (typing %v)", v.Value, v.Typing)
		}
	}
	focus = ""
	if before := c.pageView(focus); !c.change(civico, "123") || reflect.DeepEqual(before, c.pageView(focus)) {
		t.Error("a value changed with no focus in its box (Calcola, a program) is not drawn")
	}

	// An impossible date shows a message in the box and in the summary.
	date := "lavoratore.data_nascita"
	typeIn(date, "31/01/198")
	if before, after := typeIn(date, "31/02/1980"); reflect.DeepEqual(before.Errors, after.Errors) {
		t.Errorf("an impossible date left the error summary as it was: %v", after.Errors)
	}
	// Emptying a required field changes the stepper's count.
	if before, after := typeIn(civico, ""); reflect.DeepEqual(before.Steps, after.Steps) {
		t.Errorf("emptying %s left the stepper as it was: %+v", civico, after.Steps)
	}
}
