//go:build !(js && wasm)

package ui

// LiveValue is model: outside the browser nobody is typing (see live_wasm.go).
func LiveValue(_, model string) string { return model }
