package compiler

import (
	"slices"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/ui"
	"nullaosta/shared"
	"nullaosta/shared/places"
)

// fieldView is everything needed to draw one field: plain values, so that go-app re-renders a
// field only when something it shows has changed.
type fieldView struct {
	Key      string
	Label    string
	Help     string
	Type     shared.FieldType
	Value    string // as typed; codes for places and enumerations
	Checked  bool
	Display  string // what a person reads (names for codes)
	Required bool
	Locked   bool // generation datum or locked by the schema: grey, read-only
	ReadOnly bool // the whole module cannot change (queued, sent)
	Errors   []string
	Warnings []string
	Server   []string        // the server's problems of a rejected submission
	Options  []shared.Option // enum, provincia and CAP choices
	Combo    string          // searchable list: "comuni:CN", "countries", "countries:noneu"
	Hint     string          // a short note under the control
	Calc     bool            // codice fiscale: offer "Calcola"
	CalcMsg  string
	Len      int
	Hidden   bool // does not apply to the data: kept in place, hidden, so nothing shifts
	// Typing: the person is typing in this text box, which holds the value (Value and Display
	// are left empty). A keystroke then changes nothing the box draws unless a message changes, so
	// go-app does not redraw it (it compares the views); the box is drawn from the model
	// again when the focus leaves it.
	Typing bool
	// LockedWhy is the reason a field that does not apply is shown grey, locked and empty
	// (Modulo A sections 5–6 of a numerica request, as the paper form greys them).
	LockedWhy string
}

// equal reports whether two views draw the same (see pageView.equal).
func (a *fieldView) equal(b *fieldView) bool {
	return a.Key == b.Key && a.Label == b.Label && a.Help == b.Help && a.Type == b.Type &&
		a.Value == b.Value && a.Checked == b.Checked && a.Display == b.Display &&
		a.Required == b.Required && a.Locked == b.Locked && a.ReadOnly == b.ReadOnly &&
		a.Combo == b.Combo && a.Hint == b.Hint && a.Calc == b.Calc && a.CalcMsg == b.CalcMsg &&
		a.Len == b.Len && a.Hidden == b.Hidden && a.Typing == b.Typing && a.LockedWhy == b.LockedWhy &&
		slices.Equal(a.Errors, b.Errors) && slices.Equal(a.Warnings, b.Warnings) &&
		slices.Equal(a.Server, b.Server) && slices.Equal(a.Options, b.Options)
}

func errorID(key string) string { return "err-" + key }

func warnID(key string) string { return "warn-" + key }

func helpID(key string) string { return "help-" + key }

// buildFieldView computes what field fl shows in form f.
func buildFieldView(f *form, fl shared.Field, readOnly bool, server []shared.Problem, calcMsg string) fieldView {
	v := fieldView{
		Key:      fl.Key,
		Label:    fl.Label,
		Help:     fl.Help,
		Type:     fl.Type,
		Value:    f.str(fl.Key),
		Checked:  f.data.Bool(fl.Key),
		Required: f.required(fl),
		Locked:   f.isLocked(fl.Key),
		ReadOnly: readOnly,
		Len:      fl.Len,
		CalcMsg:  calcMsg,
	}
	// What a person reads for the value is drawn in a grey box or a searchable list; a text box
	// draws the value itself (and DisplayValue parses dates and amounts: not on every keystroke).
	if v.Locked || v.ReadOnly || fl.Type == shared.TypeComune || fl.Type == shared.TypeCountry {
		v.Display = shared.DisplayValue(&fl, f.data)
	}
	errs, warns := f.fieldProblems(fl.Key)
	for _, p := range errs {
		v.Errors = append(v.Errors, p.Message)
	}
	for _, p := range warns {
		v.Warnings = append(v.Warnings, p.Message)
	}
	for _, p := range server {
		if p.Field == fl.Key {
			v.Server = append(v.Server, p.Message)
		}
	}
	if v.Locked || v.ReadOnly {
		return v
	}
	switch fl.Type {
	case shared.TypeEnum:
		if sf, ok := f.schemaField(fl.Key); ok {
			v.Options = shared.OptionsFor(sf, f.data)
		} else {
			v.Options = fl.Options
		}
	case shared.TypeProvincia:
		v.Options = ui.ProvinceOptions()
	case shared.TypeComune:
		sigla := f.data.Str(fl.PlaceOf)
		if sigla == "" {
			v.Hint = "Scegli prima la provincia."
		} else {
			v.Combo = "comuni:" + strings.ToUpper(sigla)
		}
	case shared.TypeCAP:
		if c, ok := places.ComuneByBelfiore(f.data.Str(fl.PlaceOf)); ok && len(c.CAPs) > 0 {
			for _, cap := range c.CAPs {
				v.Options = append(v.Options, shared.Option{Value: cap, Label: cap})
			}
		} else if f.data.Str(fl.PlaceOf) == "" {
			v.Hint = "Scegli prima il comune: ti proporremo i suoi CAP."
		}
	case shared.TypeCountry:
		v.Combo = "countries"
		if fl.NonEU {
			v.Combo = "countries:noneu"
		}
		// A numerica request is possible only for the countries with a published list: the
		// worker's country offers those alone (the rule's message stays on this field).
		if fl.Key == "lavoratore.cittadinanza" && f.str("richiesta.tipo") == "numerica" && len(f.campaign.NumericaCountries) > 0 {
			v.Combo = "countries:liste:" + strings.Join(f.campaign.NumericaCountries, ",")
			v.Hint = "Per una richiesta numerica: i Paesi con una lista pubblicata."
		}
	case shared.TypeCodiceFiscale:
		v.Calc = fl.ComputedFrom != ""
	case shared.TypeDate:
		v.Hint = "Formato GG/MM/AAAA, per esempio 25/03/1975."
	}
	return v
}

