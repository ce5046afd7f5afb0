package ui

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Pager draws "previous / next" buttons with where we are, for any paginated list.
func Pager(hasPrev, hasNext bool, prev, next goapp.EventHandler, where string) goapp.UI {
	return goapp.Nav().Class("d-flex align-items-center gap-3 my-3").Aria("label", "Pagine").Body(
		goapp.Button().Type("button").Class("btn btn-outline-primary btn-sm pager-prev").Disabled(!hasPrev).Text("← Precedenti").OnClick(prev),
		goapp.Span().Aria("live", "polite").Text(where),
		goapp.Button().Type("button").Class("btn btn-outline-primary btn-sm pager-next").Disabled(!hasNext).Text("Successivi →").OnClick(next),
	)
}
