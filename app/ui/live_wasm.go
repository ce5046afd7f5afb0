//go:build js && wasm

package ui

import goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

// LiveValue is what a text input bound to model should show: model, unless the person is
// typing in it (it has the focus), then what the input holds. go-app queues an input event's
// handler and renders in frames; under load a frame can come after a keystroke and before that
// keystroke's handler, and would write the previous value back into the input, losing the
// letter just typed. The input's own value is never older than the model.
func LiveValue(id, model string) string {
	doc := goapp.Window().Get("document")
	if !doc.Truthy() {
		return model
	}
	el := doc.Get("activeElement")
	if el.Truthy() && el.Get("id").String() == id {
		if v := el.Get("value"); !v.IsUndefined() {
			return v.String()
		}
	}
	return model
}

// FocusedID is the id of the element that has the keyboard focus ("" for none): the input a
// person is typing in, whose value the page need not redraw (see LiveValue).
func FocusedID() string {
	el := goapp.Window().Get("document").Get("activeElement")
	if !el.Truthy() {
		return ""
	}
	return el.Get("id").String()
}
