package ui

import (
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/shared"
	"nullaosta/shared/places"
)

// Element ids: the summary links to the input itself (#field-<key>).
func InputID(key string) string { return "field-" + key }

// keyFromID recovers the field key from an element id ("field-<key>", "calc-<key>").
func keyFromID(id string) string {
	if i := strings.Index(id, "-"); i >= 0 {
		return id[i+1:]
	}
	return id
}

var provinceOpts []shared.Option

func ProvinceOptions() []shared.Option {
	if provinceOpts == nil {
		ps := places.Provinces()
		opts := make([]shared.Option, 0, len(ps))
		for _, p := range ps {
			opts = append(opts, shared.Option{Value: p.Sigla, Label: p.Name + " (" + p.Sigla + ")"})
		}
		provinceOpts = opts
	}
	return provinceOpts
}

// FieldHost receives the events of the fields of a page.
type FieldHost interface {
	OnFieldInput(ctx goapp.Context, e goapp.Event)  // a keystroke in a text input
	OnFieldChange(ctx goapp.Context, e goapp.Event) // a committed value (blur, select)
	OnFieldCheck(ctx goapp.Context, e goapp.Event)  // a checkbox
	OnCalc(ctx goapp.Context, e goapp.Event)        // "Calcola" of a codice fiscale
	OnComboSelect(ctx goapp.Context, key, code string)
}

// PlaceholderValue is the value of a select's "— scegli —" option (go-app cannot write an
// empty value attribute).
const PlaceholderValue = "_"

// EventValue reads the value of the element that fired the event ("" for the placeholder).
func EventValue(ctx goapp.Context) string {
	v := ctx.JSSrc().Get("value").String()
	if v == PlaceholderValue {
		return ""
	}
	return v
}

// EventKey reads the field key from the id of the element that fired the event.
func EventKey(ctx goapp.Context) string {
	return keyFromID(ctx.JSSrc().Get("id").String())
}