// schemaField finds the schema's own field, whose behaviour (options by data) lives in code.
func (f *form) schemaField(key string) (*shared.Field, bool) {
	if f.schema == nil {
		return nil, false
	}
	return f.schema.Field(key)
}

// fieldBox draws one field. It is keyed by the field (CompoID), so go-app never reuses the
// input of one field for another when fields appear, disappear or the section changes.
type fieldBox struct {
	goapp.Compo
	View fieldView
	Host ui.FieldHost
}

func (b *fieldBox) CompoID() string { return b.View.Key }

func (b *fieldBox) Render() goapp.UI {
	if b.View.Hidden {
		return goapp.Div().Class("field-hidden").Hidden(true)
	}
	return renderField(b.View, b.Host)
}

// fieldBoxes draws every field of a section in schema order. Fields that do not apply are
// rendered hidden rather than left out: go-app diffs children by position, and a field
// appearing above the one being typed in would otherwise rebuild that input and lose the focus.
func fieldBoxes(f *form, fields []shared.Field, h ui.FieldHost, view func(shared.Field) fieldView) (boxes []goapp.UI, shown int) {
	views, shown := sectionViews(f, fields, ui.FocusedID(), view)
	return boxesOf(views, h), shown
}

// boxesOf draws the views of sectionViews.
func boxesOf(views []fieldView, h ui.FieldHost) []goapp.UI {
	boxes := make([]goapp.UI, len(views))
	for i, v := range views {
		boxes[i] = &fieldBox{View: v, Host: h}
	}
	return boxes
}

// sectionViews computes the views of fieldBoxes, and how many fields show; focused is the id
// of the element with the keyboard focus.
func sectionViews(f *form, fields []shared.Field, focused string, view func(shared.Field) fieldView) (views []fieldView, shown int) {
	views = make([]fieldView, 0, len(fields))
	for _, fl := range fields {
		if !f.applies(fl.Key) && fl.LockedIf != "" && f.isLocked(fl.Key) {
			// Locked by the choices made (a numerica request's worker): shown grey and empty
			// with the reason, as the paper form does, rather than hidden.
			shown++
			views = append(views, fieldView{Key: fl.Key, Label: fl.Label, Type: fl.Type, Locked: true, LockedWhy: fl.LockedIf})
			continue
		}
		if !f.applies(fl.Key) {
			views = append(views, fieldView{Key: fl.Key, Hidden: true})
			continue
		}
		shown++
		v := view(fl)
		if focused != "" && focused == ui.InputID(fl.Key) && v.isTextBox() {
			v.Value, v.Display, v.Typing = "", "", true
		}
		views = append(views, v)
	}
	return views, shown
}

// isTextBox reports whether the field is drawn as a text input a person types in (not a
// checkbox, a list, a searchable list or a grey read-only box).
func (v fieldView) isTextBox() bool {
	return v.Type != shared.TypeBool && !v.Locked && !v.ReadOnly && v.Combo == "" && !v.isSelect()
}

