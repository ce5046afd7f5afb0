package compiler

import (
	"fmt"
	"reflect"
	"slices"
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

// A keystroke validates what reads the field typed in (FormCheck.Changed); the problems it
// leaves are the whole form's, so the validation of the whole form when typing pauses (settle)
// changes nothing, and deciding (confirming) goes through it.
func TestKeystrokesValidateWhatTheyChangeAndThePauseTheWholeForm(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	apptest.PutDraft(t, st, "a@example.it", "EM-1", shared.KindEM, apptest.Fixture(t, "em_badante"), true)
	c := openCompiler(t, "a@example.it", "EM-1")
	whole := func() []shared.Problem {
		return shared.Validate(c.form.kind, &c.form.campaign, c.form.data, c.form.today)
	}
	for _, k := range []struct{ key, v string }{
		{"rapporto.retribuzione_mensile", "1"},
		{"rapporto.retribuzione_mensile", "12"},
		{"rapporto.livello", "A"},      // the mansione no longer belongs to it
		{"rapporto.tipologia", "colf"}, // the assisted person's fields no longer apply
		{"reddito.importo", "1000"},    // below the threshold for a colf
		{"rapporto.tipologia", "badante"},
		{"rapporto.livello", "CS"},
		{"rapporto.retribuzione_mensile", "9876543210,98765432109876543"},
	} {
		if !c.change(k.key, k.v) {
			t.Fatalf("%s = %q refused", k.key, k.v)
		}
		if !c.form.unsettled {
			t.Errorf("%s = %q: validated the whole form on a keystroke", k.key, k.v)
		}
		if got, want := c.form.problems, whole(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %q: the keystroke's problems\n%v\nare not the whole form's\n%v", k.key, k.v, got, want)
		}
	}
	if c.form.settle() {
		t.Error("the whole-form validation at the pause changed the problems")
	}
	if c.form.unsettled || c.form.settle() {
		t.Error("settled twice")
	}
	c.change("rapporto.retribuzione_mensile", "100")
	if err := c.markConfirmed(); err == nil || c.form.unsettled {
		t.Errorf("confirmed a module paid below the minimum (err %v), or without validating the whole form (unsettled %v)", err, c.form.unsettled)
	}
}

// The views' equal methods compare every field: a field added to a view and forgotten there
// would let a keystroke skip drawing a change.
func TestViewsEqualSeeEveryField(t *testing.T) {
	pv := pageView{Fields: []fieldView{{Key: "k"}}, Steps: stepperView{Steps: []stepView{{Title: "I"}}}}
	for i := range reflect.TypeOf(pv).NumField() {
		other := pv
		other.Fields = slices.Clone(pv.Fields)
		differ(t, reflect.ValueOf(&other).Elem().Field(i))
		if pv.equal(&other) || other.equal(&pv) {
			t.Errorf("pageView.equal misses %s", reflect.TypeOf(pv).Field(i).Name)
		}
	}
	for i := range reflect.TypeOf(pv.Steps).NumField() {
		other := pv.Steps
		differ(t, reflect.ValueOf(&other).Elem().Field(i))
		if pv.Steps.equal(&other) {
			t.Errorf("stepperView.equal misses %s", reflect.TypeOf(pv.Steps).Field(i).Name)
		}
	}
	var fv fieldView
	for i := range reflect.TypeOf(fv).NumField() {
		other := fv
		differ(t, reflect.ValueOf(&other).Elem().Field(i))
		if fv.equal(&other) || other.equal(&fv) {
			t.Errorf("fieldView.equal misses %s", reflect.TypeOf(fv).Field(i).Name)
		}
	}
}

// differ changes v: a string, a number, a flag, a list one longer, a struct's first field.
func differ(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int:
		v.SetInt(v.Int() + 1)
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
	case reflect.Struct:
		differ(t, v.Field(0))
	default:
		t.Fatalf("differ: no change for a %s", v.Kind())
	}
}

// The stepper's progress kept between keystrokes is the progress computed afresh, whatever is
// typed where, sections left and the summary reached: for every field of both modules, each
// emptied, given junk and given back its value.
func TestStepperProgressKeptIsComputedAfresh(t *testing.T) {
	for _, tc := range []struct {
		kind    shared.Kind
		fixture string
	}{{shared.KindEM, "em_badante"}, {shared.KindEM, "em_colf"}, {shared.KindA, "a_nominativa"}, {shared.KindA, "a_numerica"}} {
		st := apptest.UseMemory(t, apptest.EmDay)
		fx := apptest.Fixture(t, tc.fixture)
		// One required field of each section left empty and never typed in: it counts as an
		// error once its section is left.
		untouched := map[string]bool{}
		data := fx.Clone()
		for _, sec := range shared.SchemaOf(tc.kind).Sections {
			for _, fl := range slices.Backward(sec.Fields) {
				if fl.Required && !fl.Generation && fl.Type == shared.TypeText {
					untouched[fl.Key] = true
					delete(data, fl.Key)
					break
				}
			}
		}
		apptest.PutDraft(t, st, "a@example.it", "M-1", tc.kind, data, true)
		c := openCompiler(t, "a@example.it", "M-1")
		f := c.form
		agree := func(what string) {
			t.Helper()
			for i := range f.sections {
				if got, want := f.sectionProgress(i), f.progressOf(i); got != want {
					t.Fatalf("%s, %s: section %s kept %+v, afresh %+v", tc.fixture, what, f.sections[i].ID, got, want)
				}
			}
		}
		agree("opened")
		for i, sec := range f.sections {
			for _, fl := range sec.Fields {
				if untouched[fl.Key] {
					continue
				}
				values := []any{"", "?", "1", fx.Str(fl.Key)}
				if fl.Type == shared.TypeBool {
					values = []any{true, false, fx.Bool(fl.Key)}
				}
				for _, v := range values {
					if c.change(fl.Key, v) {
						agree(fmt.Sprintf("%s = %v", fl.Key, v))
					}
				}
			}
			f.settle()
			agree("settled")
			c.goTo(i + 1) // leaves section i: its missing fields count
			agree("left " + sec.ID)
		}
		c.form.review = true
		agree("summary")
	}
}
