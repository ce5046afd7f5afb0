//go:build !(js && wasm)

package ui

// LiveValue is model: outside the browser nobody is typing (see live_wasm.go).
func LiveValue(_, model string) string { return model }

// FocusedID is "": outside the browser nothing has the focus (see live_wasm.go).
func FocusedID() string { return "" }
