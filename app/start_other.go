//go:build !(js && wasm)

package app

// Start prepares the browser environment; outside the browser there is nothing to prepare
// (the server only pre-renders pages, tests call session.Use).
func Start() {}

// GiveTurn returns at once outside the browser: there is no page to give a turn to.
func GiveTurn() {}

// WarmingUp is false outside the browser.
func WarmingUp() bool { return false }