// isSelect reports whether the field is drawn as a list to choose from.
func (v fieldView) isSelect() bool {
	return v.Type == shared.TypeEnum || v.Type == shared.TypeProvincia || (v.Type == shared.TypeCAP && len(v.Options) > 0)
}

func renderField(v fieldView, h ui.FieldHost) goapp.UI {
	id := ui.InputID(v.Key)
	var described []string
	if len(v.Errors) > 0 || len(v.Server) > 0 {
		described = append(described, errorID(v.Key))
	}
	if len(v.Warnings) > 0 {
		described = append(described, warnID(v.Key))
	}
	if v.Hint != "" {
		described = append(described, helpID(v.Key)+"-hint")
	}
	describedBy := strings.Join(described, " ")
	invalid := len(v.Errors) > 0 || len(v.Server) > 0
	frozen := v.Locked || v.ReadOnly

	cls := "field mb-4"
	if v.Locked {
		cls += " field-locked"
	}
	if invalid {
		cls += " field-invalid"
	} else if len(v.Warnings) > 0 {
		cls += " field-warned"
	}

	var control goapp.UI
	label := goapp.Label().For(id).Class("form-label").Body(
		goapp.Text(v.Label),
		goapp.If(v.Required && !frozen, func() goapp.UI {
			return goapp.Span().Class("required-mark").Aria("hidden", "true").Text(" *")
		}),
		goapp.If(v.Required && !frozen, func() goapp.UI {
			return goapp.Span().Class("visually-hidden").Text(" (obbligatorio)")
		}),
		goapp.If(v.Locked && v.LockedWhy == "", func() goapp.UI {
			return goapp.Span().Class("locked-mark").Text(" — dato del modulo generato, non modificabile")
		}),
		goapp.If(v.LockedWhy != "", func() goapp.UI {
			return goapp.Span().Class("locked-mark").Text(" — bloccato")
		}),
	)

	switch {
	case v.Type == shared.TypeBool:
		in := goapp.Input().Type("checkbox").ID(id).Class("form-check-input").Checked(v.Checked)
		if frozen {
			in = in.Disabled(true)
		} else {
			in = in.OnChange(h.OnFieldCheck)
		}
		if describedBy != "" {
			in = in.Aria("describedby", describedBy)
		}
		if invalid {
			in = in.Aria("invalid", "true")
		}
		control = goapp.Div().Class("form-check").Body(
			in,
			goapp.Label().For(id).Class("form-check-label").Body(
				goapp.Text(v.Label),
				goapp.If(v.Required && !frozen, func() goapp.UI {
					return goapp.Span().Class("required-mark").Aria("hidden", "true").Text(" *")
				}),
			),
		)
		label = nil

	case frozen:
		shown := v.Display
		if shown == "" {
			shown = v.Value
		}
		in := goapp.Input().Type("text").ID(id).Class("form-control").ReadOnly(true).Value(shown)
		if shown == "" {
			in = in.Placeholder("—")
		}
		if describedBy != "" {
			in = in.Aria("describedby", describedBy)
		}
		control = in

	case v.Combo != "":
		control = &ui.Combo{
			ID:          id,
			Value:       v.Value,
			Display:     v.Display,
			Source:      v.Combo,
			Required:    v.Required,
			Invalid:     invalid,
			DescribedBy: describedBy,
			Host:        h,
		}

	case v.isSelect():
		control = renderSelect(id, v, describedBy, invalid, h)

	default:
		control = renderInput(id, v, describedBy, invalid, h)
	}

	return goapp.Div().Class(cls).Body(
		goapp.If(label != nil, func() goapp.UI { return label }),
		control,
		// Messages come and go: keep them in one container so the help below keeps its place.
		goapp.Div().Class("field-messages").Body(
			goapp.If(v.Hint != "", func() goapp.UI {
				return goapp.Div().ID(helpID(v.Key) + "-hint").Class("form-text").Text(v.Hint)
			}),
			goapp.If(invalid, func() goapp.UI {
				return goapp.Div().ID(errorID(v.Key)).Class("field-error").Body(
					goapp.Range(v.Errors).Slice(func(i int) goapp.UI {
						return goapp.P().Class("mb-1").Body(
							goapp.Span().Class("visually-hidden").Text("Errore: "),
							goapp.Text(v.Errors[i]),
						)
					}),
					goapp.Range(v.Server).Slice(func(i int) goapp.UI {
						return goapp.P().Class("mb-1").Body(
							goapp.Span().Class("fw-semibold").Text("Segnalato dal server: "),
							goapp.Text(v.Server[i]),
						)
					}),
				)
			}),
			goapp.If(len(v.Warnings) > 0, func() goapp.UI {
				return goapp.Div().ID(warnID(v.Key)).Class("field-warning").Body(
					goapp.Range(v.Warnings).Slice(func(i int) goapp.UI {
						return goapp.P().Class("mb-1").Body(
							goapp.Span().Class("visually-hidden").Text("Avviso: "),
							goapp.Text(v.Warnings[i]),
						)
					}),
				)
			}),
			goapp.If(v.CalcMsg != "", func() goapp.UI {
				return goapp.Div().Class("form-text").Aria("live", "polite").Text(v.CalcMsg)
			}),
		),
		goapp.If(v.Help != "", func() goapp.UI {
			return goapp.Details().Class("field-help").Body(
				goapp.Summary().Text("Aiuto: "+v.Label),
				goapp.P().ID(helpID(v.Key)).Text(v.Help),
			)
		}),
	)
}

