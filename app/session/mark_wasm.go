package session

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Mark records a point of the start-up in the browser's performance timeline, so that load
// times can be measured (performance.getEntriesByType("mark")).
func Mark(name string) {
	if p := goapp.Window().Get("performance"); p.Truthy() {
		p.Call("mark", name)
	}
}
