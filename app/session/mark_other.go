//go:build !(js && wasm)

package session

// Mark records a point of the page's life for the performance figures; outside the browser
// there is nothing to record.
func Mark(string) {}
