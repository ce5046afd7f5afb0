package ui

import (
	"context"
	"net/url"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/session"
)

// UnlockPath is the page where a locked person types the password again.
const UnlockPath = "/sblocca"

// openWhenLocked are the pages a locked person may still see: the public ones and the ways out
// of the lock (unlock, log out, log in as someone else). The route table sets them.
var openWhenLocked = map[string]bool{}

// SetOpenWhenLocked gives the lock the pages that show nothing of the person.
func SetOpenWhenLocked(paths []string) {
	m := make(map[string]bool, len(paths))
	for _, p := range paths {
		m[p] = true
	}
	openWhenLocked = m
}

// lockWatch leaves a page as soon as the person is locked (idle time, «Blocca», a reload):
// navigating to /sblocca takes the page, with every datum it shows, off the screen and out of
// the document. It also writes the state on <html data-lock>, for the end-to-end tests:
// "open" (unlocked, or nobody logged in), "locked" (on a page a locked session may see),
// "unlocking" (leaving for /sblocca).
type lockWatch struct {
	goapp.Compo
	Current string

	cancel func()
}

func (w *lockWatch) OnMount(ctx goapp.Context) {
	w.cancel = session.Changes.Subscribe(func() {
		ctx.Dispatch(w.check)
	}, session.TopicUser)
	ctx.Async(func() {
		session.CurrentUser(context.Background())
		ctx.Dispatch(w.check)
	})
}

func (w *lockWatch) OnDismount() {
	if w.cancel != nil {
		w.cancel()
	}
}

func (w *lockWatch) check(ctx goapp.Context) {
	locked := session.Locked()
	state := "open"
	switch {
	case locked && openWhenLocked[w.Current]:
		state = "locked"
	case locked:
		state = "unlocking"
	}
	goapp.Window().Get("document").Get("documentElement").Get("dataset").Set("lock", state)
	if state == "unlocking" {
		ctx.Navigate(UnlockURL(ctx.Page().URL().RequestURI()))
	}
}

// UnlockURL is the unlock page that brings the person back to next (a path with its query)
// once unlocked.
func UnlockURL(next string) string {
	return UnlockPath + "?next=" + url.QueryEscape(next)
}

func (w *lockWatch) Render() goapp.UI { return goapp.Span().Class("lock-watch d-none") }