func renderInput(id string, v fieldView, describedBy string, invalid bool, h ui.FieldHost) goapp.UI {
	in := goapp.Input().ID(id).Class("form-control").Value(ui.LiveValue(id, v.Value)).
		AutoComplete(false).Attr("autocomplete", "off").Attr("spellcheck", "false").
		OnInput(h.OnFieldInput).OnChange(h.OnFieldChange)
	switch v.Type {
	case shared.TypeEmail:
		in = in.Type("email").Attr("inputmode", "email")
	case shared.TypePhone:
		in = in.Type("tel").Attr("inputmode", "tel")
	case shared.TypeDate:
		in = in.Type("text").Attr("inputmode", "numeric").Placeholder("GG/MM/AAAA").MaxLength(10)
	case shared.TypeMoney:
		in = in.Type("text").Attr("inputmode", "decimal").Placeholder("0,00")
	case shared.TypeDigits, shared.TypeInteger, shared.TypeYear, shared.TypeCAP:
		in = in.Type("text").Attr("inputmode", "numeric")
		if v.Len > 0 {
			in = in.MaxLength(v.Len + 4)
		}
		if v.Type == shared.TypeCAP {
			in = in.MaxLength(5)
		}
	case shared.TypeHours:
		in = in.Type("text").Placeholder("es. 25, oppure TP")
	case shared.TypeCodiceFiscale:
		in = in.Type("text").Attr("autocapitalize", "characters").MaxLength(20).Class("text-uppercase")
	default:
		in = in.Type("text")
	}
	if v.Required {
		in = in.Aria("required", "true")
	}
	if describedBy != "" {
		in = in.Aria("describedby", describedBy)
	}
	if invalid {
		in = in.Class("is-invalid").Aria("invalid", "true")
	}
	switch {
	case v.Type == shared.TypeMoney:
		return goapp.Div().Class("input-group").Body(
			goapp.Span().Class("input-group-text").Aria("hidden", "true").Text("€"),
			in,
		)
	case v.Calc:
		return goapp.Div().Class("input-group").Body(
			in,
			goapp.Button().ID("calc-"+v.Key).Type("button").Class("btn btn-outline-primary").
				Aria("describedby", id).
				Text("Calcola").OnClick(h.OnCalc),
		)
	}
	return in
}

func renderSelect(id string, v fieldView, describedBy string, invalid bool, h ui.FieldHost) goapp.UI {
	found := false
	for _, o := range v.Options {
		if strings.EqualFold(o.Value, v.Value) {
			found = true
			break
		}
	}
	sel := goapp.Select().ID(id).Class("form-select").OnChange(h.OnFieldChange)
	if found {
		sel = sel.Attr("value", v.Value)
	}
	if v.Required {
		sel = sel.Aria("required", "true")
	}
	if describedBy != "" {
		sel = sel.Aria("describedby", describedBy)
	}
	if invalid {
		sel = sel.Class("is-invalid").Aria("invalid", "true")
	}
	return sel.Body(
		goapp.Option().Value(ui.PlaceholderValue).Selected(!found).Text("— scegli —"),
		goapp.Range(v.Options).Slice(func(i int) goapp.UI {
			o := v.Options[i]
			return goapp.Option().Value(o.Value).Selected(found && strings.EqualFold(o.Value, v.Value)).Text(o.Label)
		}),
	)
}

// focusField moves the keyboard focus to the input of key.
func focusField(key string) {
	el := goapp.Window().GetElementByID(ui.InputID(key))
	if el.Truthy() {
		el.Call("focus")
	}
}
